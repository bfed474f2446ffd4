"""Services without HTTP: the overlap rule, cross-kind clashes, overrides, warnings,
reschedule history, audit and the bounded clash query."""

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db
from app.performances import services
from app.performances.models import ClashOverride, Performance, PerformanceReschedule
from app.scheduling.busy import Booking, find_clashes
from tests.performances.conftest import at


def _data(performance, **changes):
    data = {
        "title": performance.title,
        "programme_id": performance.programme_id,
        "troupe_id": performance.troupe_id,
        "setting": performance.setting.value,
        "venue_id": performance.venue_id,
        "starts_at": performance.starts_at,
        "ends_at": performance.ends_at,
        "status": performance.status.value,
        "is_public": performance.is_public,
        "needs": [n.value for n in performance.needs],
        "people": [
            {
                "person_id": p.person_id,
                "name": p.name,
                "role": p.role.value,
                "uses_wheelchair": p.uses_wheelchair,
            }
            for p in performance.people
        ],
    }
    data.update(changes)
    return data


def test_touching_intervals_do_not_clash(make_performance, make_venue):
    venue = make_venue()
    make_performance(at(3, 14), at(3, 16), venue=venue)
    # Starts exactly when the first ends, and ends exactly when it starts.
    make_performance(at(3, 16), at(3, 18), venue=venue)
    make_performance(at(3, 12), at(3, 14), venue=venue)
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == 3


def test_overlap_at_same_venue_clashes_and_lists_the_booking(make_performance, make_venue):
    venue = make_venue()
    first = make_performance(at(3, 14), at(3, 16), venue=venue, title="First show")
    with pytest.raises(services.ClashError) as caught:
        make_performance(at(3, 15, 59), at(3, 17), venue=venue)
    db.session.rollback()
    [clash] = caught.value.clashes
    assert clash.booking.kind == "performance"
    assert clash.booking.id == first.id
    assert clash.booking.title == "First show"
    assert clash.booking.url == f"/performances/{first.id}"
    assert clash.venue is True and clash.person_ids == frozenset()


def test_same_person_elsewhere_clashes(make_performance, make_venue, make_person):
    performer = make_person()
    make_performance(at(3, 14), at(3, 16), venue=make_venue(), people=[(performer, "performer")])
    with pytest.raises(services.ClashError) as caught:
        make_performance(
            at(3, 15), at(3, 17), venue=make_venue(), people=[(performer, "interpreter")]
        )
    db.session.rollback()
    assert caught.value.clashes[0].person_ids == {performer.id}
    assert caught.value.clashes[0].venue is False


def test_cancelled_bookings_do_not_clash(make_performance, make_venue):
    venue = make_venue()
    make_performance(at(3, 14), at(3, 16), venue=venue, status="cancelled")
    make_performance(at(3, 14), at(3, 16), venue=venue)
    # And saving a cancelled one over a live one does not ask either.
    make_performance(at(3, 14), at(3, 16), venue=venue, status="cancelled")
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == 3


def test_clash_across_kinds_through_a_registered_source(
    make_performance, make_venue, make_person, fake_source
):
    venue, athlete = make_venue(), make_person()
    fake_source.append(
        Booking(
            kind="fake",
            id=7,
            title="Archery final",
            start=at(3, 15),
            end=at(3, 17),
            url="/competitions/7",
            venue_id=None,
            person_ids=frozenset({athlete.id}),
        )
    )
    with pytest.raises(services.ClashError) as caught:
        make_performance(at(3, 16), at(3, 18), venue=venue, people=[(athlete, "performer")])
    db.session.rollback()
    assert [(c.booking.kind, c.booking.id) for c in caught.value.clashes] == [("fake", 7)]
    # Touching the other kind's booking is fine.
    make_performance(at(3, 17), at(3, 18), venue=venue, people=[(athlete, "performer")])


def test_override_with_reason_saves_and_records(make_performance, make_venue):
    venue = make_venue()
    first = make_performance(at(3, 14), at(3, 16), venue=venue)
    second = make_performance(
        at(3, 15), at(3, 17), venue=venue, override_reason="Two stages in the same hall"
    )
    [override] = db.session.scalars(sa.select(ClashOverride)).all()
    assert override.performance_id == second.id
    assert override.reason == "Two stages in the same hall"
    assert [(c["kind"], c["id"]) for c in override.clashes] == [("performance", first.id)]
    event = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.entity == "performance", AuditEvent.entity_id == second.id
        )
    ).one()
    assert event.action == "create"
    assert event.details["clashes"] == [["performance", first.id]]


