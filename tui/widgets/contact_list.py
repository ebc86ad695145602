"""The contact list: a virtual, Line-API list that stays instant at 100,000 contacts.

No widget per contact: the list holds only the ids to show (the store's search result) and
renders the few rows that are on screen, on demand, in ``render_line``. Rendered rows are
cached per contact id and width; ``invalidate()`` clears the cache when the data changes.
Every piece of text from a contact goes through ``printable`` and ``rich.text.Text`` (never
markup), so names such as ``[bold]x[/]`` show as typed and control characters never reach the
terminal.
"""

from __future__ import annotations

from bisect import bisect_left

from typing import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from store import Store
from store.rules.text import printable
from store.rules.validation import display_phone

PHONE_WIDTH = 17  # "+33 1 42 68 53 00"; national US numbers take 14
WIDE_PHONE_WIDTH = 20  # room for the longest international formats when the pane is wide
OPTED_OUT_MARK = "⊘"
CONSENT_MARKS = {"not_sent": "·", "sent": "◷", "confirmed": "✓", "declined": "✗"}
# What the marks mean, longest first: the legend shows the longest that fits its pane.
LEGENDS = (
    f"{OPTED_OUT_MARK} opted out ✓ confirmed ◷ sent ✗ declined · not sent",
    f"{OPTED_OUT_MARK} opted out ✓ confirmed ◷ sent ✗ declined",
    f"{OPTED_OUT_MARK} opt-out ✓ yes ◷ sent ✗ declined",  # 33 cells: the pane at 80 columns
)


class Legend(Widget):
    """One line under the list saying what its marks mean, worded to fit the width it has."""

    def render(self) -> Text:
        width = self.content_size.width
        return Text(next((text for text in LEGENDS if cell_len(text) <= width), LEGENDS[-1]))


