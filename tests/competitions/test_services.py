"""Competition services without HTTP: validation, entries and warnings, result rules, version
conflicts and the audit trail with old and new values."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.athletes import services as athlete_services
from app.competitions import services
from app.competitions.enums import ClassWarning, Medal, ResultStatus
from app.competitions.models import Result
from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db


def test_competition_dates_must_be_in_order(make_competition):
    with pytest.raises(DomainError) as caught:
        make_competition(start_on=date(2018, 5, 5), end_on=date(2018, 5, 1))
    assert caught.value.field == "end_on"
    assert str(caught.value.message) == "The last day must be on or after the first day."


def test_competition_check_constraint_refuses_reversed_dates(make_competition):
    competition = make_competition()
    competition.end_on = date(2018, 4, 1)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_update_competition_with_old_version_conflicts(make_competition):
    competition = make_competition()
    data = {"name": "Renamed", "level": "city", "start_on": date(2018, 5, 1)}
    services.update_competition(competition, data, version=competition.version)
    db.session.commit()
    assert competition.version == 2
    assert competition.end_on == date(2018, 5, 1)
    with pytest.raises(EditConflict):
        services.update_competition(competition, data, version=1)


def test_team_entry_needs_two_athletes_and_a_name(make_competition, make_event, make_athlete):
    event = make_event(make_competition(), is_team=True, name="Mixed team compound")
    one, two = make_athlete(), make_athlete()
    with pytest.raises(DomainError) as caught:
        services.create_entry(event, athlete_ids=[one.id], team_name="Ningbo")
    assert str(caught.value.message) == "A team entry needs two or more athletes."
    with pytest.raises(DomainError) as caught:
        services.create_entry(event, athlete_ids=[one.id, two.id])
    assert caught.value.field == "team_name"
    entry, _warnings = services.create_entry(
        event,
        athlete_ids=[one.id, two.id],
        team_name="Ningbo",
        support=[{"role": "guide", "name": "王向导"}, {"role": "coach", "name": "李教练"}],
    )
    db.session.commit()
    assert [a.id for a in entry.athletes] == sorted([one.id, two.id])
    assert [(s.role.value, s.display_name) for s in entry.support] == [
        ("guide", "王向导"),
        ("coach", "李教练"),
    ]


def test_individual_entry_takes_one_athlete_once(make_competition, make_event, make_athlete):
    event = make_event(make_competition())
    one, two = make_athlete(), make_athlete()
    with pytest.raises(DomainError) as caught:
        services.create_entry(event, athlete_ids=[one.id, two.id])
    assert str(caught.value.message) == "An individual event takes one athlete per entry."
    services.create_entry(event, athlete_ids=[one.id])
    with pytest.raises(DomainError) as caught:
        services.create_entry(event, athlete_ids=[one.id])
    assert str(caught.value.message) == "An athlete you chose is already entered in this event."


def test_support_person_needs_a_name(make_competition, make_event, make_athlete):
    event = make_event(make_competition())
    with pytest.raises(DomainError) as caught:
        services.create_entry(
            event, athlete_ids=[make_athlete().id], support=[{"role": "guide", "name": " "}]
        )
    assert str(caught.value.message) == "Enter the support person's name."


def test_classification_warnings_at_entry(make_competition, make_event, make_athlete, sports):
    competition = make_competition(start_on=date(2018, 5, 1), end_on=date(2018, 5, 5))
    event = make_event(competition)
    none, new, due, later, confirmed = (make_athlete() for _ in range(5))
    for athlete, status, review_on in (
        (new, "new", None),
        (due, "review_by_date", date(2018, 5, 5)),
        (later, "review_by_date", date(2018, 5, 6)),
        (confirmed, "confirmed", None),
    ):
        athlete_services.save_classification(
            athlete,
            sport_id=sports["archery"].id,
            class_code="Open",
            status=status,
            classified_on=date(2017, 1, 1),
            review_on=review_on,
        )
    db.session.commit()
    found = {}
    for athlete in (none, new, due, later, confirmed):
        _entry, warnings = services.create_entry(event, athlete_ids=[athlete.id])
        found[athlete.id] = [w.kind for w in warnings]
    assert found == {
        none.id: [ClassWarning.NO_CLASS],
        new.id: [ClassWarning.NOT_CONFIRMED],
        due.id: [ClassWarning.REVIEW_DUE],
        later.id: [],
        confirmed.id: [],
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"status": "DNS", "medal": "bronze"},
            "medal",
            "Only a result with status OK can hold a medal.",
        ),
        (
            {"status": "DSQ", "rank": 4},
            "rank",
            "Only a result with status OK has a rank: leave the rank empty.",
        ),
        ({"rank": 0}, "rank", "The rank must be a number from 1 to 99999."),
        ({"rank": "99999999999999999999999"}, "rank", "The rank must be a number from 1 to 99999."),
        ({"rank": "first"}, "rank", "The rank must be a whole number."),
        (
            {"rank": 2, "medal": "gold"},
            "medal",
            "A gold medal goes with rank 1 (tied athletes share the rank).",
        ),
        (
            {"mark_value": "12,3 s"},
            "mark_value",
            "The number for sorting must be a number, like 652 or 12.31.",
        ),
        ({"medal": "platinum"}, "medal", "Choose the medal."),
    ],
)
def test_result_rules_name_the_rule(
    make_competition, make_event, make_athlete, enter, values, field, message
):
    entry = enter(make_event(make_competition()), make_athlete(), result=False)
    with pytest.raises(DomainError) as caught:
        services.save_result(entry, **values)
    assert (caught.value.field, str(caught.value.message)) == (field, message)


def test_database_refuses_a_medal_without_ok(make_competition, make_event, make_athlete, enter):
    entry = enter(make_event(make_competition()), make_athlete(), result=False)
    db.session.add(Result(entry_id=entry.id, status=ResultStatus.DNF, medal=Medal.SILVER))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_bronzes_and_shared_rank(make_competition, make_event, make_athlete, enter):
    event = make_event(make_competition(), sport="wheelchair_fencing", name="Épée A")
    a = enter(event, make_athlete(), medal="bronze", mark="15-12")
    b = enter(event, make_athlete(), medal="bronze", mark="15-9")
    assert (a.result.rank, a.result.medal, b.result.rank, b.result.medal) == (
        3,
        Medal.BRONZE,
        3,
        Medal.BRONZE,
    )


def test_result_change_is_audited_with_old_and_new_values(
    make_competition, make_event, make_athlete, enter
):
    entry = enter(
        make_event(make_competition()), make_athlete(), medal="silver", mark="640", official=False
    )
    result = entry.result
    services.save_result(
        entry, rank=1, mark="652", mark_value="652", medal="gold", version=result.version
    )
    db.session.commit()
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.fields, AuditEvent.details)
        .where(AuditEvent.entity == "result")
        .order_by(AuditEvent.id)
    ).all()
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[1].fields == "mark,mark_value,medal,rank"
    assert rows[1].details == {
        "entry_id": entry.id,
        "old": {"rank": 2, "mark": "640", "mark_value": None, "medal": "silver"},
        "new": {"rank": 1, "mark": "652", "mark_value": "652", "medal": "gold"},
    }
    assert result.version == 2


def test_saving_over_a_newer_result_conflicts(make_competition, make_event, make_athlete, enter):
    entry = enter(make_event(make_competition()), make_athlete(), medal="gold", official=False)
    services.save_result(entry, rank=1, medal="gold", mark="650", version=1)
    db.session.commit()
    with pytest.raises(EditConflict) as caught:
        services.save_result(entry, rank=2, medal="silver", version=1)
    assert caught.value.current.mark == "650"
    with pytest.raises(EditConflict):
        services.save_result(entry, rank=2, medal="silver")


def test_withdrawing_an_entry_is_audited(make_competition, make_event, make_athlete, enter):
    entry = enter(make_event(make_competition()), make_athlete(), result=False)
    services.set_entry_status(entry, "withdrawn", version=entry.version)
    services.set_entry_status(entry, "withdrawn", version=entry.version)
    db.session.commit()
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.details)
        .where(AuditEvent.entity == "entry")
        .order_by(AuditEvent.id)
    ).all()
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[1].details == {"old": {"status": "nominated"}, "new": {"status": "withdrawn"}}
    with pytest.raises(DomainError) as caught:
        services.set_entry_status(entry, "lost", version=entry.version)
    assert str(caught.value.message) == "Choose the entry's status."


def test_event_cannot_switch_to_team_once_entered(
    make_competition, make_event, make_athlete, enter, sports
):
    event = make_event(make_competition())
    enter(event, make_athlete(), result=False)
    data = {
        "name": event.name,
        "sport_id": sports["archery"].id,
        "gender": "women",
        "is_team": True,
    }
    with pytest.raises(DomainError) as caught:
        services.update_event(event, data, version=event.version)
    assert caught.value.field == "is_team"
    data["is_team"] = False
    data["sport_class"] = "W1"
    services.update_event(event, data, version=event.version)
    db.session.commit()
    assert event.sport_class == "W1"


@pytest.mark.parametrize("edition", [0, 1001, 10**23])
def test_edition_out_of_range_is_refused_with_its_rule(make_competition, edition):
    with pytest.raises(DomainError) as error:
        make_competition(edition=edition)
    assert (error.value.field, str(error.value.message)) == (
        "edition",
        "The edition must be a number from 1 to 1000.",
    )
