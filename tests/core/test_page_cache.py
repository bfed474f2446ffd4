"""Issue 15 item 2: anonymous GETs of listed public pages come from the cache
(app/core/page_cache.py) keyed by the data versions; two app instances on one Redis share it;
a result change shows on the next GET; 304 for an unchanged page; signed-in requests never get
the cached anonymous bytes; one rebuild per version under concurrent requests."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app
from app.competitions.enums import Medal
from app.competitions.models import Result
from app.core import commit_hooks, page_cache, versions
from app.extensions import db, limiter

REDIS = "redis://127.0.0.1:6379/14"
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')


class ServerClient(FlaskClient):
    """Closes each response once it has read it, as a WSGI server does once it has sent it:
    the page cache stores a built page then (Flask's test client leaves responses open)."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def make_app(app):
    """Apps with the page cache on, on the suite's database (``redis=True``: on one Redis under
    a key prefix of the test's own)."""
    made = []
    prefix = f"test-{uuid.uuid4().hex[:8]}:"

    def make(redis=False, **settings):
        config = {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SERVER_NAME": "localhost",
            "BABEL_DEFAULT_LOCALE": "en",
            "PAGE_CACHE_ENABLED": True,
            **settings,
        }
        if redis:
            config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=REDIS, CACHE_KEY_PREFIX=prefix)
        other = create_app(config)
        other.test_client_class = ServerClient
        other.view_calls = {}
        made.append(other)
        return other

    yield make
    import redis as redis_client

    connection = redis_client.Redis.from_url(REDIS)
    for key in connection.scan_iter(match=f"{prefix}*"):
        connection.delete(key)
    connection.close()
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    with app.app_context():
        limiter.init_app(app)
        limiter.reset()


def count_builds(app, endpoint, delay=0.0):
    """Wrap the view: ``app.view_calls[endpoint]`` counts the pages actually built."""
    view = app.view_functions[endpoint]
    lock = threading.Lock()
    app.view_calls[endpoint] = 0

    @functools.wraps(view)
    def counted(*args, **kwargs):
        with lock:
            app.view_calls[endpoint] += 1
        if delay:
            time.sleep(delay)
        return view(*args, **kwargs)

    app.view_functions[endpoint] = counted


def without_token(body: bytes) -> bytes:
    return TOKEN.sub(b'name="csrf_token" value=""', body)


def _change_a_gold(new_medal, through=None):
    """Change a gold medal and commit, through the app ``through`` (its cache gets the new
    versions: every instance of a site shares one cache) or the suite's."""
    if through is not None:
        with through.app_context():
            _change_a_gold(new_medal)
        return
    with db.session.no_autoflush:
        result = db.session.scalars(
            sa.select(Result).where(Result.medal == Medal.GOLD).order_by(Result.id)
        ).first()
        assert result is not None
        result.medal = new_medal
    db.session.commit()


def test_two_apps_on_one_redis_share_the_pages(demo, make_app):
    first, second = make_app(redis=True), make_app(redis=True)
    for one in (first, second):
        count_builds(one, "competitions.index")
    built = first.test_client().get("/competitions/")
    served = second.test_client().get("/competitions/")
    assert built.status_code == served.status_code == 200
    assert first.view_calls["competitions.index"] == 1
    assert second.view_calls["competitions.index"] == 0
    assert without_token(served.data) == without_token(built.data)
    assert served.headers["ETag"] == built.headers["ETag"]
    assert "Accept-Language" in served.headers["Vary"]


def test_a_result_change_shows_on_the_next_get(demo, make_app, client):
    cached = make_app(redis=True)
    count_builds(cached, "competitions.index")
    visitor = cached.test_client()
    before = visitor.get("/competitions/")
    assert visitor.get("/competitions/").data.count(b"<tr") == before.data.count(b"<tr")
    assert cached.view_calls["competitions.index"] == 1

    _change_a_gold(Medal.NONE, through=cached)

    after = visitor.get("/competitions/")
    assert cached.view_calls["competitions.index"] == 2
    assert after.headers["ETag"] != before.headers["ETag"]
    assert without_token(after.data) != without_token(before.data)
    # What the cache answers is what the page, built now without a cache, shows.
    fresh = client.get("/competitions/")
    assert without_token(after.data) == without_token(fresh.data)
    # The API's medals moved with it.
    api = visitor.get("/api/v1/medals")
    assert api.get_json() == client.get("/api/v1/medals").get_json()


