"""Competition pages (registered at /competitions)."""
