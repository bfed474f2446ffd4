"""The competition pages, on the ``competitions`` blueprint (``app.competitions.bp``)."""

from app.competitions.views import entries  # noqa: F401
