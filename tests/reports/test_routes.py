"""The report page and its downloads: presets and typed periods, invalid input, who sees
which figures, CSV/xlsx without formula injection, a bounded number of queries."""

import io

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.reports.seed import seed

DETAIL = {
    "classifications_due": "coach",
    "performances_by_programme": "organiser",
    "homes": "home_staff",
}


def test_default_is_the_current_term_and_says_so(app, client):
    response = client.get("/reports/")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.count("<h1") == 1
    assert "Report from 1 January 2022 to 31 December 2026" in text or "2022" in text
    assert 'aria-current="page">Current term (2022–2026)' in text
    assert "the current term is the one after it" in text
    assert "This is the public version" in text


def test_typed_period(app, client):
    seed(scale=1, rng_seed=2)
    args = "first-year=2018&first-month=1&first-day=1&last-year=2018&last-month=12&last-day=31"
    text = client.get(f"/reports/?{args}").get_data(as_text=True)
    assert "In 2018: " in text
    assert 'value="2018"' in text


@pytest.mark.parametrize(
    "args, message",
    [
        (
            "first-year=2018&first-month=13&first-day=1&last-year=2019&last-month=1&last-day=1",
            "This date does not exist",
        ),
        (
            "first-year=2019&first-month=1&first-day=1&last-year=2018&last-month=1&last-day=1",
            "The last day must be on or after the first day.",
        ),
        (
            "first-year=&first-month=&first-day=&last-year=2018&last-month=1&last-day=1",
            "Enter the first day of the period.",
        ),
        (
            "first-year=abcd&first-month=1&first-day=1&last-year=2018&last-month=1&last-day=1",
            "Enter the date in numbers",
        ),
    ],
)
def test_invalid_period_is_explained_and_kept(app, client, args, message):
    response = client.get(f"/reports/?{args}")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    assert "There is a problem" in text
    assert "report-section" not in text


def _figure_keys(text):
    import re

    return set(re.findall(r'id="figure-([a-z_]+)"', text))


def test_visitor_sees_public_figures_only(app, client):
    text = client.get("/reports/?preset=term2017").get_data(as_text=True)
    keys = _figure_keys(text)
    assert {"headline", "medals", "athletes_by_stage", "new_talents"} <= keys
    assert {"performances_by_setting", "performances_by_town", "members_by_service"} <= keys
    assert not keys & set(DETAIL)


@pytest.mark.parametrize("role", ["coach", "organiser", "home_staff", "participant", "admin"])
def test_each_role_sees_its_part(app, client, login_as, role):
    login_as(role)
    keys = _figure_keys(client.get("/reports/?preset=term2017").get_data(as_text=True))
    for key, owner in DETAIL.items():
        assert (key in keys) == (role in (owner, "admin")), key
    assert "headline" in keys and "medals" in keys


def test_detail_download_refused_to_others(app, client, login_as):
    period = "from=2017-01-01&to=2021-12-31"
    assert client.get(f"/reports/homes.csv?{period}").status_code == 404
    login_as("coach")
    assert client.get(f"/reports/homes.csv?{period}").status_code == 403
    assert client.get(f"/reports/classifications_due.csv?{period}").status_code == 200


def test_bad_downloads(app, client):
    assert client.get("/reports/medals.csv?from=2017-01-01").status_code == 400
    assert client.get("/reports/medals.csv?from=2021-01-01&to=2017-01-01").status_code == 400
    assert client.get("/reports/nothing.csv?from=2017-01-01&to=2021-01-01").status_code == 404


def test_csv_and_xlsx_hold_the_table_without_formulas(app, client, login_as):
    from openpyxl import load_workbook

    from app.homes.models import Home

    seed(scale=1, rng_seed=4)
    home = db.session.scalars(sa.select(Home).order_by(Home.id)).first()
    home.name = '=HYPERLINK("http://evil")'
    db.session.commit()
    login_as("admin")
    period = "from=2014-01-01&to=2025-12-31"
    csv = client.get(f"/reports/homes.csv?{period}")
    assert csv.status_code == 200
    body = csv.get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert body.splitlines()[0] == "Sunshine home,Town,Members,Attendance (person-times)"
    xlsx = client.get(f"/reports/homes.xlsx?{period}")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil")' in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
    medals = client.get(f"/reports/medals.csv?{period}").get_data().decode("utf-8-sig")
    assert medals.splitlines()[0] == "Year,Level,Gold,Silver,Bronze,Total"
    from app.core.audit import AuditEvent

    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "term_report")
        )
        == 3
    )


def test_page_numbers_match_the_api(app, client):
    expected = seed(scale=1, rng_seed=9)
    text = client.get("/reports/?preset=term2017").get_data(as_text=True)
    total = sum(expected["medals"].values())
    assert f"From 2017 to 2021: {total} medals won" in text
    assert (
        f"{expected['performances']} touring performances reaching "
        f"{expected['beneficiaries']:,} person-times" in text
    )


@pytest.mark.parametrize("role", ["admin", None])
def test_query_count_does_not_grow_with_data(app, client, login_as, count_queries, role):
    if role:
        login_as(role)
    seed(scale=1, rng_seed=21)
    client.get("/reports/?preset=term2017")
    with count_queries() as small:
        assert client.get("/reports/?preset=term2017").status_code == 200
    seed(scale=4, rng_seed=22)
    with count_queries() as large:
        assert client.get("/reports/?preset=term2017").status_code == 200
    assert small.count == large.count
    print("report page queries:", small.count)
    assert small.count <= 25


def test_chinese_page(app, client, login_as):
    login_as("admin", language="zh_Hans")
    response = client.get("/reports/?preset=this_year")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'lang="zh-CN"' in text
    # Every figure is on the page for the admin, whatever the language.
    assert len(_figure_keys(text)) == 11


def test_table_keys_match_the_report(app):
    from datetime import date

    from app.reports import figures

    report = figures.build_report(date(2017, 1, 1), date(2021, 12, 31))
    assert {f.key: (f.part, f.detail) for f in report.figures} == figures.FIGURE_KEYS


def test_unknown_or_forbidden_table_builds_no_report(app, client, count_queries):
    period = "from=2017-01-01&to=2021-12-31"
    with count_queries() as unknown:
        assert client.get(f"/reports/nothing.csv?{period}").status_code == 404
    with count_queries() as forbidden:
        assert client.get(f"/reports/homes.xlsx?{period}").status_code == 404
    # Before: the whole report (a dozen and more queries) was built first.
    assert unknown.count == 0 and forbidden.count == 0
    # The key is checked before the period, too.
    assert client.get("/reports/nothing.csv").status_code == 404


def test_chinese_captions_are_whole_chinese_sentences(app, client, login_as):
    """Issue 12 item 19: "各阶段运动员人数. 目前…" (an English full stop joining a chart's title
    and its summary in Chinese). No Chinese character is followed by an ASCII full stop, and
    the summaries under the charts end with "。"."""
    import re

    seed(scale=1, rng_seed=2)
    login_as("admin", language="zh_Hans")
    text = client.get("/reports/?preset=term2017").get_data(as_text=True)
    assert not re.findall(r"[\u4e00-\u9fff]\.", text)
    summaries = re.findall(r'<figcaption id="[^"]+-summary"><p>([^<]+)</p>', text)
    assert len(summaries) >= 8
    for summary in summaries:
        assert summary.endswith("。") and ". " not in summary, summary
    assert "各阶段运动员人数" in text
