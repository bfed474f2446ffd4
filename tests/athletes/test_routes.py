"""Athlete pages: the coach × athlete permission matrix, the forms (happy path, invalid input,
refused), and fixed query counts for the list, pipeline, dashboard and profile."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.athletes import services
from app.athletes.enums import Stage
from app.athletes.models import Assessment, AthleteProfile, Classification
from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db

EN = {"Accept-Language": "en"}


def main_text(response):
    body = response.get_data(as_text=True)
    return body[body.index("<main") : body.index("</main>")]


@pytest.fixture
def world(make_user, make_athlete, make_person):
    """Two coaches with one athlete each, an athlete identified by a home staff member, and a
    participant whose person is the first coach's athlete."""
    coach, other = make_user("coach"), make_user("coach")
    staff = make_user("home_staff")
    person = make_person(name="张射手")
    mine = make_athlete(person=person, coaches=[coach])
    theirs = make_athlete(coaches=[other], person_fields={"name": "王游泳"}, sport="swimming")
    proposed = make_athlete(actor=staff, person_fields={"name": "赵新人"})
    participant = make_user("participant", person_id=person.id)
    return {
        "coach": coach,
        "other": other,
        "staff": staff,
        "participant": participant,
        "admin": make_user("admin"),
        "stranger": make_user("participant"),
        "mine": mine,
        "theirs": theirs,
        "proposed": proposed,
    }


