"""Admins extend the sports list and edit the screening templates."""

import re

import sqlalchemy as sa

from app.athletes.models import AssessmentMeasure, Sport
from app.extensions import db


def main_text(response):
    body = response.get_data(as_text=True)
    return body[body.index("<main") : body.index("</main>")]


def test_only_admins(client, login_as):
    login_as("coach")
    for path in ("/athletes/sports", "/athletes/measures"):
        assert client.get(path).status_code == 403
        assert client.post(path, data={}).status_code == 403
    assert client.post("/athletes/measures/1/active", data={"active": "0"}).status_code == 403


def test_add_a_sport(client, login_as, sports, count_queries):
    login_as("admin")
    with count_queries() as q:
        page = client.get("/athletes/sports")
    assert q.count == 2  # the user with their roles, sports
    main = main_text(page)
    assert '<th scope="row" lang="zh-CN">残疾人射箭</th>' in main
    assert "<td>Open, W1, VI</td>" in main
    response = client.post(
        "/athletes/sports",
        data={"name": "盲人足球", "name_en": "Blind football", "class_hint": "B1"},
    )
    assert response.status_code == 303
    sport = db.session.scalars(sa.select(Sport).where(Sport.name == "盲人足球")).one()
    assert (sport.code, sport.class_hint, sport.sort_order) == ("blind_football", "B1", 12)
    response = client.post("/athletes/sports", data={"name": "盲人足球", "name_en": "x"})
    assert response.status_code == 422
    assert '<a href="#name">This sport is already in the list.</a>' in main_text(response)
    response = client.post("/athletes/sports", data={})
    assert response.status_code == 422
    assert '<a href="#name_en">Enter the sport&#39;s English name.</a>' in main_text(response)


def test_edit_a_template(client, login_as, sports):
    login_as("admin")
    main = main_text(client.get("/athletes/measures"))
    assert "General measurements (every sport)" in main
    assert "<td>5.0 to 30.0</td>" in main and "<td>0 to 300</td>" in main
    response = client.post(
        "/athletes/measures",
        data={
            "sport_id": str(sports["swimming"].id),
            "name": "50 米自由泳",
            "name_en": "50 m freestyle",
            "unit": "s",
            "min_value": "２０",
            "max_value": "1,200",
            "lower_is_better": "y",
        },
    )
    assert response.status_code == 303
    measure = db.session.scalars(
        sa.select(AssessmentMeasure).where(AssessmentMeasure.name_en == "50 m freestyle")
    ).one()
    assert (str(measure.min_value), str(measure.max_value), measure.lower_is_better) == (
        "20.00",
        "1200.00",
        True,
    )
    response = client.post(
        "/athletes/measures",
        data={
            "sport_id": "",
            "name": "坐位体前屈",
            "name_en": "Sit and reach",
            "unit": "cm",
            "min_value": "abc",
            "max_value": "-5",
        },
    )
    assert response.status_code == 422
    main = main_text(response)
    assert '<a href="#min_value">Enter the lowest value as a number, for example 0.</a>' in main
    response = client.post(
        "/athletes/measures",
        data={
            "sport_id": "",
            "name": "坐位体前屈",
            "name_en": "Sit and reach",
            "unit": "cm",
            "min_value": "10",
            "max_value": "-5",
        },
    )
    assert response.status_code == 422
    assert "The lowest value must not be above the highest." in main_text(response)
    response = client.post(f"/athletes/measures/{measure.id}/active", data={"active": "0"})
    assert response.status_code == 303
    db.session.expire_all()
    assert measure.is_active is False
    assert "Put back" in main_text(client.get("/athletes/measures"))
    assert client.post("/athletes/measures/99999/active", data={}).status_code == 404


# Issue 19 item 9: measures get an edit form; a removed measure's name can be used again ----


def _measure(sports, name_en="Draw weight held"):
    return db.session.scalars(
        sa.select(AssessmentMeasure).where(
            AssessmentMeasure.sport_id == sports["archery"].id,
            AssessmentMeasure.name_en == name_en,
        )
    ).one()


def _edit_data(measure, **extra):
    data = {
        "name": measure.name,
        "name_en": measure.name_en,
        "min_value": measure.min_text,
        "max_value": measure.max_text,
        "version": str(measure.version),
    }
    if measure.lower_is_better:
        data["lower_is_better"] = "y"
    data.update(extra)
    return data


