"""People services, without HTTP."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core import clock
from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db
from app.people import certificate as cert
from app.people import services
from app.people.enums import ConsentKind, DisabilityCategory, DisabilityGrade
from app.people.models import Consent, Person


def audit_rows(action=None):
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def base_data(town_id, **overrides):
    return {
        "name": "示例·王芳",
        "gender": "female",
        "birth_on": date(1985, 4, 12),
        "town_id": town_id,
        "phone": "138 0000 1234",
        "disability_category": "hearing",
        "disability_grade": "3",
        **overrides,
    }


SELF_CONSENT = {"given_on": date(2025, 1, 5), "given_by": "self", "notice_version": "2026-1"}


@pytest.fixture
def town(app):
    from app.core.reference import ensure_towns

    return ensure_towns(db.session)[0]


def number_for(data, sequence=1):
    return cert.generate(
        data["birth_on"],
        data["disability_category"],
        data["disability_grade"],
        gender=data["gender"],
        sequence=sequence,
    )


def test_create_person_records_consent_certificate_and_audit_names_only(town):
    data = base_data(town.id)
    number = number_for(data)
    person = services.create_person(data, certificate_number=number, consent=SELF_CONSENT)
    db.session.commit()
    assert person.name_pinyin == "Shi Li Wang Fang"
    assert person.certificate_number == number
    assert person.certificate_masked == cert.mask(number)
    assert person.certificate_hash == cert.keyed_hash(number)
    assert person.disability_category == DisabilityCategory.HEARING
    assert person.disability_grade == DisabilityGrade.GRADE_3
    assert person.has_collection_consent is True
    [row] = audit_rows("create")
    assert (row.entity, row.entity_id) == ("person", person.id)
    assert row.field_list == sorted(
        [
            "birth_on",
            "certificate_number",
            "consent_collection",
            "disability_category",
            "disability_grade",
            "gender",
            "name",
            "name_pinyin",
            "phone",
            "town_id",
        ]
    )
    assert row.details is None
    assert number not in row.fields and "王芳" not in row.fields


def test_pinyin_for_names():
    assert services.pinyin_for("张三丰") == "Zhang Sanfeng"
    assert services.pinyin_for("示例·李明") == "Shi Li Li Ming"
    assert services.pinyin_for("") == ""


@pytest.mark.parametrize(
    "name, pinyin",
    [
        # Compound surnames stay one word (issue 19 item 13).
        ("欧阳娜娜", "Ouyang Nana"),
        ("司马光", "Sima Guang"),
        ("尉迟恭", "Yuchi Gong"),
        ("诸葛亮", "Zhuge Liang"),
        # A surname's own reading where the character has several.
        ("单雄信", "Shan Xiongxin"),
        ("曾乐", "Zeng Le"),
        ("解晓东", "Xie Xiaodong"),
        ("仇英", "Qiu Ying"),
        ("朴树", "Piao Shu"),
        ("查良镛", "Zha Liangyong"),
        ("区志贤", "Ou Zhixian"),
        # What is not a letter is dropped: emoji, digits, symbols.
        ("欧阳娜娜😀", "Ouyang Nana"),
        ("王😀芳2号", "Wang Fanghao"),
        ("😀", ""),
        # Unchanged: ordinary names and names in parts.
        ("张三丰", "Zhang Sanfeng"),
        ("示例·欧阳明", "Shi Li Ouyang Ming"),
    ],
)
def test_pinyin_for_surnames_and_stray_characters(name, pinyin):
    assert services.pinyin_for(name) == pinyin


def test_sensitive_fields_need_collection_consent(town):
    with pytest.raises(DomainError) as caught:
        services.create_person(base_data(town.id), consent=None)
    assert caught.value.field == "consent_given_by"
    assert str(caught.value.message) == (
        "Disability, certificate and health details can only be saved with consent to "
        "collect them. Record the consent first, or leave these fields empty."
    )
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_notes_are_sensitive_too(town):
    data = base_data(town.id, disability_category=None, disability_grade=None, notes="hip surgery")
    with pytest.raises(DomainError):
        services.create_person(data, consent=None)


def test_adult_without_sensitive_fields_needs_no_consent(town):
    data = base_data(town.id, disability_category=None, disability_grade=None)
    person = services.create_person(data, consent=None)
    assert person.id is not None and person.consents == []


def test_under_14_needs_guardian_consent(town):
    child_birth = clock.today() - timedelta(days=9 * 365)
    data = base_data(
        town.id,
        birth_on=child_birth,
        disability_category=None,
        disability_grade=None,
        guardian_name="示例·王大明",
    )
    with pytest.raises(DomainError) as caught:
        services.create_person(data, consent=None)
    assert str(caught.value.message) == (
        "This person is under 14: their details can only be saved with their guardian's "
        "consent. Record the guardian's consent first."
    )
    with pytest.raises(DomainError) as caught:
        services.create_person(
            data, consent={**SELF_CONSENT, "given_on": clock.today() - timedelta(days=3)}
        )
    assert caught.value.field == "consent_given_by"
    assert str(caught.value.message) == (
        "The person was under 14 on that date, so the consent must come from their guardian."
    )
    person = services.create_person(
        data,
        consent={"given_on": clock.today(), "given_by": "guardian", "notice_version": "2026-1"},
    )
    [consent] = person.consents
    assert consent.guardian_name == "示例·王大明"
    assert person.has_collection_consent is True


def test_guardian_consent_needs_a_guardian_name(town):
    with pytest.raises(DomainError) as caught:
        services.create_person(base_data(town.id), consent={**SELF_CONSENT, "given_by": "guardian"})
    assert caught.value.field == "guardian_name"


def test_duplicate_certificate_names_the_registered_person(town):
    data = base_data(town.id)
    number = number_for(data)
    services.create_person(data, certificate_number=number, consent=SELF_CONSENT)
    # Same resident ID, re-issued with another grade: still the same person.
    again = base_data(town.id, name="示例·王小芳", disability_grade="2")
    with pytest.raises(services.DuplicateCertificate) as caught:
        services.create_person(again, certificate_number=number[:18] + "22", consent=SELF_CONSENT)
    assert (
        str(caught.value.message) == "This certificate number is already registered as 示例·王芳."
    )
    assert caught.value.existing.name == "示例·王芳"
    with pytest.raises(services.DuplicateCertificate) as caught:
        services.create_person(
            again,
            certificate_number=number[:18] + "22",
            consent=SELF_CONSENT,
            can_see=lambda person: False,
        )
    assert str(caught.value.message) == (
        "This certificate number is already registered to another person."
    )
    assert caught.value.existing is None


def test_invalid_certificate_is_refused_with_its_field(town):
    data = base_data(town.id)
    with pytest.raises(cert.CertificateError) as caught:
        services.create_person(
            data, certificate_number=number_for(data)[:18] + "12", consent=SELF_CONSENT
        )
    assert caught.value.code == "category_mismatch"
    assert caught.value.field == "certificate_number"


def test_update_records_changed_field_names(make_person):
    person = make_person(phone="138 0000 0001")
    changed = services.update_person(
        person,
        {"name": person.name, "phone": "138 0000 0002", "notes": "takes the bus"},
        expected_version=person.version,
    )
    db.session.commit()
    assert changed == ["phone", "notes"]
    assert person.version == 2
    row = audit_rows("update")[-1]
    assert row.field_list == ["notes", "phone"]
    assert "0002" not in str(row.details)


def test_update_with_stale_version_is_a_conflict(make_person):
    person = make_person()
    services.update_person(person, {"phone": "138 0000 0009"}, expected_version=1)
    db.session.commit()
    with pytest.raises(EditConflict) as caught:
        services.update_person(person, {"phone": "138 0000 0010"}, expected_version=1)
    assert caught.value.current is person
    assert person.phone == "138 0000 0009"


def test_update_checks_the_recorded_certificate_against_new_details(make_person):
    person = make_person()
    with pytest.raises(cert.CertificateError) as caught:
        services.update_person(
            person, {"birth_on": person.birth_on + timedelta(days=1)}, expected_version=1
        )
    assert caught.value.code == "birth_date_mismatch"
    assert str(caught.value.message).startswith(
        "The recorded certificate number does not agree with these details: The date of birth"
    )


def test_update_can_replace_and_remove_the_certificate(make_person):
    person = make_person()
    old_hash = person.certificate_hash
    new_number = cert.generate(person.birth_on, "physical", "2", gender=person.gender, sequence=77)
    changed = services.update_person(person, {}, expected_version=1, certificate_number=new_number)
    assert changed == ["certificate_number"]
    assert person.certificate_hash != old_hash
    changed = services.update_person(person, {}, expected_version=2, remove_certificate=True)
    assert changed == ["certificate_number"]
    assert (person.certificate_number, person.certificate_masked, person.certificate_hash) == (
        None,
        "",
        None,
    )


def test_guardian_link_must_exist_and_not_be_self(make_person):
    person = make_person()
    with pytest.raises(DomainError) as caught:
        services.update_person(person, {"guardian_person_id": person.id}, expected_version=1)
    assert caught.value.field == "guardian_person_id"
    with pytest.raises(DomainError) as caught:
        services.update_person(person, {"guardian_person_id": 9999}, expected_version=1)
    assert str(caught.value.message) == "There is no person with register number 9999."


def test_record_and_withdraw_consent(make_person):
    person = make_person()
    publication = services.record_consent(
        person, kind="publication", given_on=clock.today(), given_by="self"
    )
    assert person.has_publication_consent is True
    assert audit_rows("consent_given")[-1].field_list == ["consent_publication"]
    with pytest.raises(DomainError) as caught:
        services.record_consent(person, kind="publication", given_on=clock.today(), given_by="self")
    assert str(caught.value.message) == "This person already has an active consent of this kind."
    assert services.withdraw_consent(publication) == []
    assert person.has_publication_consent is False


def test_consent_dates_are_checked(make_person):
    person = make_person()
    with pytest.raises(DomainError) as caught:
        services.record_consent(
            person, kind="publication", given_on=clock.today() + timedelta(days=1), given_by="self"
        )
    assert caught.value.field == "given_on"
    with pytest.raises(DomainError) as caught:
        services.record_consent(
            person,
            kind="publication",
            given_on=person.birth_on - timedelta(days=1),
            given_by="self",
        )
    assert str(caught.value.message) == "The consent date is before the person's date of birth."


def test_withdrawing_collection_consent_erases_sensitive_fields(make_person):
    person = make_person(notes="uses a wheelchair")
    [collection] = person.consents
    erased = services.withdraw_consent(collection, withdrawn_on=clock.today())
    db.session.commit()
    assert erased == ["disability_category", "disability_grade", "certificate_number", "notes"]
    assert person.disability_category is None and person.certificate_hash is None
    assert person.notes == ""
    row = audit_rows("consent_withdrawn")[-1]
    assert row.field_list == sorted(["consent_collection", *erased])
    with pytest.raises(DomainError):
        services.withdraw_consent(collection)


def test_reveal_certificate_is_audited(make_person, make_user):
    admin = make_user("admin")
    person = make_person()
    assert services.reveal_certificate(person, actor=admin) == person.certificate_number
    [row] = audit_rows("view_sensitive")
    assert (row.actor_id, row.entity_id, row.field_list) == (
        admin.id,
        person.id,
        ["certificate_number"],
    )
    bare = make_person(disability_category=None, disability_grade=None, consent=None)
    with pytest.raises(DomainError):
        services.reveal_certificate(bare)


def test_archive_and_restore(make_person, make_user):
    admin = make_user("admin")
    person = make_person()
    services.archive_person(person, actor=admin)
    assert person.is_archived and person.archived_by_id == admin.id
    assert person.archived_at is not None
    with pytest.raises(DomainError):
        services.archive_person(person)
    services.restore_person(person)
    assert not person.is_archived and person.archived_at is None
    assert [r.action for r in audit_rows() if r.entity == "person"][-2:] == ["archive", "restore"]


def test_consents_survive_as_rows(make_person):
    person = make_person()
    assert db.session.scalar(sa.select(sa.func.count(Consent.id))) == 1
    assert person.consents[0].kind == ConsentKind.COLLECTION
