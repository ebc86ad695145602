"""Drive a real terminal program through a pseudo-terminal, with pyte as the terminal.

The program runs on the slave side of a fresh pty (its controlling terminal, in its own session)
sized 80x24 by default, with TERM=xterm-256color and a UTF-8 locale, like a small SSH terminal. A
reader thread feeds everything it prints into a pyte screen, which answers the terminal queries
pyte knows (device attributes, cursor position) back on the program's input. The screen keeps
what the program last drew after it ends, so a crash's traceback stays readable; its exit status
comes from waitpid. Needs nothing but pip (pyte): no tmux, no system package.

Keys are tmux key names (``Tab``, ``C-s``, ``BSpace``, ``Escape``, ``F1``, ``S-Tab``), turned
into the bytes an xterm sends; ``send`` writes all the keys of one call in ONE write, as a slow SSH
link delivers them. The waits (``wait_for`` and the rest) are in terminal.py: they look again as
soon as new output arrives, and every 50 ms at most.
"""

from __future__ import annotations

import copy
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Sequence

import pyte

from .terminal import DEFAULT_TIMEOUT, HEIGHT, WIDTH, Terminal, TerminalError, frame

# Private modes, as pyte stores them (shifted left by 5 to keep them apart from ANSI modes).
APPLICATION_CURSOR = 1 << 5
CURSOR_VISIBLE = 25 << 5
MOUSE_STANDARD = 1000 << 5
MOUSE_ANY = 1003 << 5
MOUSE_SGR = 1006 << 5
ALTERNATE_SCREEN = 1049 << 5
BRACKETED_PASTE = 2004 << 5

PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"

# The child makes the pty its controlling terminal (so it gets SIGWINCH and SIGHUP like any
# terminal program), then becomes the command: the same process, so waitpid sees the command's
# own status. A launcher rather than a preexec_fn, which is unsafe while other threads run.
LAUNCHER = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); os.execvp(sys.argv[1], sys.argv[1:])"
)

# -- key names -------------------------------------------------------------------------------------

NAMED_KEYS = {
    "Enter": b"\r",
    "Tab": b"\t",
    "BTab": b"\x1b[Z",
    "BSpace": b"\x7f",
    "Escape": b"\x1b",
    "Space": b" ",
}
CURSOR_KEYS = {"Up": "A", "Down": "B", "Right": "C", "Left": "D", "Home": "H", "End": "F"}
F1_TO_F4 = {"F1": "P", "F2": "Q", "F3": "R", "F4": "S"}
TILDE_KEYS = {  # CSI <number> ~
    "IC": 2, "Insert": 2, "DC": 3, "Delete": 3,
    "PageUp": 5, "PgUp": 5, "PPage": 5, "PageDown": 6, "PgDn": 6, "NPage": 6,
    "F5": 15, "F6": 17, "F7": 18, "F8": 19, "F9": 20, "F10": 21, "F11": 23, "F12": 24,
}
CONTROL_SYMBOLS = {"Space": 0, " ": 0, "@": 0, "[": 27, "\\": 28, "]": 29, "^": 30, "_": 31, "?": 127}
MODIFIERS = re.compile(r"^((?:[CMS]-)+)(.+)$")


def key_bytes(key: str, *, application_cursor: bool = False) -> bytes:
    """The bytes an xterm sends for the tmux key name ``key``.

    Modifiers are prefixes as in tmux: ``C-`` (ctrl), ``M-`` (alt: ESC first), ``S-`` (shift).
    A string that is no key name is sent as it is (as ``tmux send-keys`` does), so ``n`` or ``é``
    are those characters. ``application_cursor`` is the mode a program sets with ``ESC[?1h``: the
    arrows, Home and End then send ``ESC O x``.
    """
    named = _named_key(key, application_cursor)
    if named is not None:
        return named
    match = MODIFIERS.match(key)
    if match is not None:
        modifiers, base = set(match.group(1).replace("-", "")), match.group(2)
        code = 1 + ("S" in modifiers) + 2 * ("M" in modifiers) + 4 * ("C" in modifiers)
        if base in CURSOR_KEYS:
            return f"\x1b[1;{code}{CURSOR_KEYS[base]}".encode()
        if base in F1_TO_F4:
            return f"\x1b[1;{code}{F1_TO_F4[base]}".encode()
        if base in TILDE_KEYS:
            return f"\x1b[{TILDE_KEYS[base]};{code}~".encode()
        if base == "Tab" and modifiers == {"S"}:
            return NAMED_KEYS["BTab"]
        plain = _named_key(base, application_cursor) if base in NAMED_KEYS else None
        if plain is None and len(base) == 1:
            plain = base.encode()
        if plain is not None:
            if "C" in modifiers:
                plain = _control(base)
            elif "S" in modifiers:
                plain = plain.upper()
            if plain is not None:
                return b"\x1b" + plain if "M" in modifiers else plain
    return key.encode()


