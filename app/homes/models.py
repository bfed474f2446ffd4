"""Models of the homes domain."""
