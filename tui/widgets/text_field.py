"""An Input that holds exactly what was typed or pasted, and shows it without control codes.

Textual's Input drops a typed character that is not printable (U+202E, a no-break space) and
keeps only the first line of a paste. Either silently changes what the user entered, which the
rules forbid: control and invisible characters are refused with a message, never dropped. So this
field inserts every typed character that is not a key of its own (tab, enter, ctrl+...: those are
category Cc) and the whole of a paste; the store's rule then refuses what it must, with its words.

What it holds may include characters that would drive or reorder the terminal, so it is shown
through ``store.rules.text.visible``: each refused character becomes one visible stand-in (``␛``, ``�``),
keeping positions, so the cursor and selection still line up with the text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events
from textual.widgets import Input

from store.rules.text import visible


def typed_text(character: str | None) -> bool:
    """Whether a key's character is text to insert that Input itself would drop."""
    return (
        character is not None
        and len(character) == 1
        and not character.isprintable()
        and unicodedata.category(character) != "Cc"
    )


class _ShownSafely(Highlighter):
    """Renders the field's value with refused characters as visible stand-ins.

    Input renders ``Text(value)`` through its highlighter; Rich's Text has already dropped some
    control characters (BEL, CR...) from that copy, so the value is taken from the field itself.
    """

    def __init__(self, field: Input) -> None:
        self.field = field

    def __call__(self, text: str | Text) -> Text:
        value = self.field.value
        shown = visible(value)
        if shown == value and isinstance(text, Text):
            return text
        return Text(shown, no_wrap=True, overflow="ignore", end="")

    def highlight(self, text: Text) -> None:
        """Nothing to colour: ``__call__`` does the work."""


class TextField(Input):
    """An Input for text that is stored or acted on: keeps what was typed and pasted, exactly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.highlighter = _ShownSafely(self)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return super().check_consume_key(key, character) or typed_text(character)

    def on_key(self, event: events.Key) -> None:
        if typed_text(event.character):
            event.stop()
            event.prevent_default()  # Input's own handler would ignore it
            assert event.character is not None
            self.insert_text(event.character)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler keeps only the first line
        if event.text:
            self.insert_text(event.text)

    def insert_text(self, text: str) -> None:
        """Put ``text`` at the cursor, replacing the selection, as typing does."""
        start, end = sorted(self.selection)
        self.replace(text, start, end)


class SearchField(TextField):
    """The search box: a query, not stored text, so a pasted block searches for its first line
    (a number copied with its line break, a cell copied with the next), as Textual's Input does."""

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        lines = event.text.splitlines()
        if lines:
            self.insert_text(lines[0])
