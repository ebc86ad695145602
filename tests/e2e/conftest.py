"""Fixtures for the end-to-end tests: the installed ``contacts`` command, run in a terminal.

The terminal is a pseudo-terminal read by the pyte emulator (``PtyDriver``): it needs nothing but
``pip install -e '.[test]'``. A test asks for a real tmux instead with
``@pytest.mark.parametrize("terminal", ["tmux"], indirect=True)`` (or ``["pty", "tmux"]`` for
both); those are skipped, saying why, on a machine without tmux, except in CI (``CI`` set), where
they fail: .ci/run installs tmux.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from .pty_driver import PtyDriver
from .terminal import HEIGHT, WIDTH, Terminal
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


def require_tmux() -> None:
    """Skip the test when tmux is missing, or fail in CI, where it must run."""
    if shutil.which("tmux") is not None:
        return
    message = "tmux is not installed (this test runs the app in a real tmux): apt-get install tmux"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI runs every test (.ci/run installs tmux)")
    pytest.skip(message)


@pytest.fixture
def terminal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Terminal]:
    """An 80x24 terminal: a pty read by pyte, or a private tmux server when the test asks for "tmux".

    Its program is ended when the test ends, whatever happened.
    """
    kind = getattr(request, "param", "pty")
    if kind == "tmux":
        require_tmux()
    driver = TmuxDriver(tmp_path) if kind == "tmux" else PtyDriver(tmp_path)
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
def start_app(terminal: Terminal, contacts_command: Path, db: Path) -> Callable[..., Terminal]:
    """Start the app on ``db`` in the terminal (80x24, or ``start_app(width=60, height=20)``);
    returns once its list shows a count."""

    def start(*, width: int = WIDTH, height: int = HEIGHT) -> Terminal:
        terminal.resize(width, height)
        terminal.start([str(contacts_command), "--db", str(db)])
        terminal.wait_for(lambda screen: COUNT.search(screen) is not None, what="the main screen with its count")
        return terminal

    return start