def _named_key(key: str, application_cursor: bool) -> bytes | None:
    if key in NAMED_KEYS:
        return NAMED_KEYS[key]
    if key in CURSOR_KEYS:
        return ("\x1bO" if application_cursor else "\x1b[").encode() + CURSOR_KEYS[key].encode()
    if key in F1_TO_F4:
        return f"\x1bO{F1_TO_F4[key]}".encode()
    if key in TILDE_KEYS:
        return f"\x1b[{TILDE_KEYS[key]}~".encode()
    return None


def _control(base: str) -> bytes | None:
    """The control character for ctrl+``base`` (C-a is 0x01, C-Space 0x00), or None."""
    if base in CONTROL_SYMBOLS:
        return bytes([CONTROL_SYMBOLS[base]])
    if len(base) == 1 and base.isascii() and base.isalpha():
        return bytes([ord(base.lower()) - ord("a") + 1])
    return None


# -- the emulated terminal -------------------------------------------------------------------------


class EmulatedScreen(pyte.Screen):
    """pyte's screen, plus the alternate screen (mode 1049) and answers written back to the program.

    A full-screen app draws on the alternate screen and switches back on exit, which brings back
    what was on the normal screen and the cursor; pyte itself keeps one screen only.
    """

    def __init__(self, columns: int, lines: int, answer):
        super().__init__(columns, lines)
        self.answer = answer
        self.normal_screen: tuple[dict, pyte.screens.Cursor] | None = None

    def write_process_input(self, data: str) -> None:
        self.answer(data.encode())

    def set_mode(self, *modes: int, **kwargs) -> None:
        entering = kwargs.get("private") and 1049 in modes and ALTERNATE_SCREEN not in self.mode
        if entering:
            self.normal_screen = ({y: dict(row) for y, row in self.buffer.items()}, copy.copy(self.cursor))
        super().set_mode(*modes, **kwargs)
        if entering:
            self.erase_in_display(2)

    def reset_mode(self, *modes: int, **kwargs) -> None:
        leaving = kwargs.get("private") and 1049 in modes and ALTERNATE_SCREEN in self.mode
        super().reset_mode(*modes, **kwargs)
        if leaving and self.normal_screen is not None:
            rows, cursor = self.normal_screen
            self.normal_screen = None
            self.buffer.clear()
            for y, row in rows.items():
                self.buffer[y].update(row)
            self.cursor = cursor
            self.dirty.update(range(self.lines))


def _describe(char: pyte.screens.Char) -> str:
    flags = [name for name in ("bold", "italics", "underscore", "strikethrough", "reverse") if getattr(char, name)]
    return f"fg={char.fg} bg={char.bg}" + "".join(f" {flag}" for flag in flags)


