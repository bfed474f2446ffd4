"""gunicorn settings for Ronghe (docs/deploy.md): ``gunicorn -c docs/gunicorn.conf.py wsgi:app``.

A personal calendar feed's address, /calendar/u/<token>.ics, is its only credential: whoever
reads the access log could subscribe to that person's schedule. gunicorn's access log would
write the raw path (``%(r)s``, ``%(U)s``), so this logger writes every path with the token of
a personal feed replaced by ``<token>``, and never the query string or the Referer. The app's
own error log already names the route pattern, not the path (app/core/errors.py).
"""

import re

from gunicorn.glogging import Logger

# The route is /calendar/u/<token>.ics (app/calendars/routes.py); anything after /u/ up to the
# next slash is the token, whatever its form, so a malformed one is hidden too.
PERSONAL_FEED = re.compile(r"(/calendar/u/)[^/]*?(\.ics)?(?=/|$)")


def redact(path: str) -> str:
    return PERSONAL_FEED.sub(lambda m: m.group(1) + "<token>" + (m.group(2) or ""), path or "")


class RedactingLogger(Logger):
    """gunicorn's logger with the feed token taken out of every path atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms.get("U"))
        atoms["r"] = f"{atoms.get('m')} {atoms['U']} {atoms.get('H')}"  # no query string
        atoms["q"] = "-"
        atoms["f"] = "-"
        atoms["{referer}i"] = "-"
        atoms["{raw_uri}e"] = "-"
        atoms["{path_info}e"] = atoms["U"]
        atoms["{request_uri}e"] = "-"
        return atoms


logger_class = RedactingLogger
bind = "127.0.0.1:8000"
workers = 4
accesslog = "-"
# client, time, method and path (token redacted), status, bytes, milliseconds, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
