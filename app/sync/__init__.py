"""Working at the venue on a phone, even offline (issue 18): the installable shell (web app
manifest, service worker, icons) and the JSON sync endpoints that take the marks queued in
the browser (roll-call, competition results). A top-layer package: it reads homes and
competitions, which know nothing of it."""

from flask import Blueprint

bp = Blueprint("sync", __name__)

from app.sync import routes, shell  # noqa: E402, F401
