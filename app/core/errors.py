"""Domain errors raised by services, and the error pages (400/403/404/409/422/429/500).

Pages say what happened in the user's language and nothing about the internals."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A broken business rule. ``message`` is a lazy translatable string; ``field`` names the
    form field it belongs to, when there is one. ``keep``: rows to save even though the rest
    of the work is rolled back (the audit row of a refused register look-up); the save step
    (core.editing.save) adds them again after the rollback and commits them."""

    status_code = 422

    def __init__(self, message, field: str | None = None, keep=()):
        # Not str(message): translating picks the locale from the signed-in user, and after a
        # failed flush (StaleDataError) loading the user raises PendingRollbackError — the
        # conflict would become a 500. The text is made when the error is shown.
        super().__init__(message)
        self.message = message
        self.field = field
        self.keep = list(keep)


class EditConflict(DomainError):
    """Someone saved the record after this form was built. ``current`` is the record as
    saved now, so the page can show both values."""

    status_code = 409

    def __init__(self, current, message=None):
        super().__init__(
            message or _l("Someone else saved this record after you opened it."), field=None
        )
        self.current = current


ERROR_TEXT = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist, or you cannot see it.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Edit conflict"), _l("Someone else changed this record at the same time.")),
    413: (_l("File too large"), _l("The file you sent is larger than the limit.")),
    422: (_l("There is a problem"), _l("Some of the information could not be accepted.")),
    429: (
        _l("Too many attempts"),
        _l("There were too many attempts in a short time. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "Sorry, something went wrong on our side. Your request was not completed. Please try again later."
        ),
    ),
}


def render_error(code: int):
    title, text = ERROR_TEXT.get(code, ERROR_TEXT[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def register(app: Flask) -> None:
    def handle_http(error: HTTPException):
        if request.path.startswith("/api/v1/"):  # routing 404/405 of the JSON API
            from app.core.api import http_problem

            return http_problem(error)
        code = error.code or 500
        if code not in ERROR_TEXT:
            return error
        response = render_error(code)
        valid_methods = getattr(error, "valid_methods", None)  # a MethodNotAllowed's
        if code == 405 and valid_methods:
            resp = app.make_response(response)
            resp.headers["Allow"] = ", ".join(valid_methods)
            return resp
        return response

    def handle_unexpected(error: Exception):
        # The route's pattern, not the path: a path can hold a secret (a personal calendar
        # feed's token) that must not reach the logs.
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        log.exception("Unhandled error on %s %s", request.method, rule)
        from app.extensions import db

        db.session.rollback()
        if request.path.startswith("/api/v1/"):
            from app.core.api import http_problem

            return http_problem(None)
        return render_error(500)

    def handle_stale(error: StaleDataError):
        # Another session saved the record between this request's version check and its
        # write (issue 13 item 10): the edit-conflict page, never a 500. Form pages catch it
        # in core.editing.save to keep the input; this is the net under every other POST (a
        # button such as "contacted", a confirm step).
        from app.extensions import db

        db.session.rollback()
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        log.warning("Concurrent change refused on %s %s", request.method, rule)
        if request.path.startswith("/api/v1/"):
            from werkzeug.exceptions import Conflict

            from app.core.api import http_problem

            return http_problem(Conflict())
        return render_error(409)

    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(StaleDataError, handle_stale)
    app.register_error_handler(Exception, handle_unexpected)
