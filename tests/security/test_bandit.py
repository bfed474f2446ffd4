"""bandit over the application code: no finding of medium severity or above."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_finds_nothing_of_medium_severity_or_above():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "app", "-ll", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"bandit:\n{result.stdout}\n{result.stderr}"
