"""`contacts api` with an impossible port or rate gets a clear message, not a Python traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import installed_command


@pytest.mark.parametrize("options", [["--port", "99999"], ["--rate-limit", "nan"], ["--rate-limit", "inf"], ["--rate-limit", "1e308"]])
def test_impossible_api_options_get_a_message_not_a_traceback(tmp_path: Path, options: list[str]):
    db = tmp_path / "c.json"
    subprocess.run([str(installed_command()), "--db", str(db), "whoami"], check=True, capture_output=True)
    try:
        done = subprocess.run(
            [str(installed_command()), "--db", str(db), "api", "--port", "0", *options],
            capture_output=True, text=True, timeout=10,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"contacts api {' '.join(options)} started serving instead of refusing")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    assert options[0] in done.stderr
