"""Start positions of an entry and the order of a start list (issue 17, before the start).

An entry may carry a bib, a heat and a lane or target, each optional:

- **bib**: one to eight letters, digits or hyphens, starting with a letter or digit ("105",
  "A-12"), read upper-case with full-width characters as their ASCII forms. Within one
  competition a bib names one athlete (or one team): the same athlete keeps the same bib in
  every individual event (and may not be given another there), and another entry whose
  athletes differ may not use it. Withdrawn entries give
  their bib back. A rule here, not a unique constraint, because of the first half.
- **heat**: a whole number from 1 to 99.
- **lane or target**: a number from 1 to 99, with a letter A to F after it for an archer's
  place on a target ("12B"). Within one event and one heat (or no heat) a lane is one entry's;
  withdrawn entries give theirs back.

``order_key`` is the order of competition: by heat then lane where given; then by bib (numbers
in numeric order, before other bibs); then by the athlete's name in pinyin; the entry id
breaks the remaining ties, so the order is stable."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.competitions.enums import EntryStatus
from app.competitions.models import CompetitionEvent, Entry
from app.core.charts import spoken_list
from app.core.errors import DomainError
from app.core.forms import normalise_text
from app.core.numbers import parse_whole
from app.extensions import db

BIB = re.compile(r"[A-Z0-9][A-Z0-9-]{0,7}")
LANE = re.compile(r"([1-9][0-9]?)([A-F]?)")
MAX_HEAT = 99

BIB_MESSAGE = _l(
    "Write the bib as up to 8 letters, digits or hyphens, starting with a letter or digit, "
    "for example 105 or A-12."
)
HEAT_MESSAGE = _l("Write the heat as a whole number from 1 to 99.")
LANE_MESSAGE = _l(
    "Write the lane or target as a number from 1 to 99, with a letter A to F after a target "
    "number if archers share it, for example 4 or 12B."
)


@dataclass(frozen=True)
class Start:
    """Where an entry starts, as stored: "" or None where not given."""

    bib: str = ""
    heat: int | None = None
    lane: str = ""

    @classmethod
    def of(cls, entry: Entry) -> Start:
        return cls(entry.bib or "", entry.heat, entry.lane or "")


def read_start(bib, heat, lane) -> Start:
    """The start position from what was typed (text, or a whole number for the heat), checked
    for form; DomainError on the field of the first problem."""
    bib_text = normalise_text(str(bib or "")).upper()
    if bib_text and not BIB.fullmatch(bib_text):
        raise DomainError(BIB_MESSAGE, field="bib")
    if isinstance(heat, str):
        try:
            heat = parse_whole(heat, limit=10**6) if heat.strip() else None
        except ValueError:
            raise DomainError(HEAT_MESSAGE, field="heat") from None
    if heat is not None and not 1 <= heat <= MAX_HEAT:
        raise DomainError(HEAT_MESSAGE, field="heat")
    lane_text = normalise_text(str(lane or "")).upper().replace(" ", "")
    if lane_text and not LANE.fullmatch(lane_text):
        raise DomainError(LANE_MESSAGE, field="lane")
    return Start(bib_text, heat, lane_text)


def check_start(
    event: CompetitionEvent, entry_id: int | None, athlete_ids, start: Start, current_bib: str = ""
) -> None:
    """Refuse a bib another athlete or team holds in the competition, another bib than the
    one an athlete wears in the competition's other individual events, or a lane another
    entry holds in the event's heat (withdrawn entries left out). At most three queries."""
    mine = set(athlete_ids)
    live = Entry.status != EntryStatus.WITHDRAWN
    if start.bib:
        rows = db.session.execute(
            sa.select(Entry.id, Entry.athletes.property.secondary.c.athlete_id)
            .join(Entry.athletes.property.secondary)
            .join(CompetitionEvent, CompetitionEvent.id == Entry.event_id)
            .where(
                CompetitionEvent.competition_id == event.competition_id,
                Entry.bib == start.bib,
                Entry.id != (entry_id or 0),
                live,
            )
        ).all()
        holders: dict[int, set[int]] = {}
        for other_id, athlete_id in rows:
            holders.setdefault(other_id, set()).add(athlete_id)
        if any(athletes != mine for athletes in holders.values()):
            raise DomainError(
                _l(
                    "Bib %(bib)s is already given to another athlete in this competition.",
                    bib=start.bib,
                ),
                field="bib",
            )
        if not event.is_team and len(mine) == 1:
            # An athlete wears one bib in all the competition's individual events (a team
            # entry has its own).
            worn = set(
                db.session.scalars(
                    sa.select(Entry.bib)
                    .join(Entry.athletes.property.secondary)
                    .join(CompetitionEvent, CompetitionEvent.id == Entry.event_id)
                    .where(
                        CompetitionEvent.competition_id == event.competition_id,
                        CompetitionEvent.is_team.is_(False),
                        Entry.athletes.property.secondary.c.athlete_id.in_(mine),
                        Entry.bib.is_not(None),
                        Entry.bib != "",
                        Entry.bib != start.bib,
                        Entry.id != (entry_id or 0),
                        live,
                    )
                )
            )
            # Renumbering: an entry may leave the bib the others still wear, one entry at a
            # time; it may not take a third one.
            worn -= {current_bib}
            if worn:
                raise DomainError(
                    _l(
                        "This athlete wears bib %(worn)s in the competition's other events:"
                        " give the same bib.",
                        worn=spoken_list(sorted(worn, key=bib_key)),
                    ),
                    field="bib",
                )
    if start.lane:
        taken = db.session.scalar(
            sa.select(sa.func.count(Entry.id)).where(
                Entry.event_id == event.id,
                Entry.lane == start.lane,
                Entry.heat.is_(None) if start.heat is None else Entry.heat == start.heat,
                Entry.id != (entry_id or 0),
                live,
            )
        )
        if taken:
            if start.heat is None:
                message = _l(
                    "Lane or target %(lane)s is already taken in this event.", lane=start.lane
                )
            else:
                message = _l(
                    "Lane or target %(lane)s of heat %(heat)d is already taken in this event.",
                    lane=start.lane,
                    heat=start.heat,
                )
            raise DomainError(message, field="lane")


def lane_key(lane: str) -> tuple:
    """ "4" < "12" < "12A" < "12B"; entries without a lane after those with one."""
    found = LANE.fullmatch(lane or "")
    if not found:
        return (1, 0, lane or "")
    return (0, int(found.group(1)), found.group(2))


def bib_key(bib: str) -> tuple:
    """Numeric bibs in numeric order, then the others as text; no bib last."""
    if not bib:
        return (2, 0, "")
    if bib.isdigit():
        return (0, int(bib), bib)
    return (1, 0, bib)


def in_order(entries) -> list[Entry]:
    """Entries in the order of competition, as the start list prints them (the first
    athlete's pinyin for the tie-break: loaded with the entries by the results queries)."""
    return sorted(
        entries,
        key=lambda e: order_key(e, e.athletes[0].person.name_pinyin if e.athletes else ""),
    )


def order_key(entry: Entry, pinyin: str = "") -> tuple:
    """The order of competition (module docstring)."""
    return (
        entry.heat is None,
        entry.heat or 0,
        lane_key(entry.lane),
        bib_key(entry.bib),
        pinyin,
        entry.id,
    )