class PtyDriver(Terminal):
    """One program on one pseudo-terminal (80x24 unless told), its screen kept by pyte."""

    def __init__(self, workdir: Path, *, width: int = WIDTH, height: int = HEIGHT):
        self.workdir = workdir
        self.width = width
        self.height = height
        self.env = os.environ.copy()
        for name in ("TMUX", "TMUX_PANE", "CONTACTS_DB", "COLUMNS", "LINES", "NO_COLOR"):
            self.env.pop(name, None)
        self.env["LC_ALL"] = "C.UTF-8"
        self.env["LANG"] = "C.UTF-8"
        self.env["TERM"] = "xterm-256color"
        self.process: subprocess.Popen[bytes] | None = None
        self.master: int | None = None
        self.changed = threading.Condition()  # guards the screen; notified when output arrives
        self.output = 0  # how many reads of output the screen has been fed
        self.seen = 0  # ...when the screen was last looked at
        self.output_ended = False
        self.stopping = False
        self.reader: threading.Thread | None = None
        self.sent: list[bytes] = []  # every write to the program's input, in order
        self.term = EmulatedScreen(width, height, self.answer)
        self.stream = pyte.ByteStream(self.term)

    # -- the program -----------------------------------------------------------------------------

    def start(self, command: Sequence[str], *, raw: bool = False) -> None:
        """Start ``command`` (an argv list) on a fresh pty of this driver's size.

        ``raw`` is accepted for the tmux driver's sake and changes nothing: the exit status comes
        from waitpid, no wrapper shell is needed.
        """
        if self.process is not None:
            raise TerminalError("this driver already runs a program: use a new one")
        master, slave = os.openpty()
        try:
            self.set_size(slave, self.width, self.height)
            attributes = termios.tcgetattr(slave)
            attributes[0] |= getattr(termios, "IUTF8", 0)  # erase whole UTF-8 characters, as a UTF-8 terminal
            termios.tcsetattr(slave, termios.TCSANOW, attributes)
            self.process = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, *command],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env,
                start_new_session=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.master = master
        self.reader = threading.Thread(target=self.read_output, name="pty-driver-reader", daemon=True)
        self.reader.start()

    @staticmethod
    def set_size(fd: int, width: int, height: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))

    def resize(self, width: int, height: int) -> None:
        """Resize the terminal: before ``start``, the size the program starts at; after, as a user
        dragging the window (the program gets SIGWINCH)."""
        with self.changed:
            self.width, self.height = width, height
            self.term.resize(height, width)
        if self.master is not None:
            self.set_size(self.master, width, height)

    def read_output(self) -> None:
        """The reader thread: feed what the program prints into the screen until it closes the pty."""
        assert self.master is not None
        while not self.stopping:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every process holding the pty has closed it
                data = b""
            if not data:
                break
            with self.changed:
                self.stream.feed(data)
                self.output += 1
                self.changed.notify_all()
        with self.changed:
            self.output_ended = True
            self.changed.notify_all()

    def stop(self) -> None:
        """End the program and all it started (hang-up, then kill), close the pty. Safe to call twice."""
        process, self.process = self.process, None
        if process is None:
            return
        for sig, wait in ((signal.SIGHUP, 2.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)  # the session's process group: the program and its children
            except ProcessLookupError:
                break
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        self.stopping = True
        if self.reader is not None:
            self.reader.join(5)
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the program to end; return its exit status (-N when signal N killed it).

        Fails if a traceback is on the screen once all the program printed has been read.
        """
        assert self.process is not None, "no program was started"
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise TerminalError(
                f"waited {timeout:.0f} s for the program to exit{self.state()}; last screen:\n{frame(self.capture())}"
            ) from None
        with self.changed:
            self.changed.wait_for(lambda: self.output_ended, timeout=2)
        self.screen()
        return status

    def state(self) -> str:
        if self.process is None:
            return " (the program was stopped)"
        status = self.process.poll()
        if status is None:
            return " (the program is still running)"
        return f" (the program EXITED with status {status})"

    # -- keys ------------------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Write ``data`` to the program's input in one write (looping only if the pty took part)."""
        assert self.master is not None, "no program was started"
        self.sent.append(data)
        while data:
            data = data[os.write(self.master, data) :]

    def answer(self, data: bytes) -> None:
        """The terminal's answer to a query (called by pyte while it reads the program's output)."""
        if self.master is not None:
            os.write(self.master, data)

    def send(self, *keys: str) -> None:
        """Send tmux key names (``Tab``, ``C-s``, ``Escape``, ``n``) in ONE write.

        Several keys in one call reach the program in one read, as over a slow link.
        """
        with self.changed:
            application_cursor = APPLICATION_CURSOR in self.term.mode
        self.write(b"".join(key_bytes(key, application_cursor=application_cursor) for key in keys))

    def type(self, text: str) -> None:
        """Type ``text`` literally, in one write: ``[bold]`` or ``C-s`` arrive as those characters."""
        self.write(text.encode())

    def paste(self, text: str) -> None:
        """Paste ``text`` as a terminal does, in one write.

        Newlines become carriage returns; the text is bracketed (``ESC[200~`` ... ``ESC[201~``) when
        the program has turned bracketed paste on (Textual does), and sent plain otherwise.
        """
        data = text.replace("\r\n", "\r").replace("\n", "\r").encode()
        with self.changed:
            bracketed = BRACKETED_PASTE in self.term.mode
        self.write(PASTE_START + data + PASTE_END if bracketed else data)

    # -- the screen ------------------------------------------------------------------------------

    def rows(self) -> list[tuple[str, list[pyte.screens.Char]]]:
        """Each row as its text and the cell under each character of it (wide ones take two cells)."""
        with self.changed:
            self.seen = self.output
            rows = []
            for y in range(self.term.lines):
                line = self.term.buffer[y]
                text, cells = [], []
                for x in range(self.term.columns):
                    char = line[x]
                    if char.data == "":  # the second cell of a wide character
                        continue
                    text.append(char.data)
                    cells.extend([char] * len(char.data))
                rows.append(("".join(text), cells))
            return rows

    def capture(self) -> str:
        return "".join(text.rstrip() + "\n" for text, _cells in self.rows())

    def pause(self, seconds: float) -> None:
        """Wait for new output from the program, at most ``seconds``."""
        with self.changed:
            if self.output == self.seen:
                self.changed.wait(seconds)

    def settle(self) -> None:
        """Wait until the program has printed nothing for 0.2 s (or has closed the pty), 3 s at most."""
        deadline = time.monotonic() + 3
        with self.changed:
            while not self.output_ended and time.monotonic() < deadline:
                before = self.output
                self.changed.wait(0.2)
                if self.output == before:
                    break

    def cursor(self) -> tuple[int, int]:
        with self.changed:
            return self.term.cursor.x, self.term.cursor.y

    def cell_at(self, text: str, *, on_line_with: str = "") -> pyte.screens.Char | None:
        """The cell (character, colours, style) where the first ``text`` starts, or None."""
        for line, cells in self.rows():
            if on_line_with in line and text in line:
                return cells[line.index(text)]
        return None

    def style_at(self, text: str, *, on_line_with: str = "") -> str:
        """How the first ``text`` (on a line with ``on_line_with``) is drawn: colours and style."""
        cell = self.cell_at(text, on_line_with=on_line_with)
        return "" if cell is None else _describe(cell)

    def is_reversed(self, text: str, *, on_line_with: str = "") -> bool:
        cell = self.cell_at(text, on_line_with=on_line_with)
        return cell is not None and cell.reverse

    def display(self, fmt: str) -> str:
        """The tmux format ``fmt`` with the few ``#{...}`` names the tests use, read from the emulator.

        Knows window_width, window_height, cursor_x, cursor_y, alternate_on, cursor_flag,
        keypad_cursor_flag, mouse_standard_flag, mouse_any_flag, mouse_sgr_flag, pane_dead,
        pane_dead_status; any other name is refused.
        """
        with self.changed:
            mode = self.term.mode
            status = None if self.process is None else self.process.poll()
            values = {
                "window_width": self.term.columns,
                "window_height": self.term.lines,
                "cursor_x": self.term.cursor.x,
                "cursor_y": self.term.cursor.y,
                "alternate_on": int(ALTERNATE_SCREEN in mode),
                "cursor_flag": int(CURSOR_VISIBLE in mode),
                "keypad_cursor_flag": int(APPLICATION_CURSOR in mode),
                "mouse_standard_flag": int(MOUSE_STANDARD in mode),
                "mouse_any_flag": int(MOUSE_ANY in mode),
                "mouse_sgr_flag": int(MOUSE_SGR in mode),
                "pane_dead": int(status is not None),
                "pane_dead_status": "" if status is None else status,
            }

        def value(match: re.Match[str]) -> str:
            if match.group(1) not in values:
                raise ValueError(f"the pty driver does not know the tmux format #{{{match.group(1)}}}")
            return str(values[match.group(1)])

        return re.sub(r"#\{(\w+)\}", value, fmt)
