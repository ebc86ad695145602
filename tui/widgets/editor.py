"""The contact editor: the right pane, in "new" or "edit" mode.

It only edits: saving is the app's job (a worker), so the editor hands out what was typed
(``changes()``) with what it was based on (``base``), and shows what the store answered
(``show_errors``). It remembers what it loaded, so it can say whether there are unsaved edits
(``is_dirty``) and keep them across a refresh.

Another process may change the contact while the user edits it. A refresh then shows the new
values in the fields the user has not touched, and keeps what was typed in the others together
with the value it was typed over (its base): the save sends only the touched fields, and the
store compares their base with what is stored (store.core.conflicts), so nobody's change is reverted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static


from store import CONSENT_LABELS, Contact, Store
from store.core.conflicts import base_of
from store.consent.history import OPT_IN_KEYWORDS_TEXT
from store.rules.text import printable
from store.rules.validation import character_problem, display_phone

from .text_field import TextField
from .toggles import TickBox

from ..text import history_change, history_reason

FIELDS = ("name", "phone", "email", "opted_out")
EMAIL_HINT = "Secondary ID for integrations; never used for messaging."
STAYS_OUT = f"Stays opted out until they reply {OPT_IN_KEYWORDS_TEXT}."


def when(stamp: str | None) -> str:
    """A stored UTC timestamp for people: ``2024-05-01 14:03 UTC``."""
    if not stamp:
        return "never"
    return printable(stamp.replace("T", " ").rstrip("Z")[:16] + " UTC")


class OptOutCheckbox(TickBox):
    """The Opted out checkbox; its label says the state ("Opted out: yes"), not only its colour."""

    def watch_value(self) -> None:
        super().watch_value()
        self.label = f"Opted out: {'yes' if self.value else 'no'}"


def required(label: str) -> Content:
    return Content.assemble(label, " ", ("*", "bold $error"))


@dataclass(frozen=True)
class Snapshot:
    """What the editor's fields hold; compared with what was loaded to spot unsaved edits."""

    name: str = ""
    phone: str = ""
    email: str = ""
    opted_out: bool = False
    lists: frozenset[int] = field(default_factory=frozenset)


