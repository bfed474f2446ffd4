"""The performance pages, on the ``performances`` blueprint (``app.performances.bp``)."""

from app.performances.views import performances  # noqa: F401
