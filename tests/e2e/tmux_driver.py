"""Drive a real terminal program in tmux: send keys, read the screen, wait for what it shows.

Each driver owns a private tmux server (``tmux -L <unique name>``), so a test never touches the
user's own tmux and tests can run side by side. The pane is 80x24 with TERM=xterm-256color and a
UTF-8 locale, like a small SSH terminal. ``remain-on-exit`` keeps the pane after the program
ends, so a crash's traceback stays readable and the exit status can be asked for.

Never sleep a fixed time: send one logical key, then ``wait_for`` its effect (polled every 50 ms).
Every screen read also checks that no Python traceback is showing, so any step that crashes the
app (or prints one) fails at once with the screen in the message.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
import uuid
from pathlib import Path
from typing import Callable, Sequence

POLL_SECONDS = 0.05
DEFAULT_TIMEOUT = 10.0
WIDTH, HEIGHT = 80, 24
TRACEBACK = "Traceback (most recent call last)"  # plain Python and Rich (Textual) tracebacks
CONFIG = """\
set -g default-size {width}x{height}
set -g default-terminal xterm-256color
set -g status off
set -g remain-on-exit on
set -g history-limit 0
set -g escape-time 0
"""

# Runs the command, then says how it ended and keeps the pane (and what it printed) on screen.
EXIT_WRAPPER = '"$@"; echo "[e2e: exited with status $?]"; exec sleep 3600'
EXITED = re.compile(r"\[e2e: exited with status (\d+)\]")

Expectation = str | Callable[[str], bool]


class TmuxError(AssertionError):
    """The terminal did not show what a test expected (the message holds the last screen)."""


class TmuxDriver:
    """One tmux server with one 80x24 window running one command."""

    def __init__(self, workdir: Path, *, width: int = WIDTH, height: int = HEIGHT):
        self.workdir = workdir
        self.width = width
        self.height = height
        self.socket_name = f"sms-contacts-e2e-{uuid.uuid4().hex[:12]}"
        self.target = "e2e"
        self.started = False
        self.env = os.environ.copy()
        for name in ("TMUX", "TMUX_PANE", "CONTACTS_DB", "COLUMNS", "LINES", "NO_COLOR"):
            self.env.pop(name, None)
        self.env["LC_ALL"] = "C.UTF-8"  # tmux replaces non-ASCII with _ without a UTF-8 locale
        self.env["LANG"] = "C.UTF-8"
        self.env["TERM"] = "xterm-256color"

    # -- tmux itself -----------------------------------------------------------------------------

    def tmux(self, *args: str, check: bool = True) -> str:
        """Run one tmux command against this driver's own server; return its stdout."""
        done = subprocess.run(
            ["tmux", "-u", "-L", self.socket_name, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if check and done.returncode != 0:
            raise TmuxError(f"tmux {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def start(self, command: Sequence[str], *, raw: bool = False) -> None:
        """Start ``command`` (an argv list) in a fresh 80x24 window and check the size.

        The command runs under a small shell that prints its exit status when it ends (tmux's own
        ``pane_dead_status`` is sometimes empty when the terminal closes before the process is
        reaped); ``raw=True`` runs ``command`` as it is.
        """
        config = self.workdir / f"{self.socket_name}.conf"
        config.write_text(CONFIG.format(width=self.width, height=self.height))
        argv = list(command) if raw else ["sh", "-c", EXIT_WRAPPER, "sh", *command]
        self.started = True
        self.tmux(
            "-f", str(config),
            "new-session", "-d", "-s", self.target,
            "-x", str(self.width), "-y", str(self.height),
            "-e", "TERM=xterm-256color", "-e", "LC_ALL=C.UTF-8", "-e", "LANG=C.UTF-8",
            shlex.join(argv),
        )
        size = self.display("#{window_width}x#{window_height}")
        if size != f"{self.width}x{self.height}":
            raise TmuxError(f"the tmux window is {size}, not {self.width}x{self.height}")

    def stop(self) -> None:
        """Kill this driver's tmux server (and so the program). Safe to call twice."""
        if self.started:
            self.started = False
            self.tmux("kill-server", check=False)

    def display(self, fmt: str) -> str:
        """A tmux format for the pane, e.g. ``#{cursor_y}`` or ``#{pane_dead_status}``."""
        return self.tmux("display-message", "-p", "-t", self.target, fmt).strip()

    # -- keys ------------------------------------------------------------------------------------

    def send(self, *keys: str) -> None:
        """Send tmux key names (``Tab``, ``C-s``, ``Escape``, ``n``) in ONE send-keys call.

        Several keys in one call reach the program in one write, as over a slow link. Until the
        app handles such bursts in order, tests send one logical key per call and wait for it.
        """
        self.tmux("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        """Type ``text`` literally (``-l``): ``[bold]`` or ``C-s`` arrive as those characters."""
        self.tmux("send-keys", "-t", self.target, "-l", "--", text)

    # -- the screen ------------------------------------------------------------------------------

    def screen(self) -> str:
        """The visible screen as plain text; fails at once if a Python traceback is showing."""
        text = self.tmux("capture-pane", "-p", "-t", self.target)
        self.check_no_traceback(text)
        return text

    def styled_screen(self) -> str:
        """The visible screen with its colour and style escape sequences (``capture-pane -e``)."""
        return self.tmux("capture-pane", "-p", "-e", "-t", self.target)

    def check_no_traceback(self, text: str) -> None:
        if TRACEBACK in text:
            raise TmuxError(f"a Python traceback is on the screen:\n{frame(text)}")

    def cursor(self) -> tuple[int, int]:
        """Where the terminal cursor is (x, y): Textual puts it in the focused text field."""
        x, y = self.display("#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def line_of(self, text: str, screen: str | None = None) -> int | None:
        """The row (0-based) of the first line containing ``text``, or None."""
        for row, line in enumerate((screen if screen is not None else self.screen()).splitlines()):
            if text in line:
                return row
        return None

    def wait_for(self, expected: Expectation, timeout: float = DEFAULT_TIMEOUT, what: str = "") -> str:
        """Poll the screen until ``expected`` (text on it, or a predicate) holds; return it.

        Fails with the last screen (and whether the program is still running) on timeout.
        """
        if isinstance(expected, str):
            predicate: Callable[[str], bool] = lambda screen: expected in screen  # noqa: E731
            what = what or f"{expected!r} on the screen"
        else:
            predicate = expected
            what = what or getattr(expected, "__name__", "the expected screen")
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() >= deadline:
                raise TmuxError(f"waited {timeout:.0f} s for {what}{self._state()}; last screen:\n{frame(screen)}")
            time.sleep(POLL_SECONDS)

    def wait_gone(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        return self.wait_for(lambda screen: text not in screen, timeout, what=f"{text!r} to leave the screen")

    def wait_all(self, *texts: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until every one of ``texts`` is on the screen at once."""
        return self.wait_for(lambda screen: all(t in screen for t in texts), timeout, what=f"all of {list(texts)!r}")

    def wait_cursor_on(self, label: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the cursor (so the focus) is in the field on the row labelled ``label``."""

        def on_row(screen: str) -> bool:
            row = self.line_of(label, screen)
            if row is None:
                return False
            x, y = self.cursor()
            return y == row and x > screen.splitlines()[row].index(label)

        self.wait_for(on_row, timeout, what=f"the cursor in the {label!r} field")

    def wait_style_change(
        self, text: str, before: str, timeout: float = DEFAULT_TIMEOUT, *, on_line_with: str = ""
    ) -> None:
        """Wait until the escape codes just before ``text`` differ from ``before`` (a focus move)."""
        self.wait_for(
            lambda _screen: self.style_at(text, on_line_with=on_line_with) not in ("", before),
            timeout,
            what=f"the style of {text!r} to change (the focus to move onto it)",
        )

    def style_at(self, text: str, *, on_line_with: str = "") -> str:
        """The last escape sequences before the first ``text`` (on a line that also has ``on_line_with``)."""
        for line in self.styled_screen().splitlines():
            plain = re.sub(r"\x1b\[[0-9;:]*[A-Za-z]", "", line)
            if on_line_with not in plain:
                continue
            index = line.find(text)
            if index >= 0:
                return "".join(re.findall(r"\x1b\[[0-9;:]*m", line[:index])[-4:])
        return ""

    def is_reversed(self, text: str, *, on_line_with: str = "") -> bool:
        """Whether ``text`` is drawn in reverse video: how Textual marks the focused button."""
        for line in self.styled_screen().splitlines():
            plain = re.sub(r"\x1b\[[0-9;:]*[A-Za-z]", "", line)
            if on_line_with not in plain or text not in plain:
                continue
            index = line.find(text)
            if index < 0:
                return False
            reverse = False
            for params in re.findall(r"\x1b\[([0-9;:]*)m", line[:index]):
                for code in (params or "0").split(";"):
                    if code in ("", "0"):
                        reverse = False
                    elif code == "7":
                        reverse = True
                    elif code == "27":
                        reverse = False
            return reverse
        return False

    def wait_focused_button(self, label: str, *, on_line_with: str = "", timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the button ``label`` has the focus (drawn reversed)."""
        self.wait_for(
            lambda _screen: self.is_reversed(label, on_line_with=on_line_with),
            timeout,
            what=f"the focus on the {label.strip()!r} button",
        )

    # -- the program's end -----------------------------------------------------------------------

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the program (started without ``raw``) to end; return its exit status."""
        screen = self.wait_for(lambda s: EXITED.search(s) is not None, timeout, what="the program to exit")
        match = EXITED.search(screen)
        assert match is not None
        return int(match.group(1))

    def _state(self) -> str:
        try:
            match = EXITED.search(self.tmux("capture-pane", "-p", "-t", self.target))
            if match:
                return f" (the program EXITED with status {match.group(1)})"
            if self.display("#{pane_dead}") == "1":
                return " (the program EXITED)"
        except TmuxError:
            return " (the tmux server is gone)"
        return ""


def frame(screen: str) -> str:
    """The screen in a box, so blank lines and trailing spaces are visible in a failure."""
    lines = screen.splitlines() or [""]
    width = max(len(line) for line in lines)
    return "\n".join(["+" + "-" * width + "+", *(f"|{line:<{width}}|" for line in lines), "+" + "-" * width + "+"])
