"""The sync endpoints (issue 18 item 4): JSON in, JSON out, errors as
application/problem+json. CSRF is checked before the view like every other POST
(core.security), from the ``X-CSRFToken`` header the page's script sends; ``/sync/token``
gives a fresh token, since a page kept offline for hours may hold an expired one."""

from __future__ import annotations

import json

from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.core.auth import login_required, role_required
from app.core.security import mark_personal
from app.extensions import db
from app.sync import bp, services

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str) -> Response:
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)


DETAILS = {
    400: lambda: _("The request could not be understood. Please go back and try again."),
    401: lambda: _("Sign in again to send your marks."),
    403: lambda: _("You do not have permission to do this."),
    405: lambda: _("This address does not accept that kind of request."),
    413: lambda: _("The request is larger than the limit."),
}


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = error.code or 500
    if request.path.startswith("/sync/") and request.path != "/sync/token":
        if getattr(error, "description", "") and "CSRF" in str(error.description):
            return problem(400, _("The security token is missing or expired. Reload the page."))
        return problem(code, DETAILS.get(code, lambda: str(error.name))())
    return error


@bp.after_request
def anonymous_is_401(response: Response) -> Response:
    # role_required sends anonymous visitors to the sign-in page; a script wants a 401.
    if request.path.startswith("/sync/") and response.status_code in (301, 302, 303):
        return problem(401, DETAILS[401]())
    return response


def _answer(run):
    mark_personal()
    payload = request.get_json(silent=True)
    for attempt in (1, 2):
        try:
            body = run(payload, current_user._get_current_object())
            db.session.commit()
        except services.SyncRefused as refused:
            db.session.rollback()
            return problem(refused.status, str(refused.detail))
        except IntegrityError:
            # Another request took one of these client ids meanwhile: run the batch again,
            # which answers that mark as a duplicate (services.sync_roll_call).
            db.session.rollback()
            if attempt == 2:
                raise
        else:
            return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    raise AssertionError("unreachable")


@bp.route("/sync/roll-call", methods=["POST"])
@role_required("home_staff")
def roll_call():
    return _answer(services.sync_roll_call)


@bp.route("/sync/results", methods=["POST"])
@role_required("coach")
def results():
    return _answer(services.sync_results)


@bp.route("/sync/token")
@login_required
def token():
    mark_personal()
    return Response(json.dumps({"csrf_token": generate_csrf()}), mimetype="application/json")
