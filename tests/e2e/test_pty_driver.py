"""The pty driver itself: the checks the end-to-end tests rely on really catch what they claim.

The programs driven here are tiny shell or Python scripts, so each check is about the driver (and
the terminal it emulates), never about the app.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from .pty_driver import PtyDriver, TerminalError, key_bytes

# Puts the terminal in raw mode, says it is ready, then prints what ONE read of its input got.
ONE_READ = (
    "import os, sys, tty; tty.setraw(0); {setup}"
    "print('ready', end='', flush=True); data = os.read(0, 4096); "
    "print(); print('got', repr(data), end='', flush=True); os.read(0, 1)"
)


def one_read(setup: str = "") -> list[str]:
    return [sys.executable, "-c", ONE_READ.format(setup=setup)]


@pytest.fixture
def pty_terminal(tmp_path: Path):
    driver = PtyDriver(tmp_path)
    try:
        yield driver
    finally:
        driver.stop()


def test_a_traceback_on_screen_fails_the_test(pty_terminal: PtyDriver):
    pty_terminal.start([sys.executable, "-c", "print('started'); raise ValueError('boom')"])
    with pytest.raises(TerminalError, match="traceback is on the screen") as caught:
        pty_terminal.wait_for("never shown", timeout=10)
    assert "ValueError: boom" in str(caught.value)  # the screen is in the message


def test_exit_status_and_literal_typing(pty_terminal: PtyDriver):
    pty_terminal.start(["sh", "-c", "read line; echo \"got <$line>\"; exit 3"])
    pty_terminal.wait_for(lambda s: pty_terminal.cursor() == (0, 0), what="the shell waiting for input")
    pty_terminal.type("[bold]x C-s Tab")
    pty_terminal.send("Enter")
    screen = pty_terminal.wait_for("got <")
    assert "got <[bold]x C-s Tab>" in screen
    assert pty_terminal.wait_exit() == 3


def test_a_timeout_names_what_was_awaited_and_shows_the_screen(pty_terminal: PtyDriver):
    pty_terminal.start(["sh", "-c", "echo hello there; exec sleep 60"])
    pty_terminal.wait_for("hello there")
    with pytest.raises(TerminalError) as caught:
        pty_terminal.wait_for("goodbye", timeout=0.3)
    message = str(caught.value)
    assert "'goodbye' on the screen" in message
    assert "|hello there" in message
    assert "still running" in message


def test_a_timeout_after_the_program_ended_says_so(pty_terminal: PtyDriver):
    pty_terminal.start(["sh", "-c", "echo bye; exit 4"])
    assert pty_terminal.wait_exit() == 4
    with pytest.raises(TerminalError, match="EXITED with status 4") as caught:
        pty_terminal.wait_for("never shown", timeout=0.3)
    assert "|bye" in str(caught.value)  # what it printed stays on the screen


def test_the_window_is_80x24(pty_terminal: PtyDriver):
    pty_terminal.start(["sh", "-c", "stty size; echo $TERM; exec sleep 60"])
    screen = pty_terminal.wait_for("xterm-256color")
    assert screen.startswith("24 80\n")
    assert pty_terminal.display("#{window_width}x#{window_height}") == "80x24"


@pytest.mark.parametrize(("width", "height"), [(60, 20), (200, 50)])
def test_other_sizes(tmp_path: Path, width: int, height: int):
    driver = PtyDriver(tmp_path, width=width, height=height)
    script = "import os, time; c, l = os.get_terminal_size(); print(l, c); print('end|'.rjust(c), end='', flush=True); time.sleep(60)"
    try:
        driver.start([sys.executable, "-c", script])
        screen = driver.wait_for("end|")
        lines = screen.splitlines()
        assert lines[0] == f"{height} {width}"
        assert lines[1] == " " * (width - 4) + "end|"  # the last column is there too
        assert len(lines) == height
        assert driver.display("#{window_width}x#{window_height}") == f"{width}x{height}"
    finally:
        driver.stop()


def test_the_locale_is_utf8_and_wide_text_reads_back(pty_terminal: PtyDriver):
    pty_terminal.start(["sh", "-c", "locale charmap; printf 'José ⊘ 日本 ok\\n'; exec sleep 60"])
    screen = pty_terminal.wait_for("ok")
    assert "UTF-8" in screen
    assert "José ⊘ 日本 ok" in screen


def test_send_writes_every_key_in_one_write(pty_terminal: PtyDriver):
    """A burst of keys reaches the program in one read, as over a slow SSH link."""
    pty_terminal.start(one_read())
    pty_terminal.wait_for("ready")
    pty_terminal.send("n", "A", "Space", "Tab", "BSpace", "Enter", "C-s")
    assert pty_terminal.sent[-1] == b"nA \t\x7f\r\x13"  # one write: a program cannot tell it apart
    pty_terminal.wait_for(repr(b"nA \t\x7f\r\x13"), timeout=5)


def test_paste_is_bracketed_in_one_write_when_the_program_asks_for_it(pty_terminal: PtyDriver):
    pty_terminal.start(one_read(setup="print('\\x1b[?2004h', end='', flush=True); "))
    pty_terminal.wait_for("ready")
    pty_terminal.paste("Ann Lee\n[bold]C-s")
    # As a terminal pastes: newlines become carriage returns.
    assert pty_terminal.sent[-1] == b"\x1b[200~Ann Lee\r[bold]C-s\x1b[201~"
    pty_terminal.wait_for(repr(b"\x1b[200~Ann Lee\r[bold]C-s\x1b[201~"), timeout=5)


def test_paste_without_bracketed_paste_mode_sends_the_plain_text(pty_terminal: PtyDriver):
    pty_terminal.start(one_read())
    pty_terminal.wait_for("ready")
    pty_terminal.paste("a b")
    pty_terminal.wait_for(repr(b"a b"), timeout=5)


@pytest.mark.parametrize(
    ("key", "sent"),
    [
        ("Tab", b"\t"),
        ("BTab", b"\x1b[Z"),
        ("S-Tab", b"\x1b[Z"),
        ("BSpace", b"\x7f"),
        ("Enter", b"\r"),
        ("Escape", b"\x1b"),
        ("Space", b" "),
        ("C-a", b"\x01"),
        ("C-s", b"\x13"),
        ("C-q", b"\x11"),
        ("C-Space", b"\x00"),
        ("M-x", b"\x1bx"),
        ("Up", b"\x1b[A"),
        ("Down", b"\x1b[B"),
        ("Right", b"\x1b[C"),
        ("Left", b"\x1b[D"),
        ("C-Up", b"\x1b[1;5A"),
        ("S-Down", b"\x1b[1;2B"),
        ("Home", b"\x1b[H"),
        ("End", b"\x1b[F"),
        ("PageUp", b"\x1b[5~"),
        ("PPage", b"\x1b[5~"),
        ("NPage", b"\x1b[6~"),
        ("DC", b"\x1b[3~"),
        ("IC", b"\x1b[2~"),
        ("F1", b"\x1bOP"),
        ("F5", b"\x1b[15~"),
        ("F12", b"\x1b[24~"),
        ("n", b"n"),
        ("é", "é".encode()),
        ("hello", b"hello"),  # not a key name: sent as it is, as tmux does
    ],
)
def test_key_names_are_the_bytes_a_terminal_sends(key: str, sent: bytes):
    assert key_bytes(key) == sent


def test_arrows_follow_application_cursor_mode(pty_terminal: PtyDriver):
    pty_terminal.start(one_read(setup="print('\\x1b[?1h', end='', flush=True); "))
    pty_terminal.wait_for("ready")
    pty_terminal.send("Up", "Home")
    pty_terminal.wait_for(repr(b"\x1bOA\x1bOH"), timeout=5)


def test_terminal_queries_are_answered(pty_terminal: PtyDriver):
    """Device attributes and the cursor position: a program that asks gets the answer on its input."""
    script = (
        "import os, sys, tty; tty.setraw(0); "
        "os.write(1, b'\\x1b[3;5H\\x1b[c\\x1b[6n'); answers = b''\n"
        "while not answers.endswith(b'R'): answers += os.read(0, 100)\n"
        "os.write(1, b'\\x1b[10;1H' + repr(answers).encode()); os.read(0, 1)"
    )
    pty_terminal.start([sys.executable, "-c", script])
    pty_terminal.wait_for(repr(b"\x1b[?6c\x1b[3;5R"), timeout=5)


def test_reverse_video_and_styles_are_read_from_the_cells(pty_terminal: PtyDriver):
    pty_terminal.start(
        ["sh", "-c", "printf 'Delete? \\033[7m Cancel \\033[0m \\033[1;38;2;255;0;0m Delete \\033[0m\\n'; exec sleep 60"]
    )
    pty_terminal.wait_for("Delete?")
    assert pty_terminal.is_reversed(" Cancel ", on_line_with="Delete?")
    assert not pty_terminal.is_reversed(" Delete ", on_line_with="Cancel")
    assert not pty_terminal.is_reversed("Delete?")
    assert pty_terminal.style_at(" Cancel ") != pty_terminal.style_at(" Delete ")
    assert pty_terminal.style_at(" Delete ") != pty_terminal.style_at("Delete?")
    assert "ff0000" in pty_terminal.style_at(" Delete ")
    assert pty_terminal.style_at("not there") == ""


def test_the_alternate_screen_and_terminal_modes(pty_terminal: PtyDriver):
    """What a full-screen app sets (alternate screen, hidden cursor, mouse) and restores is seen."""
    script = (
        "printf 'normal screen\\n'; printf '\\033[?1049h\\033[?25l\\033[?1003h\\033[?1006hin the app'; read x; "
        "printf '\\033[?1006l\\033[?1003l\\033[?25h\\033[?1049l'; echo back; exec sleep 60"
    )
    pty_terminal.start(["sh", "-c", script])
    screen = pty_terminal.wait_for("in the app")
    assert "normal screen" not in screen
    assert pty_terminal.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag}") == "1 0 1 1"
    pty_terminal.send("Enter")
    screen = pty_terminal.wait_for("back")
    assert "normal screen" in screen and "in the app" not in screen
    assert pty_terminal.display("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag}") == "0 1 0 0"


def test_an_unknown_display_format_is_refused(pty_terminal: PtyDriver):
    pty_terminal.start(["sh", "-c", "exec sleep 60"])
    with pytest.raises(ValueError, match="pane_title"):
        pty_terminal.display("#{pane_title}")


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its parent to reap it is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:  # no /proc (not Linux), or it just ended
        return not stat.parent.parent.exists()


def test_stop_ends_the_program_and_what_it_started(pty_terminal: PtyDriver, tmp_path: Path):
    pid_file = tmp_path / "child.pid"
    pty_terminal.start(["sh", "-c", f"sleep 60 & echo $! > {pid_file}; echo started; wait"])
    pty_terminal.wait_for("started")
    child = int(pid_file.read_text())
    assert running(child)
    pty_terminal.stop()
    pty_terminal.stop()  # twice is fine
    deadline = time.monotonic() + 5
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not running(child), "the program's own child outlived stop()"


def test_resize_tells_the_program(pty_terminal: PtyDriver):
    """The pty is the program's controlling terminal, so a resize reaches it as SIGWINCH."""
    script = (
        "import os, signal, time; "
        "signal.signal(signal.SIGWINCH, lambda *_: print('now %d %d' % tuple(os.get_terminal_size()), flush=True)); "
        "print('ready', flush=True); time.sleep(60)"
    )
    pty_terminal.start([sys.executable, "-c", script])
    pty_terminal.wait_for("ready")
    pty_terminal.resize(100, 30)
    pty_terminal.wait_for("now 100 30")
    assert pty_terminal.display("#{window_width}x#{window_height}") == "100x30"


def test_resize_before_start_sets_the_starting_size(pty_terminal: PtyDriver):
    pty_terminal.resize(60, 20)
    pty_terminal.start(["sh", "-c", "stty size; exec sleep 60"])
    pty_terminal.wait_for("20 60")
    assert pty_terminal.display("#{window_width}x#{window_height}") == "60x20"
