"""Models of the performances domain."""
