"""The end-to-end tests need nothing but pip: no tmux, nor any other program on PATH."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import COUNT, require_tmux
from .pty_driver import PtyDriver
from .terminal import Terminal


def test_the_app_runs_in_the_default_terminal_with_nothing_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, contacts_command: Path, db: Path
):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no tmux, no sh, no stty: as bare as it gets
    driver = PtyDriver(tmp_path)
    try:
        driver.start([str(contacts_command), "--db", str(db)])
        driver.wait_for(lambda screen: COUNT.search(screen) is not None, what="the main screen with its count")
        driver.send("C-q")
        assert driver.wait_exit() == 0
    finally:
        driver.stop()


def test_the_terminal_fixture_is_the_pty_driver(terminal: Terminal):
    assert isinstance(terminal, PtyDriver)


def test_without_tmux_a_tmux_test_is_skipped_saying_why(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="tmux is not installed"):
        require_tmux()


def test_in_ci_a_missing_tmux_fails_the_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI runs every test"):
        require_tmux()
