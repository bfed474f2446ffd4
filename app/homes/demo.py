"""Demo data of the homes domain."""


def load_homes(session, towns, people, users) -> None:
    """Called by app.demo.load_demo after competitions."""
