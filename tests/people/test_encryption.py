"""The certificate number is encrypted at rest (issue 13): the database holds a Fernet token,
the app reads the number, keys rotate with `flask people reencrypt`, and the migration encrypts
numbers stored before it."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from app import create_app
from app.core import crypto
from app.extensions import db
from app.people.models import Person


def stored(person_id: int) -> str:
    return db.session.execute(
        sa.text("SELECT certificate_number FROM people WHERE id = :id"), {"id": person_id}
    ).scalar_one()


def test_the_database_holds_a_token_the_app_reads_the_number(make_person):
    person = make_person()
    number = db.session.scalar(sa.select(Person.certificate_number).where(Person.id == person.id))
    assert len(number) == 20
    token = stored(person.id)
    assert number not in token and number[:6] not in token
    assert crypto.decrypt(token) == number
    # Duplicate detection still works: it never reads the encrypted column.
    assert person.certificate_hash


def test_keys_rotate_with_reencrypt(app, runner, make_person):
    person = make_person()
    number = db.session.scalar(sa.select(Person.certificate_number).where(Person.id == person.id))
    old_token = stored(person.id)
    old_key = app.config["PERSONAL_DATA_ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    app.config["PERSONAL_DATA_ENCRYPTION_KEYS"] = f"{new_key},{old_key}"
    try:
        result = runner.invoke(args=["people", "reencrypt"])
        assert result.exit_code == 0, result.output
        assert result.output == "Encrypted 1 certificate numbers with the first key.\n"
        db.session.expire_all()
        assert stored(person.id) != old_token
        app.config["PERSONAL_DATA_ENCRYPTION_KEYS"] = new_key  # the old key can go now
        assert crypto.decrypt(stored(person.id)) == number
        assert db.session.get(Person, person.id).certificate_number == number
    finally:
        app.config["PERSONAL_DATA_ENCRYPTION_KEYS"] = old_key


def test_a_removed_key_is_a_clear_error_without_the_value(app, make_person):
    person = make_person()
    token = stored(person.id)
    saved = app.config["PERSONAL_DATA_ENCRYPTION_KEYS"]
    app.config["PERSONAL_DATA_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    try:
        with pytest.raises(ValueError) as error:
            crypto.decrypt(token)
        assert token not in str(error.value)
        assert "PERSONAL_DATA_ENCRYPTION_KEYS" in str(error.value)
    finally:
        app.config["PERSONAL_DATA_ENCRYPTION_KEYS"] = saved


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a SQLite file of its own")
def test_the_migration_encrypts_numbers_stored_before_it(tmp_path):
    from flask_migrate import downgrade, upgrade

    other = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with other.app_context():
        upgrade(revision="b1362385bcd3")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO towns (id, name, name_en, kind, sort_order) "
                    "VALUES (1, '锦屏街道', 'Jinping', 'subdistrict', 1)"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO people (id, name, name_pinyin, gender, birth_on, town_id, phone, "
                    "address, certificate_number, certificate_masked, notes, guardian_name, "
                    "guardian_phone, is_archived, version, created_at, updated_at) VALUES (1, '张三', "
                    "'Zhang San', 'male', '1990-01-01', 1, '', '', '33020019900101123X42', "
                    "'3302**********123X**', '', '', '', 0, 1, '2026-01-01', '2026-01-01')"
                )
            )
        upgrade(revision="20663869e82e")
        with db.engine.connect() as conn:
            token = conn.execute(sa.text("SELECT certificate_number FROM people")).scalar_one()
        assert token.startswith("gAAAA") and crypto.decrypt(token) == "33020019900101123X42"
        downgrade(revision="b1362385bcd3")
        with db.engine.connect() as conn:
            plain = conn.execute(sa.text("SELECT certificate_number FROM people")).scalar_one()
        assert plain == "33020019900101123X42"
        db.session.remove()
        db.engine.dispose()
