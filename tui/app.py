"""ContactsApp: the keys, the screens, and the workers that save.

The app is built around a ``Store`` it is given (``ContactsApp(store)``), so tests hand it one on a
temp file. Every change to the file runs in a thread worker, because one save rewrites the whole
file; the worker reports back with ``call_from_thread`` and never touches widgets itself. A 1 s
timer notices when another process changed the file and reloads without losing the user's place
or unsaved edits.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from store import Contact, Store, StoreError, ValidationError
from store.consent import mark_consent_sent
from store.text import printable
from store.validation import display_phone

from .commands_palette import ContactsCommands
from .screens import (
    ActionsMenu,
    ConfirmDialog,
    ContactsScreen,
    ImportScreen,
    ListsScreen,
    MenuItem,
    ReplyScreen,
    SettingsScreen,
)
from .widgets.editor import FIELDS as EDITOR_FIELDS

# Actions that need a contact in the editor.
CONTACT_ACTIONS = {"actions", "delete", "record_reply", "mark_consent_sent"}
APP_ACTIONS = CONTACT_ACTIONS | {"new_contact", "search", "save", "cancel", "import", "lists", "settings"}
REFRESH_SECONDS = 1.0


class ContactsApp(App[None]):
    TITLE = "sms-contacts"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ContactsCommands}

    BINDINGS = [
        Binding("n", "new_contact", "New"),
        Binding("slash", "search", "Search"),
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("a", "actions", "Actions"),
        Binding("d", "delete", "Delete"),
        Binding("i", "import", "Import"),
        Binding("l", "lists", "Lists"),
        Binding("comma", "settings", "Settings", key_display=","),
        Binding("r", "record_reply", "Record reply", show=False),
        Binding("m", "mark_consent_sent", "Consent sent", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self, store: Store, *, demo: bool = False):
        super().__init__()
        self.store = store
        self.demo = demo  # a throw-away file of made-up contacts (contacts --demo)
        self.busy = False  # a worker is writing the file
        self._after_save: Callable[[], None] | None = None
        self._saving: tuple[int, Any] = (-1, None)  # the editor's generation and values when saved
        self._last_refresh_error = ""

    def get_default_screen(self) -> Screen:
        return ContactsScreen(self.store)

    def on_mount(self) -> None:
        self.sub_title = (
            "DEMO: made-up contacts in a temporary file; your data is untouched"
            if self.demo
            else self.store.path.name
        )
        self.set_interval(REFRESH_SECONDS, self.check_disk)

    @property
    def main(self) -> ContactsScreen:
        """The contacts screen (always at the bottom of the screen stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ContactsScreen)
        return screen

    # -- what is allowed now ---------------------------------------------------------------------

    def allowed(self, action: str) -> bool | None:
        """Whether ``action`` can run on the main screen now: True, or None (greyed out)."""
        editor = self.main.editor
        if action in CONTACT_ACTIONS and editor.contact is None:
            return None
        if action == "delete" and not self.store.can("delete").allowed:
            return None
        if action == "save" and (self.busy or not editor.is_dirty):
            return None
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in APP_ACTIONS:
            return True
        if not isinstance(self.screen, ContactsScreen):
            return False  # a dialog is open: its own keys apply
        return self.allowed(action)

    # -- actions ---------------------------------------------------------------------------------

    def action_new_contact(self) -> None:
        def new() -> None:
            self.main.editor.load(None)
            self.main.editor.focus_field("name")

        self.main.leave_editor(new)

    def action_search(self) -> None:
        self.main.query_one("#search").focus()

    def action_cancel(self) -> None:
        """Escape: clear the search, or leave the editor (asking about unsaved edits)."""
        main = self.main
        search = main.query_one("#search")
        if search.has_focus:
            search.value = ""  # type: ignore[attr-defined]
            main.contact_list.focus()
        elif main.editor.has_focus_within:
            main.leave_editor(main.back_to_list)
        else:
            main.contact_list.focus()

    def action_save(self) -> None:
        self.save_editor()

    def save_editor(self, after: Callable[[], None] | None = None) -> None:
        """Validate what the editor holds and save it in a worker; then run ``after``."""
        editor = self.main.editor
        changes = editor.changes()
        contact_id = editor.contact_id
        try:
            fields = {k: v for k, v in changes.items() if k in ("name", "phone", "email")}
            self.store.validate(**fields, contact_id=contact_id)
        except ValidationError as exc:
            editor.show_errors(exc.errors)
            return
        self._after_save = after
        self._saving = (editor.generation, editor.current())
        if contact_id is None:
            self._change(lambda: self.store.add_contact(**changes), "Added")  # type: ignore[arg-type]
        else:
            self._change(lambda: self.store.update_contact(contact_id, **changes), "Saved")

    def action_actions(self) -> None:
        contact = self.main.editor.contact
        if contact is None:
            return
        decision = self.store.can("delete")
        items = [
            MenuItem("record_reply", "Record reply…", "r"),
            MenuItem("mark_consent_sent", "Mark consent message sent", "m"),
            MenuItem("delete", "Delete…", "d", None if decision.allowed else decision.reason),
        ]

        def chosen(action: str | None) -> None:
            if action:
                self.call_later(self.run_action, action)

        self.push_screen(ActionsMenu(f"Actions: {printable(contact.name)}", items), chosen)

    def action_delete(self) -> None:
        contact = self.main.editor.contact
        if contact is None:
            return
        phone = display_phone(contact.phone, self.store.default_region)
        message = f"Delete {printable(contact.name)} ({phone})? This cannot be undone."

        def answered(yes: bool | None) -> None:
            if yes:
                self._change(lambda: self.store.delete_contact(contact.id), "Deleted")

        self.push_screen(ConfirmDialog("Delete contact", message), answered)

    def action_import(self) -> None:
        self.push_screen(ImportScreen(self.store), self._dialog_closed)

    def action_lists(self) -> None:
        self.push_screen(ListsScreen(self.store), self._dialog_closed)

    def action_settings(self) -> None:
        self.push_screen(SettingsScreen(self.store), self._dialog_closed)

    def action_record_reply(self) -> None:
        contact = self.main.editor.contact
        if contact is not None:
            self.push_screen(ReplyScreen(self.store, contact.id), self._dialog_closed)

    def action_mark_consent_sent(self) -> None:
        contact = self.main.editor.contact
        if contact is None:
            return
        self._change(lambda: mark_consent_sent(self.store, contact.id), "Consent message marked sent for")

    def _dialog_closed(self, result: Any = None) -> None:
        self.reload_contacts()
        if isinstance(result, str) and result:
            self.notify(result, markup=False)

    # -- reloading -------------------------------------------------------------------------------

    def reload_contacts(self) -> None:
        """Re-read the store into the list and editor, keeping the cursor and unsaved edits."""
        self.main.reload_contacts()
        self.refresh_bindings()

    def check_disk(self) -> None:
        """Timer: one stat; reload when another process changed the file."""
        if self.busy or not self.store.changed_on_disk():
            return
        try:
            self.store.refresh()
        except StoreError as exc:
            if str(exc) != self._last_refresh_error:
                self._last_refresh_error = str(exc)
                self.notify(str(exc), title="Could not reload", severity="error", markup=False)
            return
        self._last_refresh_error = ""
        self.reload_contacts()

    # -- the worker ------------------------------------------------------------------------------

    def _change(self, change: Callable[[], Any], verb: str) -> None:
        self.busy = True
        self.refresh_bindings()
        self._write(change, verb)

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _write(self, change: Callable[[], Any], verb: str) -> None:
        """Run one store change off the UI thread; report the outcome on it."""
        try:
            result = change()
        except Exception as exc:  # every refusal is shown; nothing may kill the app
            self.call_from_thread(self._refused, exc)
        else:
            self.call_from_thread(self._done, result, verb)

    def _done(self, result: Any, verb: str) -> None:
        self.busy = False
        main = self.main
        if verb == "Deleted":
            if main.editor.contact_id == result.id:
                main.editor.load(None)
            main.reload_contacts()
        elif verb in ("Added", "Saved"):
            self._show_saved(result)
        else:
            main.reload_contacts()  # keeps unsaved edits
        name = printable(result.name) if isinstance(result, Contact) else "the contact"
        self.notify(f"{verb} {name}", markup=False)
        self.refresh_bindings()
        after, self._after_save = self._after_save, None
        if after is not None:
            after()

    def _show_saved(self, result: Contact) -> None:
        """Show the saved contact, without losing what was typed while the save ran."""
        editor, (generation, sent) = self.main.editor, self._saving
        if editor.generation == generation:  # still the form that was saved
            if editor.current() == sent:
                editor.load(result)
                if editor.has_focus_within:
                    self.main.contact_list.focus()  # so n, j, k, d... work straight away
            else:
                editor.keep_edits_over(result)
        # Follow the saved contact, unless the user was on the way to another one.
        self.main.reload_contacts(keep=None if self._after_save else result.id)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self._after_save = None
        if isinstance(exc, ValidationError) and set(exc.errors) <= set(EDITOR_FIELDS):
            self.main.editor.show_errors(exc.errors)
        elif isinstance(exc, StoreError):
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
        else:
            self.notify(f"{type(exc).__name__}: {exc}", title="Unexpected error", severity="error", markup=False)
        self.refresh_bindings()