@pytest.mark.parametrize(
    ("who", "athlete", "view", "edit"),
    [
        ("coach", "mine", 200, 200),
        ("coach", "theirs", 404, 404),
        ("coach", "proposed", 404, 404),
        ("other", "mine", 404, 404),
        ("other", "theirs", 200, 200),
        ("admin", "mine", 200, 200),
        ("admin", "proposed", 200, 200),
        ("staff", "proposed", 200, 403),
        ("staff", "mine", 404, 403),
        ("participant", "mine", 200, 403),
        ("participant", "theirs", 404, 403),
        ("stranger", "mine", 404, 403),
    ],
)
def test_coach_athlete_permission_matrix(client, login_as, world, who, athlete, view, edit):
    login_as(user=world[who])
    athlete_id = world[athlete].id
    assert client.get(f"/athletes/{athlete_id}").status_code == view
    for path in ("edit", "stage", "classifications/new", "assessments/new"):
        assert client.get(f"/athletes/{athlete_id}/{path}").status_code == edit, path


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for path in (
        "/athletes/",
        "/athletes/pipeline",
        "/athletes/dashboard",
        f"/athletes/{world['mine'].id}",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_participants_reach_their_own_page(client, login_as, world):
    login_as(user=world["participant"])
    response = client.get("/athletes/me")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/athletes/{world['mine'].id}")
    assert client.get("/athletes/").status_code == 403
    login_as(user=world["stranger"])
    assert client.get("/athletes/me").status_code == 404


def test_list_shows_only_the_coachs_athletes(client, login_as, world):
    login_as(user=world["coach"])
    main = main_text(client.get("/athletes/", headers=EN))
    assert "1 athlete found" in main
    assert "张射手" in main
    assert "王游泳" not in main and "赵新人" not in main
    login_as(user=world["admin"])
    main = main_text(client.get("/athletes/", headers=EN))
    assert "3 athletes found" in main


def test_list_filters_and_search(client, login_as, world, sports):
    login_as(user=world["admin"])
    main = main_text(client.get(f"/athletes/?sport={sports['swimming'].id}", headers=EN))
    assert "1 athlete found" in main and "王游泳" in main
    main = main_text(client.get("/athletes/?q=zhang", headers=EN))
    assert "1 athlete found" in main and "张射手" in main
    main = main_text(
        client.get(f"/athletes/?coach={world['other'].id}&stage=identified", headers=EN)
    )
    assert "1 athlete found" in main and "王游泳" in main
    main = main_text(client.get("/athletes/?stage=squad", headers=EN))
    assert "0 athletes found" in main
    # Unknown values are ignored, never an error.
    response = client.get(
        "/athletes/?sport=x&stage=gold&coach=99999&squad=world&page=z", headers=EN
    )
    assert response.status_code == 200
    assert "3 athletes found" in main_text(response)


def test_list_query_count_is_fixed(client, login_as, make_user, make_athlete, count_queries):
    coach_id = login_as("coach").id
    make_athlete(coaches=[coach_id])
    db.session.remove()
    with count_queries() as q:
        assert client.get("/athletes/").status_code == 200
    few = q.count
    extra = make_user("coach").id
    for _n in range(6):
        make_athlete(coaches=[coach_id, extra])
    db.session.remove()
    with count_queries() as q:
        response = client.get("/athletes/", headers=EN)
    assert "7 athletes found" in main_text(response)
    # signed-in user with their roles, sports, coaches (without roles), towns, the page, the
    # page's coaches (every other load of users brings their roles in one more query); no
    # COUNT: the first page is not full, so it is the whole list (core.params.paginate)
    assert q.count == few == 7


def test_pipeline_counts_come_from_one_grouped_query(
    client, login_as, make_athlete, sports, count_queries
):
    admin = login_as("admin")
    for stage in ("identified", "identified", "reserve"):
        make_athlete(stage=stage, sport_ids=[sports["athletics"].id])
    make_athlete(stage="squad", sport="swimming")
    db.session.remove()
    with count_queries() as q:
        response = client.get("/athletes/pipeline", headers=EN)
    assert response.status_code == 200
    grouped = [s for s in q.statements if "GROUP BY" in s.upper()]
    assert len(grouped) == 1
    # user with roles, sports (the filters), coaches, towns, the grouped counts, sports (the rows)
    assert q.count == 6
    main = main_text(response)
    archery = sports["archery"].id
    assert (
        f'href="/athletes/?sport={archery}&amp;stage=identified" '
        'aria-label="2 athletes in Para archery at the stage Identified">2</a>'
    ) in main
    assert f'href="/athletes/?sport={archery}"' in main
    assert "Athletics" in main and "Swimming" in main and "Boccia" not in main
    # The link's list shows the same athletes.
    listed = main_text(client.get(f"/athletes/?sport={archery}&stage=identified", headers=EN))
    assert "2 athletes found" in listed
    assert admin


def test_pipeline_respects_visibility(client, login_as, world):
    login_as(user=world["coach"])
    main = main_text(client.get("/athletes/pipeline", headers=EN))
    assert "Para archery" in main and "Swimming" not in main


def test_dashboard(client, login_as, make_athlete, sports, count_queries):
    coach = login_as("coach")
    today = clock.today()
    due = make_athlete(coaches=[coach], person_fields={"name": "复核到期"})
    services.save_classification(
        due,
        sport_id=sports["archery"].id,
        class_code="W1",
        status="review_by_date",
        classified_on=date(2024, 5, 1),
        review_on=today + timedelta(days=30),
    )
    fresh = make_athlete(coaches=[coach], person_fields={"name": "刚测过"})
    measure = services.template_measures(sports["archery"].id)[0]
    services.record_assessment(
        fresh,
        sport_id=sports["archery"].id,
        assessed_on=today,
        rating=4,
        recommendation="advance",
        values={measure.id: "20"},
        assessor=coach,
    )
    make_athlete(person_fields={"name": "别人的"})
    db.session.commit()
    db.session.remove()
    with count_queries() as q:
        response = client.get("/athletes/dashboard", headers=EN)
    assert response.status_code == 200
    # user with roles, my athletes, reviews, latest (+ assessors' roles), not assessed
    assert q.count == 6
    main = main_text(response)
    assert "You coach or identified 2 athletes." in main
    assert "Para archery class W1, review on" in main
    assert "Warning: Review due soon" in main
    reviews = main[main.index("Classification reviews due") : main.index("No screening in")]
    assert "复核到期" in reviews
    overdue = main[main.index("No screening in") : main.index("Latest screenings")]
    assert "复核到期" in overdue and "never screened" in overdue and "刚测过" not in overdue
    assert "别人的" not in main


def test_dashboard_is_for_coaches(client, login_as):
    login_as("home_staff")
    assert client.get("/athletes/dashboard").status_code == 403


def test_detail_shows_history_classes_and_measurements(
    client, login_as, make_athlete, sports, count_queries
):
    coach = login_as("coach")
    athlete = make_athlete(
        coaches=[coach], person_fields={"name": "李成长"}, discovered_on=date(2023, 1, 5)
    )
    services.change_stage(
        athlete,
        version=athlete.version,
        to_stage="screened",
        changed_on=date(2023, 3, 1),
        reason="测评合格",
        actor=coach,
    )
    services.save_classification(
        athlete,
        sport_id=sports["archery"].id,
        class_code="Open",
        status="review",
        classified_on=date(2023, 4, 1),
        review_on=clock.today() - timedelta(days=1),
    )
    draw = services.template_measures(sports["archery"].id)[0]
    for on, value in (
        (date(2023, 3, 1), "12"),
        (date(2024, 3, 1), "16.5"),
        (date(2025, 3, 1), "20"),
    ):
        services.record_assessment(
            athlete,
            sport_id=sports["archery"].id,
            assessed_on=on,
            rating=3,
            recommendation="advance",
            values={draw.id: value},
            assessor=coach,
        )
    db.session.commit()
    # The coach sees the category once the person consents to share it with coaches.
    _scouting_consent(athlete.person)
    athlete_id = athlete.id
    db.session.remove()
    with count_queries() as q:
        response = client.get(f"/athletes/{athlete_id}", headers=EN)
    assert response.status_code == 200
    # user with roles, athlete with person/town/sport/identifier (+ roles), sports, coaches
    # (+ roles), history with who (+ roles), classes with sport, assessments with sport and
    # assessor (+ roles), values with measure, the person's consents (may the coach see the
    # category?), the audit row for the sensitive field shown
    assert q.count == 13
    main = main_text(response)
    assert "<h1>李成长</h1>" in main
    assert "Para archery class Open: Review date passed" in main
    assert "测评合格" in main
    assert 'role="img"' in main and "<title id=" in main
    assert (
        "Draw weight held: 3 assessments, from 12.0 kg on Mar 1, 2023 to 20.0 kg on "
        "Mar 1, 2025; best 20.0 kg."
    ) in main
    assert "<td>16.5</td>" in main
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "view_sensitive")
    ).one()
    assert (event.entity, event.fields) == ("person", "disability_category")


