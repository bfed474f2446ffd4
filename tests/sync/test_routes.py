"""The sync endpoints over HTTP (issue 18 item 4), the manifest, the worker and the
offline headers (items 1 and 3)."""

from __future__ import annotations

import io
import json
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from app.extensions import db
from app.homes.models import Attendance
from tests.sync.conftest import KEY

PROBLEM = "application/problem+json"


@pytest.fixture
def csrf_on(app):
    saved = app.config.get("WTF_CSRF_ENABLED")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = saved


def body(activity, person_id, cid="route-000001"):
    return {
        "marks": [
            {
                "client_id": cid,
                "activity_id": activity.id,
                "occurrence": KEY,
                "person_id": person_id,
                "status": "present",
                "made_at": "2026-11-30T01:30:00Z",
                "based_on": "",
            }
        ]
    }


def post(client, url, payload, token=None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(
        url, data=json.dumps(payload), content_type="application/json", headers=headers
    )


def count_marks():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attendance))


def test_a_mark_with_the_token_in_the_header_is_saved(client, login_as, sheet, csrf_on):
    login_as(user=sheet["staff"])
    token = client.get("/sync/token").get_json()["csrf_token"]
    response = post(client, "/sync/roll-call", body(sheet["activity"], sheet["people"][0]), token)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    answer = response.get_json()
    assert [r["outcome"] for r in answer["results"]] == ["applied"]
    assert answer["superseded"] == []
    assert count_marks() == 1


def test_without_the_token_the_mark_is_refused_as_a_problem(client, login_as, sheet, csrf_on):
    login_as(user=sheet["staff"])
    response = post(client, "/sync/roll-call", body(sheet["activity"], sheet["people"][0]))
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "The security token is missing or expired. Reload the page.",
    }
    assert count_marks() == 0


def test_another_homes_staff_get_a_403_problem(client, login_as, sheet, make_user):
    login_as("home_staff")
    response = post(client, "/sync/roll-call", body(sheet["activity"], sheet["people"][0]))
    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    assert response.get_json()["detail"] == "You may not take the roll-call of this session."
    assert count_marks() == 0


def test_a_coach_cannot_post_roll_call_marks(client, login_as, sheet):
    login_as("coach")
    response = post(client, "/sync/roll-call", body(sheet["activity"], sheet["people"][0]))
    assert (response.status_code, response.mimetype) == (403, PROBLEM)


def test_anonymous_gets_a_401_problem(client, sheet):
    response = post(client, "/sync/roll-call", body(sheet["activity"], sheet["people"][0]))
    assert (response.status_code, response.mimetype) == (401, PROBLEM)
    assert response.get_json()["detail"] == "Sign in again to send your marks."


def test_too_big_a_batch_is_a_413_problem(client, login_as, sheet):
    login_as(user=sheet["staff"])
    mark = body(sheet["activity"], sheet["people"][0])["marks"][0]
    marks = [{**mark, "client_id": f"bulk-{n:08d}"} for n in range(201)]
    response = post(client, "/sync/roll-call", {"marks": marks})
    assert (response.status_code, response.mimetype) == (413, PROBLEM)
    assert response.get_json()["status"] == 413
    assert count_marks() == 0


def test_not_json_is_a_400_problem(client, login_as, sheet):
    login_as(user=sheet["staff"])
    response = client.post("/sync/roll-call", data="status=present")
    assert (response.status_code, response.mimetype) == (400, PROBLEM)


def test_results_sync_refuses_a_coach_of_other_athletes(client, login_as, screen):
    login_as("coach")
    response = post(
        client,
        "/sync/results",
        {
            "marks": [
                {
                    "client_id": "result-route1",
                    "entry_id": screen["blank"].id,
                    "version": "",
                    "values": {"rank": "1"},
                    "made_at": "2026-11-30T01:30:00Z",
                }
            ]
        },
    )
    assert (response.status_code, response.mimetype) == (403, PROBLEM)


def test_results_sync_saves_for_the_athletes_coach(client, login_as, screen):
    login_as(user=screen["coach"])
    response = post(
        client,
        "/sync/results",
        {
            "marks": [
                {
                    "client_id": "result-route2",
                    "entry_id": screen["blank"].id,
                    "version": "",
                    "values": {"rank": "4", "mark": "600"},
                    "made_at": "2026-11-30T01:30:00Z",
                }
            ]
        },
    )
    assert response.status_code == 200
    assert response.get_json()["results"][0]["saved"]["mark"] == "600"


