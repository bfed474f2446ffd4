"""Athlete pages under /athletes/."""