def test_saving_itself_is_not_a_clash_and_reschedule_is_kept(make_performance, organiser):
    performance = make_performance(at(3, 14), at(3, 16))
    services.save_performance(
        performance,
        _data(
            performance,
            starts_at=at(4, 14),
            ends_at=at(4, 16),
            status="postponed",
            reschedule_reason="Rain",
        ),
        version=performance.version,
        actor=organiser,
    )
    db.session.commit()
    [history] = db.session.scalars(sa.select(PerformanceReschedule)).all()
    assert (history.old_starts_at, history.new_starts_at) == (at(3, 14), at(4, 14))
    assert history.reason == "Rain"
    assert performance.held_on.isoformat() == "2026-12-04"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert set(event.field_list) >= {"starts_at", "ends_at", "status"}
    assert event.details["status"] == {"old": "confirmed", "new": "postponed"}


def test_stale_version_is_a_conflict(make_performance):
    performance = make_performance()
    with pytest.raises(EditConflict):
        services.save_performance(performance, _data(performance), version=performance.version - 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"ends_at": at(3, 14)}, "end_time"),
        ({"setting": "moon"}, "setting"),
        ({"audience": 10, "audience_disabled": 11}, "audience_disabled"),
        ({"beneficiaries": -1}, "beneficiaries"),
        ({"status": "done"}, "status"),  # in the future
        ({"needs": ["telepathy"]}, "needs"),
    ],
)
def test_invalid_values_are_refused(make_performance, changes, field):
    performance = make_performance()
    with pytest.raises(DomainError) as caught:
        services.save_performance(
            performance, _data(performance, **changes), version=performance.version
        )
    assert caught.value.field == field


def test_warnings_wheelchair_and_interpreter(make_performance, make_venue, make_person):
    no_ramp = make_venue(features=[])
    performer, interpreter = make_person(), make_person()
    result = services.save_performance(
        None,
        {
            "title": "Show",
            "programme_id": make_performance().programme_id,
            "setting": "community",
            "venue_id": no_ramp.id,
            "starts_at": at(10, 9),
            "ends_at": at(10, 10),
            "status": "planned",
            "needs": ["sign_language"],
            "people": [{"person_id": performer.id, "role": "performer", "uses_wheelchair": True}],
        },
    )
    assert [str(w) for w in result.warnings] == [
        str(services.WHEELCHAIR_WARNING),
        str(services.INTERPRETER_WARNING),
    ]
    performance = result.performance
    data = _data(performance, venue_id=make_venue(features=["step_free_entrance"]).id)
    data["people"].append({"person_id": interpreter.id, "role": "interpreter"})
    again = services.save_performance(performance, data, version=performance.version)
    assert again.warnings == []


def test_clash_check_query_count_does_not_grow(
    make_performance, make_venue, make_person, count_queries
):
    venue, person = make_venue(), make_person()
    people = [make_person() for _ in range(3)]

    def check():
        with count_queries() as q:
            find_clashes(
                at(3, 0),
                at(4, 0),
                venue_id=venue.id,
                person_ids=[person.id, *[p.id for p in people]],
            )
        return q.count

    make_performance(at(3, 1), at(3, 2), venue=venue, people=[(person, "performer")])
    few = check()
    for hour in range(3, 12):
        make_performance(
            at(3, hour),
            at(3, hour + 1),
            venue=venue,
            people=[(p, "performer") for p in people],
            override_reason="test",
        )
    assert check() == few  # every registered source is bounded
    from app.performances.busy import performance_bookings

    with count_queries() as q:
        found = performance_bookings(
            at(3, 0), at(4, 0), frozenset({venue.id}), frozenset(p.id for p in people)
        )
    assert len(found) == 10
    assert q.count == 2


def test_held_on_follows_the_beijing_day_of_the_start(make_performance):
    # 23:30 Beijing on 3 December is 15:30 UTC the same day; 00:30 on the 4th is 16:30 UTC
    # on the 3rd.
    performance = make_performance(at(3, 23, 30), at(4, 0, 30))
    assert performance.held_on.isoformat() == "2026-12-03"
    performance.starts_at = at(4, 0, 30)
    assert performance.held_on.isoformat() == "2026-12-04"
    db.session.rollback()
