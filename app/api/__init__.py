"""The public JSON API at /api/v1: the cross-domain endpoints (``schedule.py``).

The blueprint, the problem documents and the OpenAPI registry are ``app/core/api.py``; each
domain registers its own endpoints there from its ``api.py`` (imported by the domain's
``__init__.py``), so this package imports no domain package's API module and nothing below
imports this package."""

from app.api import schedule  # noqa: E402, F401
from app.core.api import bp  # noqa: F401  (the blueprint the app factory registers)
