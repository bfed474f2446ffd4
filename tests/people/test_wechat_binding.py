"""A person's WeChat binding (their Official Account openid, issue 16): set by staff on the
person's form, shown masked, in the data export, cleared on erasure."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.people.models import Person, mask_openid
from tests.people.test_routes import body, edit_form

OPENID = "oAbCdEfGhIjKlMnOpQrStUvWx_01"


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def test_mask_shows_the_first_and_last_four_characters():
    assert mask_openid(OPENID) == "oAbC…x_01"
    assert mask_openid("") == ""


def test_staff_bind_a_person_to_wechat_on_the_edit_form(client, admin, make_person):
    person = make_person()
    response = client.post(
        f"/people/{person.id}/edit", data=edit_form(person, wechat_openid=f"  {OPENID} ")
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.wechat_openid == OPENID
    row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert row.field_list == ["wechat_openid"]
    # The person page shows it masked; the edit form shows it whole, to be corrected.
    page = body(client.get(f"/people/{person.id}"))
    assert "WeChat openid" in page and "oAbC…x_01" in page and OPENID not in page
    form = body(client.get(f"/people/{person.id}/edit"))
    assert f'value="{OPENID}"' in form


@pytest.mark.parametrize(
    "typed", ["o123", "oAbCdEfGhIjKlMn OpQrStUvWx_01", "微信号abcdefghijklmnopqrstu", "x" * 65]
)
def test_an_openid_that_cannot_be_one_is_refused_and_kept(client, admin, make_person, typed):
    person = make_person()
    response = client.post(f"/people/{person.id}/edit", data=edit_form(person, wechat_openid=typed))
    assert response.status_code == 422
    html = body(response)
    assert '<a href="#wechat_openid">' in html
    assert "Enter the openid exactly as the Official Account shows it" in html
    assert f'value="{typed}"' in html
    db.session.refresh(person)
    assert person.wechat_openid == "" and person.version == 1


def test_a_person_page_says_when_no_wechat_is_bound(client, admin, make_person):
    person = make_person()
    assert "Not bound" in body(client.get(f"/people/{person.id}"))


def test_the_export_holds_the_binding_and_erasure_clears_it(client, admin, make_person):
    person = make_person(wechat_openid=OPENID)
    response = client.get(f"/people/{person.id}/export")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        data = json.loads(archive.read("person.json"))
    assert data["tables"]["people"][0]["wechat_openid"] == OPENID

    done = client.post(f"/people/{person.id}/anonymise", data={"reason": "本人书面申请"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Person, person.id).wechat_openid == ""
    row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "anonymise")).one()
    assert "wechat_openid" in row.field_list
