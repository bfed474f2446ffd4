"""The source adapters, one module per domain; importing this package registers them."""

from app.calendars.adapters import competitions, homes, performances  # noqa: F401
