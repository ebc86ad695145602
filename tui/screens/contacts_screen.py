"""The main screen: search and contact list on the left, the editor on the right.

It keeps the list, the editor and the store in step: filtering as you type, loading the
highlighted contact into the editor, and asking before unsaved edits would be lost. Saving and
the other actions belong to the app (``ContactsApp``), which calls back into this screen.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Select, Static

from store import NotFound, Store
from store.consent.sendable import STATUS_LABELS
from store.rules.text import printable

from ..widgets import ContactEditor, ContactList
from ..widgets.contact_list import Legend
from ..widgets.list_status import ListStatus
from ..widgets.text_field import SearchField
from .unsaved_dialog import UnsavedChangesDialog

ALL_CONTACTS = "All contacts"
ALL_STATUSES = "All statuses"
# The top bar's buttons, each with its key: they stand for these keys, so the footer has room for
# the others at 60 columns.
TOPBAR = (("new-contact", "n", "New"), ("import", "i", "Import"), ("lists-button", "l", "Lists"), ("settings", ",", "Settings"))
# Past this many contacts shown, the textable count (~12 ms for 400,000) waits for a pause in typing.
BIG_RESULT = 50_000
# Up to this many contacts, who may be texted is worked out at once (~16 ms), else in a thread.
COUNT_AT_ONCE = 20_000
COUNT_AFTER = 0.15  # seconds without a new search
WARM_UP_AFTER = 0.2  # seconds after a reload before the search haystacks and masks are built

EMPTY_HINT = "No contacts yet.\nPress n to add a contact,\ni to import a CSV."


class ContactsScreen(Screen[None]):
    """Narrower than 80 columns (the ``-narrow`` class, see ``ContactsApp.HORIZONTAL_BREAKPOINTS``)
    the list and the editor take turns at full width: the editor shows while it has the focus
    (class ``-editing``), the list otherwise."""

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self._list_options: list[tuple[str, int]] = []
        self._was_dirty = False
        self._count_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            where = "DEMO, made-up data" if getattr(self.app, "demo", False) else printable(self.store.path.name)
            yield Static(Text.assemble(("sms-contacts", "bold"), " · ", where), id="app-title")
            for button_id, key, label in TOPBAR:
                yield Button(
                    Text.assemble((key, "bold"), " ", label),
                    id=button_id,
                    compact=True,
                    variant="primary" if button_id == "new-contact" else "default",
                    tooltip=f"{label} ({key})",
                )
        with Horizontal(id="panes"):
            with Vertical(id="left-pane"):
                yield SearchField(id="search", compact=True, placeholder="/ Search name, email, phone")
                with Horizontal(id="filters"):
                    yield Select[int]([], id="list-filter", compact=True, prompt=ALL_CONTACTS)
                    yield Select[str](
                        [(label, key) for key, label in STATUS_LABELS.items()],
                        id="status-filter",
                        compact=True,
                        prompt=ALL_STATUSES,
                        tooltip="Who may be texted (f): all, Textable, Opted out, Needs review",
                    )
                yield Static(EMPTY_HINT, id="empty-hint", markup=False)
                yield ContactList(self.store, id="contact-list")
                yield ListStatus(id="list-status")
                yield Legend(id="legend")
            yield ContactEditor(self.store, id="editor")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p still opens it: 80 columns need the room

    def on_mount(self) -> None:
        self.reload_contacts()
        self.focus_list()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _prepare_search(self) -> None:
        """The haystacks and character masks search uses (2.5 s at a million contacts): built off
        the UI thread once the list is shown, so that the first keystroke finds them ready."""
        self.store.prepare_search()

    @work(thread=True, exclusive=True, exit_on_error=False, group="count")
    def _count_textable(self) -> None:
        """Who may be texted takes a pass over every contact (0.2 s at 500,000): off the UI thread,
        after start-up and after bulk changes (an import, another process's save); the store keeps
        it up to date after ordinary changes."""
        self.store.status_index()
        self.app.call_from_thread(self.show_status)

    def watch_focused(self) -> None:
        """The editor shows at full width while it has the focus (narrow terminals)."""
        self.set_class(self.editor.has_focus_within, "-editing")

    def focus_list(self) -> None:
        """Focus the list at once (Widget.focus is deferred: keys already queued would miss it)."""
        self.set_focus(self.contact_list)

    @property
    def contact_list(self) -> ContactList:
        return self.query_one(ContactList)

    @property
    def editor(self) -> ContactEditor:
        return self.query_one(ContactEditor)

    @property
    def list_filter(self) -> int | None:
        value = self.query_one("#list-filter", Select).value
        return value if isinstance(value, int) else None

    @property
    def status_filter(self) -> str | None:
        value = self.query_one("#status-filter", Select).value
        return value if isinstance(value, str) else None

    def next_status_filter(self) -> None:
        """All -> Textable -> Opted out -> Needs review -> All."""
        select = self.query_one("#status-filter", Select)
        order = [None, *STATUS_LABELS]
        following = order[(order.index(self.status_filter) + 1) % len(order)]
        if following is None:
            select.clear()
        else:
            select.value = following

    # -- the list --------------------------------------------------------------------------------

    def apply_filter(self, keep: int | None = None) -> None:
        """Show the contacts matching the search box, the list filter and the status filter."""
        query = self.query_one("#search", Input).value
        ids = self.store.search(query, self.list_filter, status=self.status_filter)
        self.contact_list.set_ids(ids, keep=keep)
        self.show_status()
        hint = self.query_one("#empty-hint", Static)
        hint.update(EMPTY_HINT if self.store.count() == 0 else self._no_match_hint(query))
        hint.display = not ids

    def _no_match_hint(self, query: str) -> str:
        """What hides every contact, and how to see them: the search, the status or list filter."""
        lines = ["No contact matches."]
        if query:
            lines.append("Escape clears the search.")
        if self.status_filter is not None:
            lines.append("f shows the other statuses.")
        if self.list_filter is not None:
            lines.append("The list filter shows one list.")
        return "\n".join(lines)

    def show_status(self, *, now: bool = False) -> None:
        """The line under the list: contacts shown, of how many, how many may be texted ("…" while
        that is being counted: just after start-up, or while typing narrows a big result)."""
        ids = self.contact_list.ids
        if self._count_timer is not None:
            self._count_timer.stop()
            self._count_timer = None
        textable = None
        if not self.store.status_ready and self.store.count() > COUNT_AT_ONCE:
            self.call_after_refresh(self._count_textable)  # after the paint: start-up first shows the list
        elif now or len(ids) <= BIG_RESULT or ids is self.store.ordered_ids():
            textable = self.store.textable_count(ids)
        else:
            self._count_timer = self.set_timer(COUNT_AFTER, lambda: self.show_status(now=True))
        self.query_one(ListStatus).show(len(ids), self.store.count(), textable)

    def reload_contacts(self, keep: int | None = None) -> None:
        """Re-read everything from the store (after a save, an import, another process...).

        The cursor stays on the same contact; unsaved edits in the editor are kept.
        """
        self._reload_list_filter()
        self.contact_list.invalidate()
        self.apply_filter(keep=keep)
        # After the paint has reached the terminal: the worker's C-level passes hold the GIL for
        # tens of milliseconds at a time, which would hold up the first frame's write.
        self.set_timer(WARM_UP_AFTER, self._prepare_search)
        editor = self.editor
        current = None
        if editor.contact is not None:
            try:
                current = self.store.get(editor.contact.id)
            except NotFound:
                current = None
        if editor.is_dirty:
            if editor.contact is not None and current is None and not editor.gone:
                self.app.notify(
                    "The contact you are editing was deleted by someone else; your edits are kept, "
                    "and saving asks what to do.",
                    severity="warning",
                )
            editor.keep_edits_over(current)
        elif editor.contact is not None and current is None:
            self._load(self.contact_list.highlighted_id)
        else:
            editor.follow(current)

    def _reload_list_filter(self) -> None:
        options = [(printable(lst.name), lst.id) for lst in self.store.lists(counts=False)]
        if options == self._list_options:
            return
        self._list_options = options
        select = self.query_one("#list-filter", Select)
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options([(Text(name), lid) for name, lid in options])
            if any(lid == chosen for _, lid in options):
                select.value = chosen

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.focus_list()

    @on(Select.Changed, "#list-filter")
    @on(Select.Changed, "#status-filter")
    def _filter_changed(self) -> None:
        self.apply_filter()

    # -- list -> editor --------------------------------------------------------------------------

    def _load(self, contact_id: int | None) -> None:
        contact = None
        if contact_id is not None:
            try:
                contact = self.store.get(contact_id)
            except NotFound:
                contact = None
        self.editor.load(contact)

    @on(ContactList.Highlighted)
    def _highlighted(self, event: ContactList.Highlighted) -> None:
        editor = self.editor
        if event.contact_id is None or event.contact_id == editor.contact_id:
            return  # an empty list (a search that no longer matches) keeps what the editor shows
        if editor.has_focus_within:
            return  # the user is in the form: a reload or a save ending must not swap it under them
        if not editor.is_dirty:
            self._load(event.contact_id)
        elif self.contact_list.has_focus and event.contact_id is not None:
            # The user moved away from unsaved edits: ask, and come back on cancel.
            self.leave_editor(lambda: self._load(event.contact_id), on_cancel=self._back_to_editor_contact)

    @on(ContactList.Selected)
    def _selected(self, event: ContactList.Selected) -> None:
        if event.contact_id is not None:
            self.edit_contact(event.contact_id)

    def edit_contact(self, contact_id: int) -> None:
        """Load ``contact_id`` into the editor (asking about unsaved edits) and focus Full Name."""

        def edit() -> None:
            if self.editor.contact_id != contact_id:
                self._load(contact_id)
            self.editor.focus_field("name")

        if contact_id == self.editor.contact_id:
            edit()
        else:
            self.leave_editor(edit)

    def back_to_list(self) -> None:
        """Leave the editor for the list; a new-contact form gives way to the list's contact."""
        if self.editor.contact is None and self.contact_list.highlighted_id is not None:
            self._load(self.contact_list.highlighted_id)
        self.focus_list()

    def _back_to_editor_contact(self) -> None:
        if self.editor.contact_id is not None:
            self.contact_list.move_to(self.editor.contact_id)

    def leave_editor(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        """Run ``then`` once the editor has no unsaved edits: ask to save or discard them first."""
        editor = self.editor
        if not editor.is_dirty or self.app.is_being_saved(editor):  # type: ignore[attr-defined]
            then()
            return
        what = printable(editor.contact.name) if editor.contact else "the new contact"

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                editor.load(editor.contact)
                then()
            elif choice == "save":
                self.app.save_editor(after=then)  # type: ignore[attr-defined]
            elif on_cancel is not None:
                on_cancel()

        self.app.push_screen(UnsavedChangesDialog(what), chosen)

    # -- editor and buttons ----------------------------------------------------------------------

    @on(ContactEditor.Changed)
    def _editor_changed(self) -> None:
        # Only when Save changes between allowed and greyed: redrawing the footer on every
        # keystroke would slow typing down.
        dirty = self.editor.is_dirty
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.app.refresh_bindings()

    @on(ContactEditor.SaveRequested)
    async def _save_requested(self) -> None:
        await self.app.run_action("save")

    @on(ContactEditor.ActionsRequested)
    async def _actions_requested(self) -> None:
        await self.app.run_action("actions")

    @on(Button.Pressed, "#topbar Button")
    async def _topbar_pressed(self, event: Button.Pressed) -> None:
        actions = {"new-contact": "new_contact", "import": "import", "lists-button": "lists", "settings": "settings"}
        await self.app.run_action(actions[event.button.id or ""])
