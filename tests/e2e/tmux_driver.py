"""Drive a real terminal program in tmux: send keys, read the screen, wait for what it shows.

The end-to-end tests run in ``PtyDriver`` (pty_driver.py), which needs nothing but pip; this
driver is for the few tests where a real terminal multiplexer adds something.

Each driver owns a private tmux server (``tmux -L <unique name>``), so a test never touches the
user's own tmux and tests can run side by side. The pane is 80x24 with TERM=xterm-256color and a
UTF-8 locale, like a small SSH terminal. ``remain-on-exit`` keeps the pane after the program
ends, so a crash's traceback stays readable and the exit status can be asked for.

The waits (``wait_for`` and the rest, polled every 50 ms) are shared with the pty driver: see
terminal.py.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import uuid
from pathlib import Path
from typing import Sequence

from .terminal import DEFAULT_TIMEOUT, HEIGHT, WIDTH, Terminal, TerminalError

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

TmuxError = TerminalError


class TmuxDriver(Terminal):
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

    def resize(self, width: int, height: int) -> None:
        """Resize the window (before ``start``: the size it starts at)."""
        self.width, self.height = width, height
        if self.started:
            self.tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))

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

    def capture(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.target)

    def styled_screen(self) -> str:
        """The visible screen with its colour and style escape sequences (``capture-pane -e``)."""
        return self.tmux("capture-pane", "-p", "-e", "-t", self.target)

    def cursor(self) -> tuple[int, int]:
        """Where the terminal cursor is (x, y): Textual puts it in the focused text field."""
        x, y = self.display("#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

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

    # -- the program's end -----------------------------------------------------------------------

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the program (started without ``raw``) to end; return its exit status."""
        screen = self.wait_for(lambda s: EXITED.search(s) is not None, timeout, what="the program to exit")
        match = EXITED.search(screen)
        assert match is not None
        return int(match.group(1))

    def state(self) -> str:
        try:
            match = EXITED.search(self.tmux("capture-pane", "-p", "-t", self.target))
            if match:
                return f" (the program EXITED with status {match.group(1)})"
            if self.display("#{pane_dead}") == "1":
                return " (the program EXITED)"
        except TmuxError:
            return " (the tmux server is gone)"
        return ""

