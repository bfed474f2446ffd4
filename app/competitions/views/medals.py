"""The medal table (public) with its filters and chart, and an athlete's career results (public
when the athlete consented to publication; otherwise for those who may see the profile)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from app.athletes import queries as athlete_queries
from app.athletes import rules as athlete_rules
from app.athletes.models import AthleteProfile
from app.competitions import bp, queries, rules, standings
from app.competitions.enums import Level
from app.core import charts
from app.core.auth import get_or_404, public
from app.core.params import page_of
from app.core.security import mark_personal
from app.extensions import db
from app.people.models import Person


def _year_arg(name: str) -> int | None:
    text = request.args.get(name, "").strip()
    # isascii: "²⁰²¹".isdigit() is true but int() refuses it.
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    return None


MEDALLISTS_SHOWN = 50
# "Medals by competition" shows this many rows a page, the latest first: a district's years of competitions
# made the page 700 KB at the load test's scale 100 (docs/benchmarks.md).
COMPETITIONS_PER_PAGE = 50


RECENT_SHOWN = 30


@bp.get("/")
@public
def index():
    first, last = _year_arg("from_year"), _year_arg("to_year")
    level = request.args.get("level", "")
    level = Level(level) if level in {lv.value for lv in Level} else None
    by_total = request.args.get("rank_by") == "total"
    delegations = queries.delegations()
    delegation = request.args.get("delegation", "")
    delegation = delegation if delegation in delegations else ""
    sports = athlete_queries.sports()
    sport = request.args.get("sport", "")
    sport_id = next((s.id for s in sports if s.code == sport), None)
    filters = standings.MedalFilters(
        date_from=date(first, 1, 1) if first else None,
        date_to=date(last, 12, 31) if last else None,
        level=level,
        sport_id=sport_id,
        delegation=delegation or None,
    )
    table = standings.medal_table(filters)
    # The ranking is computed over every medallist (grouped in the database); the page
    # shows the leading MEDALLISTS_SHOWN so its size does not grow with the register.
    medallists = standings.athlete_rows(filters, by_total=by_total)[:MEDALLISTS_SHOWN]
    people = {
        athlete_id: person
        for athlete_id, person in db.session.execute(
            sa.select(AthleteProfile.id, Person)
            .join(Person, Person.id == AthleteProfile.person_id)
            .where(AthleteProfile.id.in_([row.athlete_id for row in medallists]))
            .options(selectinload(Person.consents))
        )
    }
    names, linked = {}, set()
    for row in medallists:
        person = people[row.athlete_id]
        names[row.athlete_id] = (
            person.name
            if rules.sees_all_names(current_user) or person.has_publication_consent
            else _("an athlete")
        )
        if (
            person.has_publication_consent
            or current_user.is_authenticated
            and current_user.is_admin
        ):
            linked.add(row.athlete_id)
    summary = standings.medal_summary(table)
    args = {
        "from_year": first or "",
        "to_year": last or "",
        "level": level or "",
        "delegation": delegation,
        "sport": sport if sport_id else "",
    }
    # The filters (and the ranking) kept on the links to the other pages of competitions.
    page_args = {key: getattr(value, "value", value) for key, value in args.items() if value}
    if by_total:
        page_args["rank_by"] = "total"
    return render_template(
        "competitions/index.html",
        table=table,
        by_competition=page_of(
            table.competitions[::-1], request.args.get("page"), COMPETITIONS_PER_PAGE
        ),
        chart=charts.medals("medal-chart", _("Medals by year"), summary, table.by_year()),
        summary=summary,
        medallists=medallists,
        names=names,
        linked=linked,
        by_total=by_total,
        args=args,
        page_args=page_args,
        levels=list(Level),
        delegations=delegations,
        sports=sports,
        competitions=queries.competitions(limit=RECENT_SHOWN),
    )


def _athlete_visible(athlete) -> bool:
    """Public when the athlete consented to publication; otherwise those who may see the
    athlete's profile (app/athletes/rules.can_view)."""
    return athlete.person.has_publication_consent or athlete_rules.can_view(current_user, athlete)


@bp.get("/athletes/<int:athlete_id>")
@public
def athlete(athlete_id: int):
    profile = get_or_404(
        AthleteProfile,
        athlete_id,
        visible=_athlete_visible,
        options=(
            joinedload(AthleteProfile.person).selectinload(Person.consents),
            selectinload(AthleteProfile.coaches),
        ),
    )
    tally = standings.medal_table(standings.MedalFilters(athlete_id=profile.id)).totals
    staff = rules.sees_all_names(current_user)
    if staff:
        mark_personal()
    return render_template(
        "competitions/athlete.html",
        athlete=profile,
        tally=tally,
        rows=queries.career_results(profile.id, with_support=staff),
        staff=staff,
    )