def test_manifest_and_worker(client, app):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json(force=True)
    assert (data["name"], data["short_name"], data["start_url"], data["theme_color"]) == (
        "融合 Ronghe",
        "融合",
        "/",
        "#7a1f1f",
    )
    # Separate "any" and "maskable" entries (one "any maskable" entry is discouraged), each
    # at 192 and 512 px, each a PNG of its stated size.
    assert [(i["purpose"], i["sizes"]) for i in data["icons"]] == [
        ("any", "192x192"),
        ("any", "512x512"),
        ("maskable", "192x192"),
        ("maskable", "512x512"),
    ]
    assert len({i["src"] for i in data["icons"]}) == 4
    for icon in data["icons"]:
        response = client.get(icon["src"])
        assert (response.status_code, response.mimetype) == (200, "image/png")
        with Image.open(io.BytesIO(response.get_data())) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        response.close()
    worker = client.get("/sw.js")
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    text = worker.get_data(as_text=True)
    version = app.extensions["static_hash"]
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'var VERSION = "{version}";' in text
    assert '"/static/js/offline.js"' in text and '"/offline"' in text
    app.config["RELEASE_VERSION"] = "next-release"
    try:
        assert 'var VERSION = "next-release";' in client.get("/sw.js").get_data(as_text=True)
    finally:
        app.config["RELEASE_VERSION"] = None
    offline = client.get("/offline", headers={"Accept-Language": "en"})
    assert offline.status_code == 200
    assert "<h1>You are offline</h1>" in offline.get_data(as_text=True)


def test_the_offline_page_names_nobody(client, login_as):
    user = login_as("home_staff", display_name="Offline Tester")
    assert user.display_name in client.get("/").get_data(as_text=True)
    html = client.get("/offline").get_data(as_text=True)
    assert user.display_name not in html
    assert "/logout" not in html


