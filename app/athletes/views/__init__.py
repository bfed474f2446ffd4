"""The athlete pages, on the ``athletes`` blueprint (``app.athletes.bp``)."""

from app.athletes.views import profile  # noqa: F401