def proposal(person_id, birth_on, sports, **extra):
    """The non-admin create form: the person by register number and date of birth."""
    data = {
        "register_number": str(person_id),
        "birth_on-year": str(birth_on.year),
        "birth_on-month": str(birth_on.month),
        "birth_on-day": str(birth_on.day),
        "primary_sport_id": str(sports["boccia"].id),
        "squad_level": "none",
        "discovery_source": "community_survey",
        "discovered_on-year": "2025",
        "discovered_on-month": "６",
        "discovered_on-day": "1",
        "notes": "",
    }
    data.update(extra)
    return data


NOT_PROPOSABLE = "No person with this register number and birth date can be proposed."


def test_create_athlete(client, login_as, make_person, sports, count_queries):
    coach = login_as("coach")
    person = make_person(name="新发现", birth_on=date(2008, 5, 17))
    make_person(name="无关人员", name_pinyin="wuguan renyuan")
    with count_queries() as q:
        page = client.get("/athletes/new", headers=EN)
    assert page.status_code == 200
    assert q.count == 3  # the user with their roles, the people without a profile, coaches
    main = main_text(page)
    # The register is admin-only: no names, no drop-down of people.
    for text in ("新发现", "无关人员", "wuguan renyuan", 'name="person_id"'):
        assert text not in main
    assert 'name="register_number"' in main and 'autocomplete="off"' in main
    assert 'name="birth_on-year"' in main and 'autocomplete="off-year"' not in main
    response = client.post(
        "/athletes/new",
        data=proposal(person.id, date(2008, 5, 17), sports, coach_ids=[str(coach.id)]),
        headers=EN,
    )
    assert response.status_code == 303
    athlete = db.session.scalars(sa.select(AthleteProfile)).one()
    assert response.headers["Location"].endswith(f"/athletes/{athlete.id}")
    assert (athlete.person_id, athlete.stage, athlete.discovered_on, athlete.identified_by_id) == (
        person.id,
        Stage.IDENTIFIED,
        date(2025, 6, 1),
        coach.id,
    )
    # The flash names no one (it travels in the session cookie, issue 13 item 13).
    page = main_text(client.get(response.headers["Location"], headers=EN))
    assert "The athlete has been added." in page