def test_the_page_links_the_manifest(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-sw-url="/sw.js"' in html


def test_todays_roll_call_may_be_kept_offline_a_later_one_not(client, login_as, sheet):
    login_as(user=sheet["staff"])
    activity = sheet["activity"]
    today = client.get(f"/homes/activities/{activity.id}/sessions/{KEY}/roll-call")
    assert today.status_code == 200
    assert today.headers["X-Offline-Cache"] == "keep"
    assert 'data-sync-url="/sync/roll-call"' in today.get_data(as_text=True)
    next_week = client.get(f"/homes/activities/{activity.id}/sessions/20261207T010000Z/roll-call")
    assert next_week.status_code == 200
    assert "X-Offline-Cache" not in next_week.headers
    assert "X-Offline-Cache" not in client.get("/homes/dashboard").headers


def test_sign_out_clears_the_site_data(client, login_as):
    login_as("home_staff")
    response = client.post("/logout")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_the_sign_out_question_has_a_sentence_for_one_mark_and_one_for_more(client, login_as):
    """The dialog's heading and sentence come in both forms (offline.js picks by the count)."""
    login_as("home_staff")
    html = client.get("/").get_data(as_text=True)
    template = html[html.index("<template data-sign-out-ask>") : html.index("</template>")]
    forms = re.findall(r'data-msg-(one|other)="([^"]*)"', template)
    kept = "kept on this phone and sent when the connection returns, as long as you stay signed in."
    assert forms == [
        ("one", "{n} mark not sent yet"),
        ("other", "{n} marks not sent yet"),
        ("one", f"It is {kept} Signing out now discards it."),
        ("other", f"They are {kept} Signing out now discards them."),
    ]


def test_a_client_id_taken_by_a_racing_request_is_answered_as_a_duplicate(
    client, login_as, sheet, monkeypatch
):
    """Two requests with the same mark at once: the second one's look-up missed the first's
    client id, its flush meets the unique constraint, and the route runs it again."""
    from app.sync import services

    login_as(user=sheet["staff"])
    payload = body(sheet["activity"], sheet["people"][0], cid="race-0000001")
    assert post(client, "/sync/roll-call", payload).status_code == 200
    real_lookup = services._client_marks
    calls = []

    def blind_once(ids, user):
        ids = list(ids)
        calls.append(ids)
        known, untold = real_lookup(ids, user)
        return ({} if len(calls) == 1 else known), untold

    monkeypatch.setattr(services, "_client_marks", blind_once)
    response = post(client, "/sync/roll-call", payload)
    assert response.status_code == 200
    assert response.get_json()["results"] == [
        {"client_id": "race-0000001", "outcome": "applied", "duplicate": True}
    ]
    assert len(calls) == 2
    assert count_marks() == 1


def test_the_results_screen_saves_in_place_only_while_results_are_provisional(
    client, login_as, screen
):
    """After publishing, a change is a correction that needs its reason: the screen is then an
    ordinary form (the reason box goes with the save), not a row-by-row in-place save."""
    from app.competitions.official import publish_results

    login_as("admin")
    url = f"/competitions/events/{screen['event'].id}/results"
    assert "data-in-place" in client.get(url).get_data(as_text=True)
    publish_results(screen["event"], actor=None)
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "data-in-place" not in html
    assert "Reason for the correction" in html


def test_one_mark_saved_in_place_runs_eleven_statements(client, login_as, sheet, count_queries):
    """One in-place mark (issue 18's speed item; it ran 18): the user with their roles, the
    client ids and untold marks (one query), the session with the staff check, the member and
    their saved mark, the upsert, one audit row, the client-id row, then at commit the day's
    count (read, delete, insert) and the page-cache versions. A mark that changes nothing
    stops after the reads and its client-id row."""
    activity, person = sheet["activity"], sheet["people"][0]
    login_as(user=sheet["staff"])
    first_mark = body(activity, person, cid="count-000001")
    db.session.expire_all()
    with count_queries() as first:
        response = post(client, "/sync/roll-call", first_mark)
    assert response.get_json()["results"][0]["outcome"] == "applied"
    # PostgreSQL adds one: the advisory lock the day's count takes (app/homes/aggregates.py).
    expected = {"sqlite": 11, "postgresql": 12}[db.engine.dialect.name]
    assert first.count == expected, first.statements

    changed = body(activity, person, cid="count-000002")
    changed["marks"][0].update(status="absent", reason="ill", made_at="2026-11-30T01:35:00Z")
    db.session.expire_all()
    with count_queries() as second:
        post(client, "/sync/roll-call", changed)
    assert second.count == expected, second.statements

    same = body(activity, person, cid="count-000003")
    same["marks"][0].update(status="absent", reason="ill", made_at="2026-11-30T01:36:00Z")
    db.session.expire_all()
    with count_queries() as third:
        assert post(client, "/sync/roll-call", same).status_code == 200
    assert third.count == 5, third.statements


def test_the_maskable_icons_keep_their_mark_inside_the_safe_circle(client):
    """A launcher may mask a maskable icon down to the circle of 40 % of its size about the
    centre: every pixel that is not the background lies inside it; the "any" icons fill more
    of the square."""
    icons = client.get("/manifest.webmanifest").get_json(force=True)["icons"]

    def farthest(src):
        response = client.get(src)
        data = response.get_data()
        response.close()
        with Image.open(io.BytesIO(data)) as image:
            rgb = image.convert("RGB")
            size = rgb.width
            background = rgb.getpixel((0, 0))
            centre = (size - 1) / 2
            return max(
                ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5 / size
                for x in range(size)
                for y in range(size)
                if rgb.getpixel((x, y)) != background
            )

    reach = {(i["purpose"], i["sizes"]): farthest(i["src"]) for i in icons}
    for size in ("192x192", "512x512"):
        assert reach["maskable", size] < 0.40
        assert reach["any", size] > reach["maskable", size]


def test_before_the_events_day_the_screen_has_no_boxes_and_the_sync_refuses_the_row(
    client, login_as, make_user, make_competition, make_event, make_athlete, enter
):
    """The results screen of an event whose Beijing day has not come says from which day and
    shows no box, no save button and no in-place saving (the rows are inert <template>s a copy
    kept offline opens on the day); a row queued on an older copy of the page is answered at
    the row (200, "invalid", the sentence), not refused as a batch."""
    from datetime import date

    coach = make_user("coach")
    early = make_event(make_competition(start_on=date(2026, 12, 3)))
    today = make_event(make_competition(start_on=date(2026, 11, 30)))
    entry = enter(early, make_athlete(coaches=[coach]), result=False)
    enter(today, make_athlete(coaches=[coach]), result=False)
    login_as(user=coach)
    sentence = "This event has not taken place yet: results can be entered from Dec 3, 2026."

    def screen_of(event):
        """What shows, and the dates of the inert rows a copy kept offline opens on the day."""
        html = client.get(f"/competitions/events/{event.id}/results").get_data(as_text=True)
        inert = re.findall(
            r'<template data-results-open-on="(.*?)" data-rendered-on="(.*?)">', html
        )
        shown = re.sub(r"<template data-results-open-on.*?</template>", "", html, flags=re.S)
        return (
            shown.count(sentence),
            shown.count("<fieldset"),
            shown.count('name="rank-'),
            shown.count("Save results"),
            shown.count("data-in-place"),
            inert,
        )

    assert screen_of(early) == (1, 0, 0, 0, 0, [("2026-12-03", "2026-11-30")] * 2)
    assert screen_of(today) == (0, 1, 1, 1, 1, [])
    mark = {"client_id": "result-early", "entry_id": entry.id, "version": "",
            "values": {"rank": "1"}, "made_at": "2026-11-30T01:30:00Z"}  # fmt: skip
    response = post(client, "/sync/results", {"marks": [mark]})
    assert (response.status_code, response.get_json()["results"]) == (
        200,
        [{"client_id": "result-early", "outcome": "invalid", "message": sentence}],
    )