def test_an_unchanged_page_answers_304_without_being_built(demo, make_app):
    cached = make_app()
    count_builds(cached, "venues.index")
    visitor = cached.test_client()
    first = visitor.get("/venues/")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = visitor.get("/venues/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert cached.view_calls["venues.index"] == 1
    # Another language is another page (and another ETag).
    english = visitor.get("/venues/", headers={"If-None-Match": etag, "Accept-Language": "zh-CN"})
    assert english.status_code == 200
    assert english.headers["ETag"] != etag
    assert cached.view_calls["venues.index"] == 2


def test_a_new_version_answers_200_to_the_old_etag(demo, make_app):
    cached = make_app()
    visitor = cached.test_client()
    etag = visitor.get("/venues/").headers["ETag"]
    with cached.app_context():
        versions.bump(db.session, [versions.VENUES])
        db.session.commit()
    again = visitor.get("/venues/", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.headers["ETag"] != etag


def test_a_signed_in_request_never_gets_the_cached_anonymous_bytes(demo, make_app, make_user):
    cached = make_app(redis=True)
    count_builds(cached, "competitions.index")
    anonymous = cached.test_client()
    page = anonymous.get("/competitions/")
    etag = page.headers["ETag"]
    coach = make_user("coach", display_name="Coach Wang")
    signed_in = cached.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"] = coach.get_id()
        session["_fresh"] = True
    mine = signed_in.get("/competitions/", headers={"If-None-Match": etag})
    assert mine.status_code == 200  # no 304 from the anonymous ETag either
    assert b"Coach Wang" in mine.data
    assert mine.headers["Cache-Control"] == "no-store"
    assert "ETag" not in mine.headers
    assert cached.view_calls["competitions.index"] == 2
    # ... and the signed-in page was not stored for anonymous visitors.
    again = anonymous.get("/competitions/")
    assert b"Coach Wang" not in again.data
    assert cached.view_calls["competitions.index"] == 2
    # A remember-me cookie alone also means "signed in": built, never from the cache.
    remembered = cached.test_client()
    remembered.set_cookie("remember_token", "x", domain="localhost")
    remembered.get("/competitions/")
    assert cached.view_calls["competitions.index"] == 3


def test_a_waiting_flash_message_is_never_cached_away(demo, make_app):
    cached = make_app()
    count_builds(cached, "venues.index")
    visitor = cached.test_client()
    visitor.get("/venues/")
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor")]
    page = visitor.get("/venues/")
    assert b"A message for this visitor" in page.data
    assert cached.view_calls["venues.index"] == 2


def test_each_visitor_gets_their_own_csrf_token(demo, make_app):
    cached = make_app(WTF_CSRF_ENABLED=True)
    count_builds(cached, "venues.index")
    one, two = cached.test_client(), cached.test_client()
    first = one.get("/venues/")
    second = two.get("/venues/")
    assert cached.view_calls["venues.index"] == 1
    token_one, token_two = TOKEN.search(first.data)[1], TOKEN.search(second.data)[1]
    assert token_one and token_two and token_one != token_two
    assert b"__ronghe_csrf_token__" not in second.data
    # The served token is the visitor's own: the language switch accepts it.
    switched = two.post(
        "/language", data={"csrf_token": token_two.decode(), "lang": "zh_Hans", "next": "/"}
    )
    assert switched.status_code == 303
    with two.session_transaction() as session:
        assert session.get("lang") == "zh_Hans"


def _redis_keys(app, kind):
    """The keys of one kind (``page``, ``page-lock``, ``page-last``) the app's cache holds."""
    import redis as redis_client

    prefix = app.config["CACHE_KEY_PREFIX"] + app.config.get("PAGE_CACHE_PREFIX", "page")
    connection = redis_client.Redis.from_url(REDIS)
    try:
        return {
            key.decode(): connection.ttl(key)
            for key in connection.scan_iter(match=f"{prefix}{kind}:*")
        }
    finally:
        connection.close()


def test_the_builder_stores_the_page_once_its_response_is_sent(demo, make_app):
    cached = make_app(redis=True)
    count_builds(cached, "venues.index")
    # Flask's own client leaves the response open: the server has not finished with it yet.
    built = FlaskClient(cached, cached.response_class, use_cookies=True).get("/venues/")
    assert built.status_code == 200
    assert built.headers["ETag"]
    # The page is not stored yet; the build lock is held, and expires on its own.
    assert _redis_keys(cached, "") == {}
    locks = _redis_keys(cached, "-lock")
    assert len(locks) == 1
    assert 0 < next(iter(locks.values())) <= cached.config["PAGE_CACHE_LOCK_SECONDS"]
    built.close()  # the server has sent it
    assert _redis_keys(cached, "-lock") == {}
    stored = _redis_keys(cached, "")
    assert len(stored) == 1
    assert 0 < next(iter(stored.values())) <= cached.config["PAGE_CACHE_TIMEOUT"]
    served = cached.test_client().get("/venues/")
    assert served.headers["ETag"] == built.headers["ETag"]
    assert without_token(served.data) == without_token(built.data)
    assert cached.view_calls["venues.index"] == 1


def test_a_response_never_sent_stores_nothing_and_the_others_still_get_the_page(demo, make_app):
    # The builder's visitor went away before the body: the server never closes the response.
    cached = make_app(redis=True, PAGE_CACHE_WAIT=0.1)
    count_builds(cached, "venues.index")
    FlaskClient(cached, cached.response_class).get("/venues/")
    # The next visitor waits for the builder a while, then builds the page itself and stores
    # it; the one after gets it from the cache.
    second = cached.test_client().get("/venues/")
    third = cached.test_client().get("/venues/")
    assert second.status_code == third.status_code == 200
    assert third.headers["ETag"] == second.headers["ETag"]
    assert cached.view_calls["venues.index"] == 2
    assert _redis_keys(cached, "-lock") == {}


@pytest.mark.parametrize("previous", [False, True], ids=["first build", "after a change"])
def test_one_rebuild_per_version_under_concurrent_requests(demo, make_app, previous):
    # The waiters wait as long as it takes on a loaded machine (3 s in production).
    cached = make_app(redis=True, PAGE_CACHE_WAIT=30.0)
    count_builds(cached, "competitions.index", delay=0.3)
    if previous:
        cached.test_client().get("/competitions/")
        _change_a_gold(Medal.NONE, through=cached)
        cached.view_calls["competitions.index"] = 0
    answers: list[int] = []
    start = threading.Barrier(6)

    def visit():
        client = cached.test_client()
        start.wait()
        answers.append(client.get("/competitions/").status_code)

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [200] * 6
    assert cached.view_calls["competitions.index"] == 1


# --- the versions read from the cache backend (no database on a hit) ------------------------


@contextlib.contextmanager
def statements(app):
    """The SQL statements ``app`` runs inside the block."""
    seen: list[str] = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", watch)


def _reads_versions(seen) -> bool:
    return any("data_versions" in statement for statement in seen)


def test_a_hit_and_a_304_run_no_sql(demo, make_app):
    cached = make_app(redis=True)
    visitor = cached.test_client()
    first = visitor.get("/competitions/")
    with statements(cached) as seen:
        hit = visitor.get("/competitions/")
        not_modified = visitor.get(
            "/competitions/", headers={"If-None-Match": first.headers["ETag"]}
        )
    assert (hit.status_code, not_modified.status_code) == (200, 304)
    assert hit.headers["ETag"] == first.headers["ETag"]
    assert seen == []


def test_a_change_through_one_app_shows_at_once_through_the_other(demo, make_app, client):
    first, second = make_app(redis=True), make_app(redis=True)
    count_builds(second, "competitions.index")
    visitor = second.test_client()
    before = visitor.get("/competitions/")
    visitor.get("/competitions/")
    assert second.view_calls["competitions.index"] == 1

    _change_a_gold(Medal.NONE, through=first)

    with statements(second) as seen:
        after = visitor.get("/competitions/")
    # Built again, with the new data, without asking the database for the versions: the
    # mirror had them (published by the first app after its commit).
    assert second.view_calls["competitions.index"] == 2
    assert after.headers["ETag"] != before.headers["ETag"]
    assert not _reads_versions(seen)
    assert without_token(after.data) == without_token(client.get("/competitions/").data)
    with statements(second) as seen:
        again = visitor.get("/competitions/")
    assert again.headers["ETag"] == after.headers["ETag"]
    assert seen == []


class Undo(Exception):
    pass


def test_a_rolled_back_bump_is_never_published(demo, make_app):
    first, second = make_app(redis=True), make_app(redis=True)
    count_builds(second, "competitions.index")
    visitor = second.test_client()
    before = visitor.get("/competitions/")
    with first.app_context():
        stored = versions.current(db.session, [versions.MEDALS])
        try:
            with db.session.begin_nested():
                token = versions.bump(db.session, [versions.MEDALS])
                raise Undo
        except Undo:
            pass
        db.session.commit()
        from app.extensions import cache

        assert cache.cache.get(versions.mirror_key(versions.MEDALS)) != token
        assert versions.current(db.session, [versions.MEDALS]) == stored
        # ... nor one whose transaction rolls back.
        token = versions.bump(db.session, [versions.MEDALS])
        db.session.rollback()
        assert cache.cache.get(versions.mirror_key(versions.MEDALS)) != token
    again = visitor.get("/competitions/")
    assert again.headers["ETag"] == before.headers["ETag"]
    assert second.view_calls["competitions.index"] == 1


def test_a_publish_lost_after_the_commit_leaves_no_stale_page(demo, make_app, monkeypatch):
    first, second = make_app(redis=True), make_app(redis=True)
    count_builds(second, "competitions.index")
    visitor = second.test_client()
    before = visitor.get("/competitions/")
    # The process dies between its commit and the publish: the bump had already taken the
    # old numbers out of the mirror, so the other app reads the database.
    hook = commit_hooks.HOOKS[versions.PUBLISH]
    monkeypatch.setitem(commit_hooks.HOOKS, versions.PUBLISH, dataclasses.replace(hook, after=None))
    _change_a_gold(Medal.NONE, through=first)
    with statements(second) as seen:
        after = visitor.get("/competitions/")
    assert _reads_versions(seen)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert second.view_calls["competitions.index"] == 2


# --- the hit path: first of the request hooks, no user loading, no Babel --------------------


def test_the_cache_answers_before_any_other_request_hook(demo, make_app):
    cached = make_app(redis=True)
    assert cached.before_request_funcs[None][0] is page_cache.serve_from_cache
    visitor = cached.test_client()
    visitor.get("/venues/")
    with visitor:
        hit = visitor.get("/venues/")
        assert g.page_cache_served is True
        # Neither Flask-Login nor Babel ran for it.
        assert "_login_user" not in g
        assert getattr(g, "_flask_babel", None) is None
    assert hit.status_code == 200
    assert hit.headers["Content-Security-Policy"]  # the after-request hooks still ran
    assert hit.headers["Cache-Control"] == "private, no-cache"


def test_the_language_chosen_in_the_session_is_its_own_page(demo, make_app):
    cached = make_app(redis=True)
    count_builds(cached, "venues.index")
    english = cached.test_client()
    page = english.get("/venues/", headers={"Accept-Language": "en"})
    chosen = cached.test_client()
    with chosen.session_transaction() as session:
        session["lang"] = "zh_Hans"
    chinese = chosen.get("/venues/", headers={"Accept-Language": "en"})
    assert cached.view_calls["venues.index"] == 2
    assert chinese.headers["ETag"] != page.headers["ETag"]
    assert 'lang="zh' in chinese.get_data(as_text=True)
    assert 'lang="en' in page.get_data(as_text=True)
    # ... and each is then served from the cache.
    again = chosen.get("/venues/", headers={"Accept-Language": "en"})
    assert again.headers["ETag"] == chinese.headers["ETag"]
    assert cached.view_calls["venues.index"] == 2


def test_the_visitors_home_page_is_built_once_a_language_and_a_signed_in_home_never(
    demo, make_app, make_user
):
    cached = make_app(redis=True)
    count_builds(cached, "core.home")
    visitor = cached.test_client()
    first = visitor.get("/", headers={"Accept-Language": "en"})
    with statements(cached) as seen:
        again = cached.test_client().get("/", headers={"Accept-Language": "en"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert without_token(again.data) == without_token(first.data)
    assert b"Competitions and medals" in again.data
    assert seen == []
    assert cached.view_calls["core.home"] == 1
    chinese = cached.test_client().get("/", headers={"Accept-Language": "zh-CN"})
    assert "比赛与奖牌" in chinese.get_data(as_text=True)
    assert cached.view_calls["core.home"] == 2
    # A signed-in user's home page is their dashboard: built each time, never stored.
    coach = make_user("coach", display_name="Coach Wang")
    signed_in = cached.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"] = coach.get_id()
        session["_fresh"] = True
    mine = signed_in.get("/", headers={"Accept-Language": "en"})
    assert b"My dashboard" in mine.data and b"Coach Wang" in mine.data
    assert mine.headers["Cache-Control"] == "no-store"
    assert cached.view_calls["core.home"] == 3
    later = cached.test_client().get("/", headers={"Accept-Language": "en"})
    assert b"My dashboard" not in later.data
    assert cached.view_calls["core.home"] == 3


def test_a_static_page_has_no_topics_and_a_data_page_has_some():
    with pytest.raises(ValueError, match="missing"):
        page_cache.cache_page("venues.index")
    with pytest.raises(ValueError, match="medals"):
        page_cache.cache_page("core.home", "medals", static=True)
