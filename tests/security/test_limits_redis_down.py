"""Adversary: with Redis unreachable (RATELIMIT_STORAGE_URI at a closed port), the limits
other than sign-in — the current-password check on /account and photo uploads — still answer
and still limit: never a 500 (issue 13 items 6, 11 and 15)."""

from __future__ import annotations

import io

from PIL import Image

from tests.performances.conftest import make_performance, make_programme, organiser  # noqa: F401
from tests.security.test_limits import make_app  # noqa: F401

DOWN = "redis://127.0.0.1:1/0"  # nothing listens there


def _signed_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def test_password_check_on_account_with_redis_down(make_app, make_user):  # noqa: F811
    down = make_app(RATELIMIT_STORAGE_URI=DOWN)
    client = _signed_in(down, make_user("coach", username="coach-down"))
    wrong = {
        "pw-current_password": "not-my-password",
        "pw-password": "lanterns drift upriver",
        "pw-password_confirm": "lanterns drift upriver",
    }
    statuses = [client.post("/account", data=wrong).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    assert client.post("/account", data={"prefs-language": "en"}).status_code == 303


def test_photo_uploads_with_redis_down(
    make_app,  # noqa: F811
    organiser,  # noqa: F811
    make_performance,  # noqa: F811
    tmp_path,
):
    down = make_app(
        RATELIMIT_STORAGE_URI=DOWN,
        RATELIMIT_PHOTO_UPLOAD="2 per hour",
        PERFORMANCE_PHOTO_FOLDER=str(tmp_path),
    )
    performance = make_performance()
    client = _signed_in(down, organiser)

    def png() -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (20, 10), "green").save(out, "PNG")
        return out.getvalue()

    url = f"/performances/{performance.id}/photos"
    statuses = [
        client.post(
            url, data={"photo": (io.BytesIO(png()), "a.png"), "alt_text": "Stage"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [303, 303, 429]
