"""Consent rules on the model, without a database or HTTP."""

from datetime import date

from app.core import clock
from app.people.enums import ConsentGivenBy, ConsentKind
from app.people.models import Consent, Person, age_on


def person_born(birth_on, *consents):
    person = Person(name="示例·测试", gender="female", birth_on=birth_on)
    person.consents = list(consents)
    return person


def consent(kind=ConsentKind.COLLECTION, given_by=ConsentGivenBy.SELF, withdrawn_on=None):
    return Consent(
        kind=kind,
        given_on=date(2024, 1, 1),
        given_by=given_by,
        notice_version="2026-1",
        withdrawn_on=withdrawn_on,
    )


def test_age_counts_birthdays():
    assert age_on(date(2012, 6, 2), date(2026, 6, 1)) == 13
    assert age_on(date(2012, 6, 1), date(2026, 6, 1)) == 14


def test_is_minor_means_under_14_on_the_date():
    person = person_born(date(2012, 6, 2))
    assert person.is_minor(date(2026, 6, 1)) is True
    assert person.is_minor(date(2026, 6, 2)) is False


def test_adult_collection_consent_from_self_counts():
    assert person_born(date(1980, 1, 1), consent()).has_collection_consent is True


def test_withdrawn_consent_does_not_count():
    person = person_born(date(1980, 1, 1), consent(withdrawn_on=date(2024, 2, 1)))
    assert person.has_collection_consent is False


def test_under_14_needs_the_guardians_consent():
    child = clock.today().replace(year=clock.today().year - 8)
    assert person_born(child, consent()).has_collection_consent is False
    guardian = consent(given_by=ConsentGivenBy.GUARDIAN)
    assert person_born(child, guardian).has_collection_consent is True


def test_publication_and_collection_are_separate():
    person = person_born(date(1980, 1, 1), consent(kind=ConsentKind.PUBLICATION))
    assert person.has_publication_consent is True
    assert person.has_collection_consent is False


def test_consent_counts_is_the_rule_for_every_kind_on_a_given_day():
    from app.people.models import consent_counts

    born = date(2012, 12, 1)  # 14 on 2026-12-01
    assert [
        consent_counts(born, givers, on)
        for givers, on in [
            ([], date(2026, 12, 1)),
            (["self"], date(2026, 11, 30)),
            ([ConsentGivenBy.SELF], date(2026, 12, 1)),
            (["guardian"], date(2026, 11, 30)),
            (["self", "guardian"], date(2026, 11, 30)),
            ((g for g in ["guardian"]), date(2026, 12, 1)),
        ]
    ] == [False, False, True, True, True, True]
    assert clock.today() == date(2026, 11, 30)  # the suite's frozen day: the default
    assert (consent_counts(born, ["self"]), consent_counts(born, ["guardian"])) == (False, True)
