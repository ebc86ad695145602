"""The line under the contact list: how many contacts it shows, and how many may be texted.

"4 contacts · 3 textable", or "12 of 4,000 · 10 textable" while a search or filter narrows the list.
The textable count is the store's (``Store.textable_count``, the rule in store.consent.sendable), worded
to fit the pane: at 80 columns the line has 33 cells, and "500,000 contacts · 475,000 textable"
needs 35, so a shorter form is used there.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget


def status_text(shown: int, total: int, textable: int | None, width: int) -> str:
    """The longest wording that fits ``width`` cells (the shortest when none does). ``textable``
    is None while it is being counted: "… textable"."""
    count = "…" if textable is None else f"{textable:,}"
    if shown == total:
        variants = (
            f"{total:,} contact{'' if total == 1 else 's'} · {count} textable",
            f"{total:,} · {count} textable",
        )
    else:
        variants = (
            f"{shown:,} of {total:,} · {count} textable",
            f"{shown:,}/{total:,} · {count} textable",
            f"{shown}/{total} · {count.replace(',', '')} textable",  # 499999/500000 · 499999 textable: 31 cells
        )
    return next((text for text in variants if cell_len(text) <= width), variants[-1])


class ListStatus(Widget):
    """Shows ``status_text`` for the counts it was last given."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._counts: tuple[int, int, int | None] = (0, 0, None)

    def show(self, shown: int, total: int, textable: int | None) -> None:
        if (shown, total, textable) != self._counts:
            self._counts = (shown, total, textable)
            self.refresh()

    def render(self) -> Text:
        return Text(status_text(*self._counts, self.content_size.width))
