"""Demo data of the performances domain."""


def load_performances(session, towns, people, users) -> None:
    """Called by app.demo.load_demo after competitions."""
