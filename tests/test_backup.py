"""Backup and restore (issue 13): the demo, a photo and a personal calendar token backed up
with `flask backup create`, restored with `flask backup restore` into an empty database
migrated to head, answer byte for byte as before."""

from __future__ import annotations

import io
import json
import os

import pytest
import sqlalchemy as sa
from PIL import Image

from app import create_app
from app.extensions import db

URLS = (
    "/calendar/public.ics",
    "/api/v1/report?from=2017-01-01&to=2026-12-31",
    "/api/v1/medals?from=2017-01-01&to=2026-12-31",
    "/api/v1/schedule?from=2026-11-30&to=2027-03-31",
    "/api/v1/venues",
)


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    from config import _database_url

    base = sa.engine.make_url(_database_url())
    name = f"{base.database}_restore"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def answers(app) -> dict[str, bytes]:
    client = app.test_client()
    found = {}
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response.get_data()
    return found


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 4), "green").save(out, "PNG")
    return out.getvalue()


def test_a_restored_backup_answers_byte_for_byte(app, runner, demo, tmp_path, empty_database_url):
    from flask_migrate import upgrade

    from app.core.health import MIGRATIONS
    from app.performances import photos
    from app.performances.models import Performance

    photo_dir, restored_photos = tmp_path / "photos", tmp_path / "restored-photos"
    app.config["PERFORMANCE_PHOTO_FOLDER"] = str(photo_dir)
    try:
        performance = db.session.scalars(sa.select(Performance).order_by(Performance.id)).first()
        photo = photos.add_photo(performance, png(), "舞台上的演员")
        db.session.commit()
        before = answers(app)

        result = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
        assert manifest["files"][f"photos/{photo.stored_name}"]["bytes"] > 0
        people = (tmp_path / "backup" / "tables" / "people.jsonl").read_text()
        assert "gAAAA" in people  # certificate numbers stay encrypted in the backup
    finally:
        app.config["PERFORMANCE_PHOTO_FOLDER"] = None

    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "SERVER_NAME": "localhost",
            "BABEL_DEFAULT_LOCALE": "en",
            "PERFORMANCE_PHOTO_FOLDER": str(restored_photos),
        }
    )
    with other.app_context():
        try:
            upgrade(directory=str(MIGRATIONS))
            restore = other.test_cli_runner().invoke(
                args=["backup", "restore", str(tmp_path / "backup")]
            )
            assert restore.exit_code == 0, restore.output
            assert answers(other) == before
            assert (restored_photos / photo.stored_name).read_bytes() == (
                photo_dir / photo.stored_name
            ).read_bytes()
            # A second restore is refused: the database is no longer empty.
            again = other.test_cli_runner().invoke(
                args=["backup", "restore", str(tmp_path / "backup")]
            )
            assert again.exit_code != 0
            assert "the database is not empty" in again.output
            # New rows get new ids after the restored ones (PostgreSQL sequences moved on).
            from app.core.reference import Town

            town = Town(name="新镇", name_en="New Town", kind="town", sort_order=99)
            db.session.add(town)
            db.session.commit()
            assert town.id == 13
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_damaged_backup_is_refused_before_anything_is_written(app, runner, tmp_path):
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b")]).exit_code == 0
    with (tmp_path / "b" / "tables" / "towns.jsonl").open("a") as damaged:
        damaged.write('{"id": 99}\n')
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert result.exit_code != 0
    assert "tables/towns.jsonl is missing or damaged" in result.output
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b")]).exit_code != 0
