"""Demo data (placeholder)."""


def load_demo(reset: bool = False):
    return []
