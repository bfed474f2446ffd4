"""Athlete services against the database: creation, stage changes, classifications,
assessments, reference data, and the visibility rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.athletes import rules, services
from app.athletes.enums import ClassificationStatus, SquadLevel, Stage
from app.athletes.models import AssessmentMeasure, StageChange
from app.core import clock
from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db


def audit_rows(entity):
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.fields)
        .where(AuditEvent.entity == entity)
        .order_by(AuditEvent.id)
    ).all()


def test_create_athlete_records_identification(make_user, make_person, sports):
    coach = make_user("coach")
    other = make_user("coach")
    person = make_person(name="李射手")
    athlete = services.create_athlete(
        person_id=person.id,
        primary_sport_id=sports["archery"].id,
        sport_ids=[str(sports["athletics"].id), str(sports["archery"].id)],
        coach_ids=[coach.id, other.id],
        discovery_source="special_school",
        discovered_on=date(2025, 9, 1),
        actor=coach,
        birth_on=person.birth_on,
    )
    db.session.commit()
    assert athlete.stage is Stage.IDENTIFIED
    assert athlete.stage_since == date(2025, 9, 1)
    assert athlete.squad_level is SquadLevel.NONE
    assert [s.code for s in athlete.sports] == ["archery", "athletics"]
    assert athlete.coach_ids() == {coach.id, other.id}
    assert athlete.identified_by_id == coach.id
    [change] = athlete.stage_changes
    assert (change.from_stage, change.to_stage, change.changed_by_id) == (
        None,
        Stage.IDENTIFIED,
        coach.id,
    )
    assert audit_rows("athlete") == [
        (
            "create",
            athlete.id,
            "coaches,discovered_on,discovery_source,notes,primary_sport_id,sports,squad_level,stage",
        )
    ]


@pytest.mark.parametrize("birth_on", [None, date(2008, 5, 18)])
def test_a_non_admin_must_give_the_matching_birth_date(make_user, make_person, sports, birth_on):
    person = make_person(birth_on=date(2008, 5, 17))
    with pytest.raises(DomainError) as error:
        services.create_athlete(
            person_id=str(person.id),
            primary_sport_id=sports["archery"].id,
            discovery_source="referral",
            discovered_on=date(2025, 1, 1),
            actor=make_user("home_staff"),
            birth_on=birth_on,
        )
    assert (error.value.field, str(error.value.message)) == (
        "register_number",
        "No person with this register number and birth date can be proposed.",
    )


def test_a_person_has_one_athlete_profile(make_athlete, make_person, sports):
    person = make_person(name="王重复")
    make_athlete(person=person)
    with pytest.raises(DomainError) as error:
        services.create_athlete(
            person_id=person.id,
            primary_sport_id=sports["archery"].id,
            discovery_source="other",
            discovered_on=date(2025, 1, 1),
        )
    assert str(error.value.message) == "王重复 already has an athlete profile."
    assert error.value.field == "person_id"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person_id": "999999"}, "person_id", "Choose the person from the register."),
        ({"primary_sport_id": "x"}, "primary_sport_id", "Choose the sport."),
        ({"coach_ids": ["abc"]}, "coach_ids", "Choose coaches from the list."),
        ({"discovery_source": "tv"}, "discovery_source", "Choose how the athlete was found."),
        ({"squad_level": "world"}, "squad_level", "Choose the squad level."),
        ({"discovered_on": None}, "discovered_on", "Enter the date the athlete was found."),
    ],
)
def test_create_athlete_refuses_bad_values(make_person, sports, changes, field, message):
    person = make_person()
    values = {
        "person_id": person.id,
        "primary_sport_id": sports["archery"].id,
        "discovery_source": "referral",
        "discovered_on": date(2025, 1, 1),
    }
    values.update(changes)
    with pytest.raises(DomainError) as error:
        services.create_athlete(**values)
    assert (error.value.field, str(error.value.message)) == (field, message)


def test_coaches_must_hold_the_coach_role(make_user, make_person, sports):
    staff = make_user("home_staff")
    with pytest.raises(DomainError) as error:
        services.create_athlete(
            person_id=make_person().id,
            primary_sport_id=sports["boccia"].id,
            discovery_source="referral",
            discovered_on=date(2025, 1, 1),
            coach_ids=[staff.id],
        )
    assert str(error.value.message) == "Choose coaches from the list."


def test_future_discovery_date_is_refused(make_person, sports):
    with pytest.raises(DomainError) as error:
        services.create_athlete(
            person_id=make_person().id,
            primary_sport_id=sports["boccia"].id,
            discovery_source="referral",
            discovered_on=clock.today() + timedelta(days=1),
        )
    assert str(error.value.message) == "The date found must not be in the future."


def test_update_athlete_audits_changed_fields_and_checks_version(make_athlete, make_user, sports):
    coach = make_user("coach")
    athlete = make_athlete()
    version = athlete.version
    services.update_athlete(
        athlete,
        version=version,
        primary_sport_id=sports["archery"].id,
        sport_ids=[sports["boccia"].id],
        coach_ids=[coach.id],
        squad_level="city",
        discovery_source="sunshine_home",
        discovered_on=date(2024, 3, 1),
        notes="",
    )
    db.session.commit()
    assert athlete.squad_level is SquadLevel.CITY
    assert athlete.version == version + 1
    assert audit_rows("athlete")[-1] == ("update", athlete.id, "coaches,sports,squad_level")
    with pytest.raises(EditConflict):
        services.update_athlete(
            athlete,
            version=version,
            primary_sport_id=sports["archery"].id,
            discovery_source="sunshine_home",
            discovered_on=date(2024, 3, 1),
        )


def test_change_stage_moves_and_records_history(make_athlete, make_user):
    coach = make_user("coach")
    athlete = make_athlete(coaches=[coach])
    services.change_stage(
        athlete,
        version=athlete.version,
        to_stage="screened",
        changed_on=date(2024, 4, 1),
        reason="测评合格",
        actor=coach,
    )
    db.session.commit()
    assert athlete.stage is Stage.SCREENED
    assert athlete.stage_since == date(2024, 4, 1)
    latest = athlete.stage_changes[0]
    assert (latest.from_stage, latest.to_stage, latest.reason, latest.changed_by_id) == (
        Stage.IDENTIFIED,
        Stage.SCREENED,
        "测评合格",
        coach.id,
    )
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "stage_change")
    ).one()
    assert event.details == {"from": "identified", "to": "screened"}


def test_a_coach_cannot_jump_but_an_admin_can_with_a_reason(make_athlete, make_user):
    coach, admin = make_user("coach"), make_user("admin")
    athlete = make_athlete(coaches=[coach])
    with pytest.raises(DomainError) as error:
        services.change_stage(
            athlete,
            version=athlete.version,
            to_stage="squad",
            changed_on=date(2024, 4, 1),
            reason="很有天赋",
            actor=coach,
        )
    assert error.value.field == "to_stage"
    with pytest.raises(DomainError) as error:
        services.change_stage(
            athlete,
            version=athlete.version,
            to_stage="squad",
            changed_on=date(2024, 4, 1),
            actor=admin,
        )
    assert error.value.field == "reason"
    services.change_stage(
        athlete,
        version=athlete.version,
        to_stage="squad",
        changed_on=date(2024, 4, 1),
        reason="省队直接选调",
        actor=admin,
    )
    db.session.commit()
    assert athlete.stage is Stage.SQUAD
    assert db.session.scalar(sa.select(sa.func.count(StageChange.id))) == 2


def test_stage_change_dates(make_athlete):
    athlete = make_athlete(discovered_on=date(2024, 3, 1))
    with pytest.raises(DomainError) as error:
        services.change_stage(
            athlete, version=athlete.version, to_stage="screened", changed_on=date(2024, 2, 1)
        )
    assert str(error.value.message) == (
        "The date of the change cannot be before the current stage began."
    )
    with pytest.raises(DomainError) as error:
        services.change_stage(
            athlete,
            version=athlete.version,
            to_stage="screened",
            changed_on=clock.today() + timedelta(days=1),
        )
    assert error.value.field == "changed_on"


def test_classification_rules(make_athlete, sports):
    athlete = make_athlete()
    c = services.save_classification(
        athlete,
        sport_id=sports["archery"].id,
        class_code="w1",
        status="review_by_date",
        classified_on=date(2024, 5, 1),
        review_on=date(2026, 5, 1),
        notes="",
    )
    db.session.commit()
    assert (c.class_code, c.status) == ("W1", ClassificationStatus.REVIEW_BY_DATE)
    with pytest.raises(DomainError) as error:
        services.save_classification(
            athlete, sport_id=sports["archery"].id, class_code="Open", status="new"
        )
    assert str(error.value.message) == (
        "This athlete already has a class in Para archery: edit that one instead."
    )
    with pytest.raises(DomainError) as error:
        services.save_classification(
            athlete, sport_id=sports["athletics"].id, class_code="T46", status="review_by_date"
        )
    assert (error.value.field, str(error.value.message)) == (
        "review_on",
        "Enter the fixed review date.",
    )
    with pytest.raises(DomainError) as error:
        services.save_classification(
            athlete,
            sport_id=sports["athletics"].id,
            class_code="T46",
            status="review",
            classified_on=date(2025, 1, 1),
            review_on=date(2024, 1, 1),
        )
    assert str(error.value.message) == "The review date must be after the classification date."
    # Confirming drops the review date; a stale version is a conflict.
    version = c.version
    services.save_classification(
        athlete,
        classification=c,
        version=version,
        sport_id=sports["archery"].id,
        class_code="W1",
        status="confirmed",
        review_on=date(2027, 1, 1),
    )
    db.session.commit()
    assert (c.status, c.review_on) == (ClassificationStatus.CONFIRMED, None)
    with pytest.raises(EditConflict):
        services.save_classification(
            athlete,
            classification=c,
            version=version,
            sport_id=sports["archery"].id,
            class_code="W1",
            status="new",
        )
    assert [row[0] for row in audit_rows("classification")] == ["create", "update"]


def test_template_is_the_sports_measures_then_the_general_ones(sports):
    names = [m.name_en for m in services.template_measures(sports["archery"].id)]
    assert names == [
        "Draw weight held",
        "18 m score over 30 arrows",
        "Balance",
        "Grip strength",
        "Sitting balance",
    ]
    assert [m.name_en for m in services.template_measures(sports["boccia"].id)] == [
        "Grip strength",
        "Sitting balance",
    ]


def test_record_assessment_validates_every_value(make_athlete, make_user, sports):
    coach = make_user("coach")
    athlete = make_athlete(coaches=[coach])
    measures = {m.name_en: m for m in services.template_measures(sports["archery"].id)}
    draw, score = measures["Draw weight held"], measures["18 m score over 30 arrows"]
    a = services.record_assessment(
        athlete,
        sport_id=sports["archery"].id,
        assessed_on=date(2025, 1, 10),
        rating="4",
        recommendation="advance",
        values={draw.id: "１８．５", score.id: "241", measures["Balance"].id: ""},
        notes="稳定",
        assessor=coach,
    )
    db.session.commit()
    assert {v.measure_id: v.value for v in a.values} == {
        draw.id: Decimal("18.5"),
        score.id: Decimal("241"),
    }
    assert (a.rating, a.assessor_id) == (4, coach.id)
    with pytest.raises(DomainError) as error:
        services.record_assessment(
            athlete,
            sport_id=sports["archery"].id,
            assessed_on=date(2025, 1, 10),
            rating=3,
            recommendation="hold",
            values={draw.id: "45"},
        )
    assert error.value.field == f"value_{draw.id}"
    assert str(error.value.message) == "Draw weight held must be between 5.0 and 30.0 kg."
    with pytest.raises(DomainError) as error:
        services.record_assessment(
            athlete,
            sport_id=sports["archery"].id,
            assessed_on=date(2025, 1, 10),
            rating=6,
            recommendation="hold",
            values={draw.id: "10"},
        )
    assert str(error.value.message) == "Choose a rating from 1 to 5."
    with pytest.raises(DomainError) as error:
        services.record_assessment(
            athlete,
            sport_id=sports["archery"].id,
            assessed_on=date(2025, 1, 10),
            rating=3,
            recommendation="hold",
            values={draw.id: ""},
        )
    assert str(error.value.message) == "Enter at least one measurement."
    sprint = db.session.scalars(
        sa.select(AssessmentMeasure).where(AssessmentMeasure.name_en == "30 m sprint")
    ).one()
    with pytest.raises(DomainError) as error:
        services.record_assessment(
            athlete,
            sport_id=sports["archery"].id,
            assessed_on=date(2025, 1, 10),
            rating=3,
            recommendation="hold",
            values={sprint.id: "5"},
        )
    assert str(error.value.message) == "A measurement does not belong to this sport's template."


def test_admins_extend_sports_and_templates(sports):
    sport = services.create_sport(name="盲人足球", name_en="Blind football", class_hint="B1")
    assert sport.code == "blind_football"
    with pytest.raises(DomainError) as error:
        services.create_sport(name="盲人足球", name_en="Football 5")
    assert str(error.value.message) == "This sport is already in the list."
    measure = services.create_measure(
        sport_id=sport.id,
        name="运球",
        name_en="Dribble",
        unit="s",
        min_value=Decimal(5),
        max_value=Decimal(60),
        lower_is_better=True,
    )
    assert [m.id for m in services.template_measures(sport.id)][0] == measure.id
    with pytest.raises(DomainError) as error:
        services.create_measure(
            sport_id=sport.id,
            name="运球2",
            name_en="x",
            unit="s",
            min_value=Decimal(9),
            max_value=Decimal(1),
        )
    assert str(error.value.message) == "The lowest value must not be above the highest."
    services.set_measure_active(measure, False)
    assert measure.id not in [m.id for m in services.template_measures(sport.id)]


def test_visibility_rules(make_athlete, make_user, make_person):
    coach, other_coach, admin = make_user("coach"), make_user("coach"), make_user("admin")
    staff = make_user("home_staff")
    person = make_person()
    participant = make_user("participant", person_id=person.id)
    stranger = make_user("participant")
    coached = make_athlete(person=person, coaches=[coach])
    proposed = make_athlete(actor=staff)
    found = make_athlete(actor=other_coach)
    assert rules.can_view(coach, coached) and rules.can_edit(coach, coached)
    assert not rules.can_view(other_coach, coached) and not rules.can_edit(other_coach, coached)
    assert rules.can_view(other_coach, found) and rules.can_edit(other_coach, found)
    assert rules.can_view(admin, coached) and rules.can_edit(admin, coached)
    assert rules.can_view(participant, coached) and not rules.can_edit(participant, coached)
    assert not rules.can_view(stranger, coached)
    assert rules.can_view(staff, proposed) and not rules.can_edit(staff, proposed)
    assert not rules.can_view(staff, coached)


def test_sport_codes_are_unique_even_from_punctuation(sports):
    first = services.create_sport(name="甲", name_en=":")
    second = services.create_sport(name="乙", name_en="!")
    third = services.create_sport(name="丙", name_en="Archery!")
    assert (first.code, second.code, third.code) == ("sport", "sport_2", "archery_2")
    with pytest.raises(DomainError):
        services.create_sport(name="丁", name_en="ARCHERY!")


# Issue 12 item 4: a missing (or unreadable) version is a stale one, in every athlete service.


@pytest.mark.parametrize("version", [None, "1", True, 10**40])
def test_a_missing_or_unreadable_version_is_stale_everywhere(make_athlete, sports, version):
    athlete = make_athlete()
    c = services.save_classification(
        athlete, sport_id=sports["archery"].id, class_code="W1", status="confirmed"
    )
    db.session.commit()
    before = (athlete.version, athlete.stage, c.version, c.class_code)
    with pytest.raises(EditConflict):
        services.update_athlete(
            athlete,
            version=version,
            primary_sport_id=sports["archery"].id,
            discovery_source="sunshine_home",
            discovered_on=date(2024, 3, 1),
            notes="覆盖",
        )
    db.session.rollback()
    with pytest.raises(EditConflict):
        services.change_stage(
            athlete, to_stage="screened", changed_on=date(2024, 4, 1), version=version
        )
    db.session.rollback()
    with pytest.raises(EditConflict):
        services.save_classification(
            athlete,
            classification=c,
            version=version,
            sport_id=sports["archery"].id,
            class_code="Open",
            status="confirmed",
        )
    db.session.rollback()
    db.session.expire_all()
    assert (athlete.version, athlete.stage, c.version, c.class_code) == before
    assert athlete.notes == ""


# Issue 19 item 12: the date found cannot be after the stage history starts.


def test_the_date_found_cannot_follow_the_start_of_the_stage_history(make_athlete, sports):
    athlete = make_athlete(discovered_on=date(2024, 3, 1))
    services.change_stage(
        athlete,
        to_stage="screened",
        changed_on=date(2024, 4, 1),
        reason="测评合格",
        version=athlete.version,
    )
    db.session.commit()
    values = {
        "primary_sport_id": sports["archery"].id,
        "discovery_source": "sunshine_home",
        "notes": "",
    }
    with pytest.raises(DomainError) as error:
        services.update_athlete(
            athlete, version=athlete.version, discovered_on=date(2024, 3, 2), **values
        )
    assert (error.value.field, str(error.value.message)) == (
        "discovered_on",
        "The date found cannot be after the stage history begins (Mar 1, 2024).",
    )
    db.session.rollback()
    # On or before the first date is fine.
    services.update_athlete(
        athlete, version=athlete.version, discovered_on=date(2024, 3, 1), **values
    )
    services.update_athlete(
        athlete, version=athlete.version, discovered_on=date(2023, 12, 1), **values
    )
    db.session.commit()
    assert athlete.discovered_on == date(2023, 12, 1)


def test_two_users_proposing_the_same_person_at_once_is_not_a_500(
    make_user, make_athlete, monkeypatch, sports
):
    """The second of two proposals racing past the 'already an athlete' check meets the unique
    person_id at its INSERT: the same answer as the check's, and the session stays usable."""
    athlete = make_athlete()
    person = athlete.person
    monkeypatch.setattr(services, "_has_profile", lambda person: False)
    with pytest.raises(DomainError) as refused:
        services.create_athlete(
            person_id=person.id,
            primary_sport_id=sports["archery"].id,
            discovery_source="special_school",
            discovered_on=date(2025, 9, 1),
            actor=make_user("admin"),
            birth_on=person.birth_on,
        )
    assert (refused.value.field, str(refused.value.message)) == (
        "person_id",
        f"{person.name} already has an athlete profile.",
    )
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(type(athlete))) == 1
    # A coach losing the same race is told what every refused proposal is told: no name.
    with pytest.raises(DomainError) as refused:
        services.create_athlete(
            person_id=person.id,
            primary_sport_id=sports["archery"].id,
            discovery_source="special_school",
            discovered_on=date(2025, 9, 1),
            actor=make_user("coach"),
            birth_on=person.birth_on,
        )
    assert (refused.value.field, refused.value.message) == (
        "register_number",
        services.NOT_PROPOSABLE,
    )
