"""people."""

from flask import Blueprint

bp = Blueprint("people", __name__)

from app.people import routes  # noqa: E402,F401


@bp.after_app_request
def _keep_register_lookups(response):
    """A matching register look-up stays in the audit log even when the request that made it
    was refused and rolled back (app.people.lookup.keep_found)."""
    from app.people import lookup

    lookup.keep_found()
    return response
