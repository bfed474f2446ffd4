"""Start-up for a newcomer (issue 12 item 20): ``PORT=5001 make run`` serves on that port, and
``flask`` run without RONGHE_CONFIG says in one line which variable is missing and that
``make run`` sets up development, instead of a traceback about SECRET_KEY."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Everything the app reads from the environment, so the subprocess starts as a newcomer's.
SETTINGS = (
    "RONGHE_CONFIG",
    "SECRET_KEY",
    "PERSONAL_DATA_KEY",
    "PERSONAL_DATA_ENCRYPTION_KEYS",
    "DATABASE_URL",
    "RONGHE_BASE_URL",
    "RATELIMIT_STORAGE_URI",
    "FLASK_APP",
    "FLASK_DEBUG",
    "PORT",
)


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(extra)
    return env


def make_dry_run(**extra) -> str:
    result = subprocess.run(
        ["make", "-n", "run"],  # -n: print the commands, run none
        cwd=ROOT,
        env=clean_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_on_the_port_given():
    serve = [line for line in make_dry_run(PORT="5001").splitlines() if " run " in line]
    assert serve == [".venv/bin/flask run --host 127.0.0.1 --port 5001"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_on_5000_by_default():
    assert ".venv/bin/flask run --host 127.0.0.1 --port 5000" in make_dry_run().splitlines()


def test_flask_without_ronghe_config_says_what_to_do_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("Ronghe: RONGHE_CONFIG is not set, so the production settings apply")
    assert "SECRET_KEY must be set" in line
    assert "`make run` sets up development" in line


def test_production_named_explicitly_refuses_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=clean_env(RONGHE_CONFIG="production"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Ronghe cannot start with RONGHE_CONFIG=production: SECRET_KEY")


def test_development_starts_without_a_word(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=clean_env(RONGHE_CONFIG="development", DATABASE_URL=f"sqlite:///{tmp_path}/x.db"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "reports.index" in result.stdout


def test_an_unknown_config_name_is_one_line_too():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=clean_env(RONGHE_CONFIG="dev"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Ronghe: RONGHE_CONFIG=dev is not one of development, testing, production; "
        "`make run` sets up development."
    )


def test_development_keys_are_made_once_and_a_second_starter_reads_the_first_ones(
    tmp_path, monkeypatch
):
    """Two processes starting at once (CI runs SQLite and PostgreSQL side by side) both see no
    key file; the first one linked into place wins, the other reads it, nothing is left aside."""
    from types import SimpleNamespace

    from app import _development_secrets

    first = SimpleNamespace(instance_path=str(tmp_path), config={})
    _development_secrets(first)
    keys = sorted(p.name for p in tmp_path.iterdir())
    assert keys == ["personal_data_encryption_key", "personal_data_key", "secret_key"]
    assert {oct(p.stat().st_mode & 0o777) for p in tmp_path.iterdir()} == {"0o600"}

    # The second starter looked before the first had written: it makes keys of its own, finds
    # the files there when it links, and keeps the first ones.
    monkeypatch.setattr(Path, "exists", lambda self: False)
    second = SimpleNamespace(instance_path=str(tmp_path), config={})
    _development_secrets(second)
    assert second.config == first.config
    assert sorted(p.name for p in tmp_path.iterdir()) == keys
    assert len(first.config["SECRET_KEY"]) == 64
