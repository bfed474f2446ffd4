"""Demo data (placeholder; the venues/demo helper writes it)."""


def load_demo(reset: bool = False):
    return []
