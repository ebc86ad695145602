"""The Import screen's box for pasted CSV: refuses a paste holding characters the rules refuse.

Textual's TextArea draws what it holds as it is, so a pasted ESC or bidi override would reach the
terminal. Such a paste could never import anyway (the store refuses those characters in every
field), so it is refused whole, with where and what, and the box keeps what it had.
"""

from __future__ import annotations

import re

from textual import events
from textual.widgets import TextArea

from store.rules.text import describe, first_refused

_LINES = re.compile(r"\r\n|\r|\n")


def paste_refusal(text: str) -> str | None:
    """``Line 2, column 5: a control character (U+001B)`` for the first refused character (tabs and
    line breaks are CSV's own), or None."""
    for number, line in enumerate(_LINES.split(text), start=1):
        index = first_refused(line.replace("\t", " "))
        if index is not None:
            return f"Line {number}, column {index + 1}: {describe(line[index])}"
    return None


class PasteArea(TextArea):
    """A TextArea that never takes in text it could not show safely."""

    def on_paste(self, event: events.Paste) -> None:
        problem = paste_refusal(event.text)
        if problem is None:
            return  # TextArea's own handler inserts it
        event.stop()
        event.prevent_default()
        self.notify(f"{problem}. Nothing was pasted.", title="Paste refused", severity="error", markup=False)
