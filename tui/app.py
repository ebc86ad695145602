"""ContactsApp: the keys, the screens, and the workers that save.

The app is built around a ``Store`` it is given (``ContactsApp(store)``), so tests hand it one on a
temp file. Writes go through ``SavesInOrder`` (tui/saving.py): thread workers, one at a time, in
order. Keys are handled in the order typed (``InOrderKeys``, tui/key_order.py). A 1 s timer
notices when another process changed the file and reloads without losing the user's place or
unsaved edits.
"""

from __future__ import annotations

import gc
from typing import Any, Iterable

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen
from textual.widgets import Input, TextArea

from store import NotFound, Store, StoreError, base_of
from store.core.conflicts import changes_since
from store.consent.replies import mark_consent_sent, mark_sent_refusal
from store.rules.text import printable
from store.rules.validation import display_phone

from .commands_palette import ContactsCommands
from .key_order import InOrderKeys
from .paste_driver import PasteSafeDriver
from .saving import SavesInOrder
from .screens.conflict_dialog import value_text
from .screens.actions_menu import ActionsMenu, MenuItem
from .screens.confirm_dialog import ConfirmDialog
from .screens.contacts_screen import ContactsScreen
from .screens.help_screen import HelpScreen

# Actions that need a contact in the editor.
CONTACT_ACTIONS = {"actions", "delete", "record_reply", "mark_consent_sent"}
# Single keys that would otherwise be typed: they act only when no text field has focus.
LETTER_ACTIONS = CONTACT_ACTIONS | {"new_contact", "search", "status_filter", "import", "lists", "settings"}
APP_ACTIONS = LETTER_ACTIONS | {"save", "cancel", "edit"}
REFRESH_SECONDS = 1.0


