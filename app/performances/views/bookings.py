"""Performance bookings of a person: the signed-in user's own (and the people they care for),
and one person's for those allowed to see them (audit-logged)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.auth import get_or_404, login_required
from app.core.security import mark_personal
from app.extensions import db
from app.people.models import Person
from app.performances import bp, queries, rules
from app.performances.views._common import viewer_people


@bp.get("/mine")
@login_required
def mine():
    """The bookings of the signed-in user's person and of the people they care for."""
    mark_personal()
    own = viewer_people()
    people = (
        list(db.session.scalars(sa.select(Person).where(Person.id.in_(own)).order_by(Person.id)))
        if own
        else []
    )
    return render_template(
        "performances/bookings.html",
        heading=_("My performance bookings"),
        people=people,
        bookings=queries.bookings_of(own),
        has_person=current_user.person_id is not None,
    )


@bp.get("/people/<int:person_id>")
@login_required
def bookings(person_id: int):
    organised = queries.booked_in_programmes_of(current_user, [person_id])
    person = get_or_404(
        Person,
        person_id,
        visible=lambda p: rules.can_view_bookings_of(current_user, p, organised),
    )
    mark_personal()
    audit.record("view", "person", person.id, ["performance_bookings"])
    db.session.commit()
    return render_template(
        "performances/bookings.html",
        heading=_("Performance bookings of %(name)s", name=person.name),
        people=[person],
        bookings=queries.bookings_of([person.id]),
        has_person=True,
    )
