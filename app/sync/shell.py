"""The installable shell (issue 18 items 1 and 3): the web app manifest, the service worker
served from the site's root scope, the offline page, and the response headers that tell the
service worker which pages it may keep.

- The release version is a hash of the static files, computed once when the blueprint is
  registered (``RELEASE_VERSION`` in the config overrides it); it names the service worker's
  shell cache, so a new release installs a new worker whose activation deletes the old
  caches.
- Pages kept for offline use are only the roll-call pages of today's and tomorrow's sessions
  (Beijing days) and the results screens, opened by a signed-in user: the response carries
  ``X-Offline-Cache: keep`` and the worker stores it in the browser's own cache. Every other
  page (public, admin) is an ordinary page: fetched from the network, never stored.
- Signing out answers ``Clear-Site-Data: "cache", "storage"``: the browser drops the kept
  pages, the queue of unsent marks and the worker (offline.js clears them too, for browsers
  without that header).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

from flask import Response, current_app, render_template, request, url_for
from flask_login import current_user

from app.core import clock
from app.core.auth import public
from app.homes import recurrence
from app.sync import bp

STATIC = Path(__file__).resolve().parents[1] / "static"
SHELL_FILES = (
    "css/site.css",
    "js/site.js",
    "js/offline.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
KEEP_OFFLINE = {"homes.roll_call", "competitions.results"}


def static_hash(root: Path = STATIC) -> str:
    """A short hash of every file under app/static (names and bytes), in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.record_once
def _version_at_startup(state) -> None:
    state.app.config.setdefault("RELEASE_VERSION", None)
    state.app.extensions["static_hash"] = static_hash()


def release_version() -> str:
    return current_app.config.get("RELEASE_VERSION") or current_app.extensions["static_hash"]


def shell_urls() -> list[str]:
    return [url_for("static", filename=name) for name in SHELL_FILES] + [
        url_for("sync.offline"),
        url_for("sync.manifest"),
    ]


@bp.route("/sw.js")
@public
def service_worker():
    """The worker script with this release's version and shell list written in; served at
    the root so its scope is the whole site."""
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    source = (
        source.replace('"__VERSION__"', json.dumps(release_version()))
        .replace('"__SHELL__"', json.dumps(shell_urls()))
        .replace('"__OFFLINE__"', json.dumps(url_for("sync.offline")))
    )
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/manifest.webmanifest")
@public
def manifest():
    body = {
        "name": "融合 Ronghe",
        "short_name": "融合",
        "description": "区残联体育、文化与阳光家园 · Disabled Persons' Federation",
        "lang": "zh-CN",
        "start_url": url_for("core.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7a1f1f",
        # One entry per purpose: an icon drawn for a launcher's mask (its mark inside the
        # central safe circle) is too small where no mask applies, and the other way round.
        "icons": [
            {
                "src": url_for("static", filename=f"icons/{name}-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, purpose in (("icon", "any"), ("icon-maskable", "maskable"))
            for size in (192, 512)
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
@public
def offline():
    """What a page not kept for offline use shows without a connection. Stored once by the
    worker, so it names nobody (``shell_page``: base.html leaves out the signed-in user)."""
    return render_template("sync/offline.html", shell_page=True)


def _keep_roll_call(view_args: dict) -> bool:
    start = recurrence.parse_occurrence_key(str(view_args.get("key", "")))
    if start is None:
        return False
    today = clock.today()
    return clock.local_date(start) in (today, today + timedelta(days=1))


@bp.after_app_request
def offline_headers(response: Response) -> Response:
    endpoint = request.endpoint or ""
    if endpoint == "accounts.logout":
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    elif (
        endpoint in KEEP_OFFLINE
        and request.method == "GET"
        and response.status_code == 200
        and current_user.is_authenticated
        and (endpoint != "homes.roll_call" or _keep_roll_call(request.view_args or {}))
    ):
        response.headers["X-Offline-Cache"] = "keep"
    return response
