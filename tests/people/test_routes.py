"""People register pages: access, happy paths, invalid input, conflicts, the certificate page,
and SQL query counts."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db
from app.people import certificate as cert
from app.people.models import Person


def body(response) -> str:
    return response.get_data(as_text=True)


def person_form(town_id, **overrides):
    data = {
        "name": "示例·陈静",
        "name_pinyin": "",
        "gender": "female",
        "birth_on-year": "1988",
        "birth_on-month": "7",
        "birth_on-day": "21",
        "town_id": str(town_id),
        "phone": "138 0000 5678",
        "address": "锦屏街道示例路 1 号",
        "disability_category": "visual",
        "disability_grade": "2",
        "certificate_number": "",
        "guardian_name": "",
        "guardian_relation": "",
        "guardian_phone": "",
        "guardian_person_id": "",
        "notes": "",
        "consent_given_by": "self",
        "consent_given_on-year": "2025",
        "consent_given_on-month": "3",
        "consent_given_on-day": "1",
        "consent_notice_version": "2026-1",
    }
    data.update(overrides)
    return data


def edit_form(person, **overrides):
    data = {
        "name": person.name,
        "name_pinyin": person.name_pinyin,
        "gender": person.gender.value,
        "birth_on-year": str(person.birth_on.year),
        "birth_on-month": str(person.birth_on.month),
        "birth_on-day": str(person.birth_on.day),
        "town_id": str(person.town_id),
        "phone": person.phone,
        "address": person.address,
        "disability_category": person.disability_category.value
        if person.disability_category
        else "",
        "disability_grade": person.disability_grade.value if person.disability_grade else "",
        "certificate_number": "",
        "guardian_name": person.guardian_name,
        "guardian_relation": "",
        "guardian_phone": person.guardian_phone,
        "guardian_person_id": "",
        "notes": person.notes,
        "version": str(person.version),
    }
    data.update(overrides)
    return data


@pytest.fixture
def towns(app):
    from app.core.reference import ensure_towns

    towns = ensure_towns(db.session)
    db.session.commit()
    return towns


@pytest.fixture
def admin(login_as):
    return login_as("admin", language="en")


# --- access -------------------------------------------------------------------------------

PAGES = [
    "/people/",
    "/people/new",
    "/people/{id}",
    "/people/{id}/edit",
    "/people/{id}/archive",
    "/people/{id}/consents/new",
    "/people/{id}/certificate",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, make_person, page):
    person = make_person()
    response = client.get(page.format(id=person.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["coach", "organiser", "home_staff", "participant"])
@pytest.mark.parametrize("page", PAGES)
def test_other_roles_are_refused(client, login_as, make_person, role, page):
    person = make_person()
    login_as(role)
    assert client.get(page.format(id=person.id)).status_code == 403


@pytest.mark.parametrize("role", ["coach", "participant"])
def test_other_roles_cannot_post(client, login_as, make_person, role):
    person = make_person()
    login_as(role)
    assert client.post(f"/people/{person.id}/certificate").status_code == 403
    assert client.post(f"/people/{person.id}/archive").status_code == 403
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action.in_(["view_sensitive", "archive"])
            )
        )
        == 0
    )


def test_missing_person_is_404(client, admin):
    assert client.get("/people/999").status_code == 404
    assert client.get("/people/999/edit").status_code == 404
    assert client.get("/people/999/certificate").status_code == 404


def test_pages_are_not_cached(client, admin, make_person):
    person = make_person()
    response = client.get(f"/people/{person.id}")
    assert response.headers["Cache-Control"] == "no-store"


# --- list and search -----------------------------------------------------------------------


def test_list_shows_people_with_masked_certificates(client, admin, make_person):
    person = make_person(name="示例·张明")
    response = client.get("/people/")
    assert response.status_code == 200
    html = body(response)
    assert "<h1>People register</h1>" in html
    assert f'<a href="/people/{person.id}">示例·张明</a>' in html
    assert person.certificate_masked in html
    assert "1 person found" in html


def test_search_by_name_pinyin_town_and_category(client, admin, make_person, towns):
    zhang = make_person(
        name="示例·张明", town_id=towns[0].id, disability_category="visual", disability_grade="1"
    )
    li = make_person(name="示例·李芳", town_id=towns[1].id)
    archived = make_person(name="示例·张旧")
    from app.people import services

    services.archive_person(archived)
    db.session.commit()

    def names(**params):
        html = body(client.get("/people/", query_string=params))
        return set(re.findall(r'<a href="/people/\d+">(示例·[^<]+)</a>', html))

    assert names() == {"示例·张明", "示例·李芳"}
    assert names(q="张") == {"示例·张明"}
    assert names(q="ZHANG") == {"示例·张明"}
    assert names(q="zhangming") == {"示例·张明"}
    assert names(q="li fang") == {"示例·李芳"}
    assert names(town=towns[1].id) == {"示例·李芳"}
    assert names(category="visual") == {"示例·张明"}
    assert names(q="张", archived="archived") == {"示例·张旧"}
    assert names(q="张", archived="all") == {"示例·张明", "示例·张旧"}
    assert names(q="100%_") == set()
    # Nonsense filter values are ignored rather than failing.
    assert names(category="nonsense", town="x") == {"示例·张明", "示例·李芳"}
    assert zhang.id and li.id


def test_list_paginates(client, admin, make_person, app):
    for n in range(app.config["PAGE_SIZE"] + 2):
        make_person(
            name=f"示例·人{n:02d}", disability_category=None, disability_grade=None, consent=None
        )
    first = body(client.get("/people/"))
    assert "Page 1 of 2" in first
    assert 'href="/people/?page=2"' in first
    second = body(client.get("/people/?page=2"))
    assert len(re.findall(r'<a href="/people/\d+">', second)) == 2


def test_list_query_count_does_not_grow_with_people(client, admin, make_person, count_queries):
    for n in range(5):
        make_person(name=f"示例·甲{n}")
    with count_queries() as five:
        assert client.get("/people/").status_code == 200
    for n in range(25):
        make_person(name=f"示例·乙{n}")
    with count_queries() as thirty:
        assert client.get("/people/").status_code == 200
    # 3 reads and the INSERT of the audit row that records which records the page showed;
    # a full first page (25 of 30) adds the COUNT, and no more however many people follow.
    assert five.count == 4
    assert thirty.count == 5


def test_list_view_is_audit_logged_with_the_ids_shown(client, admin, make_person):
    shown = make_person()
    assert client.get("/people/").status_code == 200
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "view_list")).one()
    assert (event.entity, event.entity_id, event.actor_id) == ("person", None, admin.id)
    assert event.field_list == ["disability_category", "disability_grade"]
    assert event.details == {"ids": [shown.id]}


def test_detail_query_count(client, admin, make_person, count_queries):
    guardian = make_person(disability_category=None, disability_grade=None, consent=None)
    url = f"/people/{make_person(guardian_person_id=guardian.id).id}"
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    # 5 reads (the last one the page of notices they got) and the INSERT of the audit row
    # that records the view.
    assert q.count == 6, "\n".join(q.statements)


def test_detail_view_of_sensitive_fields_is_audit_logged(client, admin, make_person):
    person = make_person(notes="")
    assert client.get(f"/people/{person.id}").status_code == 200
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.entity_id == person.id)
    ).one()
    assert (event.entity, event.actor_id, event.field_list) == (
        "person",
        admin.id,
        ["certificate_masked", "disability_category", "disability_grade"],
    )


# --- detail --------------------------------------------------------------------------------


def test_detail_shows_masked_certificate_and_consents(client, admin, make_person):
    person = make_person(name="示例·周敏")
    html = body(client.get(f"/people/{person.id}"))
    assert "<h1>示例·周敏</h1>" in html
    assert f'<span class="masked">{person.certificate_masked}</span>' in html
    assert person.certificate_number not in html
    assert f'href="/people/{person.id}/certificate"' in html
    assert "Collection of sensitive information" in html


# --- create --------------------------------------------------------------------------------


def test_create_person(client, admin, towns):
    number = cert.generate(date(1988, 7, 21), "visual", "2", gender="female", sequence=5)
    spaced = f"{number[:6]} {number[6:14]} {number[14:18].lower()} {number[18:]}"
    response = client.post("/people/new", data=person_form(towns[0].id, certificate_number=spaced))
    assert response.status_code == 303
    person = db.session.scalar(sa.select(Person))
    assert response.headers["Location"] == f"/people/{person.id}"
    assert person.name == "示例·陈静"
    assert person.name_pinyin == "Shi Li Chen Jing"
    assert person.certificate_number == number
    assert person.has_collection_consent
    assert "The person has been added to the register." in body(
        client.get(response.headers["Location"])
    )


def test_create_invalid_input_is_kept_and_summarised(client, admin, towns):
    response = client.post(
        "/people/new",
        data=person_form(towns[0].id, name="", phone="call me", **{"birth_on-month": "13"}),
    )
    assert response.status_code == 422
    html = body(response)
    assert "<title>Error: Add a person to the register" in html
    assert '<a href="#name">Enter the person&#39;s name.</a>' in html
    assert 'lang="en"' in html
    assert '<a href="#birth_on-year">This date does not exist: check the month and day.</a>' in html
    assert "Enter a phone number in digits" in html
    assert 'value="call me"' in html
    assert 'value="锦屏街道示例路 1 号"' in html
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_create_with_bad_certificate_echoes_it_grouped(client, admin, towns):
    number = cert.generate(date(1988, 7, 21), "visual", "2", gender="female", sequence=5)
    wrong_grade = number[:19] + "3"
    response = client.post(
        "/people/new", data=person_form(towns[0].id, certificate_number=wrong_grade)
    )
    assert response.status_code == 422
    html = body(response)
    assert (
        "The certificate number says grade 3 (20th character), but the grade chosen is 2." in html
    )
    assert f'value="{cert.grouped(wrong_grade)}"' in html
    assert 'autocomplete="off"' in html


def test_create_without_consent_refuses_sensitive_fields(client, admin, towns):
    response = client.post("/people/new", data=person_form(towns[0].id, consent_given_by="none"))
    assert response.status_code == 422
    assert '<a href="#consent_given_by-0">Disability, certificate and health details' in body(
        response
    )


def test_create_duplicate_links_to_existing_record(client, admin, towns, make_person):
    existing = make_person(
        name="示例·已有", birth_on=date(1988, 7, 21), disability_category="visual"
    )
    escaped = make_person(
        name="<b>示例</b>", birth_on=date(1988, 7, 22), disability_category="visual"
    )
    response = client.post(
        "/people/new",
        data=person_form(towns[0].id, certificate_number=existing.certificate_number),
    )
    assert response.status_code == 422
    html = body(response)
    assert "This certificate number is already registered as 示例·已有." in html
    assert f'<a href="/people/{existing.id}">Open the record of 示例·已有</a>' in html
    # A name in an error message is escaped like any other user data.
    response = client.post(
        "/people/new",
        data=person_form(
            towns[0].id,
            certificate_number=escaped.certificate_number,
            **{"birth_on-day": "22"},
        ),
    )
    html = body(response)
    assert "already registered as &lt;b&gt;示例&lt;/b&gt;." in html
    assert "<b>示例</b>" not in html


# --- edit ----------------------------------------------------------------------------------


def test_edit_form_never_contains_the_full_number(client, admin, make_person):
    person = make_person()
    response = client.get(f"/people/{person.id}/edit")
    assert response.status_code == 200
    html = body(response)
    assert person.certificate_number not in html
    assert f"Recorded: {person.certificate_masked}." in html
    assert 'name="version" type="hidden" value="1"' in html
    assert 'autocomplete="bday-year"' in html and 'autocomplete="tel"' in html


def test_edit_person(client, admin, make_person):
    person = make_person()
    response = client.post(
        f"/people/{person.id}/edit", data=edit_form(person, phone="0574 1234 5678")
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/people/{person.id}"
    db.session.refresh(person)
    assert person.phone == "0574 1234 5678"
    assert person.version == 2
    row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert row.field_list == ["phone"]


def test_edit_invalid_input(client, admin, make_person):
    person = make_person()
    response = client.post(
        f"/people/{person.id}/edit", data=edit_form(person, disability_grade="4", name="示例·新名")
    )
    assert response.status_code == 422
    html = body(response)
    assert "The recorded certificate number does not agree with these details" in html
    assert 'value="示例·新名"' in html
    db.session.refresh(person)
    assert person.version == 1 and person.name != "示例·新名"


def test_edit_stale_version_is_a_conflict_showing_both_values(client, admin, make_person):
    person = make_person(phone="138 0000 0001")
    stale = edit_form(person, phone="138 0000 0003")
    assert (
        client.post(
            f"/people/{person.id}/edit", data=edit_form(person, phone="138 0000 0002")
        ).status_code
        == 303
    )
    response = client.post(f"/people/{person.id}/edit", data=stale)
    assert response.status_code == 409
    html = body(response)
    assert "Someone else saved this record after you opened it." in html
    # Your value first, then the saved one (the shared conflict panel), and nothing else.
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>',
        re.sub(r">\s+<", "><", html),
    )
    assert rows == [("Phone number", "138 0000 0003", "138 0000 0002")]
    assert 'value="138 0000 0003"' in html
    assert 'name="version" type="hidden" value="2"' in html
    db.session.refresh(person)
    assert person.phone == "138 0000 0002"
    # Saving again, having seen the other version, goes through.
    again = client.post(f"/people/{person.id}/edit", data={**stale, "version": "2"})
    assert again.status_code == 303
    db.session.refresh(person)
    assert person.phone == "138 0000 0003"


# --- archive and consent -------------------------------------------------------------------


def test_archive_asks_then_archives(client, admin, make_person):
    person = make_person(name="示例·归档")
    page = client.get(f"/people/{person.id}/archive")
    assert page.status_code == 200
    assert "<h1>Archive 示例·归档?</h1>" in body(page)
    response = client.post(f"/people/{person.id}/archive")
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.is_archived and person.archived_by_id == admin.id
    assert f'href="/people/{person.id}"' not in body(client.get("/people/"))
    assert client.post(f"/people/{person.id}/restore").status_code == 303
    db.session.refresh(person)
    assert not person.is_archived


def test_record_consent(client, admin, make_person):
    person = make_person()
    today = clock.today()
    response = client.post(
        f"/people/{person.id}/consents/new",
        data={
            "kind": "publication",
            "given_on-year": str(today.year),
            "given_on-month": str(today.month),
            "given_on-day": str(today.day),
            "given_by": "self",
            "guardian_name": "",
            "notice_version": "2026-1",
        },
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.has_publication_consent


def test_record_consent_invalid(client, admin, make_person):
    child = make_person(birth_on=clock.today() - timedelta(days=8 * 365))
    response = client.post(
        f"/people/{child.id}/consents/new",
        data={
            "kind": "publication",
            "given_on-year": str(clock.today().year),
            "given_on-month": str(clock.today().month),
            "given_on-day": str(clock.today().day),
            "given_by": "self",
            "guardian_name": "",
            "notice_version": "",
        },
    )
    assert response.status_code == 422
    html = body(response)
    assert '<a href="#notice_version">Enter the privacy notice version.</a>' in html
    response = client.post(
        f"/people/{child.id}/consents/new",
        data={
            "kind": "publication",
            "given_on-year": str(clock.today().year),
            "given_on-month": str(clock.today().month),
            "given_on-day": str(clock.today().day),
            "given_by": "self",
            "notice_version": "2026-1",
        },
    )
    assert response.status_code == 422
    assert "so the consent must come from their guardian." in body(response)


def test_withdraw_consent_erases_sensitive_fields(client, admin, make_person):
    person = make_person()
    consent = person.consents[0]
    page = client.get(f"/people/{person.id}/consents/{consent.id}/withdraw")
    assert page.status_code == 200
    assert "are erased from the register" in body(page)
    today = clock.today()
    response = client.post(
        f"/people/{person.id}/consents/{consent.id}/withdraw",
        data={
            "withdrawn_on-year": str(today.year),
            "withdrawn_on-month": str(today.month),
            "withdrawn_on-day": str(today.day),
        },
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.certificate_number is None and person.disability_category is None
    # A withdrawn consent has no withdrawal page any more.
    assert client.get(f"/people/{person.id}/consents/{consent.id}/withdraw").status_code == 404


def test_withdraw_consent_invalid_date(client, admin, make_person):
    person = make_person()
    consent = person.consents[0]
    response = client.post(
        f"/people/{person.id}/consents/{consent.id}/withdraw",
        data={"withdrawn_on-year": "", "withdrawn_on-month": "", "withdrawn_on-day": ""},
    )
    assert response.status_code == 422
    assert "Enter the date the consent was withdrawn." in body(response)


# --- the certificate page ------------------------------------------------------------------


def test_certificate_page_explains_then_shows_and_audits(client, admin, make_person):
    person = make_person()
    page = client.get(f"/people/{person.id}/certificate")
    assert page.status_code == 200
    html = body(page)
    assert person.certificate_number not in html
    assert ">Show the full number</button>" in html
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "view_sensitive")
        )
        == 0
    )

    response = client.post(f"/people/{person.id}/certificate")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert f'<span class="masked">{person.certificate_number}</span>' in body(response)
    row = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "view_sensitive")
    ).one()
    assert (row.actor_id, row.entity, row.entity_id, row.field_list) == (
        admin.id,
        "person",
        person.id,
        ["certificate_number"],
    )


def test_certificate_page_without_a_number(client, admin, make_person):
    person = make_person(disability_category=None, disability_grade=None, consent=None)
    assert "No certificate number is recorded" in body(
        client.get(f"/people/{person.id}/certificate")
    )
    response = client.post(f"/people/{person.id}/certificate")
    assert response.status_code == 303
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "view_sensitive")
        )
        == 0
    )


def test_odd_filter_values_and_pages_are_harmless(client, admin, make_person):
    make_person(name="示例·奇怪")
    for params in (
        {"town": "  ", "category": " ", "archived": "\t"},
        {"town": "99999999999999999999999"},
        {"page": "99999999999999999999"},
        {"page": "-3"},
    ):
        assert client.get("/people/", query_string=params).status_code == 200


def test_blank_choices_and_huge_numbers_are_refused_cleanly(client, admin, towns):
    response = client.post(
        "/people/new",
        data=person_form(
            towns[0].id,
            disability_category=" ",
            disability_grade=" ",
            guardian_relation=" ",
            guardian_person_id="99999999999999999999",
            consent_given_by="none",
        ),
    )
    assert response.status_code == 422
    html = body(response)
    assert '<a href="#guardian_person_id">Enter the register number shown on the guardian' in html


def test_record_the_consent_to_share_disability_details_with_coaches(client, admin, make_person):
    person = make_person()
    assert not person.has_scouting_consent
    page = client.get(f"/people/{person.id}/consents/new").get_data(as_text=True)
    assert "Sharing the disability category and grade with their coaches" in page
    today = clock.today()
    response = client.post(
        f"/people/{person.id}/consents/new",
        data={
            "kind": "scouting",
            "given_on-year": str(today.year),
            "given_on-month": str(today.month),
            "given_on-day": str(today.day),
            "given_by": "self",
            "guardian_name": "",
            "notice_version": "2026-1",
        },
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.has_scouting_consent


def test_staff_record_that_a_person_asked_for_reminders(client, admin, make_person):
    person = make_person()
    assert person.wants_reminders is False
    form = client.get(f"/people/{person.id}/edit")
    assert 'name="wants_reminders"' in body(form)
    response = client.post(f"/people/{person.id}/edit", data=edit_form(person, wants_reminders="y"))
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.wants_reminders is True
    row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert row.field_list == ["wants_reminders"]
    page = client.get(f"/people/{person.id}", headers={"Accept-Language": "en"})
    assert "Reminders the day before" in body(page)
    # Unticked (a checkbox not sent): they no longer get them.
    response = client.post(f"/people/{person.id}/edit", data=edit_form(person))
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.wants_reminders is False


def test_a_list_pages_with_its_count_only_when_the_first_page_is_full(app, make_person):
    from app.core.params import paginate
    from app.people.models import Person

    for n in range(7):
        make_person(name=f"示例·丙{n}")
    query = db.select(Person).order_by(Person.id)
    whole = paginate(query, 1, 10)
    assert (whole.total, whole.pages, len(whole.items), whole.has_next) == (7, 1, 7, False)
    first = paginate(query, 1, 3)
    assert (first.total, first.pages, len(first.items), first.has_next) == (7, 3, 3, True)
    last = paginate(query, 3, 3)
    assert (last.total, last.page, [p.name for p in last.items]) == (7, 3, ["示例·丙6"])
    past = paginate(query, 9, 3)
    assert (past.total, past.items) == (7, [])
