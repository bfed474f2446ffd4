"""The public page cache: anonymous GETs of listed endpoints served from Flask-Caching.

``cache_page(endpoint, *topics)`` lists an endpoint (by name, so the views may move between
modules) with the data-version topics (app/core/versions.py) its page shows, or as ``static``
(the visitors' home page: no data, the same bytes per language and day); the top layer
(app/caching.py) lists them all. One ``before_request``/``after_request`` pair does the work:

- only a GET of a listed endpoint by an anonymous visitor with no flash message waiting
  (no user id in the session, no remember cookie) takes part; signed-in pages are built
  every time and never stored (they also say ``Cache-Control: no-store``, core/security.py);
- the key is (host, path, query string, language, gzip or not, today's date, the versions of
  the page's topics): one query reads the versions. The ``ETag`` is the key's hash, so a
  repeat visitor whose ``If-None-Match`` matches gets a 304 before anything is built;
- a hit answers the stored status, headers and body; the page's CSRF token (the language
  switch's form) is stored as a placeholder and each visitor gets their own;
- a miss takes a short lock in the cache (``SET NX EX``, in one round trip with the look-up
  of the page): the one request that gets it builds the page and stores it; the others
  answer the previous bytes of the same page (an older version) when there are some, else
  wait up to ``PAGE_CACHE_WAIT`` seconds for the builder, and build it themselves only if it
  never comes. So a version moves, one request rebuilds;
- the builder stores the page (and releases the lock, one round trip) once the response has
  been sent: the WSGI server closes a response after writing its body, and the store is
  hung on that close, so the visitor who happened to build waits for the page alone. A
  response that is never closed (a client gone before the body) stores nothing; its lock
  expires after ``PAGE_CACHE_LOCK_SECONDS``, meanwhile the others wait or build as above.

The cache being down (Redis unreachable) only means every page is built, as without a cache.
The CSP has no nonces (no inline script or style), so stored HTML holds nothing per-request
but the CSRF token."""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from flask import Flask, current_app, g, request, session
from flask.wrappers import Response

from app.core import clock, i18n, versions
from app.extensions import cache, db

log = logging.getLogger(__name__)

# endpoint -> the topics its page shows
PAGES: dict[str, tuple[str, ...]] = {}
CSRF_PLACEHOLDER = b"__ronghe_csrf_token__"
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Cache-Control",
    "Last-Modified",
)
POLL_SECONDS = 0.02


def cache_page(endpoint: str, *topics: str, static: bool = False) -> None:
    """List ``endpoint`` with the topics its page shows; ``static=True`` (and no topics) for a
    page that shows no data, stored per language and day alone."""
    unknown = set(topics) - set(versions.TOPICS)
    if unknown or bool(topics) == static:
        raise ValueError(f"{endpoint}: topics {sorted(unknown) or list(topics) or 'missing'}")
    PAGES[endpoint] = tuple(sorted(set(topics)))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _anonymous() -> bool:
    if "_user_id" in session or "_flashes" in session:
        return False
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return remember not in request.cookies


def _backend():
    return cache.cache


def _get(key):
    try:
        return _backend().get(key)
    except Exception:  # the cache down: build the page, as without a cache
        log.warning("page cache unreachable", exc_info=True)
        return None


def _redis(backend):
    """The Redis client under a cachelib ``RedisCache``, else None. The lock with the look-up,
    and the store with the release, go to it as one pipeline each: cachelib has no call for
    either (its ``add`` is SETNX then EXPIRE, two round trips, and a lock that never expires if
    the worker dies between them)."""
    client = getattr(backend, "_write_client", None)
    if client is None or not hasattr(backend, "serializer"):
        return None
    return client


def _lock_and_get(lock: str, page: str, timeout: int) -> tuple[bool, object]:
    """Take the build lock (True if this request got it) and read the page stored under
    ``page``: one round trip on Redis. The cache down: the lock is ours, no page."""
    backend = _backend()
    try:
        client = _redis(backend)
        if client is None:
            return bool(backend.add(lock, 1, timeout=timeout)), backend.get(page)
        prefix = backend._get_prefix()
        pipe = client.pipeline(transaction=False)
        pipe.set(prefix + lock, backend.serializer.dumps(1), ex=timeout, nx=True)
        pipe.get(prefix + page)
        locked, stored = pipe.execute()
        return bool(locked), backend.serializer.loads(stored)
    except Exception:
        log.warning("page cache unreachable", exc_info=True)
        return True, None


def _store_and_unlock(backend, keys: dict, stored: dict | None, timeout: int) -> None:
    """Store the built page under this version and as the page's last (when there is one to
    store) and release the lock: one round trip on Redis. Runs after the request, so it is
    given the backend rather than looking for the app."""
    try:
        client = _redis(backend)
        if client is None:
            if stored is not None:
                backend.set_many({keys["page"]: stored, keys["last"]: stored}, timeout=timeout)
            backend.delete(keys["lock"])
            return
        prefix = backend._get_prefix()
        pipe = client.pipeline(transaction=False)
        if stored is not None:
            dump = backend.serializer.dumps(stored)  # pickled once for both keys
            pipe.set(prefix + keys["page"], dump, ex=timeout)
            pipe.set(prefix + keys["last"], dump, ex=timeout)
        pipe.delete(prefix + keys["lock"])
        pipe.execute()
    except Exception:
        log.warning("page cache unreachable", exc_info=True)


def _delete(key):
    try:
        _backend().delete(key)
    except Exception:
        log.warning("page cache unreachable", exc_info=True)


