"""Admins extend the sports list and edit the screening templates."""

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
    assert q.count == 3  # user + roles, sports
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
