"""What the end-to-end tests do with a terminal, whichever drives it: wait for the screen to show
something, find text and the cursor, fail with the screen in the message.

Two drivers fill in how to start a program, send keys and read the screen: ``PtyDriver``
(pty_driver.py: a pseudo-terminal read by the pyte emulator, needs nothing but pip; the default)
and ``TmuxDriver`` (tmux_driver.py: a real terminal multiplexer, for the few tests where that adds
something).

Never sleep a fixed time: send one logical key, then ``wait_for`` its effect. Every screen read
also checks that no Python traceback is showing, so any step that crashes the app (or prints one)
fails at once with the screen in the message.
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

POLL_SECONDS = 0.05
DEFAULT_TIMEOUT = 10.0
WIDTH, HEIGHT = 80, 24
TRACEBACK = "Traceback (most recent call last)"  # plain Python and Rich (Textual) tracebacks

Expectation = str | Callable[[str], bool]


class TerminalError(AssertionError):
    """The terminal did not show what a test expected (the message holds the last screen)."""


class Terminal:
    """The waits and look-ups shared by the drivers; a driver supplies the methods below that raise."""

    width: int
    height: int

    # -- what a driver supplies ------------------------------------------------------------------

    def start(self, command: Sequence[str], *, raw: bool = False) -> None:
        """Start ``command`` (an argv list) in the terminal."""
        raise NotImplementedError

    def stop(self) -> None:
        """End the program (and all it started). Safe to call twice."""
        raise NotImplementedError

    def send(self, *keys: str) -> None:
        """Send tmux key names (``Tab``, ``C-s``, ``Escape``, ``n``), all of them in one write."""
        raise NotImplementedError

    def type(self, text: str) -> None:
        """Type ``text`` literally: ``[bold]`` or ``C-s`` arrive as those characters."""
        raise NotImplementedError

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the program to end; return its exit status."""
        raise NotImplementedError

    def resize(self, width: int, height: int) -> None:
        """Resize the terminal; before ``start``, the size the program starts at."""
        raise NotImplementedError

    def display(self, fmt: str) -> str:
        """A tmux format for the terminal, e.g. ``#{cursor_y}`` or ``#{alternate_on}``."""
        raise NotImplementedError

    def capture(self) -> str:
        """The visible screen as plain text, one line per row, trailing spaces dropped."""
        raise NotImplementedError

    def cursor(self) -> tuple[int, int]:
        """Where the terminal cursor is (x, y): Textual puts it in the focused text field."""
        raise NotImplementedError

    def style_at(self, text: str, *, on_line_with: str = "") -> str:
        """How the first ``text`` (on a line that also has ``on_line_with``) is drawn; "" if absent."""
        raise NotImplementedError

    def is_reversed(self, text: str, *, on_line_with: str = "") -> bool:
        """Whether ``text`` is drawn in reverse video: how Textual marks the focused button."""
        raise NotImplementedError

    def state(self) -> str:
        """Whether the program still runs, for a failure message (" (the program EXITED ...)")."""
        raise NotImplementedError

    def pause(self, seconds: float) -> None:
        """Wait up to ``seconds`` before looking at the screen again."""
        time.sleep(seconds)

    def settle(self) -> None:
        """Give the program a moment to finish what it is printing (a traceback's last lines)."""
        time.sleep(0.3)

    # -- the screen ------------------------------------------------------------------------------

    def screen(self) -> str:
        """The visible screen as plain text; fails at once if a Python traceback is showing."""
        text = self.capture()
        if TRACEBACK in text:
            self.settle()
            self.check_no_traceback(self.capture())
        return text

    def check_no_traceback(self, text: str) -> None:
        if TRACEBACK in text:
            raise TerminalError(f"a Python traceback is on the screen:\n{frame(text)}")

    def line_of(self, text: str, screen: str | None = None) -> int | None:
        """The row (0-based) of the first line containing ``text``, or None."""
        for row, line in enumerate((screen if screen is not None else self.screen()).splitlines()):
            if text in line:
                return row
        return None

    def wait_for(self, expected: Expectation, timeout: float = DEFAULT_TIMEOUT, what: str = "") -> str:
        """Look at the screen until ``expected`` (text on it, or a predicate) holds; return it.

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
            left = deadline - time.monotonic()
            if left <= 0:
                raise TerminalError(f"waited {timeout:.0f} s for {what}{self.state()}; last screen:\n{frame(screen)}")
            self.pause(min(POLL_SECONDS, left))

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
        """Wait until the style of ``text`` differs from ``before`` (a focus move)."""
        self.wait_for(
            lambda _screen: self.style_at(text, on_line_with=on_line_with) not in ("", before),
            timeout,
            what=f"the style of {text!r} to change (the focus to move onto it)",
        )

    def wait_focused_button(self, label: str, *, on_line_with: str = "", timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the button ``label`` has the focus (drawn reversed)."""
        self.wait_for(
            lambda _screen: self.is_reversed(label, on_line_with=on_line_with),
            timeout,
            what=f"the focus on the {label.strip()!r} button",
        )


def frame(screen: str) -> str:
    """The screen in a box, so blank lines and trailing spaces are visible in a failure."""
    lines = screen.splitlines() or [""]
    width = max(len(line) for line in lines)
    return "\n".join(["+" + "-" * width + "+", *(f"|{line:<{width}}|" for line in lines), "+" + "-" * width + "+"])