class ContactEditor(Vertical):
    """Full Name, Phone, Email, Opted out, consent, lists, times, history; Add/Update button."""

    class Changed(Message):
        """A field changed: whether there are unsaved edits may have changed."""

    class SaveRequested(Message):
        """The Add Contact / Update Contact Details button was pressed."""

    class ActionsRequested(Message):
        """The Actions button was pressed."""

    def __init__(self, store: Store, *, id: str | None = None):
        super().__init__(id=id)
        self.store = store
        self.contact: Contact | None = None  # the contact as stored now (None: a new contact)
        self.opened: Contact | None = None  # as it was when the user opened it (kept by refreshes)
        self.gone = False  # the contact was deleted by someone else while being edited
        self.base: dict[str, object] = {}  # per field, the stored value the user's edits start from
        self.loaded = Snapshot()  # the base as the fields show it: what "unchanged" means
        self.generation = 0  # counts loads: a save's result only applies to the form it came from
        self._error_about: dict[str, str] = {}  # field -> the text its shown error is about
        self._list_names: dict[int, str] = {}  # list id -> its name as shown

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-title", markup=False)
        with VerticalScroll(id="editor-fields", can_focus=False):
            with Horizontal(classes="field-row"):
                yield Label(required("Full Name"), classes="field-label")
                yield TextField(id="name", compact=True, select_on_focus=False)
            yield Static("", id="name-error", classes="field-error", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(required("Phone"), classes="field-label")
                yield TextField(id="phone", compact=True, select_on_focus=False, placeholder="any format, e.g. 415 555 0132")
            yield Static("", id="phone-error", classes="field-error", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("Email", classes="field-label")
                yield TextField(id="email", compact=True, select_on_focus=False, placeholder="optional")
            yield Static("", id="email-error", classes="field-error", markup=False)
            yield Static(EMAIL_HINT, classes="field-hint", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("SMS", classes="field-label")
                yield OptOutCheckbox("Opted out: no", id="opted-out", compact=True)
            yield Static("", id="opted-out-note", classes="field-hint", markup=False)
            yield Static("", id="opted_out-error", classes="field-error", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("Consent", classes="field-label")
                yield Static("", id="consent", markup=False)
            with Horizontal(classes="field-row lists-row"):
                yield Label("Lists", classes="field-label")
                yield SelectionList[int](id="lists", compact=True)
                yield Static("none yet: press l to create one", id="no-lists", markup=False)
            yield Static("", id="times", classes="field-hint", markup=False)
            yield Static("", id="history", markup=False)
        with Horizontal(id="editor-buttons"):
            yield Button("Add Contact", id="save", variant="primary", compact=True)
            yield Button("Actions", id="actions", compact=True)

    def on_mount(self) -> None:
        self.load(None)

    # -- loading ---------------------------------------------------------------------------------

    @property
    def contact_id(self) -> int | None:
        return self.contact.id if self.contact else None

    def load(self, contact: Contact | None) -> None:
        """Show ``contact`` (None: an empty "new contact" form). Clears errors and edits."""
        self.contact = contact
        self.opened = contact
        self.gone = False
        self.generation += 1
        self.clear_errors()
        self.reload_lists(contact.lists if contact else ())
        self.base = base_of(contact) if contact else {}
        self.loaded = self.shown_as(contact)
        self._fill(self.loaded)
        self.show_info(contact)

    def follow(self, contact: Contact | None) -> None:
        """A refresh of an editor without edits: show ``contact`` as stored now. When it is the
        contact already open, ``opened`` stays what the user first saw (Delete says what changed)."""
        opened = self.opened
        self.load(contact)
        if contact is not None and opened is not None and opened.id == contact.id:
            self.opened = opened

    def shown_as(self, contact: Contact | None) -> Snapshot:
        """What the fields hold for ``contact``: phones in the local format, text as stored. A
        hand-edited file may hold control characters: the fields (TextField) show them as visible
        stand-ins, and saving them is refused with the rule's message, never stored changed."""
        if contact is None:
            return Snapshot()
        return Snapshot(
            contact.name,
            display_phone(contact.phone, self.store.default_region),
            contact.email or "",
            contact.opted_out,
            frozenset(contact.lists),
        )

    def _fill(self, values: Snapshot) -> None:
        self.query_one("#name", Input).value = values.name
        self.query_one("#phone", Input).value = values.phone
        self.query_one("#email", Input).value = values.email
        self.query_one("#opted-out", Checkbox).value = values.opted_out
        selection = self.query_one("#lists", SelectionList)
        selection.deselect_all()
        for list_id in values.lists:
            selection.select(list_id)
        self._update_opt_out_note(values.opted_out)

    def reload_lists(self, chosen: tuple[int, ...] | frozenset[int] = ()) -> None:
        """Offer the store's current lists, ticking ``chosen``."""
        selection = self.query_one("#lists", SelectionList)
        selection.clear_options()
        lists = self.store.lists(counts=False)
        self._list_names = {lst.id: printable(lst.name) for lst in lists}
        selection.add_options([(self._list_prompt(lst.id, lst.id in chosen), lst.id, lst.id in chosen) for lst in lists])
        selection.display = bool(lists)
        self.query_one("#no-lists").display = not lists

    def show_info(self, contact: Contact | None) -> None:
        """The read-only parts: title, consent, times, history, button labels."""
        editing = contact is not None
        title = Text("New contact") if not editing else Text.assemble("Edit: ", printable(contact.name))
        if editing and self.gone:
            title.append(" (deleted by someone else)", style="bold")
        self.query_one("#editor-title", Static).update(title)
        self.query_one("#save", Button).label = "Update Contact Details" if editing else "Add Contact"
        self.query_one("#actions", Button).display = editing
        consent = self.query_one("#consent", Static)
        times = self.query_one("#times", Static)
        history = self.query_one("#history", Static)
        if contact is None:
            consent.update("Not sent (new contact)")
            times.update("")
            history.update("")
            return
        label = CONSENT_LABELS.get(contact.consent, printable(str(contact.consent)))
        consent.update(f"{label} {when(contact.consent_changed_at)}" if contact.consent_changed_at else label)
        times.update(f"Created {when(contact.created_at)} · Updated {when(contact.updated_at)}")
        history.update(history_text(contact))

    # -- what was typed --------------------------------------------------------------------------

    def current(self) -> Snapshot:
        return Snapshot(
            self.query_one("#name", Input).value,
            self.query_one("#phone", Input).value,
            self.query_one("#email", Input).value,
            self.query_one("#opted-out", Checkbox).value,
            frozenset(self.query_one("#lists", SelectionList).selected),
        )

    @property
    def is_dirty(self) -> bool:
        return self.current() != self.loaded

    def changes(self) -> dict[str, object]:
        """The fields to save: everything for a new contact, only what changed for an edit."""
        now = self.current()
        if self.contact is None:
            return {"name": now.name, "phone": now.phone, "email": now.email, "opted_out": now.opted_out,
                    "lists": sorted(now.lists)}
        changed: dict[str, object] = {}
        for name in ("name", "phone", "email"):
            if getattr(now, name) != getattr(self.loaded, name):
                changed[name] = getattr(now, name)
        if now.opted_out and not self.loaded.opted_out:
            changed["opted_out"] = True
        if now.lists != self.loaded.lists:
            changed["lists"] = sorted(now.lists)
        return changed

    def keep_edits_over(self, contact: Contact | None, *, sent: Snapshot | None = None) -> None:
        """Take ``contact`` (as stored now) but keep what the user typed.

        A field the user has not changed shows the stored value and takes it as its base. A field
        they changed keeps its text, and its base: after a refresh (``sent`` None) the value it was
        typed over, so the save is checked against that; after the user's own save of ``sent``
        (what the form held then), the saved contact, as the save was theirs. Lists go the same
        way one list at a time. ``contact`` None for a contact being edited: it was deleted by
        someone else; everything typed is kept, and saving asks what to do.

        Each field keeps its cursor too: reloading passes through the stored values, which would
        leave the cursor elsewhere, and the next key typed would land in the wrong place.
        """
        typed = self.current()
        if contact is None and self.contact is not None:
            if not self.gone:
                self.gone = True
                self.show_info(self.contact)
            return
        before = sent or self.loaded
        fresh = self.shown_as(contact)
        fresh_base = base_of(contact) if contact else {}
        keep_old_base = sent is None
        shown: dict[str, object] = {}
        loaded: dict[str, object] = {}
        base = dict(fresh_base)
        for name in FIELDS:
            if getattr(typed, name) == getattr(before, name):
                shown[name] = loaded[name] = getattr(fresh, name)
            else:
                shown[name] = getattr(typed, name)
                loaded[name] = getattr(self.loaded if keep_old_base else fresh, name)
                if keep_old_base and name in self.base:
                    base[name] = self.base[name]
        toggled = typed.lists ^ before.lists
        shown["lists"] = (fresh.lists - toggled) | (typed.lists & toggled)
        base_lists = (self.loaded if keep_old_base else fresh).lists
        loaded["lists"] = (fresh.lists - toggled) | (base_lists & toggled)
        if contact is not None:
            base["lists"] = sorted(loaded["lists"])  # type: ignore[arg-type]

        inputs = list(self.query("#name, #phone, #email").results(Input))
        cursors = [(field, field.selection) for field in inputs if field.value == shown[field.id or ""]]
        errors = {name: text for name in FIELDS if (text := self.error_text(name)) and shown[name] == getattr(typed, name)}
        self.contact = contact
        if not keep_old_base:
            self.opened = contact  # the changes since are the user's own
        self.gone = False
        self.base = base
        self.loaded = Snapshot(**loaded)  # type: ignore[arg-type]
        self.clear_errors()
        self.reload_lists(shown["lists"])  # type: ignore[arg-type]
        self._fill(Snapshot(**shown))  # type: ignore[arg-type]
        for input_field, selection in cursors:
            input_field.selection = selection
        if errors:  # they are about the text kept, so they still apply
            self.show_errors(errors, focus=False)
        self.show_info(contact)

    def focus_field(self, name: str = "name") -> None:
        # At once (not deferred like Widget.focus): keys typed right after n land in the field.
        field = self.query_one(f"#{name}", Input)
        self.screen.set_focus(field)
        field.cursor_position = len(field.value)  # typing adds to the end, never prepends
        # Narrower than 80 columns the editor only shows once it has focus: Input placed the
        # terminal's own cursor (which screen readers and magnifiers follow) before it had a
        # place on screen. Put it in the field once drawn.
        self.call_after_refresh(self._place_terminal_cursor, field)

    def _place_terminal_cursor(self, field: Input, tries: int = 10) -> None:
        if not field.has_focus:
            return
        if not field.region and tries:  # not laid out yet: the next refresh
            self.call_after_refresh(self._place_terminal_cursor, field, tries - 1)
            return
        self.app.cursor_position = field.cursor_screen_offset

    # -- errors ----------------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str], *, focus: bool = True) -> None:
        self.clear_errors()
        for name, message in errors.items():
            self._show_error(name if name in FIELDS else "name", message)
        first = next((f for f in ("name", "phone", "email") if f in errors), None)
        if first and focus:
            self.focus_field(first)

    def _show_error(self, target: str, message: str) -> None:
        error = self.query_one(f"#{target}-error", Static)
        error.update(Text(printable(message)))
        error.add_class("-shown")
        if target in ("name", "phone", "email"):
            self._error_about[target] = self.query_one(f"#{target}", Input).value

    def clear_errors(self, *fields: str) -> None:
        for name in fields or FIELDS:
            self._error_about.pop(name, None)
            error = self.query_one(f"#{name}-error", Static)
            if error.has_class("-shown"):
                error.update("")
                error.remove_class("-shown")

    def error_text(self, name: str) -> str:
        """The message shown next to ``name`` ("" when none)."""
        return str(self.query_one(f"#{name}-error", Static).render())

    # -- events ----------------------------------------------------------------------------------

    @on(Input.Changed, "#name, #phone, #email")
    def _input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or "name"
        # Clear a field's error once the user changes the text it was about. Changes posted by a
        # reload arrive late and may be stale (not the field's value now): they clear nothing.
        typed = event.value == event.input.value and event.value != self._error_about.get(field)
        if event.input.has_focus and typed:
            self.clear_errors(field)
        # Refused characters are named as soon as they are typed or pasted, in the words the
        # command line uses, and stay named until the text is fixed (the text is kept as it is).
        if event.value == event.input.value and (problem := character_problem(field, event.value)):
            self._show_error(field, problem)
        self.post_message(self.Changed())

    @on(SelectionList.SelectedChanged)
    def _lists_changed(self) -> None:
        self._mark_lists()
        self.post_message(self.Changed())

    def _list_prompt(self, list_id: int, ticked: bool) -> Text:
        # The tick is in the text too: SelectionList tells ticked from not by colour alone.
        return Text.assemble("✓ " if ticked else "  ", self._list_names.get(list_id, ""))

    def _mark_lists(self) -> None:
        selection = self.query_one("#lists", SelectionList)
        chosen = set(selection.selected)
        for index in range(selection.option_count):
            value = selection.get_option_at_index(index).value
            selection.replace_option_prompt_at_index(index, self._list_prompt(value, value in chosen))

    @on(Checkbox.Changed, "#opted-out")
    def _opted_out_changed(self, event: Checkbox.Changed) -> None:
        if not event.value and self.loaded.opted_out:
            event.checkbox.value = True  # refused: only their own reply opts them back in
            name = printable(self.contact.name) if self.contact else "This contact"
            self.show_errors({"opted_out": f"{name} opted out. Only their own reply ({OPT_IN_KEYWORDS_TEXT}) can opt them back in."})
            return
        self._update_opt_out_note(event.value)
        self.post_message(self.Changed())

    def _update_opt_out_note(self, checked: bool) -> None:
        note = self.query_one("#opted-out-note", Static)
        if checked and not self.loaded.opted_out:
            note.update(f"Saving opts them out by hand. {STAYS_OUT}")
        elif checked:
            note.update(STAYS_OUT)
        else:
            note.update("")
        note.display = checked

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.SaveRequested())

    @on(Button.Pressed, "#actions")
    def _actions_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ActionsRequested())


def history_text(contact: Contact) -> Text:
    """The contact's history, newest first, one entry per line, shown literally."""
    if not contact.history:
        return Text("")
    lines = [Text("History", style="bold")]
    for entry in reversed(contact.history):
        what = f"{history_change(entry, '→')}  ({history_reason(entry)})"
        lines.append(Text(printable(f"{when(entry.get('at'))}  {what}")))
    return Text("\n").join(lines)
