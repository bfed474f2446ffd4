"""Statistics from grouped SQL: exact sums by setting, town, programme and month; the page
(tables and SVG charts with the same numbers), exports without formula injection, the public
summary API and its 400s, bounded query counts."""

import io
from datetime import date

from app.performances import stats
from tests.performances.conftest import at


def held(make_performance, make_venue, make_programme):
    workshop = make_venue(town="锦屏街道", kind="work_therapy_workshop")
    hall = make_venue(town="溪口镇", kind="cultural_auditorium")
    other = make_programme(name='=HYPERLINK("x")')
    make_performance(
        at(3, 9, month=5, year=2019),
        at(3, 11, month=5, year=2019),
        venue=workshop,
        setting="work_therapy_workshop",
        status="done",
        audience=50,
        audience_disabled=30,
        beneficiaries=45,
    )
    make_performance(
        at(20, 9, month=5, year=2019),
        at(20, 11, month=5, year=2019),
        venue=hall,
        setting="village",
        status="done",
        audience=120,
        audience_disabled=40,
        beneficiaries=100,
    )
    make_performance(
        at(1, 9, month=1, year=2020),
        at(1, 11, month=1, year=2020),
        venue=hall,
        setting="village",
        status="done",
        audience=80,
        audience_disabled=20,
        beneficiaries=70,
        programme_id=other.id,
    )
    # Not counted: cancelled, planned, or outside the period.
    make_performance(
        at(2, 9, month=1, year=2020),
        at(2, 11, month=1, year=2020),
        venue=hall,
        setting="village",
        status="cancelled",
        beneficiaries=999,
    )
    make_performance(
        at(3, 9, month=5, year=2022),
        at(3, 11, month=5, year=2022),
        venue=hall,
        setting="village",
        status="done",
        beneficiaries=500,
    )


def test_statistics_sums(make_performance, make_venue, make_programme, count_queries):
    held(make_performance, make_venue, make_programme)
    with count_queries() as q:
        result = stats.statistics(date(2019, 1, 1), date(2021, 12, 31))
    assert q.count == 5
    t = result.totals
    assert (t.performances, t.beneficiaries, t.audience, t.audience_disabled) == (3, 215, 250, 90)
    assert [(r.key.value, r.performances, r.beneficiaries) for r in result.by_setting] == [
        ("village", 2, 170),
        ("work_therapy_workshop", 1, 45),
    ]
    assert [(r.name, r.performances, r.beneficiaries) for r in result.by_town] == [
        ("锦屏街道", 1, 45),
        ("溪口镇", 2, 170),
    ]
    assert sorted((r.performances, r.beneficiaries) for r in result.by_programme) == [
        (1, 70),
        (2, 145),
    ]
    assert [(r.key, r.performances, r.audience_disabled) for r in result.by_month] == [
        ("2019-05", 2, 70),
        ("2020-01", 1, 20),
    ]


def test_the_local_day_decides_the_month(make_performance, make_venue):
    # 00:30 Beijing on 1 June is 16:30 UTC on 31 May: it counts in June.
    make_performance(
        at(1, 0, 30, month=6, year=2019),
        at(1, 2, month=6, year=2019),
        status="done",
        beneficiaries=10,
    )
    result = stats.statistics(date(2019, 6, 1), date(2019, 6, 30))
    assert [(r.key, r.beneficiaries) for r in result.by_month] == [("2019-06", 10)]


def test_statistics_page_tables_and_charts(
    client, make_performance, make_venue, make_programme, count_queries
):
    held(make_performance, make_venue, make_programme)
    with count_queries() as q:
        page = client.get("/performances/statistics?from=2019-01-01&to=2021-12-31")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "3 performances held, reaching 215 beneficiaries" in text
    assert text.count('role="img"') == 4
    assert "<td>170</td>" in text  # village in the table, and drawn in the chart
    assert ">170</text>" in text
    assert q.count <= 8
    bad = client.get("/performances/statistics?from=2019-13-01")
    assert bad.status_code == 422
    assert "Write the date as year-month-day" in bad.get_data(as_text=True)