@pytest.mark.parametrize(
    "case", ["birth_date", "unknown", "archived", "athlete", "text", "past_integer"]
)
def test_create_athlete_refuses_a_wrong_pair_with_one_message(
    client, login_as, make_person, make_athlete, sports, case
):
    login_as("coach")
    person = make_person(name="别人", birth_on=date(2008, 5, 17))
    register_number, birth_on = person.id, date(2008, 5, 17)
    if case == "birth_date":
        birth_on = date(2008, 5, 18)
    elif case == "unknown":
        register_number = person.id + 1000
    elif case == "archived":
        person.is_archived = True
        db.session.commit()
    elif case == "athlete":
        make_athlete(person=person)
    elif case == "past_integer":
        register_number = "9" * 20  # past an INTEGER column: 'no such person', not a 500
    else:
        register_number = "abc"
    before = db.session.scalar(sa.select(sa.func.count(AthleteProfile.id)))
    response = client.post(
        "/athletes/new", data=proposal(register_number, birth_on, sports), headers=EN
    )
    assert response.status_code == 422
    main = main_text(response)
    assert f'<a href="#register_number">{NOT_PROPOSABLE}</a>' in main
    assert "别人" not in main
    assert db.session.scalar(sa.select(sa.func.count(AthleteProfile.id))) == before


def test_admin_still_chooses_from_the_register(client, login_as, make_person, sports):
    admin = login_as("admin")
    person = make_person(name="新发现")
    make_person(name="无关人员")
    page = client.get("/athletes/new", headers=EN)
    main = main_text(page)
    assert "新发现" in main and "无关人员" in main
    assert 'name="person_id"' in main and 'name="register_number"' not in main
    data = proposal(person.id, date(1900, 1, 1), sports)
    data["person_id"] = data.pop("register_number")
    response = client.post("/athletes/new", data=data, headers=EN)
    assert response.status_code == 303
    athlete = db.session.scalars(sa.select(AthleteProfile)).one()
    assert (athlete.person_id, athlete.identified_by_id) == (person.id, admin.id)


def test_create_athlete_invalid_is_422_with_summary(client, login_as, sports):
    login_as("coach")
    response = client.post("/athletes/new", data={"discovered_on-year": "2025"}, headers=EN)
    assert response.status_code == 422
    main = main_text(response)
    assert '<a href="#register_number">Enter the person&#39;s register number.</a>' in main
    assert '<a href="#birth_on-year">Enter the person&#39;s date of birth.</a>' in main
    assert '<a href="#primary_sport_id">Choose the sport.</a>' in main
    assert '<a href="#discovery_source">Choose how the athlete was found.</a>' in main
    assert '<a href="#discovered_on-year">Enter the date as year, month and day.</a>' in main
    assert "<title>Error:" in response.get_data(as_text=True)


def test_home_staff_propose_a_talent(client, login_as, make_person, sports):
    staff = login_as("home_staff")
    person = make_person()
    response = client.post(
        "/athletes/new",
        data=proposal(person.id, person.birth_on, sports, discovery_source="sunshine_home"),
    )
    assert response.status_code == 303
    athlete = db.session.scalars(sa.select(AthleteProfile)).one()
    assert (athlete.stage, athlete.identified_by_id) == (Stage.IDENTIFIED, staff.id)
    assert client.get(f"/athletes/{athlete.id}").status_code == 200


def test_participants_cannot_create(client, login_as):
    login_as("participant")
    assert client.get("/athletes/new").status_code == 403
    assert client.post("/athletes/new", data={}).status_code == 403