class ContactsApp(InOrderKeys, SavesInOrder, App[None]):
    TITLE = "sms-contacts"
    CSS_PATH = "app.tcss"
    # Screens narrower than 80 columns get the class -narrow (the layouts in app.tcss and modals).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    COMMANDS = App.COMMANDS | {ContactsCommands}

    # Keys that move focus or open things are priority bindings: Textual checks those in the
    # App's own queue, in the order keys arrive, whereas other keys are posted to the focused
    # widget's queue ahead of their handling. Over a slow SSH link several keys can arrive in one
    # read ("Ann<Tab>415..."); as priority bindings, and with focus set at once (screen.set_focus,
    # not the deferred Widget.focus), every key lands where the key before it sent the focus.
    # Letter keys step aside (check_action -> False) while a text field has focus, so they type.
    # The tooltips are what the help screen (? or F1) says each key does.
    BINDINGS = [
        Binding("question_mark", "help('?')", "Help", key_display="?", priority=True,
                tooltip="This list of keys (F1 works everywhere, also in a text field)."),
        Binding("f1", "help", "Help", show=False, priority=True, tooltip="This list of keys."),
        # n, i, l and , are shown by the top bar's buttons rather than the footer (room at 60 columns).
        Binding("n", "new_contact", "New", show=False, priority=True, tooltip="Add a contact: an empty form in the editor."),
        Binding("slash", "search", "Find", priority=True,
                tooltip="Search by name, email or phone; the list filters as you type, Enter goes to it."),
        Binding("f", "status_filter", "Filter", show=False, priority=True,
                tooltip="Show who may be texted: All, then Textable, Opted out, Needs review (a reply that "
                "may revoke consent), and All again."),
        Binding("enter", "edit", "Edit", show=False, priority=True,
                tooltip="On the list: edit the highlighted contact (the cursor goes to Full Name)."),
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Add the new contact, or update the one edited."),
        Binding("escape", "cancel", "Cancel", show=False, priority=True,
                tooltip="Clear the search (from the search box or the list), or leave the editor for the "
                "list, asking first about unsaved edits."),
        Binding("a", "actions", "Actions", priority=True, tooltip="The actions menu of the contact in the editor."),
        Binding("d", "delete", "Delete", priority=True, tooltip="Delete the contact in the editor, after asking."),
        Binding("r", "record_reply", "Reply", show=False, priority=True,
                tooltip="Record reply: what the contact texted back (STOP, START, YES, HELP...)."),
        Binding("m", "mark_consent_sent", "Consent sent", show=False, priority=True,
                tooltip="Mark consent message sent: record that the consent message went out to them."),
        Binding("i", "import", "Import", show=False, priority=True, tooltip="Import contacts from a CSV file or pasted text."),
        Binding("l", "lists", "Lists", show=False, priority=True, tooltip="Marketing lists: add, rename, delete."),
        Binding("comma", "settings", "Settings", key_display=",", show=False, priority=True,
                tooltip="Settings: default region, Delete all contacts, roles and permissions."),
        Binding("tab", "focus_next", "Next field", show=False, priority=True,
                tooltip="Move to the next field or button (from the list: into the editor)."),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True,
                tooltip="Move to the previous field or button."),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit (asks first about unsaved edits)."),
    ]

    def __init__(self, store: Store, *, demo: bool = False):
        super().__init__()
        _keep_data_out_of_the_gc()
        self.store = store
        self.demo = demo  # a throw-away file of made-up contacts (contacts --demo)
        self.init_writes()
        self.init_key_order()
        self._last_refresh_error = ""

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        # Textual's Linux driver splits a paste at an ESC inside it: see tui/paste_driver.py.
        return PasteSafeDriver if driver is LinuxDriver else driver

    def get_default_screen(self) -> Screen:
        return ContactsScreen(self.store)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette entries less its Quit: ours (ContactsCommands) names the key."""
        for command in super().get_system_commands(screen):
            if command.callback != self.action_quit:
                yield command

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

    def refusal(self, action: str) -> str | None:
        """Why ``action`` cannot run on the main screen now (greyed out), or None when it can."""
        editor = self.main.editor
        contact = editor.contact
        if action in CONTACT_ACTIONS and contact is None:
            return "no contact in the editor"
        if action == "delete":
            decision = self.store.can("delete")
            return None if decision.allowed else decision.reason or "not allowed"
        if action == "mark_consent_sent" and contact is not None:
            return mark_sent_refusal(printable(contact.name), contact.consent, contact.opted_out)
        if action == "delete_all":
            decision = self.store.can("delete-all")
            if not decision.allowed:
                return decision.reason or "not allowed"
            return None if self.store.count() else "there are no contacts to delete"
        if action == "save":
            if self.is_being_saved(editor):
                return "being saved"
            return None if editor.is_dirty else "nothing changed"
        return None

    def allowed(self, action: str) -> bool | None:
        """Whether ``action`` can run on the main screen now: True, or None (greyed out)."""
        return None if self.refusal(action) else True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":
            # ? types a '?' in a text field; F1 (no parameter) opens the help from anywhere.
            return not (parameters and isinstance(self.focused, (Input, TextArea)))
        if action in LETTER_ACTIONS and isinstance(self.focused, (Input, TextArea)):
            return False  # the key is typed into the field
        return self.help_check_action(action, parameters)

    def help_check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``check_action`` for the screen as a whole, whichever field has focus (the help's view)."""
        if action not in APP_ACTIONS:
            return True
        if not isinstance(self.screen, ContactsScreen):
            return False  # a dialog is open: its own keys apply
        if action == "edit":
            # Enter on the list edits the highlighted contact; elsewhere it is the widget's own.
            main = self.main
            return main.contact_list.has_focus and main.contact_list.highlighted_id is not None
        return self.allowed(action)

    # -- actions ---------------------------------------------------------------------------------

    def action_help(self, key: str = "") -> None:
        """? or F1: the keys of the screen in front; again, or Escape, closes it."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_new_contact(self) -> None:
        def new() -> None:
            self.main.editor.load(None)
            self.main.editor.focus_field("name")

        self.main.leave_editor(new)

    def action_search(self) -> None:
        self.screen.set_focus(self.main.query_one("#search"))

    def action_status_filter(self) -> None:
        self.main.next_status_filter()

    def action_edit(self) -> None:
        contact_id = self.main.contact_list.highlighted_id
        if contact_id is not None:
            self.main.edit_contact(contact_id)

    def action_cancel(self) -> None:
        """Escape: clear the search, or leave the editor (asking about unsaved edits)."""
        main = self.main
        search = main.query_one("#search", Input)
        if search.has_focus or (main.contact_list.has_focus and search.value):
            search.value = ""
            main.focus_list()
        elif main.editor.has_focus_within:
            main.leave_editor(main.back_to_list)
        else:
            main.focus_list()

    async def action_quit(self) -> None:
        """Quit, asking first about unsaved edits, and never cutting off a save."""
        if not isinstance(self.screen, ContactsScreen):
            self.exit_when_written()  # a dialog is open: what it holds is not saved anyway
            return
        self.main.leave_editor(self.exit_when_written)

    def action_save(self) -> None:
        self.save_editor()

    def action_actions(self) -> None:
        contact = self.main.editor.contact
        if contact is None:
            return
        items = [
            MenuItem("record_reply", "Record reply…", "r", self.refusal("record_reply")),
            MenuItem("mark_consent_sent", "Mark consent message sent", "m", self.refusal("mark_consent_sent")),
            MenuItem("delete", "Delete…", "d", self.refusal("delete")),
        ]

        def chosen(action: str | None) -> None:
            if action:
                self.call_later(self.run_action, action)

        self.push_screen(ActionsMenu(f"Actions: {printable(contact.name)}", items), chosen)

    def action_delete(self) -> None:
        """Delete the contact in the editor, after asking; the question says what changed since
        the user opened it, and the delete is refused (and asked again) if it changes meanwhile."""
        editor = self.main.editor
        if editor.contact is None:
            return
        try:
            contact = self.store.get(editor.contact.id)
        except NotFound:
            self.notify(f"{printable(editor.contact.name)} was already deleted by someone else.", markup=False)
            self.reload_contacts()
            return
        phone = display_phone(contact.phone, self.store.default_region)
        lines = [f"Delete {printable(contact.name)} ({phone})? This cannot be undone."]
        changed = changes_since(base_of(editor.opened or contact), base_of(contact))
        if changed:
            lines += ["", "It changed since you opened it:"]
            lines += [
                f"  {change.label}: {value_text(self.store, change.field, change.before)} → "
                f"{value_text(self.store, change.field, change.now)}"
                for change in changed
            ]
        message = Text("\n").join(Text(line) for line in lines)  # each line made printable above

        def answered(yes: bool | None) -> None:
            if yes:
                self.queue_write(lambda: self.store.delete_contact(contact.id, base=contact), "Deleted")

        self.push_screen(ConfirmDialog("Delete contact", message), answered)

    # The screens below are imported when first opened: start-up shows the contacts alone.

    def action_import(self) -> None:
        from .screens.import_screen import ImportScreen

        self.push_screen(ImportScreen(self.store), self._dialog_closed)

    def action_lists(self) -> None:
        from .screens.lists_screen import ListsScreen

        self.push_screen(ListsScreen(self.store), self._dialog_closed)

    def action_settings(self) -> None:
        from .screens.settings_screen import SettingsScreen

        self.push_screen(SettingsScreen(self.store), self._dialog_closed)

    def action_delete_all(self) -> None:
        """From the command palette: Settings, straight into its typed Delete-all confirmation."""
        if self.allowed("delete_all"):
            from .screens.settings_screen import SettingsScreen

            settings = SettingsScreen(self.store)
            self.push_screen(settings, self._dialog_closed)
            self.call_after_refresh(settings.action_delete_all)

    def action_record_reply(self) -> None:
        contact = self.main.editor.contact
        if contact is not None:
            from .screens.reply_screen import ReplyScreen

            self.push_screen(ReplyScreen(self.store, contact.id), self._dialog_closed)

    def action_mark_consent_sent(self) -> None:
        contact = self.main.editor.contact
        if contact is None:
            return
        self.queue_write(lambda: mark_consent_sent(self.store, contact.id), "Consent message marked sent for")

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
        _keep_data_out_of_the_gc()
        self.reload_contacts()


def _keep_data_out_of_the_gc() -> None:
    """Move what is loaded now (the parsed file: ~1M acyclic objects at 100,000 contacts) out of
    the cyclic GC's sight. Otherwise every full collection, triggered by ordinary UI allocations,
    walks all of it: ~0.1 s pauses, and half of the start-up time at 100,000 contacts. Refcounting
    still frees the data when it is replaced."""
    gc.freeze()