class ContactList(ScrollView, can_focus=True):
    """Shows ``ids`` (contact ids, in order) one per line, with a cursor row."""

    BINDINGS = [
        Binding("enter", "select", "Edit", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES = {
        "contact-list--cursor",
        "contact-list--opted-out",
        "contact-list--phone",
        "contact-list--confirmed",
        "contact-list--sent",
        "contact-list--declined",
        "contact-list--not-sent",
    }

    DEFAULT_CSS = """
    ContactList {
        background: $surface;
        & > .contact-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .contact-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .contact-list--opted-out { color: $error; text-style: bold; }
        & > .contact-list--phone { color: $text-muted; }
        & > .contact-list--confirmed { color: $success; }
        & > .contact-list--sent { color: $warning; }
        & > .contact-list--declined { color: $error; }
        & > .contact-list--not-sent { color: $text-disabled; }
    }
    """

    cursor: reactive[int] = reactive(-1, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another contact (or to none: ``contact_id`` is None)."""

        def __init__(self, contact_list: "ContactList", contact_id: int | None):
            super().__init__()
            self.contact_list = contact_list
            self.contact_id = contact_id

        @property
        def control(self) -> "ContactList":
            return self.contact_list

    class Selected(Message):
        """Enter or a click on the cursor row: edit this contact."""

        def __init__(self, contact_list: "ContactList", contact_id: int):
            super().__init__()
            self.contact_list = contact_list
            self.contact_id = contact_id

        @property
        def control(self) -> "ContactList":
            return self.contact_list

    def __init__(self, store: Store, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.store = store
        self._ids: Sequence[int] = []
        self._cache: dict[int, Strip] = {}
        self._cache_width = -1
        self._last_highlighted: int | None = None

    # -- data ------------------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def highlighted_id(self) -> int | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_ids(self, ids: Sequence[int], keep: int | None = None) -> None:
        """Show ``ids``; keep the cursor on ``keep`` (or the current contact) when still there."""
        keep = self.highlighted_id if keep is None else keep
        old_cursor = self.cursor
        self._ids = ids
        self.virtual_size = Size(self.size.width, len(ids))
        position = self._position_of(keep) if keep is not None else None
        if position is None:
            position = min(max(old_cursor, 0), len(ids) - 1)
        self.cursor = position
        # Scroll again once the new height is laid out: scrolling now is clamped to the old one
        # (after a search of one match, Escape left the highlighted contact off screen).
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def _position_of(self, contact_id: int) -> int | None:
        """Where ``contact_id`` is in the shown ids. Binary search when showing everything."""
        if self._ids is self.store.ordered_ids():
            return self.store.position(contact_id)
        # A search result is in list order too: binary search by place in the whole list (a
        # letter typed at a million contacts shows 800,000; scanning them took 20 ms a keystroke).
        target = self.store.position(contact_id)
        if target is None:
            return None
        try:
            found = bisect_left(self._ids, target, key=self.store.position)
        except TypeError:  # a shown contact is gone from the store: the ids are older than it
            try:
                return self._ids.index(contact_id)
            except ValueError:
                return None
        return found if found < len(self._ids) and self._ids[found] == contact_id else None

    def move_to(self, contact_id: int) -> bool:
        """Put the cursor on ``contact_id`` if it is shown. Returns whether it is."""
        position = self._position_of(contact_id)
        if position is None:
            return False
        self.cursor = position
        return True

    def invalidate(self) -> None:
        """Forget rendered rows (the contacts changed)."""
        self._cache.clear()
        self.refresh()

    # -- cursor ----------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        if not self._ids:
            return -1
        return min(max(value, 0), len(self._ids) - 1)

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        contact_id = self.highlighted_id
        if contact_id != self._last_highlighted:
            self._last_highlighted = contact_id
            self.post_message(self.Highlighted(self, contact_id))

    def _scroll_to_cursor(self) -> None:
        if self.cursor < 0:
            return
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self._ids))
        self._scroll_to_cursor()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 1, 1)

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 1, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._ids) - 1

    def action_select(self) -> None:
        contact_id = self.highlighted_id
        if contact_id is not None:
            self.post_message(self.Selected(self, contact_id))

    def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_y)
        if 0 <= row < len(self._ids):
            was = self.cursor
            self.cursor = row
            if was == row or event.chain > 1:
                self.action_select()

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        base = self.rich_style
        if not 0 <= row < len(self._ids):
            return Strip.blank(width, base)
        contact_id = self._ids[row]
        if row == self.cursor:
            return self._render_row(contact_id, width, base, self.get_component_rich_style("contact-list--cursor"))
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        strip = self._cache.get(contact_id)
        if strip is None:
            if len(self._cache) > 2000:
                self._cache.clear()
            strip = self._cache[contact_id] = self._render_row(contact_id, width, base, None)
        return strip

    def _render_row(self, contact_id: int, width: int, base: Style, cursor: Style | None) -> Strip:
        """One row: opt-out mark, consent mark, name (ellipsised), phone (right-aligned)."""
        try:
            contact = self.store.get(contact_id)
        except Exception:  # removed meanwhile: the next refresh drops it
            return Strip.blank(width, base)
        consent = contact.consent if contact.consent in CONSENT_MARKS else "not_sent"
        style = self.get_component_rich_style
        # On the cursor row the marks keep their colour on the cursor's background.
        on = Style(bgcolor=cursor.bgcolor, bold=cursor.bold) if cursor else Style()
        phone_width = min(PHONE_WIDTH if width < 50 else WIDE_PHONE_WIDTH, max(width - 12, 0))
        name_width = max(width - 3 - phone_width - 1, 1)
        name = Text(printable(contact.name), no_wrap=True)
        if contact.opted_out and not cursor:
            name.stylize(Style(dim=True))
        name.truncate(name_width, overflow="ellipsis", pad=True)
        phone = Text(printable(display_phone(contact.phone, self.store.default_region)))
        phone.truncate(phone_width, overflow="ellipsis")
        phone.align("right", phone_width)
        line = Text.assemble(
            (OPTED_OUT_MARK if contact.opted_out else " ", style("contact-list--opted-out") + on),
            (CONSENT_MARKS[consent], style(f"contact-list--{consent.replace('_', '-')}") + on),
            (" ", cursor or Style()),
            name,
            (" ", cursor or Style()),
            phone,
            style=base,
            no_wrap=True,
        )
        if cursor:
            line.stylize(cursor, 3, 3 + len(name))
        line.stylize(style("contact-list--phone") + on, len(line) - len(phone))
        segments = list(line.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).simplify()