def page_keys(topics, *, with_last: bool = False) -> dict:
    """The request's keys: ``page`` (this version), ``last`` (the page whatever its version),
    ``lock`` and the ``etag``. With ``with_last``, ``stored_last`` is the page stored under
    ``last``, read in the same round trip as the versions (one MGET on Redis)."""
    zipped = "gz" if request.accept_encodings["gzip"] > 0 else ""
    base = "|".join(
        (
            request.host,
            request.path,
            request.query_string.decode("latin-1"),
            # The anonymous visitor's language from the inputs Babel would read for them
            # (session choice, Accept-Language): no user loaded, no Babel on a hit.
            i18n.anonymous_locale(),
            zipped,
        )
    )
    prefix = current_app.config.get("PAGE_CACHE_PREFIX", "page")
    last = f"{prefix}-last:{_hash(base)}"
    found, extra = versions.read(db.session, topics, also=[last] if with_last else [])
    # Pages read the local date (the agenda's "upcoming", the current term): a new day is a
    # new version of every page.
    stamp = clock.today().isoformat() + "|" + ",".join(f"{t}={v}" for t, v in found.items())
    digest = _hash(base + "|" + stamp)
    return {
        "page": f"{prefix}:{digest}",
        "last": last,
        "lock": f"{prefix}-lock:{digest}",
        "etag": digest[:24],
        "stored_last": extra[0] if extra else None,
    }


def _answer(stored: dict, keys: dict) -> Response:
    body = stored["body"]
    if CSRF_PLACEHOLDER in body:
        from flask_wtf.csrf import generate_csrf

        body = body.replace(CSRF_PLACEHOLDER, generate_csrf().encode())
    response = Response(body, status=stored["status"])
    for name, value in stored["headers"]:
        response.headers[name] = value
    response.set_etag(stored["etag"], weak=True)
    g.page_cache_served = True
    return response


def _not_modified(keys: dict) -> Response:
    response = Response(status=304)
    response.set_etag(keys["etag"], weak=True)
    g.page_cache_served = True
    return response


def serve_from_cache():
    if request.method != "GET" or request.endpoint not in PAGES or not _anonymous():
        return None
    topics = PAGES[request.endpoint]
    revalidating = bool(request.if_none_match)
    keys = page_keys(topics, with_last=not revalidating)
    last = keys.pop("stored_last")
    g.page_cache_keys = keys
    if revalidating and request.if_none_match.contains_weak(keys["etag"]):
        return _not_modified(keys)
    if isinstance(last, dict) and last.get("etag") == keys["etag"]:
        return _answer(last, keys)  # the usual hit: one round trip to the cache
    config = current_app.config
    # The page's version moved (or it was never stored): take the lock and look for the page
    # in one round trip, so the request that builds makes two before building.
    locked, stored = _lock_and_get(keys["lock"], keys["page"], config["PAGE_CACHE_LOCK_SECONDS"])
    if stored is not None:  # stored under this version already (by a builder just done)
        if locked:
            _delete(keys["lock"])
        return _answer(stored, keys)
    if locked:
        g.page_cache_build = True  # this request builds and stores the page
        return None
    previous = _get(keys["last"])
    if previous is not None:
        return _answer(previous, keys)
    deadline = time.monotonic() + config["PAGE_CACHE_WAIT"]
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        stored = _get(keys["page"])
        if stored is not None:
            return _answer(stored, keys)
    g.page_cache_build = True  # the builder never came: build (and store) it here
    return None


def store_in_cache(response: Response) -> Response:
    keys = g.get("page_cache_keys")
    if keys is None or g.get("page_cache_served"):
        return _public_headers(response, keys)
    if not g.get("page_cache_build"):
        return response
    stored = None
    try:
        if (
            response.status_code == 200
            and not response.is_streamed
            and _only_session_cookie(response)
        ):
            body = response.get_data()
            token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
            if token:
                body = body.replace(token.encode(), CSRF_PLACEHOLDER)
            stored = {
                "status": response.status_code,
                "headers": [
                    (name, response.headers[name])
                    for name in STORED_HEADERS
                    if name in response.headers
                ],
                "body": body,
                "etag": keys["etag"],
            }
            response.set_etag(keys["etag"], weak=True)
    finally:
        # Stored (or, for a page not to store, the lock released) once the server has sent
        # the response and closes it.
        response.call_on_close(
            functools.partial(
                _store_and_unlock,
                _backend(),
                keys,
                stored,
                current_app.config["PAGE_CACHE_TIMEOUT"],
            )
        )
    return _public_headers(response, keys)


def _only_session_cookie(response: Response) -> bool:
    # A first visit's page sets the session cookie (the CSRF secret of the language form):
    # that cookie is the visitor's own and is not stored; any other cookie is.
    name = current_app.config.get("SESSION_COOKIE_NAME", "session")
    return all(
        header.split("=", 1)[0].strip() == name for header in response.headers.getlist("Set-Cookie")
    )


def _public_headers(response: Response, keys) -> Response:
    if keys is None:
        return response
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    response.vary.add("Accept-Encoding")
    if "Cache-Control" not in response.headers or response.status_code == 304:
        # The browser keeps its copy and asks again each time (a 304 when nothing moved).
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def register(app: Flask) -> None:
    """Install the pair of hooks (after the other hooks: the version listener too)."""
    versions.listen()
    if not app.config.get("PAGE_CACHE_ENABLED"):
        return
    # First of the request hooks: a hit is answered before the rate limiter, the CSRF check of
    # unsafe methods (a GET has none) or any user loading run. Safe because only anonymous
    # GETs of listed public endpoints take part, and none of them carries a rate limit. The
    # after-request hooks (security headers, the session cookie) still run on the answer.
    app.before_request_funcs.setdefault(None, []).insert(0, serve_from_cache)
    app.after_request(store_in_cache)
