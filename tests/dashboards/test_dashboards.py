"""The home page's dashboards: each role's widgets (services without HTTP and the page), the
public page for visitors, and query counts that do not grow with the data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from app.core import clock
from app.dashboards import boards as dashboards


def now_utc():
    return clock.now()


def local_at(day, hour):
    """A Beijing wall-clock time on ``day`` as an aware UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=UTC) - timedelta(hours=8)


def page(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_visitors_get_the_public_home_page(client):
    html = page(client)
    assert "My dashboard" not in html
    for href in ('href="/competitions/"', 'href="/performances/"', 'href="/homes/"'):
        assert href in html
    assert 'href="/venues/"' in html and 'href="/calendar/"' in html
    assert html.count("<h1") == 1


# --- coach ------------------------------------------------------------------------------


@pytest.fixture
def coach_world(make_user, make_athlete, make_competition, make_event, enter):
    def build(athletes=1, competitions=1):
        coach = make_user("coach")
        today = clock.today()
        mine = [make_athlete(coaches=[coach]) for _ in range(athletes)]
        make_athlete()  # someone else's
        for n in range(competitions):
            coming = make_competition(name=f"Coming {n}", start_on=today + timedelta(days=10 + n))
            enter(make_event(coming), mine[0], result=False)
        past = make_competition(name="Past games", start_on=today - timedelta(days=20))
        started = make_event(
            past, name="Sprint", starts_at=now_utc() - timedelta(days=19), sport="archery"
        )
        for athlete in mine:
            enter(started, athlete, result=False)
        done = make_event(past, name="Done", starts_at=now_utc() - timedelta(days=18))
        enter(done, mine[0], medal="gold")
        return coach

    return build


def test_coach_widgets_exact(app, coach_world):
    coach = coach_world(athletes=2, competitions=2)
    board = dashboards.coach_board(coach, clock.today(), now_utc())
    assert board.athlete_count == 2
    assert [c.name for c in board.competitions] == ["Coming 0", "Coming 1"]
    assert [(e.name, n) for e, n in board.results_due] == [("Sprint", 2)]
    assert board.reviews == []


def test_coach_page_and_query_count(client, login_as, coach_world, count_queries):
    small = coach_world(athletes=1, competitions=1)
    login_as(user=small)
    with count_queries() as q_small:
        html = page(client)
    assert "Coaching" in html and "Results to enter" in html and "Sprint" in html
    assert "1 entry without a result" in html
    assert "Administration" not in html and "My next events" not in html
    large = coach_world(athletes=6, competitions=4)
    login_as(user=large)
    with count_queries() as q_large:
        html = page(client)
    assert "6 entries without a result" in html and "Coming 3" in html
    assert q_large.count == q_small.count


def test_a_coach_of_many_sees_the_first_ten_and_how_many(
    client, login_as, make_user, make_athlete, sports, count_queries
):
    from datetime import date

    from app.athletes import queries as athlete_queries
    from app.athletes import services

    coach = make_user("coach")
    today = clock.today()
    for n in range(12):
        athlete = make_athlete(
            coaches=[coach], person_fields={"name": f"运动员{n:02d}", "name_pinyin": f"yd{n:02d}"}
        )
        services.save_classification(
            athlete,
            sport_id=sports["archery"].id,
            class_code="W1",
            status="review_by_date",
            classified_on=date(2024, 5, 1),
            review_on=today + timedelta(days=30 - n),
        )
    db_all = athlete_queries.my_athletes(coach)
    board = dashboards.coach_board(coach, today, now_utc())
    assert board.athlete_count == 12
    assert [a.person.name for a in board.athletes] == [f"运动员{n:02d}" for n in range(10)]
    assert board.athletes == db_all[:10]
    # The soonest ten reviews: the athletes made last have the earliest dates.
    assert [r.athlete.person.name for r in board.reviews] == [
        f"运动员{n:02d}" for n in range(11, 1, -1)
    ]
    assert board.reviews == athlete_queries.reviews_due(coach, today)[:10]
    login_as(user=coach)
    html = page(client)
    assert "You coach 12 athletes." in html
    assert (
        "运动员09" in html and "运动员10" not in html.split("athletes-heading")[1].split("</ul>")[0]
    )


# --- organiser ----------------------------------------------------------------------------


@pytest.fixture
def organiser_world(make_performance, make_venue):
    def build(shows=1):
        today = clock.today()
        venue = make_venue()
        for n in range(shows):
            day = today + timedelta(days=3 + n)
            make_performance(local_at(day, 14), local_at(day, 16), venue=venue, title=f"Show {n}")
        other = make_venue()
        day = today + timedelta(days=3)
        make_performance(
            local_at(day, 15),
            local_at(day, 17),
            venue=venue,
            title="Squeezed in",
            override_reason="Second stage",
        )
        past = today - timedelta(days=2)
        make_performance(local_at(past, 10), local_at(past, 12), venue=other, title="Counted?")
        return venue

    return build


def test_organiser_widgets_exact(app, organiser, organiser_world):
    organiser_world(shows=2)
    board = dashboards.organiser_board(organiser, clock.today(), now_utc())
    assert [p.title for p in board.upcoming] == ["Show 0", "Squeezed in", "Show 1"]
    assert [(o.performance.title, o.reason) for o in board.overrides] == [
        ("Squeezed in", "Second stage")
    ]
    assert [p.title for p in board.awaiting_audience] == ["Counted?"]


def test_organiser_page_and_query_count(
    client, login_as, organiser, organiser_world, count_queries
):
    organiser_world(shows=1)
    login_as(user=organiser)
    with count_queries() as q_small:
        html = page(client)
    assert "Upcoming performances of my programmes" in html and "Second stage" in html
    assert "Counted?" in html
    organiser_world(shows=6)
    with count_queries() as q_large:
        html = page(client)
    assert "Show 5" in html
    assert q_large.count == q_small.count


def test_an_organiser_without_shows_reads_empty_states(client, login_as):
    login_as("organiser")
    html = page(client)
    assert "No performance of your programmes is coming up." in html
    assert "Every show that is over has its audience count." in html


# --- home staff ---------------------------------------------------------------------------


@pytest.fixture
def staff_world(make_home, make_activity, add_members, bulk_people):
    def build(user, homes=1, members=2):
        today = clock.today()
        for n in range(homes):
            home = make_home(staff=[user])
            add_members(home, bulk_people(members))
            make_activity(
                home,
                title=f"Today's class {n}",
                weekdays=(today.weekday(),),
                first_day=today - timedelta(days=14),
                until_on=today + timedelta(days=60),
                start=time(23, 0),
                end=time(23, 30),
            )

    return build


def test_staff_page_and_query_count(client, login_as, make_user, staff_world, count_queries):
    staff = make_user("home_staff")
    staff_world(staff, homes=1, members=2)
    login_as(user=staff)
    with count_queries() as q_small:
        html = page(client)
    assert "Today's activities" in html and "Today&#39;s class 0" in html
    assert "Not started" in html and "No member needs a call." in html
    # Straight to the roll-call from the home page (it led to the session page only).
    assert re.findall(
        r'href="(/homes/activities/\d+/sessions/\w+/roll-call)">Open the roll-call', html
    )
    staff_world(staff, homes=3, members=20)
    with count_queries() as q_large:
        html = page(client)
    assert html.count("Open the roll-call<span") == 4
    assert q_large.count == q_small.count


def test_staff_without_homes_is_told_so(client, login_as):
    login_as("home_staff")
    assert "You are not listed as staff of any home yet." in page(client)


# --- participant --------------------------------------------------------------------------


@pytest.fixture
def member_world(make_home, make_activity, add_members):
    def build(person_id, activities=1):
        tomorrow = clock.today() + timedelta(days=1)
        home = make_home()
        add_members(home, [person_id])
        for n in range(activities):
            make_activity(
                home,
                title=f"Club {n}",
                weekdays=(tomorrow.weekday(),),
                first_day=tomorrow,
                until_on=tomorrow + timedelta(days=60),
                start=time(9 + n % 8),
                end=time(10 + n % 8),
            )
        return home

    return build


def test_participant_next_events_from_the_calendar(app, make_person, make_user, member_world):
    person = make_person()
    user = make_user("participant", person_id=person.id)
    member_world(person.id, activities=2)
    tomorrow = clock.today() + timedelta(days=1)
    now_local = datetime.combine(clock.today(), time(0, 1))
    with app.test_request_context():
        events = dashboards.next_events(user, "en", now_local, limit=3)
    assert [(e.start, e.title) for e in events] == [
        (datetime.combine(tomorrow, time(9)), "Club 0"),
        (datetime.combine(tomorrow, time(10)), "Club 1"),
        (datetime.combine(tomorrow + timedelta(days=7), time(9)), "Club 0"),
    ]
    assert events[0].url.startswith("/calendar/go/activity/")


def test_participant_page_and_query_count(
    client, login_as, make_person, make_user, member_world, count_queries
):
    person = make_person()
    user = make_user("participant", person_id=person.id)
    login_as(user=user)
    empty = page(client)
    assert "Nothing is planned for you in the next 60 days." in empty
    assert 'href="/calendar/"' in empty and "Subscribe to my calendar" in empty
    member_world(person.id, activities=1)
    with count_queries() as q_small:
        html = page(client)
    assert "Club 0" in html
    member_world(person.id, activities=6)
    with count_queries() as q_large:
        html = page(client)
    assert "Club 5" in html
    assert q_large.count == q_small.count


def test_item_events_skip_exdates_and_follow_moves():
    fields = {
        "all_day": False,
        "start": "2026-12-07T09:00:00",
        "end": "2026-12-07T10:00:00",
        "rrule": "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T155959Z",
        "exdates": ["2026-12-14T09:00:00"],
        "overrides": [
            {
                "recurrence_id": "2026-12-21T09:00:00",
                "start": "2026-12-22T15:00:00",
                "end": "2026-12-22T16:00:00",
            }
        ],
        "status": "CONFIRMED",
        "url": "https://example.org/homes/activities/1",
        "text": {"en": {"summary": "Yoga", "location": "Hall"}},
    }
    events = dashboards._item_events(fields, "en", datetime(2026, 12, 1), datetime(2027, 1, 31))
    assert [e.start for e in events] == [
        datetime(2026, 12, 7, 9),
        datetime(2026, 12, 22, 15),
        datetime(2026, 12, 28, 9),
    ]
    assert {e.url for e in events} == {"/homes/activities/1"}
    assert (
        dashboards._item_events(
            {**fields, "status": "CANCELLED"}, "en", datetime(2026, 12, 1), datetime(2027, 1, 31)
        )
        == []
    )


# --- admin and several roles --------------------------------------------------------------


def test_admin_headline_exact_and_page(client, login_as, make_person, make_venue, count_queries):
    admin = login_as("admin")
    make_person()
    make_person()
    make_venue()
    figures = dashboards.headline(clock.today())
    assert (figures.people, figures.athletes, figures.venues, figures.users, figures.homes) == (
        2,
        0,
        1,
        1,
        0,
    )
    with count_queries() as q_small:
        html = page(client)
    assert "Headline figures" in html and "Recent changes" in html
    assert "Coaching" not in html  # an admin is not every coach
    for _ in range(5):
        make_person()
    with count_queries() as q_large:
        page(client)
    assert q_large.count == q_small.count <= 6
    assert dashboards.headline(clock.today()).people == 7
    assert admin.is_admin


def test_several_roles_see_each_roles_widgets(client, login_as):
    login_as("coach", "organiser", "participant")
    html = page(client)
    for heading in ("Coaching", "Upcoming performances of my programmes", "My next events"):
        assert heading in html
    assert "Administration" not in html


def test_dashboard_is_not_cached(client, login_as):
    login_as("coach")
    response = client.get("/")
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_a_member_to_contact_reads_as_one_chinese_sentence(app):
    """The home page's line joined its parts with half-width " (", "): " and "; "."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("zh_Hans"):
        line = render_template_string(
            '{{ _("%(name)s (%(home)s): %(why)s", name=n, home=h, why=w|join(_("; "))) }}',
            n="示例·冯浩华",
            h="锦屏街道阳光家园",
            w=["30 天未到场", "连续 3 次缺席"],
        )
    assert line == "示例·冯浩华（锦屏街道阳光家园）：30 天未到场；连续 3 次缺席"
