"""A paste reaches the app exactly as pasted, even when it holds ESC or NUL.

Textual 8's input parser (checked up to 8.2.8) mishandles a bracketed paste holding ESC: it takes
the ESC as the start of an escape sequence, so the paste is cut there and the rest arrives as key
presses (ESC becoming a ``^`` key) before a Paste holding only the text up to the ESC. Pasting
``Eve<ESC>]52;c;aGVsbG8=<BEL>X`` saved ``^]52;c;aGVsbG8=XEve``: scrambled, where the rules say
control characters are refused, never changed. It also drops NUL from pastes silently.

``PasteSafeDriver`` is Textual's Linux driver with one step in front of its parser: a thread
reads the terminal and passes every byte on unchanged, except inside a bracketed paste
(``ESC[200~`` ... ``ESC[201~``), where ESC and NUL are written as two-character codes that start
with a Unicode noncharacter (U+FDD0, reserved for a program's internal use). The driver turns
them back into ESC and NUL in the Paste event before the app sees it. So widgets get the text as
pasted and the store's rule refuses it with its own message.

The same parser reads an Escape key followed by more keys in one read (a slow link, a fast
typist) as a "^" typed into the field whenever another escape sequence follows ("Escape d Down"
became "^d"). Outside pastes, an ESC with a key after it in the same read is passed on as the
Escape key's unambiguous code, CSI 27 u, which Textual reads as Escape. Every other byte passes
as it came, with no delay.
"""

from __future__ import annotations

import os
import re
import selectors
import threading

from textual import events
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

ESC = 0x1B
ESCAPE_KEY = b"\x1b[27u"  # the Escape key in the keyboard protocol Textual reads (CSI 27 u)
SEQUENCE_STARTS = b"[O\x7f"  # after ESC: a CSI or SS3 sequence, or Alt+Backspace (a key of its own)
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"
MARK = "\ufdd0"  # a noncharacter: never part of text people exchange
_MARK_BYTES = MARK.encode()
_CODES = {b"\x1b": _MARK_BYTES + b"e", b"\x00": _MARK_BYTES + b"0", _MARK_BYTES: _MARK_BYTES * 2}
_TO_CODE = re.compile(b"\x1b|\x00|" + re.escape(_MARK_BYTES))
_DECODE = {"e": "\x1b", "0": "\x00", MARK: MARK}


def _held_prefix(data: bytes, *patterns: bytes) -> int:
    """Length of the longest end of ``data`` that could be the start of one of ``patterns``."""
    for size in range(min(len(data), max(map(len, patterns)) - 1), 0, -1):
        tail = data[-size:]
        if any(p.startswith(tail) for p in patterns):
            return size
    return 0


class PasteGuard:
    """The terminal's bytes in, the same bytes out, with ESC and NUL inside pastes coded."""

    def __init__(self) -> None:
        self.in_paste = False
        self._held = b""  # inside a paste: an end that may be the start of PASTE_END or a MARK
        self._matched = 0  # outside a paste: how much of PASTE_START the last bytes matched

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        data = self._held + data
        self._held = b""
        while data:
            if not self.in_paste:
                data = self._outside(data, out)
            else:
                data = self._inside(data, out)
        return bytes(out)

    def flush(self) -> bytes:
        """What is held back (a paste that stopped mid-way), as paste text."""
        held, self._held = self._held, b""
        return self._code(held)

    def _outside(self, data: bytes, out: bytearray) -> bytes:
        # Bytes pass as they are, but for an Escape key followed by more in the same read (below);
        # the paste's start marker is looked for, across reads too.
        start = 0
        for index, byte in enumerate(data):
            if byte == ESC and index + 1 < len(data) and data[index + 1] not in SEQUENCE_STARTS:
                # ESC then a key in one read: Escape pressed, then that key. Textual's parser reads
                # ESC x as Alt+x when nothing follows, but as a "^" key then x when another ESC
                # comes in the same read ("Escape d Down" typed "^d" into the field). Sent as the
                # Escape key's unambiguous code (CSI 27 u), it is the Escape key either way.
                out += data[start:index] + ESCAPE_KEY
                start = index + 1
                self._matched = 0
                continue
            if byte == PASTE_START[self._matched]:
                self._matched += 1
            else:
                self._matched = 1 if byte == PASTE_START[0] else 0
            if self._matched == len(PASTE_START):
                self._matched = 0
                self.in_paste = True
                out += data[start : index + 1]
                return data[index + 1 :]
        out += data[start:]
        return b""

    def _inside(self, data: bytes, out: bytearray) -> bytes:
        end = data.find(PASTE_END)
        if end >= 0:
            out += self._code(data[:end]) + PASTE_END
            self.in_paste = False
            return data[end + len(PASTE_END) :]
        held = _held_prefix(data, PASTE_END, _MARK_BYTES)
        if held:
            data, self._held = data[:-held], data[-held:]
        out += self._code(data)
        return b""

    @staticmethod
    def _code(text: bytes) -> bytes:
        return _TO_CODE.sub(lambda m: _CODES[m.group()], text)


def decode_paste(text: str) -> str:
    """The pasted text as it was: the codes written by ``PasteGuard`` turned back."""
    if MARK not in text:
        return text
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == MARK:
            code = next(chars, "")
            out.append(_DECODE.get(code, MARK + code))
        else:
            out.append(char)
    return "".join(out)


class PasteSafeDriver(LinuxDriver):
    """Textual's Linux driver, with pastes kept whole and exact (see the module's docstring)."""

    def run_input_thread(self) -> None:
        terminal = self.fileno
        read_end, write_end = os.pipe()
        stop = threading.Event()
        pump = threading.Thread(target=_pump, args=(terminal, write_end, stop), daemon=True, name="paste-guard")
        pump.start()
        self.fileno = read_end  # Textual's input loop reads the guarded copy
        try:
            super().run_input_thread()
        finally:
            self.fileno = terminal  # termios calls after this need the terminal itself
            stop.set()
            pump.join()
            os.close(read_end)

    def process_message(self, message: Message) -> None:
        if isinstance(message, events.Paste) and MARK in message.text:
            message = events.Paste(decode_paste(message.text))
        super().process_message(message)


def _pump(terminal: int, pipe: int, stop: threading.Event) -> None:
    """Copy the terminal's input into ``pipe`` through a PasteGuard until ``stop``."""
    guard = PasteGuard()
    selector = selectors.DefaultSelector()
    selector.register(terminal, selectors.EVENT_READ)
    try:
        while not stop.is_set():
            if selector.select(0.05):
                data = os.read(terminal, 4096)
                if not data:
                    break
                out = guard.feed(data)
            else:
                out = guard.flush()  # a paste cut short: pass on what it held, not wait forever
            if out:
                os.write(pipe, out)
    except OSError:
        pass
    finally:
        selector.close()
        os.close(pipe)
