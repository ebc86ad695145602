"""The tmux driver itself: the checks the end-to-end tests rely on really catch what they claim.

Skipped where tmux is missing, except in CI (see conftest.py).
"""

from __future__ import annotations

import sys

import pytest

from .tmux_driver import TmuxDriver, TmuxError

pytestmark = pytest.mark.parametrize("terminal", ["tmux"], indirect=True)


def test_a_traceback_on_screen_fails_the_test(terminal: TmuxDriver):
    terminal.start([sys.executable, "-c", "print('started'); raise ValueError('boom')"])
    with pytest.raises(TmuxError, match="traceback is on the screen") as caught:
        terminal.wait_for("never shown", timeout=10)
    assert "ValueError: boom" in str(caught.value)  # the screen is in the message


def test_exit_status_and_literal_typing(terminal: TmuxDriver):
    terminal.start(["sh", "-c", "read line; echo \"got <$line>\"; exit 3"])
    terminal.wait_for(lambda s: terminal.cursor() == (0, 0), what="the shell waiting for input")
    terminal.type("[bold]x C-s Tab")
    terminal.send("Enter")
    screen = terminal.wait_for("got <")
    assert "got <[bold]x C-s Tab>" in screen
    assert terminal.wait_exit() == 3


def test_a_timeout_names_what_was_awaited_and_shows_the_screen(terminal: TmuxDriver):
    terminal.start(["sh", "-c", "echo hello there; exec sleep 60"])
    terminal.wait_for("hello there")
    with pytest.raises(TmuxError) as caught:
        terminal.wait_for("goodbye", timeout=0.3)
    message = str(caught.value)
    assert "'goodbye' on the screen" in message
    assert "|hello there" in message


def test_the_window_is_80x24(terminal: TmuxDriver):
    terminal.start(["sh", "-c", "stty size; exec sleep 60"])
    terminal.wait_for("24 80")
    assert terminal.display("#{window_width}x#{window_height}") == "80x24"
