"""Sunshine-home activities as calendar items (read-only on app.homes).

One item per weekly activity: a master VEVENT with the stored RRULE (UNTIL in UTC or COUNT,
never both: app.homes.recurrence writes it so), a cancelled occurrence as an EXDATE in the
same TZID, a moved one as a second VEVENT with the same UID, ``RECURRENCE-ID`` = its
original start and a higher SEQUENCE (app/calendars/ics.py). Exception rows left over from an
earlier rule (no longer a start of the rule) are ignored, as app.homes.recurrence does.

Public activities are filed under ``public``, ``home:<id>`` and ``venue:<id>``; every
activity under ``home-members:<id>``, which a personal feed includes for each home the user
(or a dependant) currently belongs to and each home the user staffs. An archived activity, or one of an archived home,
leaves the feeds as cancelled."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.calendars import sources
from app.calendars.ics import to_local_iso
from app.core import clock
from app.homes.enums import ActivityKind, ExceptionKind
from app.homes.models import Activity, ActivityException, Home, HomeStaff, Membership
from app.homes.recurrence import is_rule_start
from app.venues.models import Venue, VenueFeature


class ActivitySource(sources.Source):
    kind = "activity"
    watched = (Activity, ActivityException, Home, Venue, VenueFeature)

    def touched(self, session, obj, deleted):
        if isinstance(obj, Activity):
            return {(self.kind, obj.id)}, set()
        if isinstance(obj, ActivityException):
            return {(self.kind, obj.activity_id)}, set()
        if isinstance(obj, Home):
            ids = session.scalars(sa.select(Activity.id).where(Activity.home_id == obj.id))
            return {(self.kind, i) for i in ids}, set()
        if isinstance(obj, Venue | VenueFeature):
            venue_id = obj.id if isinstance(obj, Venue) else obj.venue_id
            moved = sa.select(ActivityException.activity_id).where(
                ActivityException.new_venue_id == venue_id
            )
            home_ids = sa.select(Home.id).where(Home.venue_id == venue_id)
            ids = session.scalars(
                sa.select(Activity.id).where(
                    sa.or_(
                        Activity.venue_id == venue_id,
                        Activity.id.in_(moved),
                        Activity.home_id.in_(home_ids),
                    )
                )
            )
            return {(self.kind, i) for i in ids}, set()
        return set(), set()

    def all_ids(self, session):
        return list(session.scalars(sa.select(Activity.id)))

    def page_url(self, source_id):
        from app.extensions import db

        home_id = db.session.scalar(sa.select(Activity.home_id).where(Activity.id == source_id))
        if home_id is None:
            return None
        return sources.first_url(
            (
                ("homes.activity", {"activity_id": source_id}),
                ("homes.activity_detail", {"activity_id": source_id}),
                ("homes.detail", {"home_id": home_id}),
                ("homes.show", {"home_id": home_id}),
                ("homes.index", {}),
            )
        )

    def personal_keys(self, session, person_ids):
        if not person_ids:
            return set()
        today = clock.today()
        homes = session.scalars(
            sa.select(Membership.home_id)
            .where(
                Membership.person_id.in_(person_ids),
                Membership.joined_on <= today + timedelta(days=365),
                sa.or_(Membership.left_on.is_(None), Membership.left_on >= today),
            )
            .distinct()
        )
        return {f"home-members:{home_id}" for home_id in homes}

    def user_keys(self, session, user_id):
        """Home staff get their homes' activities (members-only ones too) in their schedule."""
        homes = session.scalars(sa.select(HomeStaff.home_id).where(HomeStaff.user_id == user_id))
        return {f"home-members:{home_id}" for home_id in homes}

    def load(self, session, ids):
        activities = session.scalars(
            sa.select(Activity)
            .join(Home, Home.id == Activity.home_id)
            .where(
                Activity.id.in_(ids),
                Activity.is_archived.is_(False),
                Home.is_archived.is_(False),
            )
            .options(
                selectinload(Activity.home).options(sources.venue_options(Home.venue)),
                sources.venue_options(Activity.venue),
                selectinload(Activity.exceptions).options(
                    sources.venue_options(ActivityException.new_venue)
                ),
            )
        ).all()
        out = {}
        for activity in activities:
            home = activity.home
            venue = activity.venue or home.venue
            keys = {f"home-members:{home.id}"}
            if activity.is_public:
                keys |= {"public", f"home:{home.id}"}
                if venue is not None:
                    keys.add(f"venue:{venue.id}")
            exdates, overrides = [], []
            last_end = activity.series_end_at
            for exc in activity.exceptions:
                if not is_rule_start(activity.starts_at, activity.rrule, exc.original_start):
                    continue
                if ExceptionKind(exc.kind) == ExceptionKind.CANCELLED:
                    exdates.append(to_local_iso(exc.original_start))
                else:
                    moved_to = exc.new_venue or venue
                    override = {
                        "recurrence_id": to_local_iso(exc.original_start),
                        "start": to_local_iso(exc.new_start),
                        "end": to_local_iso(exc.new_end),
                    }
                    if exc.new_venue is not None:
                        override["location"] = {
                            lang: sources.venue_location(moved_to, lang) for lang in ("zh", "en")
                        }
                        override["geo"] = sources.venue_geo(moved_to)
                        # The new venue's accessibility too, not the planned venue's.
                        override["description"] = sources.per_language(
                            lambda lang, moved_to=moved_to, activity=activity, home=home: (
                                _description(activity, home, moved_to, lang)
                            )
                        )
                    overrides.append(override)
                    last_end = max(last_end, exc.new_end)

            def text(lang, activity=activity, home=home, venue=venue):
                return {
                    "summary": activity.title,
                    "location": sources.venue_location(venue, lang, home.address),
                    "description": _description(activity, home, venue, lang),
                }

            starts = activity.starts_at
            out[activity.id] = self.item(
                activity.id,
                sources.timed(starts, starts + activity.duration),
                days=(
                    clock.local_date(starts),
                    max(clock.local_date(last_end), clock.local_date(starts)),
                ),
                status="CONFIRMED",
                venue=venue,
                text=text,
                keys=keys,
                rrule=activity.rrule,
                exdates=sorted(exdates),
                overrides=sorted(overrides, key=lambda o: o["recurrence_id"]),
            )
        return out


def _description(activity, home, venue, lang: str) -> str:
    lines = [
        _("Home: %(name)s", name=home.name),
        _("Activity: %(kind)s", kind=str(ActivityKind(activity.kind).label)),
    ]
    if activity.description:
        lines.append(activity.description)
    lines += sources.venue_lines(venue, lang)
    return "\n".join(lines)


sources.register(ActivitySource())