def test_each_chart_says_what_is_largest_in_a_whole_sentence(
    client, make_performance, make_venue, make_programme
):
    """Issue 12 item 16: "最高：2017-01，1" said nothing. Each chart's summary names the
    largest bar in a real sentence, months by name, in both languages."""
    held(make_performance, make_venue, make_programme)
    url = "/performances/statistics?from=2019-01-01&to=2021-12-31"
    text = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    for sentence in (
        "The setting with the most beneficiaries: Into a village, 170 person-times.",
        "The town with the most beneficiaries: Xikou Town, 170 person-times.",
        "The programme with the most performances held: Programme 2, 2 performances.",
        "Most performances in one month: 2, in May 2019.",
    ):
        assert sentence in text
    assert "Highest" not in text
    text = client.get(url, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    for sentence in (
        "具体数字见表格。受益人次最多的演出场所类型：进农村，170人次。",
        "受益人次最多的镇：溪口镇，170人次。",
        "演出场次最多的项目：Programme 2，2场。",
        "单月演出最多：2019年5月，2场。",
    ):
        assert sentence in text
    assert "最高" not in text


def test_ties_are_all_named(client, make_performance, make_venue):
    for day in (3, 20):
        make_performance(
            at(day, 9, month=5 if day == 3 else 6, year=2019),
            at(day, 11, month=5 if day == 3 else 6, year=2019),
            venue=make_venue(),
            status="done",
            beneficiaries=10,
        )
    text = client.get(
        "/performances/statistics?from=2019-01-01&to=2019-12-31",
        headers={"Accept-Language": "en"},
    ).get_data(as_text=True)
    assert "Most performances in one month: 1, in May 2019 and June 2019." in text


def test_exports_have_no_formulas(client, make_performance, make_venue, make_programme):
    held(make_performance, make_venue, make_programme)
    csv = client.get("/performances/statistics.csv?from=2019-01-01&to=2021-12-31")
    assert csv.status_code == 200
    body = csv.get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "Total,,3,215,250,90" in body
    xlsx = client.get("/performances/statistics.xlsx?from=2019-01-01&to=2021-12-31")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("x")' in values
    assert client.get("/performances/statistics.csv?to=yesterday").status_code == 400


def test_summary_api(client, make_performance, make_venue, make_programme):
    held(make_performance, make_venue, make_programme)
    body = client.get("/api/v1/performances/summary?from=2019-01-01&to=2021-12-31").get_json()
    assert body["from"] == "2019-01-01" and body["to"] == "2021-12-31"
    assert (body["performances"], body["beneficiaries"]) == (3, 215)
    assert (body["audience"], body["audience_disabled"]) == (250, 90)
    assert body["by_setting"] == [
        {"setting": "village", "performances": 2, "beneficiaries": 170},
        {"setting": "work_therapy_workshop", "performances": 1, "beneficiaries": 45},
    ]
    assert body["by_town"][1] == {"town": "溪口镇", "performances": 2, "beneficiaries": 170}
    assert body["by_month"][0] == {"month": "2019-05", "performances": 2, "beneficiaries": 145}
    for query in ("from=2019-1-1", "to=2019-02-30", "from=2020-01-01&to=2019-01-01", "year=2019"):
        response = client.get(f"/api/v1/performances/summary?{query}")
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 400 and response.get_json()["detail"]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/performances/summary" in spec["paths"]
    assert "PerformancesSummary" in spec["components"]["schemas"]


def test_export_heads_the_group_column_with_what_it_holds_not_a_person_name(app):
    """Issue 19 item 18: the column of settings, towns, programmes and months was headed
    "姓名" (a person's name)."""
    from flask_babel import force_locale

    from app.performances.views.statistics import statistics_rows

    result = stats.statistics(date(2019, 1, 1), date(2019, 12, 31))
    with app.test_request_context(), force_locale("zh_Hans"):
        header = [str(cell) for cell in statistics_rows(result)[0]]
    assert header[:2] == ["分组", "场所类型、街镇、项目或月份"]
    assert "姓名" not in header
