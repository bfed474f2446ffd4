"""The term report: one page for a chosen period (preset or typed dates), and a CSV or .xlsx
download of each of its tables. Public: visitors read the counts (no names); admins and the
role working in a part (coach: sports, organiser: culture, home staff: homes) also read
that part's detail figures (see figures.DETAIL_ROLES)."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import audit, clock, params
from app.core.auth import public
from app.core.exports import send_table
from app.core.forms import BaseForm, DatePartsField
from app.core.printing import PRINT_LANGUAGES, css_string, page_of
from app.core.templating import fmt_date
from app.extensions import db
from app.reports import bp, figures

PART_ORDER = (figures.Part.HEADLINE, figures.Part.SPORTS, figures.Part.CULTURE, figures.Part.HOMES)


class PeriodForm(BaseForm):
    class Meta:
        csrf = False

    first = DatePartsField(_l("First day"))
    last = DatePartsField(_l("Last day"))


def _typed(args) -> bool:
    return any(key.startswith(("first-", "last-")) for key in args)


def choose_period(args) -> tuple[PeriodForm, date | None, date | None, str]:
    """(form, first, last, preset key) from the query string: typed dates win over a preset;
    nothing chosen means the current term. On an error, first and last are None."""
    if _typed(args):
        form = PeriodForm(formdata=args)
        form.validate()
        for field, message in (
            (form.first, _("Enter the first day of the period.")),
            (form.last, _("Enter the last day of the period.")),
        ):
            if field.data is None and not field.errors:
                field.errors = [*field.errors, message]
        if form.first.data and form.last.data and form.last.data < form.first.data:
            form.last.errors = [*form.last.errors, params.LAST_BEFORE_FIRST]
        if form.has_errors:
            return form, None, None, ""
        return form, form.first.data, form.last.data, ""
    chosen = figures.preset(args.get("preset", "")) or figures.preset("term")
    form = PeriodForm(formdata=None, data={"first": chosen.first, "last": chosen.last})
    return form, chosen.first, chosen.last, chosen.key


@bp.get("/")
@public
def index():
    form, first, last, preset_key = choose_period(request.args)
    allowed = figures.detail_parts(current_user)
    report = figures.build_report(first, last) if first else None
    parts = []
    if report:
        parts = [(part, report.part_figures(part, allowed)) for part in PART_ORDER]
    return (
        render_template(
            "reports/index.html",
            form=form,
            report=report,
            parts=parts,
            allowed=allowed,
            presets=figures.presets(),
            preset_key=preset_key,
            current_term=figures.CURRENT_TERM,
            term_2017=figures.TERM_2017,
            export_args={"from": first.isoformat(), "to": last.isoformat()} if first else {},
            print_args={
                "lang": str(get_locale()),
                "first": first.isoformat(),
                "last": last.isoformat(),
                "printed": clock.today().isoformat(),
            }
            if first
            else None,
            page_has_errors=form.has_errors,
        ),
        422 if form.has_errors else 200,
    )


@bp.get("/<key>.<any(csv, xlsx):fmt>")
@public
def export(key: str, fmt: str):
    # The key and the permission first: an unknown or forbidden table builds nothing.
    if key not in figures.FIGURE_KEYS:
        abort(404)
    part, detail = figures.FIGURE_KEYS[key]
    if detail and part not in figures.detail_parts(current_user):
        abort(403 if current_user.is_authenticated else 404)
    # Both days are required (the page's links always give them).
    span = params.period(request.args)
    if not span.ok or span.first is None or span.last is None:
        abort(400)
    first, last = span.first, span.last
    report = figures.build_report(first, last)
    figure = report.figure(key)
    if figure is None:
        abort(404)
    if current_user.is_authenticated:
        audit.record(
            "export",
            "term_report",
            None,
            [],
            details={
                "table": key,
                "format": fmt,
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
        db.session.commit()
    name = f"report-{key}-{first.isoformat()}-{last.isoformat()}"
    return send_table(figure.export_rows(), fmt, name, figure.title)


def _iso_day(value: str | None) -> date:
    day = params.parse_day(value or "")
    if day is None:
        abort(404)
    return day


@bp.get("/print.css")
@public
def print_css():
    """The printed report's page header and footer (CSS margin boxes): the federation's name,
    the report and its period, the print date and "page N of M", in the page's language.
    A stylesheet of its own because the policy allows no inline style; everything it says
    is in its address, so it may be cached."""
    lang = request.args.get("lang", "")
    if lang not in PRINT_LANGUAGES:
        abort(404)
    first, last = _iso_day(request.args.get("first")), _iso_day(request.args.get("last"))
    printed = _iso_day(request.args.get("printed"))
    if last < first:
        abort(404)
    with force_locale(lang):
        css = render_template(
            "reports/print.css",
            federation=css_string(_("District Disabled Persons' Federation")),
            period=css_string(
                _(
                    "Term report: %(first)s to %(last)s",
                    first=fmt_date(first),
                    last=fmt_date(last),
                )
            ),
            printed=css_string(_("Printed on %(date)s", date=fmt_date(printed))),
            page_of=page_of(),
        )
    response = Response(css, content_type="text/css; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