def test_edit_a_measure(client, login_as, sports):
    login_as("admin")
    measure = _measure(sports)
    url = f"/athletes/measures/{measure.id}/edit"
    assert f'href="{url}"' in main_text(client.get("/athletes/measures"))
    page = main_text(client.get(url))
    assert "<h1>Edit the measurement “Draw weight held”</h1>" in page
    assert 'value="30.0"' in page
    response = client.post(
        url, data=_edit_data(measure, name="拉弓力量", max_value="1,200", lower_is_better="y")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (measure.name, str(measure.max_value), measure.lower_is_better, measure.version) == (
        "拉弓力量",
        "1200.00",
        True,
        2,
    )
    assert "<td>5.0 to 1200.0</td>" in main_text(client.get("/athletes/measures"))


def test_edit_a_measure_refuses_bad_input_and_stale_versions(client, login_as, sports):
    login_as("admin")
    measure = _measure(sports)
    url = f"/athletes/measures/{measure.id}/edit"
    response = client.post(url, data=_edit_data(measure, min_value="abc", max_value="1,20"))
    assert response.status_code == 422
    main = main_text(response)
    assert '<a href="#min_value">Enter the lowest value as a number, for example 0.</a>' in main
    assert '<a href="#max_value">Enter the highest value as a number, for example 100.</a>' in main
    other = _measure(sports, "18 m score over 30 arrows")
    response = client.post(url, data=_edit_data(measure, name=other.name))
    assert response.status_code == 422
    assert "This template already has a measurement of that name." in main_text(response)
    opened = _edit_data(measure)
    assert client.post(url, data={**opened, "max_value": "40"}).status_code == 303
    response = client.post(url, data={**opened, "name_en": "Draw weight"})
    assert response.status_code == 409
    main = main_text(response)
    assert re.search(
        r"<th scope=\"row\">Highest accepted value</th>\s*<td>30.0</td>\s*<td>40.0</td>", main
    )
    missing = {**opened}
    del missing["version"]
    assert client.post(url, data=missing).status_code == 409
    db.session.expire_all()
    assert (measure.name_en, str(measure.max_value)) == ("Draw weight held", "40.00")
    assert client.get("/athletes/measures/99999/edit").status_code == 404
    login_as("coach")
    assert client.get(url).status_code == 403
    assert client.post(url, data=opened).status_code == 403


def test_a_removed_measures_name_can_be_used_again(client, login_as, sports):
    login_as("admin")
    old = _measure(sports)
    assert (
        client.post(f"/athletes/measures/{old.id}/active", data={"active": "0"}).status_code == 303
    )
    response = client.post(
        "/athletes/measures",
        data={
            "sport_id": str(sports["archery"].id),
            "name": old.name,
            "name_en": old.name_en,
            "unit": "kg",
            "min_value": "5",
            "max_value": "40",
        },
    )
    assert response.status_code == 303
    new = db.session.scalars(
        sa.select(AssessmentMeasure).where(
            AssessmentMeasure.name_en == "Draw weight held", AssessmentMeasure.is_active.is_(True)
        )
    ).one()
    assert new.id != old.id
    # The old one cannot be put back beside it: two measures of one name in a template.
    response = client.post(f"/athletes/measures/{old.id}/active", data={"active": "1"})
    assert response.status_code == 303
    page = main_text(client.get("/athletes/measures"))
    assert (
        "This template already has a measurement of that name. Rename one of them first."
    ) in page
    db.session.expire_all()
    assert old.is_active is False


def test_taking_out_a_measure_saved_meanwhile_is_no_500(client, login_as, sports, monkeypatch):
    """Issue 13 item 10: another admin saved the measure between the page and the click."""
    from app.athletes import services

    login_as("admin")
    measure = _measure(sports)
    original = services.set_measure_active

    def racing(record, *args, **kwargs):
        db.session.execute(
            sa.text("UPDATE assessment_measures SET version = version + 1 WHERE id = :id"),
            {"id": record.id},
        )
        return original(record, *args, **kwargs)

    monkeypatch.setattr(services, "set_measure_active", racing)
    response = client.post(f"/athletes/measures/{measure.id}/active", data={"active": "0"})
    assert response.status_code == 303
    page = main_text(client.get("/athletes/measures"))
    assert "Someone else changed this measurement at the same time." in page
    db.session.expire_all()
    assert measure.is_active is True
