"""The "reply" source of the shared busy query (app.scheduling.busy): a person who answered
"I cannot come" for an occurrence is not available during it, so saving a booking of them
over that time (including the very performance they said no to) shows a clash, with the same
warning, list and override as any other.

One indexed query (person, occurrence start) whatever the number of people; the interval is
the occurrence as it was when they answered. The link goes through ``replies.subject_page``,
which finds the subject's own page, so no subject is loaded here."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from app.replies import links, queries
from app.scheduling.busy import Booking, register_source

KIND = "reply"


def reply_bookings(
    start: datetime, end: datetime, venue_ids: frozenset[int], person_ids: frozenset[int]
) -> list[Booking]:
    return [
        Booking(
            kind=KIND,
            id=reply.id,
            title=_("an answer “I cannot come”"),
            start=reply.occurrence_start,
            end=reply.occurrence_end,
            url=url_for(
                "replies.subject_page",
                kind=reply.subject_kind.value,
                subject_id=reply.subject_id,
                key=links.occurrence_key(reply.occurrence_start),
            ),
            person_ids=frozenset({reply.person_id}),
        )
        for reply in queries.cannot_come(start, end, person_ids)
    ]


register_source(KIND, reply_bookings)
