"""Performances as calendar items (read-only on app.performances).

A public performance that is confirmed or done (or has been cancelled) is filed under
``public``, ``programme:<id>``, ``troupe:<id>`` and
``venue:<id>``; every performance, public or not, under ``person:<id>`` of each register
person booked for it (performers and support people) and ``user:<id>`` of its programme's
organisers. Planned and postponed performances are TENTATIVE, cancelled ones CANCELLED.
The text names no person."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.calendars import sources
from app.core import clock
from app.performances.enums import PUBLIC_STATUSES, AccessNeed, PerformanceStatus
from app.performances.models import (
    Performance,
    PerformanceNeed,
    PerformancePerson,
    Programme,
    Troupe,
    programme_organisers,
)
from app.venues.models import Venue, VenueFeature

STATUS = {
    PerformanceStatus.PLANNED: "TENTATIVE",
    PerformanceStatus.POSTPONED: "TENTATIVE",
    PerformanceStatus.CONFIRMED: "CONFIRMED",
    PerformanceStatus.DONE: "CONFIRMED",
    PerformanceStatus.CANCELLED: "CANCELLED",
}


class PerformanceSource(sources.Source):
    kind = "performance"
    watched = (
        Performance,
        PerformancePerson,
        PerformanceNeed,
        Programme,
        Troupe,
        Venue,
        VenueFeature,
    )

    def touched(self, session, obj, deleted):
        if isinstance(obj, Performance):
            return {(self.kind, obj.id)}, set()
        if isinstance(obj, PerformancePerson | PerformanceNeed):
            return {(self.kind, obj.performance_id)}, set()
        if isinstance(obj, Programme | Troupe):
            column = (
                Performance.programme_id if isinstance(obj, Programme) else Performance.troupe_id
            )
            ids = session.scalars(sa.select(Performance.id).where(column == obj.id))
            return {(self.kind, i) for i in ids}, set()
        if isinstance(obj, Venue | VenueFeature):
            venue_id = obj.id if isinstance(obj, Venue) else obj.venue_id
            ids = session.scalars(sa.select(Performance.id).where(Performance.venue_id == venue_id))
            return {(self.kind, i) for i in ids}, set()
        return set(), set()

    def all_ids(self, session):
        return list(session.scalars(sa.select(Performance.id)))

    def page_url(self, source_id):
        return sources.first_url(
            (
                ("performances.detail", {"performance_id": source_id}),
                ("performances.show", {"performance_id": source_id}),
                ("performances.index", {}),
            )
        )

    def load(self, session, ids):
        performances = session.scalars(
            sa.select(Performance)
            .where(Performance.id.in_(ids))
            .options(
                selectinload(Performance.programme),
                selectinload(Performance.troupe),
                selectinload(Performance.need_rows),
                sources.venue_options(Performance.venue),
            )
        ).all()
        booked: dict[int, set[str]] = {}
        for performance_id, person_id in session.execute(
            sa.select(PerformancePerson.performance_id, PerformancePerson.person_id).where(
                PerformancePerson.performance_id.in_(ids),
                PerformancePerson.person_id.is_not(None),
            )
        ):
            booked.setdefault(performance_id, set()).add(f"person:{person_id}")
        programme_ids = {p.programme_id for p in performances}
        organisers: dict[int, set[str]] = {}
        if programme_ids:
            for programme_id, user_id in session.execute(
                sa.select(
                    programme_organisers.c.programme_id, programme_organisers.c.user_id
                ).where(programme_organisers.c.programme_id.in_(programme_ids))
            ):
                organisers.setdefault(programme_id, set()).add(f"user:{user_id}")
        out = {}
        for performance in performances:
            venue = performance.venue
            keys = booked.get(performance.id, set()) | organisers.get(
                performance.programme_id, set()
            )
            # The public feeds carry what the public pages show (public, confirmed or done),
            # and a cancellation of such a show, so subscribers see it called off.
            published = PerformanceStatus(performance.status) in (
                *PUBLIC_STATUSES,
                PerformanceStatus.CANCELLED,
            )
            if performance.is_public and published:
                keys |= {"public", f"programme:{performance.programme_id}", f"venue:{venue.id}"}
                if performance.troupe_id is not None:
                    keys.add(f"troupe:{performance.troupe_id}")

            def text(lang, performance=performance, venue=venue):
                joiner = "、" if lang == "zh" else ", "
                lines = [_("Programme: %(name)s", name=performance.programme.name)]
                if performance.troupe is not None:
                    lines.append(_("Troupe: %(name)s", name=performance.troupe.name))
                lines.append(
                    _("Status: %(status)s", status=str(PerformanceStatus(performance.status).label))
                )
                needs = performance.needs
                if needs:
                    labels = joiner.join(str(n.label) for n in needs)
                    lines.append(_("This performance offers: %(needs)s", needs=labels))
                interpretation = (
                    str(AccessNeed.SIGN_LANGUAGE.label)
                    if AccessNeed.SIGN_LANGUAGE in performance.need_set
                    else None
                )
                lines += sources.venue_lines(venue, lang, interpretation)
                return {
                    "summary": performance.title,
                    "location": sources.venue_location(venue, lang),
                    "description": "\n".join(lines),
                }

            starts, ends = performance.starts_at, performance.ends_at
            status = STATUS[PerformanceStatus(performance.status)]
            out[performance.id] = self.item(
                performance.id,
                sources.timed(starts, ends),
                days=(
                    clock.local_date(starts),
                    max(clock.local_date(ends), clock.local_date(starts)),
                ),
                status=status,
                venue=venue,
                text=text,
                keys=keys,
            )
        return out


sources.register(PerformanceSource())