def test_edit_profile_and_conflict(client, login_as, make_athlete, sports):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    data = {
        "primary_sport_id": str(sports["archery"].id),
        "coach_ids": [str(coach.id)],
        "squad_level": "provincial",
        "discovery_source": "sunshine_home",
        "discovered_on-year": "2024",
        "discovered_on-month": "3",
        "discovered_on-day": "1",
        "notes": "省队试训",
        "version": str(athlete.version),
    }
    assert client.post(f"/athletes/{athlete.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert athlete.squad_level.value == "provincial"
    stale = {**data, "squad_level": "national", "notes": "国家队"}
    response = client.post(f"/athletes/{athlete.id}/edit", data=stale, headers=EN)
    assert response.status_code == 409
    main = main_text(response)
    assert "Someone else saved this record after you opened it." in main
    assert re.search(
        r"<th scope=\"row\">Squad level</th>\s*<td>National squad</td>\s*"
        r"<td>Provincial squad</td>",
        main,
    )
    assert re.search(r"<th scope=\"row\">Notes</th>\s*<td>国家队</td>\s*<td>省队试训</td>", main)
    assert main.count("<tr>") == 3  # header and the two fields that differ
    assert f'name="version" type="hidden" value="{athlete.version}"' in main


def test_change_stage_route(client, login_as, make_athlete):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    page = main_text(client.get(f"/athletes/{athlete.id}/stage", headers=EN))
    assert 'value="identified"' not in page and 'value="screened"' in page
    today = clock.today()
    date_fields = {
        "changed_on-year": str(today.year),
        "changed_on-month": str(today.month),
        "changed_on-day": str(today.day),
    }
    response = client.post(
        f"/athletes/{athlete.id}/stage",
        headers=EN,
        data={"to_stage": "squad", "reason": "", "version": str(athlete.version), **date_fields},
    )
    assert response.status_code == 422
    assert "Only an administrator can move an athlete from Identified to Squad." in main_text(
        response
    )
    response = client.post(
        f"/athletes/{athlete.id}/stage",
        data={
            "to_stage": "screened",
            "reason": "测评合格",
            "version": str(athlete.version),
            **date_fields,
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert athlete.stage is Stage.SCREENED
    # The flash names no one (it travels in the session cookie, issue 13 item 13).
    page = main_text(client.get(f"/athletes/{athlete.id}", headers=EN))
    assert "The athlete is now at the stage Screened." in page
    response = client.post(f"/athletes/{athlete.id}/stage", data={}, headers=EN)
    assert response.status_code == 422
    assert '<a href="#to_stage-0">Choose the new stage.</a>' in main_text(response)


def test_classification_routes(client, login_as, make_athlete, sports):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    response = client.post(
        f"/athletes/{athlete.id}/classifications/new",
        headers=EN,
        data={"sport_id": str(sports["archery"].id), "class_code": "W3", "status": "new"},
    )
    assert response.status_code == 422
    assert (
        '<a href="#class_code">Enter a para archery class: Open, W1, VI 1 or VI 2/3.</a>'
        in main_text(response)
    )
    response = client.post(
        f"/athletes/{athlete.id}/classifications/new",
        data={
            "sport_id": str(sports["archery"].id),
            "class_code": "w1",
            "status": "review_by_date",
            "review_on-year": "2027",
            "review_on-month": "1",
            "review_on-day": "15",
        },
    )
    assert response.status_code == 303
    c = db.session.scalars(sa.select(Classification)).one()
    assert (c.class_code, c.review_on) == ("W1", date(2027, 1, 15))
    url = f"/athletes/{athlete.id}/classifications/{c.id}"
    assert 'value="W1"' in main_text(client.get(url))
    old_version = str(c.version)
    response = client.post(
        url,
        data={
            "sport_id": str(sports["archery"].id),
            "class_code": "W1",
            "status": "confirmed",
            "version": old_version,
        },
    )
    assert response.status_code == 303
    response = client.post(
        url,
        headers=EN,
        data={
            "sport_id": str(sports["archery"].id),
            "class_code": "Open",
            "status": "confirmed",
            "version": old_version,
        },
    )
    assert response.status_code == 409
    assert re.search(
        r"<th scope=\"row\">Sport class</th>\s*<td>Open</td>\s*<td>W1</td>", main_text(response)
    )
    other = make_athlete(coaches=[coach])
    assert client.get(f"/athletes/{other.id}/classifications/{c.id}").status_code == 404


def test_assessment_route(client, login_as, make_athlete, sports):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach], sport_ids=[sports["athletics"].id])
    measures = services.template_measures(sports["archery"].id)
    draw, score = measures[0], measures[1]
    page = main_text(client.get(f"/athletes/{athlete.id}/assessments/new", headers=EN))
    assert f'id="value_{draw.id}" inputmode="decimal"' in page
    assert "From 5.0 to 30.0" in page
    assert "Use the Athletics template instead" in page
    today = clock.today()
    base = {
        "assessed_on-year": str(today.year),
        "assessed_on-month": str(today.month),
        "assessed_on-day": str(today.day),
        "rating": "4",
        "recommendation": "advance",
    }
    response = client.post(
        f"/athletes/{athlete.id}/assessments/new",
        headers=EN,
        data={**base, f"value_{draw.id}": "45", f"value_{score.id}": "abc"},
    )
    assert response.status_code == 422
    main = main_text(response)
    assert (
        f'<a href="#value_{draw.id}">Draw weight held must be between 5.0 and 30.0 kg.</a>' in main
    )
    assert (
        f'<a href="#value_{score.id}">Enter 18 m score over 30 arrows as a number in points,'
        " for example 300.</a>"
    ) in main
    assert 'value="45"' in main
    response = client.post(
        f"/athletes/{athlete.id}/assessments/new", data={**base, f"value_{draw.id}": "18.5"}
    )
    assert response.status_code == 303
    a = db.session.scalars(sa.select(Assessment)).one()
    assert (a.rating, a.assessor_id, [str(v.value) for v in a.values]) == (4, coach.id, ["18.50"])
    # The athletics template is used when asked for.
    sprint_page = main_text(
        client.get(
            f"/athletes/{athlete.id}/assessments/new?sport={sports['athletics'].id}", headers=EN
        )
    )
    assert "30 m sprint (seconds)" in sprint_page
    response = client.post(f"/athletes/{athlete.id}/assessments/new", data={}, headers=EN)
    assert response.status_code == 422
    assert "Enter the date of the assessment." in main_text(response)


def test_list_page_number_out_of_range_is_clamped(client, login_as):
    login_as("coach")
    for page in ("99999999999999999999999", "-3", "abc"):
        assert client.get(f"/athletes/?page={page}").status_code == 200


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("primary_sport_id", "Choose the sport."),
        ("sport_ids", "Choose sports from the list."),
        ("coach_ids", "Choose coaches from the list."),
    ],
)
def test_an_id_past_an_integer_column_is_refused_not_a_500(
    client, login_as, make_person, sports, field, message
):
    login_as("coach")
    person = make_person(birth_on=date(2008, 5, 17))
    data = proposal(person.id, date(2008, 5, 17), sports, **{field: "9" * 20})
    response = client.post("/athletes/new", data=data, headers=EN)
    assert response.status_code == 422
    assert (
        f'<a href="#{field}{"-0" if field != "primary_sport_id" else ""}">{message}</a>'
        in main_text(response)
    )
    assert db.session.scalar(sa.select(sa.func.count(AthleteProfile.id))) == 0


