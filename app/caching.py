"""What the public page cache serves and what moves it (top layer: reads every domain).

``WATCH``: which data-version topics (app/core/versions.py) each model's rows feed; every
commit that adds, changes or deletes such a row gives those topics a new version in the same
transaction. ``PAGES``: the public endpoints served from the cache (app/core/page_cache.py)
with the topics their pages show; ``STATIC_PAGES``: public pages that show no data.
Endpoints are named, not imported, so views may move between modules. A new public page that
should be cached gets a line in ``PAGES``; a new model shown on a cached page gets a line in
``WATCH`` (tests/core/test_versions.py checks every listed endpoint exists)."""

from __future__ import annotations

from flask import Flask

from app.accounts.models import User, UserRole
from app.athletes.models import AthleteProfile, Classification, Sport, StageChange
from app.calendars.models import CalendarFeedMark, CalendarItem, CalendarItemFeed
from app.competitions.models import Competition, CompetitionEvent, Entry, EntrySupport, Result
from app.core import page_cache, versions
from app.core.reference import Town
from app.core.versions import (
    AGENDA,
    CALENDAR,
    HOMES_STATS,
    LIVE,
    MEDALS,
    REFERENCE,
    REPORT,
    STATISTICS,
    VENUES,
)
from app.homes import aggregates
from app.homes.models import (
    Activity,
    ActivityException,
    Attendance,
    AttendanceDay,
    Home,
    HomeService,
    Membership,
    MembershipService,
)
from app.people.models import Consent, Person
from app.performances.models import (
    Performance,
    PerformanceNeed,
    PerformancePerson,
    PerformanceReschedule,
    Programme,
    Troupe,
    TroupeMember,
)
from app.venues.models import Venue, VenueFeature

WATCH = {
    Town: (VENUES, AGENDA, STATISTICS, HOMES_STATS, REPORT, REFERENCE),
    # The forms' lists of coaches (app/core/choices.py).
    User: (REFERENCE,),
    UserRole: (REFERENCE,),
    # Names and publication consent decide what the medal table and results show.
    Person: (MEDALS, LIVE, STATISTICS, HOMES_STATS, REPORT),
    Consent: (MEDALS, LIVE, STATISTICS, HOMES_STATS, REPORT),
    Sport: (MEDALS, LIVE, REPORT, REFERENCE),
    AthleteProfile: (MEDALS, LIVE, REPORT),
    StageChange: (REPORT,),
    Classification: (REPORT,),
    Competition: (MEDALS, LIVE, AGENDA, REPORT),
    CompetitionEvent: (MEDALS, LIVE, AGENDA, REPORT),
    Entry: (MEDALS, LIVE, REPORT),
    EntrySupport: (LIVE,),
    Result: (MEDALS, LIVE, REPORT),
    Programme: (AGENDA, STATISTICS, REPORT),
    Troupe: (AGENDA, STATISTICS, REPORT),
    TroupeMember: (STATISTICS, REPORT),
    Performance: (AGENDA, STATISTICS, REPORT),
    PerformancePerson: (AGENDA, STATISTICS, REPORT),
    PerformanceNeed: (AGENDA,),
    PerformanceReschedule: (AGENDA, STATISTICS, REPORT),
    Venue: (VENUES, AGENDA, LIVE, STATISTICS, REPORT),
    VenueFeature: (VENUES, AGENDA),
    Home: (HOMES_STATS, AGENDA, REPORT),
    HomeService: (HOMES_STATS, REPORT),
    Membership: (HOMES_STATS, REPORT),
    MembershipService: (HOMES_STATS, REPORT),
    Activity: (HOMES_STATS, AGENDA, REPORT),
    ActivityException: (HOMES_STATS, AGENDA, REPORT),
    Attendance: (HOMES_STATS, REPORT),
    AttendanceDay: (HOMES_STATS, REPORT),
    # The public feed is built from the calendar items the calendar sync keeps.
    CalendarItem: (CALENDAR,),
    CalendarItemFeed: (CALENDAR,),
    CalendarFeedMark: (CALENDAR,),
}

PAGES = {
    "competitions.index": (MEDALS,),  # the medal table
    "competitions.detail": (LIVE,),  # a competition's events and results
    "api.medals": (MEDALS,),
    "reports.index": (REPORT,),
    "api.report": (REPORT,),
    "performances.index": (AGENDA,),
    "performances.statistics": (STATISTICS,),
    "api.performances_summary": (STATISTICS,),
    "api.schedule_view": (AGENDA,),
    "venues.index": (VENUES,),
    "api.venues": (VENUES,),
    "homes.statistics": (HOMES_STATS,),
    "api.homes_summary": (HOMES_STATS,),
    "calendars.public_ics": (CALENDAR,),
}
# Pages that show no data: one per language and day (the visitors' home page; a signed-in
# user's home page, the dashboard, is never cached).
STATIC_PAGES = ("core.home",)


def register(app: Flask) -> None:
    # The commit hooks' order is explicit (app/core/commit_hooks.py): the aggregates' (30)
    # runs before the versions' (90), so the versions see the aggregate rows it writes.
    aggregates.listen()
    for model, topics in WATCH.items():
        versions.watch(model, *topics)
    for endpoint, topics in PAGES.items():
        page_cache.cache_page(endpoint, *topics)
    for endpoint in STATIC_PAGES:
        page_cache.cache_page(endpoint, static=True)
    page_cache.register(app)
