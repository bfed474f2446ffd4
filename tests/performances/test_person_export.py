"""A person's export (app/privacy) carries the photos of the performances they are booked in,
and no one else's (issue 13, access and portability)."""

import io
import json
import zipfile

from PIL import Image

from app.extensions import db
from app.performances import photos
from tests.performances.conftest import at


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(out, "PNG")
    return out.getvalue()


def test_the_export_zip_holds_the_photos_of_their_performances(
    client, login_as, make_performance, make_person, tmp_path, app, monkeypatch
):
    monkeypatch.setitem(app.config, "PERFORMANCE_PHOTO_FOLDER", str(tmp_path))
    performer, other = make_person(name="Performer Zhao"), make_person(name="Other Qian")
    theirs = make_performance(people=[(performer, "performer")])
    not_theirs = make_performance(
        at(10, 14), at(10, 16), people=[(other, "performer")], title="Another show"
    )
    mine = photos.add_photo(theirs, png(), "The troupe on stage")
    photos.add_photo(not_theirs, png(), "Someone else's show")
    db.session.commit()
    login_as("admin")
    response = client.get(f"/people/{performer.id}/export")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("person.json"))
    assert data["photos"] == [mine.stored_name]
    assert sorted(archive.namelist()) == ["person.json", f"photos/{mine.stored_name}"]
    assert archive.read(f"photos/{mine.stored_name}") == (tmp_path / mine.stored_name).read_bytes()