# Issue 13 item 2: a birth date is no proof; the category is shown to those allowed -------


def test_proposing_an_athlete_is_a_rationed_and_logged_register_lookup(
    client, login_as, make_person, sports
):
    """A sweep of birth dates: after FAILED_PER_DAY failures even the true date is refused
    with the same answer, and every look-up is in the audit log with its purpose."""
    from app.people.lookup import FAILED_PER_DAY

    coach = login_as("coach")
    person = make_person(name="被猜者", birth_on=date(2008, 5, 17))
    for day in range(1, FAILED_PER_DAY + 1):
        response = client.post(
            "/athletes/new", data=proposal(person.id, date(2008, 6, day), sports), headers=EN
        )
        assert response.status_code == 422
        assert f'<a href="#register_number">{NOT_PROPOSABLE}</a>' in main_text(response)
    response = client.post(
        "/athletes/new", data=proposal(person.id, date(2008, 5, 17), sports), headers=EN
    )
    assert response.status_code == 422
    main = main_text(response)
    assert f'<a href="#register_number">{NOT_PROPOSABLE}</a>' in main
    assert "被猜者" not in main
    assert db.session.scalar(sa.select(sa.func.count(AthleteProfile.id))) == 0
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.actor_id, AuditEvent.details)
        .where(AuditEvent.action.like("register_lookup%"))
        .order_by(AuditEvent.id)
    ).all()
    assert [(a, e, u) for a, e, u, _d in rows] == [
        ("register_lookup_failed", person.id, coach.id)
    ] * (FAILED_PER_DAY + 1)
    assert {d["purpose"] for *_rest, d in rows} == {"athlete_proposal"}


