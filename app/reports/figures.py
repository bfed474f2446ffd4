"""The term report's figures for a period, read through each domain's own grouped statistics
(no SQL of its own):

- sports: ``competitions.standings.medal_table`` (medals by year × level, one query),
  ``athletes.queries.stage_totals`` (athletes per pipeline stage today),
  ``identified_by_source`` (new talents found in the period) and
  ``classifications_due_by_sport`` (reviews falling in the period);
- culture: ``performances.stats.statistics`` (performances held and beneficiaries, by setting,
  town and programme);
- sunshine homes: ``homes.stats.period_stats`` (homes open, towns covered, members served,
  attendance person-times, by service, kind and home); the public API's counts from
  ``homes.stats.period_totals`` (the same totals without the breakdowns).

A fixed number of queries whatever the data (about 18). Each figure becomes a ``Figure``:
a table (header and rows of plain values, exported as CSV or .xlsx), a chart with the same
numbers (app/core/charts.py) and a summary in whole sentences. Who sees which figure: ``PUBLIC`` figures are counts
anyone may read; ``detail`` figures belong to a part (sports, culture, homes) and are shown
to admins and to the role that works in that part (``DETAIL_ROLES``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.athletes import queries as athlete_queries
from app.athletes.enums import Stage
from app.competitions import standings
from app.core import charts, clock
from app.core.enums import LabelledEnum
from app.core.templating import fmt_date
from app.homes import stats as home_stats
from app.performances import stats as performance_stats

# The 2017 change of term (the source report's period) and the term after it.
TERM_2017 = (date(2017, 1, 1), date(2021, 12, 31))
CURRENT_TERM = (date(2022, 1, 1), date(2026, 12, 31))


class Part(LabelledEnum):
    HEADLINE = "headline", _l("Headline figures")
    SPORTS = "sports", _l("Sports: medals and athletes")
    CULTURE = "culture", _l("Culture: performances")
    HOMES = "homes", _l("Sunshine homes")


# Every table's key, part and whether it is a detail figure (kept equal to build_report's
# figures by a test), so an export can refuse an unknown key or a forbidden table before the
# whole report is built.
FIGURE_KEYS = {
    "headline": (Part.HEADLINE, False),
    "medals": (Part.SPORTS, False),
    "athletes_by_stage": (Part.SPORTS, False),
    "new_talents": (Part.SPORTS, False),
    "classifications_due": (Part.SPORTS, True),
    "performances_by_setting": (Part.CULTURE, False),
    "performances_by_town": (Part.CULTURE, False),
    "performances_by_programme": (Part.CULTURE, True),
    "members_by_service": (Part.HOMES, False),
    "attendance_by_kind": (Part.HOMES, False),
    "homes": (Part.HOMES, True),
}


# The role whose work a part covers: it sees the part's detail figures (admins see all).
DETAIL_ROLES = {Part.SPORTS: "coach", Part.CULTURE: "organiser", Part.HOMES: "home_staff"}


def detail_parts(user) -> frozenset[Part]:
    """The parts whose detail figures ``user`` may read (none for a visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_admin:
        return frozenset(DETAIL_ROLES)
    return frozenset(part for part, role in DETAIL_ROLES.items() if user.has_role(role))


@dataclass(frozen=True)
class Preset:
    key: str
    label: object
    first: date
    last: date


def presets(today: date | None = None) -> list[Preset]:
    today = today or clock.today()
    return [
        Preset("term", _l("Current term (2022–2026)"), *CURRENT_TERM),
        Preset("term2017", _l("2017 term (2017–2021)"), *TERM_2017),
        Preset(
            "this_year",
            _l("This year (%(year)d)", year=today.year),
            date(today.year, 1, 1),
            date(today.year, 12, 31),
        ),
        Preset(
            "last_year",
            _l("Last year (%(year)d)", year=today.year - 1),
            date(today.year - 1, 1, 1),
            date(today.year - 1, 12, 31),
        ),
    ]


def preset(key: str) -> Preset | None:
    return next((p for p in presets() if p.key == key), None)


def number(value: int) -> str:
    """A count in the reader's locale: 4,586 in English; in Chinese, as the source report and
    GB/T 15835 write them, no separator up to four digits (4586), grouped beyond (12,000)."""
    if str(get_locale()).startswith("zh") and abs(value) < 10_000:
        return str(value)
    return format_decimal(value)


def period_phrase(first: date, last: date, today: date | None = None) -> str:
    """How the sentences name the period: "Since 2017", "In 2021", "From 2017 to 2021", or
    the two dates."""
    today = today or clock.today()
    whole_start = first.month == 1 and first.day == 1
    whole_end = last.month == 12 and last.day == 31
    if whole_start and last >= today and first.year < today.year:
        return _("Since %(year)d", year=first.year)
    if whole_start and whole_end:
        if first.year == last.year:
            return _("In %(year)d", year=first.year)
        return _("From %(first)d to %(last)d", first=first.year, last=last.year)
    return _("From %(first)s to %(last)s", first=fmt_date(first), last=fmt_date(last))


def performances_sentence(when: str, performances: int, beneficiaries: int) -> str:
    return ngettext(
        "%(when)s: %(count)s touring performance reaching %(people)s person-times",
        "%(when)s: %(count)s touring performances reaching %(people)s person-times",
        performances,
        when=when,
        count=number(performances),
        people=number(beneficiaries),
    )


def medals_sentence(when: str, tally) -> str:
    return ngettext(
        "%(when)s: %(count)s medal won (%(gold)s gold, %(silver)s silver, %(bronze)s bronze)",
        "%(when)s: %(count)s medals won (%(gold)s gold, %(silver)s silver, %(bronze)s bronze)",
        tally.total,
        when=when,
        count=number(tally.total),
        gold=number(tally.gold),
        silver=number(tally.silver),
        bronze=number(tally.bronze),
    )


def homes_sentence(when: str, homes) -> str:
    if not homes.recorded:
        # No roll-call at all in the period: say so, not "0 person-times" (issue 12 item 18).
        return ngettext(
            "%(when)s: %(count)s sunshine home in %(towns)s towns served %(members)s members; "
            "no attendance has been recorded for this period",
            "%(when)s: %(count)s sunshine homes in %(towns)s towns served %(members)s members; "
            "no attendance has been recorded for this period",
            homes.homes,
            when=when,
            count=number(homes.homes),
            towns=number(homes.towns_covered),
            members=number(homes.members),
        )
    return ngettext(
        "%(when)s: %(count)s sunshine home in %(towns)s towns served %(members)s members, "
        "with %(attendance)s attendance person-times",
        "%(when)s: %(count)s sunshine homes in %(towns)s towns served %(members)s members, "
        "with %(attendance)s attendance person-times",
        homes.homes,
        when=when,
        count=number(homes.homes),
        towns=number(homes.towns_covered),
        members=number(homes.members),
        attendance=number(homes.attendance),
    )


def talents_sentence(when: str, found: int, in_pipeline: int) -> str:
    return ngettext(
        "%(when)s: %(count)s new talent identified; %(pipeline)s athletes in the pipeline today",
        "%(when)s: %(count)s new talents identified; %(pipeline)s athletes in the pipeline today",
        found,
        when=when,
        count=number(found),
        pipeline=number(in_pipeline),
    )


@dataclass
class Figure:
    key: str  # the export's name
    part: Part
    title: str
    header: list
    rows: list[list]  # first cell the row's label, then numbers
    summary: str
    chart: charts.Chart | None = None  # drawn with the table under it
    total: list | None = None
    detail: bool = False  # only for admins and the part's role

    @property
    def table(self) -> charts.Table:
        return charts.Table(f"table-{self.key}", self.title, self.header, self.rows, self.total)

    def export_rows(self) -> list[list]:
        rows = [self.header, *self.rows]
        if self.total:
            rows.append(self.total)
        return rows


@dataclass
class Report:
    first: date
    last: date
    when: str
    medals: standings.MedalTable
    stages: dict
    talents: dict
    classifications_due: list
    performances: performance_stats.Statistics
    homes: home_stats.PeriodStats
    headline: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def part_figures(self, part: Part, allowed: frozenset) -> list[Figure]:
        return [f for f in self.figures if f.part == part and (not f.detail or f.part in allowed)]

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    @property
    def in_pipeline(self) -> int:
        return sum(count for stage, count in self.stages.items() if stage != Stage.RETIRED)


def _counts(
    key,
    part,
    title,
    header,
    labelled: list[tuple[str, int]],
    total,
    summary,
    *,
    chart_title,
    most=None,
    detail=False,
) -> Figure:
    """A table of (label, count) rows and its chart: vertical bars, or horizontal bars
    (long labels) when ``most`` writes the sentence about the largest count."""
    items = [charts.Item(label, count) for label, count in labelled]
    if most is not None:
        summary = charts.sentences(summary, charts.most(items, most))
    figure = Figure(
        key=key,
        part=part,
        title=title,
        header=header,
        rows=[[label, count] for label, count in labelled],
        total=total,
        summary=summary,
        detail=detail,
    )
    draw = charts.bars if most is None else charts.hbars
    figure.chart = draw(f"chart-{key}", chart_title, summary, items, table=figure.table)
    return figure


def _sports(report: Report) -> list[Figure]:
    table = report.medals
    t = table.totals
    medals = Figure(
        key="medals",
        part=Part.SPORTS,
        title=_("Medals by year and level"),
        header=[_("Year"), _("Level"), _("Gold"), _("Silver"), _("Bronze"), _("Total")],
        rows=[
            [year, str(level.label), c.gold, c.silver, c.bronze, c.total]
            for (year, level), c in sorted(
                table.by_year_level.items(), key=lambda item: (item[0][0], item[0][1].order)
            )
        ],
        total=[_("Total"), "", t.gold, t.silver, t.bronze, t.total],
        summary=standings.medal_summary(table) if table.years else _("No medals in this period."),
    )
    medals.chart = charts.medals(
        "chart-medals", _("Medals by year"), medals.summary, table.by_year(), table=medals.table
    )
    stage_rows = [(str(stage.label), count) for stage, count in report.stages.items()]
    stages = _counts(
        "athletes_by_stage",
        Part.SPORTS,
        _("Athletes per pipeline stage (today)"),
        [_("Stage"), _("Athletes")],
        stage_rows,
        [_("Total"), sum(report.stages.values())],
        _(
            "%(pipeline)s athletes in the pipeline today, %(retired)s retired.",
            pipeline=number(report.in_pipeline),
            retired=number(report.stages.get(Stage.RETIRED, 0)),
        ),
        chart_title=_("Athletes per stage"),
    )
    talent_rows = [(str(source.label), count) for source, count in report.talents.items()]
    found = sum(report.talents.values())
    talents = _counts(
        "new_talents",
        Part.SPORTS,
        _("New talents identified, by how they were found"),
        [_("How the athlete was found"), _("Athletes")],
        talent_rows,
        [_("Total"), found],
        ngettext(
            "%(count)s athlete found in this period.",
            "%(count)s athletes found in this period.",
            found,
            count=number(found),
        ),
        chart_title=_("New talents by how they were found"),
        most=lambda label, n: ngettext(
            "The most common way athletes were found: %(label)s, %(count)s athlete.",
            "The most common way athletes were found: %(label)s, %(count)s athletes.",
            n,
            label=label,
            count=number(n),
        ),
    )
    due_rows = [(sport.display_name, count) for sport, count in report.classifications_due]
    due = sum(count for _label, count in due_rows)
    classifications = _counts(
        "classifications_due",
        Part.SPORTS,
        _("Classifications due for review, by sport"),
        [_("Sport"), _("Classifications")],
        due_rows,
        [_("Total"), due],
        ngettext(
            "%(count)s classification not confirmed has its review date in this period.",
            "%(count)s classifications not confirmed have their review date in this period.",
            due,
            count=number(due),
        ),
        chart_title=_("Classifications due by sport"),
        most=lambda label, n: ngettext(
            "The sport with the most reviews due: %(label)s, %(count)s classification.",
            "The sport with the most reviews due: %(label)s, %(count)s classifications.",
            n,
            label=label,
            count=number(n),
        ),
        detail=True,
    )
    return [medals, stages, talents, classifications]


def _culture(report: Report) -> list[Figure]:
    result = report.performances
    t = result.totals
    header_tail = [_("Performances held"), _("Beneficiaries (person-times)")]
    figures = []
    for key, grouping, title, group, rows, detail in (
        (
            "performances_by_setting",
            "setting",
            _("Performances by setting"),
            _("Setting"),
            result.by_setting,
            False,
        ),
        (
            "performances_by_town",
            "town",
            _("Performances by town"),
            _("Town"),
            result.by_town,
            False,
        ),
        (
            "performances_by_programme",
            "programme",
            _("Performances by programme"),
            _("Programme"),
            result.by_programme,
            True,
        ),
    ):
        summary = charts.sentences(
            _(
                "%(performances)s performances held, %(beneficiaries)s beneficiaries "
                "(person-times); the bars show beneficiaries.",
                performances=number(t.performances),
                beneficiaries=number(t.beneficiaries),
            ),
            performance_stats.most_sentence(grouping, "beneficiaries", rows, number),
        )
        figure = Figure(
            key=key,
            part=Part.CULTURE,
            title=title,
            header=[group, *header_tail],
            rows=[[r.label, r.performances, r.beneficiaries] for r in rows],
            total=[_("Total"), t.performances, t.beneficiaries],
            summary=summary,
            detail=detail,
        )
        figure.chart = charts.hbars(
            f"chart-{key}",
            title,
            summary,
            performance_stats.chart_items(rows, "beneficiaries"),
            table=figure.table,
        )
        figures.append(figure)
    return figures


def _homes(report: Report) -> list[Figure]:
    h = report.homes
    service_rows = [(str(service.label), count) for service, count in h.by_service]
    services = _counts(
        "members_by_service",
        Part.HOMES,
        _("Members served, by service"),
        [_("Service"), _("Members")],
        service_rows,
        [_("Members served"), h.members],
        _(
            "%(homes)s homes open in %(towns)s of %(all)s towns; %(members)s members served "
            "(a member may receive several services).",
            homes=number(h.homes),
            towns=number(h.towns_covered),
            all=number(h.towns_total),
            members=number(h.members),
        ),
        chart_title=_("Members by service"),
    )
    kind_rows = [(str(kind.label), count) for kind, count in h.by_kind]
    kinds = _counts(
        "attendance_by_kind",
        Part.HOMES,
        _("Attendance person-times, by activity"),
        [_("Activity"), _("Attendance (person-times)")],
        kind_rows,
        [_("Total"), h.attendance],
        _(
            "%(attendance)s attendance person-times in this period.",
            attendance=number(h.attendance),
        )
        if h.recorded
        else _("No attendance has been recorded for this period."),
        chart_title=_("Attendance by activity"),
        most=lambda label, n: _(
            "The activity with the most attendance: %(label)s, %(count)s person-times.",
            label=label,
            count=number(n),
        ),
    )
    home_items = [charts.Item(f"{home.name} ({home.town})", home.attendance) for home in h.by_home]
    by_home = Figure(
        key="homes",
        part=Part.HOMES,
        title=_("Each home: members and attendance"),
        header=[_("Sunshine home"), _("Town"), _("Members"), _("Attendance (person-times)")],
        rows=[[home.name, home.town, home.members, home.attendance] for home in h.by_home],
        total=[
            _("Total"),
            "",
            sum(x.members for x in h.by_home),
            sum(x.attendance for x in h.by_home),
        ],
        summary=charts.sentences(
            ngettext(
                "%(count)s home open in this period; the bars show attendance.",
                "%(count)s homes open in this period; the bars show attendance.",
                h.homes,
                count=number(h.homes),
            )
            if h.recorded
            else ngettext(
                "%(count)s home open in this period; no attendance has been recorded for this "
                "period.",
                "%(count)s homes open in this period; no attendance has been recorded for this "
                "period.",
                h.homes,
                count=number(h.homes),
            ),
            charts.most(
                home_items,
                lambda label, n: _(
                    "The home with the most attendance: %(label)s, %(count)s person-times.",
                    label=label,
                    count=number(n),
                ),
            ),
        ),
        detail=True,
    )
    by_home.chart = charts.hbars(
        "chart-homes", _("Attendance by home"), by_home.summary, home_items, table=by_home.table
    )
    return [services, kinds, by_home]


def _headline(report: Report) -> Figure:
    m, p, h = report.medals.totals, report.performances.totals, report.homes
    found = sum(report.talents.values())
    pairs = [
        (_("Gold medals"), m.gold),
        (_("Silver medals"), m.silver),
        (_("Bronze medals"), m.bronze),
        (_("New talents identified"), found),
        (_("Performances held"), p.performances),
        (_("Beneficiaries (person-times)"), p.beneficiaries),
        (_("Sunshine homes open"), h.homes),
        (_("Towns covered"), h.towns_covered),
        (_("Members served"), h.members),
        (_("Attendance (person-times)"), h.attendance),
    ]
    return Figure(
        key="headline",
        part=Part.HEADLINE,
        title=_("Headline figures"),
        header=[_("Figure"), _("Value")],
        rows=[[label, value] for label, value in pairs],
        summary=_("The numbers behind the sentences above, for the whole period."),
    )


def build_report(first: date, last: date) -> Report:
    """Every figure of the period (both days inclusive)."""
    report = Report(
        first=first,
        last=last,
        when=period_phrase(first, last),
        medals=standings.medal_table(standings.MedalFilters(date_from=first, date_to=last)),
        stages=athlete_queries.stage_totals(),
        talents=athlete_queries.identified_by_source(first, last),
        classifications_due=athlete_queries.classifications_due_by_sport(first, last),
        performances=performance_stats.statistics(first, last),
        homes=home_stats.period_stats(first, last),
    )
    report.headline = [
        medals_sentence(report.when, report.medals.totals),
        talents_sentence(report.when, sum(report.talents.values()), report.in_pipeline),
        performances_sentence(
            report.when,
            report.performances.totals.performances,
            report.performances.totals.beneficiaries,
        ),
        homes_sentence(report.when, report.homes),
    ]
    report.figures = [_headline(report), *_sports(report), *_culture(report), *_homes(report)]
    return report


def summary_figures(first: date, last: date) -> dict:
    """The public API's figures (counts only)."""
    medals = standings.medal_table(standings.MedalFilters(date_from=first, date_to=last)).totals
    performances = performance_stats.statistics(first, last).totals
    homes = home_stats.period_totals(first, last)
    stages = athlete_queries.stage_totals()
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "medals": {
            "gold": medals.gold,
            "silver": medals.silver,
            "bronze": medals.bronze,
            "total": medals.total,
        },
        "performances": {
            "performances": performances.performances,
            "beneficiaries": performances.beneficiaries,
        },
        "homes": {
            "homes": homes.homes,
            "towns_covered": homes.towns_covered,
            "members": homes.members,
            "attendance": homes.attendance,
        },
        "athletes": {
            "by_stage": [{"stage": stage.value, "athletes": n} for stage, n in stages.items()]
        },
    }
