"""Autogenerate a migration against a throw-away SQLite database upgraded to head:
``.venv/bin/python scripts/new_migration.py "what changed"``. Read the file it writes and fix
it by hand where needed (data moves, cycles of foreign keys) before committing."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import revision, upgrade  # noqa: E402

from app import create_app  # noqa: E402


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/migrate.sqlite3"})
        app.testing = False
        with app.app_context():
            upgrade()
            revision(message=message, autogenerate=True)


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
