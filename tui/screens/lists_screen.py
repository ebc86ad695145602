"""Marketing lists: create (a), rename (r) and delete (d) them, with their member counts.

Lists are few, so a small DataTable shows them all. Names are shown literally (rich Text cells,
never markup). Every change goes through the store, in a worker: the name prompt saves and shows
a refusal in place; deleting asks first and says that the list's contacts are kept. Renaming and
deleting follow the "lists" rule (store.access.permissions): for a user without it they are greyed out,
with the reason shown under the table and in the help.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from store import ContactList, Store, StoreError
from store.rules.text import printable

from .confirm_dialog import ConfirmDialog
from .name_prompt import NamePrompt

NEEDS_A_LIST = {"rename", "delete"}


class ListsScreen(ModalScreen[None]):
    """Manage marketing lists."""

    BINDINGS = [
        Binding("a", "add", "Add list"),
        Binding("r", "rename", "Rename"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    ListsScreen { align: center middle; }
    ListsScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ListsScreen #lists-title { text-style: bold; }
    ListsScreen #lists-table { height: auto; max-height: 14; margin: 1 0 0 0; }
    ListsScreen #lists-empty { color: $text-muted; text-style: italic; padding: 1 0; }
    ListsScreen #lists-status, ListsScreen #lists-refusal { height: auto; color: $text-muted; }
    ListsScreen #lists-status.error { color: $error; }
    """

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.lists: list[ContactList] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Marketing lists", id="lists-title")
            yield Static("Deleting a list keeps its contacts: they only leave the list.", markup=False)
            table: DataTable[Text] = DataTable(id="lists-table", cursor_type="row", zebra_stripes=True)
            table.add_column("List", key="name", width=46)
            table.add_column(Text("Contacts", justify="right"), key="members", width=10)
            yield table
            yield Static("No lists yet. Press a to add one.", id="lists-empty")
            yield Static("", id="lists-refusal", markup=False)
            yield Static("", id="lists-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    # -- showing ---------------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Show the store's lists, keeping (or moving to) the selected one."""
        table = self.query_one(DataTable)
        current = select if select is not None else self.selected_id()
        self.lists = self.store.lists()
        table.clear()
        for lst in self.lists:
            table.add_row(Text(printable(lst.name)), Text(f"{lst.members:,}", justify="right"), key=str(lst.id))
        ids = [lst.id for lst in self.lists]
        if current in ids:
            table.move_cursor(row=ids.index(current))
        self.query_one("#lists-empty").display = not self.lists
        table.display = bool(self.lists)
        decision = self.store.can("lists")
        refusal = self.query_one("#lists-refusal", Static)
        refusal.update(Text(f"Rename and Delete: {printable(decision.reason)}"))
        refusal.display = not decision.allowed
        self.refresh_bindings()

    def selected(self) -> ContactList | None:
        table = self.query_one(DataTable)
        if not self.lists or not (0 <= table.cursor_row < len(self.lists)):
            return None
        return self.lists[table.cursor_row]

    def selected_id(self) -> int | None:
        lst = self.selected()
        return lst.id if lst else None

    def status(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#lists-status", Static)
        label.update(Text(printable(message)))
        label.set_class(error, "error")

    def refusal(self, action: str) -> str | None:
        """Why ``action`` is greyed out (the footer and the help), or None when it is not."""
        if action not in NEEDS_A_LIST:
            return None
        decision = self.store.can("lists")
        if not decision.allowed:
            return decision.reason
        return "no list selected" if self.selected() is None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if self.refusal(action) is not None else True  # None: greyed out in the footer

    # -- actions ---------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        def added(lst: ContactList | None) -> None:
            if lst is not None:
                self.reload(select=lst.id)
                self.status(f"Created the list {lst.name}.")

        self.app.push_screen(NamePrompt("New list: name", self.store.add_list, save_label="Create"), added)

    def action_rename(self) -> None:
        lst = self.selected()
        if lst is None or self.refusal("rename") is not None:
            return

        def renamed(new: ContactList | None) -> None:
            if new is not None:
                self.reload(select=new.id)
                self.status(f"Renamed {lst.name} to {new.name}.")

        prompt = NamePrompt(
            f"Rename the list {printable(lst.name)}", lambda name: self.store.rename_list(lst.id, name), value=lst.name
        )
        self.app.push_screen(prompt, renamed)

    def action_delete(self) -> None:
        lst = self.selected()
        if lst is None or self.refusal("delete") is not None:
            return
        kept = (
            "its 1 contact is kept (it just leaves the list)"
            if lst.members == 1
            else f"its {lst.members:,} contacts are kept (they just leave the list)"
        )
        message = Text.assemble("Delete the list ", (printable(lst.name), "bold"), f"?\n\nOnly the list goes: {kept}.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(lst)

        self.app.push_screen(ConfirmDialog("Delete list", message, yes="Delete list"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _delete(self, lst: ContactList) -> None:
        try:
            self.store.delete_list(lst.id)
        except StoreError as exc:
            self.app.call_from_thread(self.status, str(exc), error=True)
        else:
            self.app.call_from_thread(self._deleted, lst)

    def _deleted(self, lst: ContactList) -> None:
        self.reload()
        self.status(f"Deleted the list {lst.name}; its contacts were kept.")
