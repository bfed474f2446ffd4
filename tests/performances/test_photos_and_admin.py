"""Photos (type check, EXIF stripped, alt text required, access-checked serving), programmes
and troupes pages (permissions, 409, members by register number and date of birth)."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from app.core.audit import AuditEvent
from app.extensions import db
from app.performances.models import PerformancePhoto, Programme, Troupe, TroupeMember


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "GPS-ish software"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photo_upload_strips_exif_and_is_access_checked(
    client,
    login_as,
    organiser,
    make_performance,
    make_person,
    make_user,
    tmp_path,
    app,
    monkeypatch,
):
    monkeypatch.setitem(app.config, "PERFORMANCE_PHOTO_FOLDER", str(tmp_path))
    performer = make_person(name="Performer Zhao")
    performance = make_performance(people=[(performer, "performer")])
    login_as(user=organiser)
    raw = jpeg_with_exif()
    assert b"SecretCam" in raw
    url = f"/performances/{performance.id}/photos"
    missing_alt = client.post(url, data={"photo": (io.BytesIO(raw), "a.jpg"), "alt_text": ""})
    assert missing_alt.status_code == 422
    assert "Describe the photo" in missing_alt.get_data(as_text=True)
    not_image = client.post(
        url, data={"photo": (io.BytesIO(b"%PDF-1.4 hello"), "a.jpg"), "alt_text": "x"}
    )
    assert not_image.status_code == 422
    assert "not a JPEG or PNG image" in not_image.get_data(as_text=True)
    ok = client.post(
        url, data={"photo": (io.BytesIO(raw), "a.jpg"), "alt_text": "Singers on stage"}
    )
    assert ok.status_code == 303
    photo = db.session.scalars(sa.select(PerformancePhoto)).one()
    served = client.get(f"/performances/photos/{photo.id}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    data = served.get_data()
    served.close()
    assert len(list(tmp_path.iterdir())) == 1
    assert b"SecretCam" not in data and b"Exif" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)
    page = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert 'alt="Singers on stage"' in page
    # The public and unrelated participants cannot fetch it.
    anonymous = app.test_client()
    assert anonymous.get(f"/performances/photos/{photo.id}").status_code in (302, 303)
    stranger = app.test_client()
    user = make_user("participant")
    with stranger.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert stranger.get(f"/performances/photos/{photo.id}").status_code == 404
    # A participant booked on the performance can.
    booked = app.test_client()
    with booked.session_transaction() as session:
        session["_user_id"] = make_user("participant", person_id=performer.id).get_id()
    seen = booked.get(f"/performances/photos/{photo.id}")
    assert seen.status_code == 200
    seen.close()
    # Removing asks first (one click changes nothing), then deletes the file and is audited.
    asked = client.post(f"/performances/photos/{photo.id}/delete")
    assert asked.status_code == 200
    assert "Yes, remove the photo" in asked.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PerformancePhoto.id))) == 1
    assert (
        client.post(
            f"/performances/photos/{photo.id}/delete", data={"confirmed": "yes"}
        ).status_code
        == 303
    )
    assert db.session.scalar(sa.select(sa.func.count(PerformancePhoto.id))) == 0
    assert list(tmp_path.iterdir()) == []
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.entity == "performance_photo")
    ).all()
    assert sorted(actions) == ["create", "delete"]


def test_programme_create_edit_and_409(client, login_as, organiser):
    login_as(user=organiser)
    response = client.post(
        "/performances/programmes/new",
        data={
            "name": "Six Into",
            "first_year": "2017",
            "last_year": "",
            "description": "",
            "organiser_ids": str(organiser.id),
        },
    )
    assert response.status_code == 303
    programme = db.session.scalars(sa.select(Programme)).one()
    assert [u.id for u in programme.organisers] == [organiser.id]
    bad = client.post(
        "/performances/programmes/new",
        data={
            "name": "Other",
            "first_year": "2020",
            "last_year": "2019",
            "organiser_ids": str(organiser.id),
        },
    )
    assert bad.status_code == 422
    assert "The last year must be the first year or later." in bad.get_data(as_text=True)
    form = {
        "name": "Six Into",
        "first_year": "2017",
        "organiser_ids": str(organiser.id),
        "version": str(programme.version),
    }
    url = f"/performances/programmes/{programme.id}/edit"
    assert client.post(url, data={**form, "description": "theirs"}).status_code == 303
    stale = client.post(url, data={**form, "description": "mine"})
    assert stale.status_code == 409
    assert "theirs" in stale.get_data(as_text=True)


def test_programme_of_another_organiser_is_refused(client, login_as, make_programme):
    programme = make_programme()
    login_as("organiser")
    assert client.get(f"/performances/programmes/{programme.id}/edit").status_code == 404


def test_troupe_members_by_register_number_and_birth_date(
    client, login_as, organiser, make_person, make_programme
):
    person = make_person(name="Member Li")
    login_as(user=organiser)
    assert client.post("/performances/troupes/new", data={"name": "Arts troupe"}).status_code == 303
    troupe = db.session.scalars(sa.select(Troupe)).one()
    url = f"/performances/troupes/{troupe.id}/members"
    wrong = client.post(
        url,
        data={
            "person_id": str(person.id),
            "birth_on-year": "1901",
            "birth_on-month": "1",
            "birth_on-day": "1",
            "role": "performer",
        },
    )
    assert wrong.status_code == 422
    assert "No current person in the register" in wrong.get_data(as_text=True)
    b = person.birth_on
    right = client.post(
        url,
        data={
            "person_id": str(person.id),
            "birth_on-year": str(b.year),
            "birth_on-month": str(b.month),
            "birth_on-day": str(b.day),
            "role": "performer",
        },
    )
    assert right.status_code == 303
    page = client.get(f"/performances/troupes/{troupe.id}").get_data(as_text=True)
    assert "Member Li" in page
    # The booking form lists the member with a role select.
    make_programme()
    form = client.get("/performances/new").get_data(as_text=True)
    assert "Member Li (Arts troupe, Performer)" in form
    assert f'name="role_{person.id}"' in form
    # Removing a member asks first: one click changes nothing (issue 19, item 4).
    member = db.session.scalars(sa.select(TroupeMember)).one()
    remove = f"/performances/troupes/{troupe.id}/members/{member.id}/remove"
    asked = client.post(remove)
    assert asked.status_code == 200
    assert "Remove Member Li from Arts troupe?" in asked.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(TroupeMember.id))) == 1
    assert client.post(remove, data={"confirmed": "yes"}).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(TroupeMember.id))) == 0
    assert client.post(remove, data={"confirmed": "yes"}).status_code == 404


def test_programme_and_troupe_changes_are_audited(organiser, make_person):
    from app.performances import services

    programme = services.create_programme(
        {"name": "Five Ones", "first_year": 2017, "organiser_ids": [organiser.id]}, actor=organiser
    )
    services.update_programme(
        programme,
        {
            "name": "Five Ones",
            "first_year": 2017,
            "last_year": 2021,
            "organiser_ids": [organiser.id],
        },
        version=programme.version,
        actor=organiser,
    )
    troupe = services.create_troupe({"name": "Ensemble"}, actor=organiser)
    person = make_person()
    member = services.add_member(
        troupe, person_id=person.id, birth_on=person.birth_on, role="leader", actor=organiser
    )
    services.remove_member(troupe, member.id, actor=organiser)
    db.session.commit()
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity, AuditEvent.fields, AuditEvent.actor_id)
        .where(AuditEvent.entity.in_(["programme", "troupe"]))
        .order_by(AuditEvent.id)
    ).all()
    assert [(a, e, f) for a, e, f, _actor in rows] == [
        ("create", "programme", "description,first_year,last_year,name,organisers"),
        ("update", "programme", "last_year"),
        ("create", "troupe", "name,notes"),
        ("update", "troupe", "members"),
        ("update", "troupe", "members"),
    ]
    assert {actor for *_rest, actor in rows} == {organiser.id}


def test_override_reason_is_shown_to_staff_only(client, login_as, organiser, make_performance):
    make_performance(title="Booked first")
    second = make_performance(title="Second", override_reason="Two stages in one hall")
    public = client.get(f"/performances/{second.id}").get_data(as_text=True)
    assert "Two stages in one hall" not in public
    login_as(user=organiser)
    staff = client.get(f"/performances/{second.id}").get_data(as_text=True)
    assert "Clashes overridden" in staff and "Two stages in one hall" in staff
    assert ">Booked first</a>" in staff


@pytest.mark.parametrize("number", ["9" * 20, "9" * 11, "2147483648"])
def test_troupe_member_oversized_register_number_is_a_clear_error(
    client, login_as, organiser, number
):
    login_as(user=organiser)
    assert client.post("/performances/troupes/new", data={"name": "Arts troupe"}).status_code == 303
    troupe = db.session.scalars(sa.select(Troupe)).one()
    response = client.post(
        f"/performances/troupes/{troupe.id}/members",
        data={
            "person_id": number,
            "birth_on-year": "1990",
            "birth_on-month": "1",
            "birth_on-day": "1",
            "role": "performer",
        },
    )
    assert response.status_code == 422
    assert "No current person in the register" in response.get_data(as_text=True)


@pytest.mark.parametrize("year", ["9" * 20, "12345"])
def test_programme_oversized_year_is_a_clear_error(client, login_as, organiser, year):
    login_as(user=organiser)
    response = client.post(
        "/performances/programmes/new",
        data={"name": "Big", "first_year": year, "organiser_ids": [str(organiser.id)]},
    )
    assert response.status_code == 422


def test_troupe_stale_edit_is_a_409_with_both_values(client, login_as, organiser, make_troupe):
    troupe = make_troupe(notes="Started in 2019")
    login_as(user=organiser)
    url = f"/performances/troupes/{troupe.id}/edit"
    form = {"name": troupe.name, "version": str(troupe.version)}
    assert client.post(url, data={**form, "notes": "Theirs"}).status_code == 303
    stale = client.post(url, data={**form, "notes": "Mine"})
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "Someone else saved this record after you opened it." in text
    assert "Mine" in text and "Theirs" in text
    db.session.expire_all()
    assert db.session.get(Troupe, troupe.id).notes == "Theirs"


def one_bit_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_tiny_png_of_many_pixels_is_refused_before_decoding(
    client, login_as, organiser, make_performance, tmp_path, app, monkeypatch
):
    """Issue 13 item 11: 5 KB of PNG declaring 6000 x 6600 pixels (120 MB as RGB) is refused
    from its header; the pixels are never decoded."""
    monkeypatch.setitem(app.config, "PERFORMANCE_PHOTO_FOLDER", str(tmp_path))
    bomb = one_bit_png(6000, 6600)
    assert len(bomb) < 10_000
    decoded = []
    real_load = Image.Image.load
    monkeypatch.setattr(
        Image.Image, "load", lambda self: decoded.append(self.size) or real_load(self)
    )
    performance = make_performance()
    login_as(user=organiser)
    response = client.post(
        f"/performances/{performance.id}/photos",
        data={"photo": (io.BytesIO(bomb), "bomb.png"), "alt_text": "A white page"},
    )
    assert response.status_code == 422
    assert "The photo has too many pixels" in response.get_data(as_text=True)
    assert (6000, 6600) not in decoded
    assert db.session.scalar(sa.select(sa.func.count(PerformancePhoto.id))) == 0
    assert list(tmp_path.iterdir()) == []


def test_a_wide_photo_is_stored_at_most_4000_pixels_wide(
    organiser, make_performance, tmp_path, app, monkeypatch
):
    from app.performances import photos

    monkeypatch.setitem(app.config, "PERFORMANCE_PHOTO_FOLDER", str(tmp_path))
    out = io.BytesIO()
    Image.new("RGB", (6000, 40), "blue").save(out, "JPEG")
    photo = photos.add_photo(make_performance(), out.getvalue(), "A banner", actor=organiser)
    assert (photo.width, photo.height) == (4000, 27)
    with Image.open(photos.photo_path(photo)) as stored:
        assert stored.size == (4000, 27)


def test_photo_uploads_are_limited_per_user(
    client, login_as, organiser, make_performance, tmp_path, app, monkeypatch
):
    monkeypatch.setitem(app.config, "PERFORMANCE_PHOTO_FOLDER", str(tmp_path))
    monkeypatch.setitem(app.config, "RATELIMIT_PHOTO_UPLOAD", "3 per hour")
    performance = make_performance()
    login_as(user=organiser)
    url = f"/performances/{performance.id}/photos"
    statuses = [
        client.post(
            url, data={"photo": (io.BytesIO(jpeg_with_exif()), "a.jpg"), "alt_text": "Stage"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    assert db.session.scalar(sa.select(sa.func.count(PerformancePhoto.id))) == 3
