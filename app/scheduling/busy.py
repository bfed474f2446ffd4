"""One "busy" query across every kind of booking: performances, competition events and
sunshine-home activity occurrences.

Each domain registers a *source*: a function that, for a time window and sets of venue and
person ids, returns the ``Booking`` objects of that kind overlapping the window which use one
of those venues or people. A source runs a bounded number of queries (an indexed interval
query, never a loop over every booking), and leaves out cancelled bookings.

``find_clashes`` asks every source once. Two intervals clash when each starts before the
other ends: touching intervals (one ends at 10:00, the next starts at 10:00) do not."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Booking:
    kind: str  # "performance", "competition_event", "activity", ...
    id: int  # the record's id (for an activity occurrence: the activity's id)
    title: str
    start: datetime  # aware (UTC)
    end: datetime  # aware (UTC), after start
    url: str  # the page that shows it (for the clash link)
    venue_id: int | None = None
    person_ids: frozenset[int] = field(default_factory=frozenset)  # Person ids it occupies
    occurrence: datetime | None = None  # an activity occurrence's original start

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


# start, end, venue ids, person ids -> bookings of one kind overlapping [start, end)
Source = Callable[[datetime, datetime, frozenset[int], frozenset[int]], Iterable[Booking]]

SOURCES: dict[str, Source] = {}


def register_source(kind: str, source: Source) -> Source:
    SOURCES[kind] = source
    return source


# The advisory lock key spaces (pg_advisory_xact_lock(kind, id)): "VE" and "PE".
VENUE_LOCK, PERSON_LOCK = 0x5645, 0x5045


def lock_bookings(*, venue_ids: Iterable[int] = (), person_ids: Iterable[int] = ()) -> None:
    """Serialise bookings of the same venues and people: call it in the saving transaction
    before ``find_clashes``. On PostgreSQL it takes an advisory transaction lock per venue and
    per person (released at commit or rollback), in one order — venues then people, by id —
    so two savers never deadlock; a second save of the same venue or person waits until the
    first commits, and its clash check then sees the first's booking (issue 13 item 9). One
    statement whatever the number of ids. Elsewhere (SQLite) nothing to do: the database has
    a single writer."""
    from app.core.db import advisory_xact_locks

    keys = [(VENUE_LOCK, i) for i in sorted({v for v in venue_ids if v is not None})]
    keys += [(PERSON_LOCK, i) for i in sorted({p for p in person_ids if p is not None})]
    advisory_xact_locks(keys)


@dataclass(frozen=True)
class Clash:
    booking: Booking
    venue: bool  # the same venue
    person_ids: frozenset[int]  # the people booked in both


def find_clashes(
    start: datetime,
    end: datetime,
    *,
    venue_id: int | None = None,
    person_ids: Iterable[int] = (),
    exclude: tuple[str, int] | None = None,
) -> list[Clash]:
    """Every booking of any kind overlapping [start, end) that uses ``venue_id`` or one of
    ``person_ids``, except ``exclude`` = (kind, id) (the record being saved), by start."""
    venues = frozenset({venue_id} if venue_id is not None else ())
    people = frozenset(person_ids)
    if not venues and not people:
        return []
    clashes = []
    for source in SOURCES.values():
        for booking in source(start, end, venues, people):
            if exclude is not None and (booking.kind, booking.id) == exclude:
                continue
            if not booking.overlaps(start, end):
                continue
            same_venue = booking.venue_id is not None and booking.venue_id in venues
            shared = booking.person_ids & people
            if same_venue or shared:
                clashes.append(Clash(booking=booking, venue=same_venue, person_ids=shared))
    clashes.sort(key=lambda c: (c.booking.start, c.booking.kind, c.booking.id))
    return clashes
