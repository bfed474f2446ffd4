"""``flask backup create DIR`` and ``flask backup restore DIR``: the whole product in a folder.

A backup folder holds ``manifest.json`` (format, the schema's Alembic revision, when, the row
count and SHA-256 of every file), ``tables/<table>.jsonl`` (one JSON object per row, every
table of the schema in foreign-key order) and ``photos/`` (the performance photos, the only
state kept outside the database). It is the same on SQLite and PostgreSQL, so a backup of one
restores into the other.

Values are written as the database holds them: encrypted columns (the certificate number) stay
Fernet tokens, so a backup reveals no more than the database does, and it restores with the
same PERSONAL_DATA_ENCRYPTION_KEYS. Dates and instants are ISO 8601 (instants in UTC), numbers
kept as exact decimals, bytes as base64.

``restore`` needs an empty database at the backup's revision (``flask db upgrade`` first),
checks every checksum before writing anything, inserts the rows in one transaction, moves
PostgreSQL's id sequences past the restored ids and copies the photos. Restored, the product
answers byte for byte as before (tests/test_backup.py compares the public feed, the report and
the medal tally, and every photo).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.core import clock
from app.core.crypto import EncryptedText
from app.core.db import UTCDateTime
from app.extensions import db

FORMAT = "ronghe-backup/1"
backup_cli = AppGroup("backup", help="Back up the database and photos to a folder, or restore.")


class BackupError(Exception):
    pass


def _raw_table(table: sa.Table) -> sa.Table:
    """The table with encrypted columns seen as the text the database holds."""
    columns = [
        sa.Column(
            c.name,
            sa.Text if isinstance(c.type, EncryptedText) else c.type,
            key=c.key,
            primary_key=c.primary_key,
            autoincrement=False,
        )
        for c in table.columns
    ]
    return sa.Table(table.name, sa.MetaData(), *columns)


def _dump(value):
    if isinstance(value, datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"t": "decimal", "v": str(value)}
    if isinstance(value, bytes | memoryview):
        return {"t": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum member
        return value.value
    if isinstance(value, dict | list):
        return {"t": "json", "v": value}
    return value


def _load(value, column: sa.Column):
    if isinstance(value, dict) and set(value) == {"t", "v"}:
        kind, raw = value["t"], value["v"]
        if kind == "datetime":
            parsed = datetime.fromisoformat(raw)
            if isinstance(column.type, UTCDateTime) and parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "decimal":
            return Decimal(raw)
        if kind == "bytes":
            return base64.b64decode(raw)
        if kind == "json":
            return raw
    if (
        isinstance(column.type, sa.Enum)
        and column.type.enum_class is not None
        and value is not None
    ):
        return column.type.enum_class(value)
    return value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _revision() -> str | None:
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(db.session.connection()).get_current_heads()
    return ",".join(sorted(heads)) or None


def _photo_folder() -> Path:
    from app.performances.photos import photo_folder

    return photo_folder()


def create(folder: Path) -> dict:
    """Write a backup into ``folder`` (created; must be empty); answers the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    (folder / "tables").mkdir()
    files: dict[str, dict] = {}
    for table in db.metadata.sorted_tables:
        raw = _raw_table(table)
        path = folder / "tables" / f"{table.name}.jsonl"
        rows = 0
        order = list(raw.primary_key.columns) or [
            c for c in raw.columns if not isinstance(c.type, sa.JSON | sa.LargeBinary)
        ]
        with path.open("w", encoding="utf-8") as out:
            for row in db.session.execute(sa.select(raw).order_by(*order)):
                record = {name: _dump(value) for name, value in row._mapping.items()}
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                rows += 1
        files[f"tables/{table.name}.jsonl"] = {"rows": rows, "sha256": _sha256(path)}
    photos = _photo_folder()
    (folder / "photos").mkdir()
    for source in sorted(p for p in photos.iterdir() if p.is_file()):
        target = folder / "photos" / source.name
        shutil.copy2(source, target)
        files[f"photos/{source.name}"] = {"bytes": target.stat().st_size, "sha256": _sha256(target)}
    manifest = {
        "format": FORMAT,
        "revision": _revision(),
        "created_at": clock.now().isoformat(timespec="seconds"),
        "database": db.engine.dialect.name,
        "files": files,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
    )
    db.session.rollback()
    return manifest


