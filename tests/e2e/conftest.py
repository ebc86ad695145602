"""Fixtures for the end-to-end tests: the installed ``contacts`` command, run in a private tmux.

These tests are never skipped: without tmux they fail and say how to install it (.ci/run installs
it with apt-get when it is missing).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from .tmux_driver import TmuxDriver

COUNT = re.compile(r"\b\d[\d,]* contacts?\b|\b\d[\d,]* of \d[\d,]*\b")  # the list's status line


def installed_command() -> Path:
    """The ``contacts`` entry point installed next to the running interpreter (pip install -e)."""
    return Path(sys.executable).parent / "contacts"


@pytest.fixture
def contacts_command() -> Path:
    command = installed_command()
    if not command.exists():
        pytest.fail(f"the installed command {command} is missing: install the project with pip install -e .")
    return command


@pytest.fixture
def tmux_available() -> None:
    if shutil.which("tmux") is None:
        pytest.fail(
            "tmux is not installed, and the end-to-end tests need it to run the app in a real "
            "terminal: apt-get install tmux (.ci/run does this when it is missing)"
        )


@pytest.fixture
def terminal(tmp_path: Path, tmux_available: None) -> Iterator[TmuxDriver]:
    """A private 80x24 tmux server; killed when the test ends, whatever happened."""
    driver = TmuxDriver(tmp_path)
    try:
        yield driver
    finally:
        driver.stop()


class Cli:
    """The installed ``contacts`` command on one data file (``--db``), as a script would use it."""

    def __init__(self, command: Path, db: Path):
        self.command = command
        self.db = db

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.command), "--db", str(self.db), *args], capture_output=True, text=True, timeout=60
        )
        if done.returncode != 0:
            raise AssertionError(f"contacts {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
        return done

    def contacts(self) -> list[dict[str, Any]]:
        """``contacts list --json``: every contact in the file, sorted by name."""
        return json.loads(self.run("list", "--json").stdout)

    def by_name(self) -> dict[str, dict[str, Any]]:
        return {contact["name"]: contact for contact in self.contacts()}

    def add(self, name: str, phone: str, *extra: str) -> None:
        self.run("add", "--name", name, "--phone", phone, *extra)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "contacts.json"


@pytest.fixture
def cli(contacts_command: Path, db: Path) -> Cli:
    return Cli(contacts_command, db)


@pytest.fixture
def start_app(terminal: TmuxDriver, contacts_command: Path, db: Path) -> Callable[[], TmuxDriver]:
    """Start the app on ``db`` in the terminal; returns once its list shows a count."""

    def start() -> TmuxDriver:
        terminal.start([str(contacts_command), "--db", str(db)])
        terminal.wait_for(lambda screen: COUNT.search(screen) is not None, what="the main screen with its count")
        return terminal

    return start
