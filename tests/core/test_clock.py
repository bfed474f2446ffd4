"""The one clock: Beijing's day at the edges of the UTC day, freezing, and a guard that keeps
every other module from reading the machine's clock or naming the zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.core import clock
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]

# (instant in UTC, Beijing's date then)
EDGES = [
    pytest.param(datetime(2026, 12, 6, 23, 40, tzinfo=UTC), date(2026, 12, 7), id="23:40Z"),
    pytest.param(datetime(2026, 12, 31, 16, 20, tzinfo=UTC), date(2027, 1, 1), id="new-year"),
    pytest.param(datetime(2026, 12, 6, 16, 0, tzinfo=UTC), date(2026, 12, 7), id="first-minute"),
    pytest.param(datetime(2026, 12, 7, 15, 59, tzinfo=UTC), date(2026, 12, 7), id="last-minute"),
]


@pytest.mark.parametrize(("instant", "beijing_day"), EDGES)
def test_today_is_beijings_day(instant, beijing_day):
    with clock.freeze(instant):
        assert clock.now() == instant
        assert clock.today() == beijing_day
        assert clock.local_date(instant) == beijing_day
        assert (
            clock.local_instant(beijing_day)
            <= instant
            < clock.local_instant(beijing_day + timedelta(days=1))
        )


def test_local_instant_and_back():
    instant = clock.local_instant(date(2027, 1, 1), time(0, 30))
    assert instant == datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    assert clock.to_local(instant).strftime("%Y-%m-%d %H:%M %z") == "2027-01-01 00:30 +0800"


def test_the_zone_comes_from_configuration(app):
    assert clock.zone_name() == "Asia/Shanghai"
    app.config["RONGHE_TIMEZONE"] = "Europe/Berlin"
    try:
        with clock.freeze(datetime(2026, 12, 6, 23, 40, tzinfo=UTC)):
            assert clock.today() == date(2026, 12, 7)  # 00:40 in Berlin
        with clock.freeze(datetime(2026, 12, 6, 22, 40, tzinfo=UTC)):
            assert clock.today() == date(2026, 12, 6)  # 23:40 in Berlin, 06:40 in Beijing
    finally:
        app.config["RONGHE_TIMEZONE"] = "Asia/Shanghai"


def test_freeze_stands_still_ticks_and_nests():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with clock.freeze(start) as frozen:
        assert clock.now() == clock.now() == start
        frozen.advance(timedelta(minutes=5))
        assert clock.now() == start + timedelta(minutes=5)
        with clock.freeze(datetime(2030, 1, 1, tzinfo=UTC)):
            assert clock.today() == date(2030, 1, 1)
        assert clock.now() == start + timedelta(minutes=5)
    with clock.freeze(start, tick=True):
        assert start <= clock.now() < start + timedelta(seconds=5)
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 1, 1)).__enter__()


def test_the_suite_runs_on_its_own_date(frozen_clock):
    from tests.conftest import SUITE_NOW

    assert SUITE_NOW <= clock.now() < SUITE_NOW + timedelta(minutes=1)
    assert clock.today() == date(2026, 11, 30)


# --- the guard ---------------------------------------------------------------------------

# Reading the machine's clock or naming the zone outside app/core/clock.py.
FORBIDDEN = re.compile(
    r"date\.today\(|datetime\.now\(|datetime\.utcnow\(|\butcnow\(|time\.localtime\(|"
    r"time\.gmtime\(|ZoneInfo\(|Asia/Shanghai|[\"']RONGHE_TIMEZONE[\"']|local_today\("
)
# Tests may name the zone (they check what the app writes) but never read the machine's date.
FORBIDDEN_IN_TESTS = re.compile(r"date\.today\(|datetime\.now\(|datetime\.utcnow\(")


def _offenders(folder: str, pattern: re.Pattern, allowed: set[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_only_the_clock_reads_the_time_or_names_the_zone():
    allowed = {"app/core/clock.py"}
    assert _offenders("app", FORBIDDEN, allowed) == []
    assert _offenders("bench", FORBIDDEN, allowed) == []


def test_no_test_reads_the_machines_date():
    assert _offenders("tests", FORBIDDEN_IN_TESTS, {"tests/core/test_clock.py"}) == []


# --- a person's task at the edges of the day ----------------------------------------------


@pytest.mark.parametrize(("instant", "beijing_day"), EDGES)
def test_a_consent_given_today_is_accepted_at_any_hour(
    client, login_as, make_person, frozen_clock, instant, beijing_day
):
    """An admin records a consent given "today" (the form's own prefill) at any hour."""
    from app.people.models import Consent

    login_as("admin")
    person = make_person()
    frozen_clock.set(instant)
    page = client.get(f"/people/{person.id}/consents/new").get_data(as_text=True)
    shown = {
        part: re.search(rf'name="given_on-{part}"\s+value="(\d+)"', page).group(1)
        for part in ("year", "month", "day")
    }
    assert shown == {
        "year": str(beijing_day.year),
        "month": str(beijing_day.month),
        "day": str(beijing_day.day),
    }
    response = client.post(
        f"/people/{person.id}/consents/new",
        data={
            "kind": "publication",
            "given_on-year": str(beijing_day.year),
            "given_on-month": str(beijing_day.month),
            "given_on-day": str(beijing_day.day),
            "given_by": "self",
            "guardian_name": "",
            "notice_version": "2026-1",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    consent = db.session.scalars(
        db.select(Consent).where(Consent.person_id == person.id, Consent.kind == "publication")
    ).one()
    assert consent.given_on == beijing_day


@pytest.mark.parametrize(("instant", "beijing_day"), EDGES)
def test_tomorrow_in_beijing_is_refused_as_the_future(
    client, login_as, make_person, frozen_clock, instant, beijing_day
):
    login_as("admin")
    person = make_person()
    frozen_clock.set(instant)
    tomorrow = beijing_day + timedelta(days=1)
    response = client.post(
        f"/people/{person.id}/consents/new",
        data={
            "kind": "publication",
            "given_on-year": str(tomorrow.year),
            "given_on-month": str(tomorrow.month),
            "given_on-day": str(tomorrow.day),
            "given_by": "self",
            "guardian_name": "",
            "notice_version": "2026-1",
        },
    )
    assert response.status_code == 422
    assert "The date must not be in the future." in response.get_data(as_text=True)
