"""The term report's figures: exact values against the demo and against generated data (the
sums of the underlying records), the sentences, the public API."""

from datetime import date

import pytest

from app.athletes.enums import Stage
from app.reports import figures
from tests.reports.seed import seed

TERM = (date(2017, 1, 1), date(2021, 12, 31))


def test_generated_data_figures_equal_the_sums_of_the_records(app):
    expected = seed(scale=1, rng_seed=11)
    report = figures.build_report(*TERM)
    m = report.medals.totals
    assert (m.gold, m.silver, m.bronze) == (
        expected["medals"]["gold"],
        expected["medals"]["silver"],
        expected["medals"]["bronze"],
    )
    assert report.performances.totals.performances == expected["performances"]
    assert report.performances.totals.beneficiaries == expected["beneficiaries"]
    by_setting = {str(r.key): r.beneficiaries for r in report.performances.by_setting}
    assert by_setting == {k: v for k, v in expected["by_setting"].items() if k in by_setting}
    assert sum(by_setting.values()) == expected["beneficiaries"]
    h = report.homes
    assert (h.homes, h.towns_covered, h.members, h.attendance) == (
        expected["homes"],
        expected["towns"],
        expected["members"],
        expected["attendance"],
    )
    assert {s.value: n for s, n in report.stages.items() if n} == dict(expected["stages"])
    assert sum(report.talents.values()) == expected["found"]
    assert sum(n for _s, n in report.classifications_due) == expected["due"]
    # Every table's total row is the sum of its rows.
    for f in report.figures:
        if f.total and f.key not in ("members_by_service",):
            for column in range(1, len(f.header)):
                if isinstance(f.total[column], int):
                    assert f.total[column] == sum(row[column] for row in f.rows), f.key
    # The headline table repeats the same figures.
    headline = dict(report.figure("headline").rows)
    assert headline["Performances held"] == expected["performances"]
    assert headline["Members served"] == expected["members"]


@pytest.mark.parametrize("rng_seed", [3, 5])
def test_api_equals_generated_sums(app, client, rng_seed):
    expected = seed(scale=1, rng_seed=rng_seed)
    body = client.get("/api/v1/report?from=2017-01-01&to=2021-12-31").get_json()
    medals = expected["medals"]
    assert body["medals"] == {
        "gold": medals["gold"],
        "silver": medals["silver"],
        "bronze": medals["bronze"],
        "total": medals["gold"] + medals["silver"] + medals["bronze"],
    }
    assert body["performances"] == {
        "performances": expected["performances"],
        "beneficiaries": expected["beneficiaries"],
    }
    assert body["homes"] == {
        "homes": expected["homes"],
        "towns_covered": expected["towns"],
        "members": expected["members"],
        "attendance": expected["attendance"],
    }
    assert body["athletes"]["by_stage"] == [
        {"stage": s.value, "athletes": expected["stages"][s.value]} for s in Stage
    ]


def test_demo_term_figures(client, demo):
    body = client.get("/api/v1/report?from=2017-01-01&to=2021-12-31").get_json()
    assert body["from"] == "2017-01-01" and body["to"] == "2021-12-31"
    assert body["medals"] == {"gold": 19, "silver": 12, "bronze": 11, "total": 42}
    assert body["performances"] == {"performances": 59, "beneficiaries": 4586}
    assert body["homes"]["homes"] == 12
    assert body["homes"]["towns_covered"] == 12
    assert body["homes"]["members"] == 578
    assert [row["stage"] for row in body["athletes"]["by_stage"]] == [s.value for s in Stage]
    page = client.get("/reports/?preset=term2017")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "From 2017 to 2021: 59 touring performances reaching 4,586 person-times" in text
    assert "From 2017 to 2021: 42 medals won (19 gold, 12 silver, 11 bronze)" in text


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("from=2017-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2021-01-01&to=2017-01-01", "to"),
        ("since=2017-01-01", "since"),
    ],
)
def test_api_bad_parameters_answer_400(app, client, query, parameter):
    response = client.get(f"/api/v1/report?{query}")
    assert response.status_code == 400
    assert parameter in response.get_data(as_text=True)


def test_api_is_described_in_openapi(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/report" in doc["paths"]
    assert "400" in doc["paths"]["/report"]["get"]["responses"]
    assert "Report" in doc["components"]["schemas"]


def test_sentences_in_english_and_chinese(app):
    from flask_babel import force_locale

    today = date(2026, 11, 29)
    assert figures.period_phrase(date(2017, 1, 1), today, today) == "Since 2017"
    assert figures.period_phrase(*TERM, today) == "From 2017 to 2021"
    assert figures.period_phrase(date(2021, 1, 1), date(2021, 12, 31), today) == "In 2021"
    assert (
        figures.performances_sentence("Since 2017", 59, 4586)
        == "Since 2017: 59 touring performances reaching 4,586 person-times"
    )
    assert (
        figures.performances_sentence("In 2021", 1, 12)
        == "In 2021: 1 touring performance reaching 12 person-times"
    )
    with force_locale("zh_Hans"):
        when = figures.period_phrase(date(2017, 1, 1), today, today)
        sentence = figures.performances_sentence(when, 59, 4586)
        assert figures.number(12000) == "12,000"
    # The source report's own sentence, to the character.
    assert sentence == "自2017年以来，共开展巡演59场，受益4586人次"


def test_presets():
    keys = {p.key: (p.first, p.last) for p in figures.presets(date(2026, 11, 29))}
    assert keys == {
        "term": (date(2022, 1, 1), date(2026, 12, 31)),
        "term2017": TERM,
        "this_year": (date(2026, 1, 1), date(2026, 12, 31)),
        "last_year": (date(2025, 1, 1), date(2025, 12, 31)),
    }


def _homes_line(report):
    return report.headline[3]


def test_no_roll_call_in_the_period_says_so_instead_of_a_zero(app):
    """Issue 12 item 18: "参加活动0人次" where no roll-call exists for the period."""
    import sqlalchemy as sa
    from flask_babel import force_locale

    from app.extensions import db
    from app.homes.models import Attendance

    expected = seed(scale=1, rng_seed=11)
    db.session.execute(sa.delete(Attendance))
    db.session.commit()
    report = figures.build_report(*TERM)
    assert report.homes.recorded == 0
    assert _homes_line(report) == (
        f"From 2017 to 2021: {expected['homes']} sunshine homes in {expected['towns']} towns "
        f"served {expected['members']} members; no attendance has been recorded for this period"
    )
    assert report.figure("attendance_by_kind").summary == (
        "No attendance has been recorded for this period."
    )
    assert report.figure("homes").summary.startswith(
        f"{expected['homes']} homes open in this period; "
        "no attendance has been recorded for this period."
    )
    with force_locale("zh_Hans"):
        report = figures.build_report(*TERM)
        line = _homes_line(report)
        assert "0人次" not in line
        assert line.endswith("，该期间尚无考勤记录")
        assert report.figure("attendance_by_kind").summary == "该期间尚无考勤记录。"


def test_a_roll_call_with_everyone_absent_is_a_true_zero(app):
    import sqlalchemy as sa

    from app.extensions import db
    from app.homes.models import Attendance

    seed(scale=1, rng_seed=11)
    db.session.execute(sa.update(Attendance).values(status="absent", absence_reason="ill"))
    db.session.commit()
    report = figures.build_report(*TERM)
    assert report.homes.attendance == 0 and report.homes.recorded > 0
    assert _homes_line(report).endswith("with 0 attendance person-times")
    assert report.figure("attendance_by_kind").summary == (
        "0 attendance person-times in this period."
    )
