"""Roll-call of one session: staff mark each expected member present or absent (with a
reason), or the rest present at once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core import clock, confirm
from app.core.auth import role_required
from app.core.errors import DomainError
from app.core.params import whole_number
from app.core.security import mark_personal
from app.extensions import db
from app.homes import bp, queries, services
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.views._common import load_activity, load_occurrence


@bp.route("/activities/<int:activity_id>/sessions/<key>/roll-call", methods=["GET", "POST"])
@role_required("home_staff")
def roll_call(activity_id: int, key: str):
    activity = load_activity(activity_id, manage=True)
    occ = load_occurrence(activity, key)
    mark_personal()
    error = None
    error_person = None
    if request.method == "POST":
        expected = {
            pid for pid, _name in queries.expected_members(activity.home_id, occ.local_start.date())
        }
        try:
            if request.form.get("mark") == "rest_present":
                unmarked = expected - set(
                    db.session.scalars(
                        sa.select(services.Attendance.person_id).where(
                            services.Attendance.activity_id == activity.id,
                            services.Attendance.occurrence_start == occ.original_start,
                        )
                    )
                )
                page = confirm.ask(
                    ngettext(
                        "Mark the %(num)d member not marked yet as present?",
                        "Mark the %(num)d members not marked yet as present?",
                        len(unmarked),
                    ),
                    consequence=_(
                        "Members already marked keep their mark, including marks other staff "
                        "save at the same moment."
                    ),
                    confirm_label=_("Yes, mark them present"),
                    cancel_url=url_for("homes.roll_call", activity_id=activity_id, key=key),
                )
                if page is not None:
                    return page
                services.mark_rest_present(
                    activity, occ.original_start, expected, current_user, now=clock.now()
                )
                db.session.commit()
                return redirect(
                    url_for("homes.roll_call", activity_id=activity_id, key=key)
                    + "#roll-call-summary",
                    code=303,
                )
            error_person = whole_number(request.form.get("person_id"))
            if error_person is None:  # not digits, or too large for anyone's id
                raise DomainError(_("That person is not expected at this session."))
            marks = [
                services.parse_mark(
                    error_person, request.form.get("status", ""), request.form.get("reason")
                )
            ]
            anchor = f"member-{error_person}"
            services.record_marks(
                activity, occ.original_start, marks, expected, current_user, now=clock.now()
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            return redirect(
                url_for("homes.roll_call", activity_id=activity_id, key=key) + "#" + anchor,
                code=303,
            )
    lines = queries.roll_call(activity, occ)
    if error_person not in {line.person_id for line in lines}:
        error_person = None  # the summary links only to a line on the page
    counts = {
        "present": sum(
            1
            for line in lines
            if line.attendance and line.attendance.status == AttendanceStatus.PRESENT
        ),
        "absent": sum(
            1
            for line in lines
            if line.attendance and line.attendance.status == AttendanceStatus.ABSENT
        ),
    }
    counts["unmarked"] = len(lines) - counts["present"] - counts["absent"]
    return (
        render_template(
            "homes/roll_call.html",
            activity=activity,
            occ=occ,
            lines=lines,
            counts=counts,
            reasons=list(AbsenceReason),
            error=error,
            error_person=error_person,
            page_has_errors=error is not None,
            open=services.roll_call_open(occ),
        ),
        422 if error else 200,
    )