def _check(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{folder} holds no manifest.json: not a Ronghe backup")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        file = folder / name
        if not file.is_file() or _sha256(file) != expected["sha256"]:
            raise BackupError(f"{name} is missing or damaged (checksum differs)")
    if manifest["revision"] != _revision():
        raise BackupError(
            f"the backup is of schema {manifest['revision']}, the database is at "
            f"{_revision()}: run `flask db upgrade` to the backup's revision first"
        )
    for table in db.metadata.sorted_tables:
        if table.name in SEEDED_BY_MIGRATIONS:
            continue
        if db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(f"the database is not empty (table {table.name} has rows)")
    return manifest


# Tables a migration fills in an empty database (the page cache's data versions start at "0"):
# an empty, migrated database has their rows, and the backup's replace them.
SEEDED_BY_MIGRATIONS = {"data_versions"}


def _later_columns(table: sa.Table) -> set[str]:
    """Foreign keys that cannot be filled as rows arrive: those breaking a cycle between
    tables (use_alter: users.person_id) and those pointing into their own table (a guardian
    registered after the dependant). They are inserted empty and set once every row is in."""
    return {
        key.parent.name for key in table.foreign_keys if key.use_alter or key.column.table is table
    }


def restore(folder: Path) -> dict:
    """Restore the backup in ``folder`` into this (empty, migrated) database and photo folder."""
    try:
        manifest = _check(folder)
    finally:
        db.session.rollback()  # the checks read; nothing is held while the caller decides
    connection = db.session.connection()
    pending: list[tuple[sa.Table, dict]] = []
    for table in db.metadata.sorted_tables:
        raw = _raw_table(table)
        if table.name in SEEDED_BY_MIGRATIONS:
            connection.execute(raw.delete())  # the migration's rows give way to the backup's
        later = _later_columns(table)
        path = folder / "tables" / f"{table.name}.jsonl"
        batch = []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                row = {c.key: _load(record.get(c.name), c) for c in raw.columns}
                if later and any(row.get(name) is not None for name in later):
                    pending.append((raw, {name: row[name] for name in ("id", *later)}))
                    row.update({name: None for name in later})
                batch.append(row)
                if len(batch) >= 1000:
                    connection.execute(raw.insert(), batch)
                    batch = []
        if batch:
            connection.execute(raw.insert(), batch)
    for raw, values in pending:
        connection.execute(
            raw.update()
            .where(raw.c.id == values["id"])
            .values({name: value for name, value in values.items() if name != "id"})
        )
    if connection.dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                highest = connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
                connection.execute(
                    sa.select(
                        sa.func.setval(
                            sa.func.pg_get_serial_sequence(table.name, "id"), highest + 1, False
                        )
                    )
                )
    db.session.commit()
    photos = _photo_folder()
    for name in manifest["files"]:
        if name.startswith("photos/"):
            shutil.copy2(folder / name, photos / name.removeprefix("photos/"))
    return manifest


@backup_cli.command("create")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def create_command(folder: Path) -> None:
    """Back up every table and the photos into FOLDER (new or empty)."""
    try:
        manifest = create(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(f.get("rows", 0) for f in manifest["files"].values())
    photos = sum(1 for name in manifest["files"] if name.startswith("photos/"))
    click.echo(f"Backed up {rows} rows and {photos} photos to {folder}.")


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(folder: Path) -> None:
    """Restore FOLDER into an empty database at the backup's revision."""
    try:
        manifest = restore(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(f.get("rows", 0) for f in manifest["files"].values())
    click.echo(f"Restored {rows} rows from {folder}.")
