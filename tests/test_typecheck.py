"""mypy (configured in pyproject.toml, [tool.mypy]) runs with the suite, so `make test` fails
when app/core, app/scheduling, app/calendars or app/dashboards stop type-checking clean."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean(monkeypatch):
    monkeypatch.chdir(ROOT)  # mypy reads pyproject.toml (and its files) from here
    stdout, stderr, status = api.run([])
    assert status == 0, stdout + stderr
    assert "Success: no issues found" in stdout, stdout


def test_mypy_would_report_an_error(monkeypatch, tmp_path):
    """The check can fail: a wrong type in a module given to mypy is reported."""
    monkeypatch.chdir(ROOT)
    probe = tmp_path / "probe.py"
    probe.write_text("from app.core import clock\n\nx: int = clock.today()\n", encoding="utf-8")
    stdout, _stderr, status = api.run([str(probe)])
    assert status == 1, stdout
    assert "Incompatible types in assignment" in stdout, stdout