def test_a_successful_proposal_is_logged(client, login_as, make_person, sports):
    coach = login_as("coach")
    person = make_person(birth_on=date(2008, 5, 17))
    response = client.post(
        "/athletes/new", data=proposal(person.id, date(2008, 5, 17), sports), headers=EN
    )
    assert response.status_code == 303
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.actor_id).where(
            AuditEvent.action.like("register_lookup%")
        )
    ).all()
    assert rows == [("register_lookup", person.id, coach.id)]


def _scouting_consent(person):
    from app.people import services as people_services

    people_services.record_consent(
        person, kind="scouting", given_on=date(2026, 1, 5), given_by="self"
    )
    db.session.commit()


CATEGORY_ROW = "<dt>Disability category</dt><dd>Physical disability</dd>"


@pytest.mark.parametrize(
    "viewer, consent, shown",
    [
        ("admin", False, True),
        ("coach", False, False),
        ("coach", True, True),
        ("identifier", True, False),
        ("other_coach_with_view", True, False),
    ],
)
def test_the_disability_category_is_shown_to_admins_and_to_consented_coaches(
    client, login_as, make_user, make_person, make_athlete, viewer, consent, shown
):
    coach = make_user("coach")
    identifier = make_user("home_staff")
    person = make_person(birth_on=date(2000, 1, 1))
    athlete = make_athlete(person=person, coaches=[coach], actor=identifier)
    if consent:
        _scouting_consent(person)
    if viewer == "admin":
        login_as("admin")
    elif viewer == "coach":
        login_as(user=coach)
    elif viewer == "identifier":
        login_as(user=identifier)
    else:  # a coach who identified the athlete but does not coach them
        athlete.identified_by_id = login_as("coach").id
        db.session.commit()
    response = client.get(f"/athletes/{athlete.id}", headers=EN)
    assert response.status_code == 200
    main = main_text(response)
    assert (CATEGORY_ROW in main) is shown
    assert ("Physical disability" in main) is shown
    views = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "view_sensitive")
    )
    assert views == (1 if shown else 0)


def test_the_category_filter_is_for_admins_only(client, login_as, make_person, make_athlete):
    coach = login_as("coach")
    make_athlete(person=make_person(name="类别甲", disability_category="visual"), coaches=[coach])
    main = main_text(client.get("/athletes/", headers=EN))
    assert 'name="category"' not in main
    # The filter in the address is ignored: it would tell which athletes are of a category.
    main = main_text(client.get("/athletes/?category=physical", headers=EN))
    assert "1 athlete found" in main and "类别甲" in main
    main = main_text(client.get("/athletes/pipeline?category=physical", headers=EN))
    assert "All 1 athletes in" in main
    login_as("admin")
    main = main_text(client.get("/athletes/?category=physical", headers=EN))
    assert 'name="category"' in main and "0 athletes found" in main


# Issue 12 item 4 and issue 13 item 10: missing versions and concurrent saves are 409s --------


def _profile_data(athlete, sports, **extra):
    data = {
        "primary_sport_id": str(sports["archery"].id),
        "squad_level": "none",
        "discovery_source": "sunshine_home",
        "discovered_on-year": "2024",
        "discovered_on-month": "3",
        "discovered_on-day": "1",
        "notes": "",
        "version": str(athlete.version),
    }
    data.update(extra)
    return data


def _stage_data(athlete, **extra):
    data = {
        "to_stage": "screened",
        "changed_on-year": "2025",
        "changed_on-month": "1",
        "changed_on-day": "2",
        "reason": "测评合格",
        "version": str(athlete.version),
    }
    data.update(extra)
    return data


def test_a_stage_change_without_a_version_is_a_conflict(client, login_as, make_athlete):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    data = _stage_data(athlete)
    del data["version"]
    response = client.post(f"/athletes/{athlete.id}/stage", data=data, headers=EN)
    assert response.status_code == 409
    assert "Someone else saved this record after you opened it." in main_text(response)
    db.session.expire_all()
    assert athlete.stage is Stage.IDENTIFIED


def _saved_meanwhile(monkeypatch, name, table, row_id):
    """Make ``services.<name>`` meet a row another process saved after the version check:
    the row's version moves on in the database just before the service runs, so the ORM's
    UPDATE … WHERE version = :old matches nothing (StaleDataError)."""
    original = getattr(services, name)

    def racing(*args, **kwargs):
        db.session.execute(
            sa.text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id}
        )
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, racing)


def test_a_concurrent_profile_save_is_a_409_with_the_input_kept(
    client, login_as, make_athlete, sports, monkeypatch
):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    _saved_meanwhile(monkeypatch, "update_athlete", "athlete_profiles", athlete.id)
    data = _profile_data(athlete, sports, notes="并发保存", coach_ids=[str(coach.id)])
    response = client.post(f"/athletes/{athlete.id}/edit", data=data, headers=EN)
    assert response.status_code == 409
    main = main_text(response)
    assert "Someone else saved this record after you opened it." in main
    assert "并发保存</textarea>" in main
    db.session.expire_all()
    assert athlete.notes == ""


def test_a_concurrent_stage_change_is_a_409(client, login_as, make_athlete, monkeypatch):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    _saved_meanwhile(monkeypatch, "change_stage", "athlete_profiles", athlete.id)
    response = client.post(f"/athletes/{athlete.id}/stage", data=_stage_data(athlete), headers=EN)
    assert response.status_code == 409
    assert "测评合格</textarea>" in main_text(response)
    db.session.expire_all()
    assert athlete.stage is Stage.IDENTIFIED
    assert len(athlete.stage_changes) == 1


def test_a_concurrent_classification_save_is_a_409(
    client, login_as, make_athlete, sports, monkeypatch
):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    c = services.save_classification(
        athlete, sport_id=sports["archery"].id, class_code="W1", status="confirmed"
    )
    db.session.commit()
    _saved_meanwhile(monkeypatch, "save_classification", "athlete_classifications", c.id)
    response = client.post(
        f"/athletes/{athlete.id}/classifications/{c.id}",
        headers=EN,
        data={
            "sport_id": str(sports["archery"].id),
            "class_code": "Open",
            "status": "confirmed",
            "notes": "复核",
            "version": str(c.version),
        },
    )
    assert response.status_code == 409
    assert "复核</textarea>" in main_text(response)
    db.session.expire_all()
    assert c.class_code == "W1"


def test_the_classification_conflict_panel_lists_the_review_date(
    client, login_as, make_athlete, sports
):
    """Issue 19 item 3: another coach moved the review date; the stale save of the notes
    shows it, and the saved value is not lost without being shown."""
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach])
    c = services.save_classification(
        athlete,
        sport_id=sports["archery"].id,
        class_code="W1",
        status="review_by_date",
        classified_on=date(2025, 1, 1),
        review_on=date(2027, 1, 15),
    )
    db.session.commit()
    url = f"/athletes/{athlete.id}/classifications/{c.id}"
    opened = str(c.version)
    base = {
        "sport_id": str(sports["archery"].id),
        "class_code": "W1",
        "status": "review_by_date",
        "classified_on-year": "2025",
        "classified_on-month": "1",
        "classified_on-day": "1",
        "review_on-year": "2027",
        "review_on-month": "1",
        "review_on-day": "15",
        "notes": "",
        "version": opened,
    }
    first = {**base, "review_on-month": "3", "review_on-day": "1"}
    assert client.post(url, data=first).status_code == 303
    response = client.post(url, data={**base, "notes": "复核材料齐全"}, headers=EN)
    assert response.status_code == 409
    main = main_text(response)
    assert re.search(
        r"<th scope=\"row\">Review date</th>\s*<td>Jan 15, 2027</td>\s*<td>Mar 1, 2027</td>", main
    )
    assert re.search(r"<th scope=\"row\">Notes</th>\s*<td>复核材料齐全</td>\s*<td>", main)
    db.session.expire_all()
    assert (c.review_on, c.notes) == (date(2027, 3, 1), "")


def test_a_date_found_after_the_stage_history_begins_is_refused(
    client, login_as, make_athlete, sports
):
    coach = login_as("coach")
    athlete = make_athlete(coaches=[coach], discovered_on=date(2024, 3, 1))
    data = _profile_data(athlete, sports, **{"discovered_on-month": "5"})
    response = client.post(f"/athletes/{athlete.id}/edit", data=data, headers=EN)
    assert response.status_code == 422
    assert (
        '<a href="#discovered_on-year">The date found cannot be after the stage history '
        "begins (Mar 1, 2024).</a>"
    ) in main_text(response)
    db.session.expire_all()
    assert athlete.discovered_on == date(2024, 3, 1)
