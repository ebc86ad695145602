"""Delete all contacts: a typed confirmation, then the deletion in a worker with progress.

The button enables only once the user has typed DELETE or the number of contacts, so a stray
Enter cannot empty the file. The store checks the permission again inside its transaction and
deletes in one write; opted-out numbers stay on the suppression list. Dismisses with the number
deleted, or None if the user backed out.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from ..text import failure_text
from .dialog_keys import PressFocused, enter_binding
from store import Store
from store.transfer.import_log import last_import_to_offer
from store.rules.text import printable
from store.wording import plural

from ..widgets.text_field import TextField

CONFIRM_WORD = "DELETE"


def confirms(typed: str, count: int) -> bool:
    """True when ``typed`` is DELETE or the contact count (``100000`` or ``100,000``)."""
    text = typed.strip()
    return text == CONFIRM_WORD or text.replace(",", "").replace(" ", "") == str(count)


class DeleteAllScreen(PressFocused, ModalScreen[int | None]):
    BINDINGS = [enter_binding(), Binding("escape", "cancel", "Cancel", tooltip="Back, nothing deleted.")]

    DEFAULT_CSS = """
    DeleteAllScreen { align: center middle; }
    DeleteAllScreen > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: thick $error; background: $surface; padding: 0 1;
    }
    DeleteAllScreen #delete-all-title { text-style: bold; }
    DeleteAllScreen #cannot-undo { color: $text-error; text-style: bold; padding: 1 0 0 0; }
    DeleteAllScreen #delete-all-what { padding: 1 0; }
    DeleteAllScreen #delete-all-import-hint { color: $text-warning; padding: 1 0 0 0; }
    DeleteAllScreen #delete-all-status { height: auto; }
    DeleteAllScreen #delete-all-status.error { color: $text-error; }
    DeleteAllScreen ProgressBar { display: none; }
    DeleteAllScreen.running ProgressBar { display: block; }
    DeleteAllScreen Horizontal { height: auto; align-horizontal: right; }
    DeleteAllScreen Button { margin-left: 2; }
    """

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.count = store.count()
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Delete all contacts", id="delete-all-title")
            yield Static("This CANNOT BE UNDONE.", id="cannot-undo", markup=False)
            last_import = last_import_to_offer(self.store)
            if last_import is not None:
                yield Static(
                    Text(printable(
                        f"The last big change was import {last_import.id} of {last_import.file_name} "
                        f"({last_import.counts()}). To remove only what it did, press Escape and choose "
                        "Undo that import (u)."
                    )),
                    id="delete-all-import-hint",
                )
            yield Static(
                Text(
                    f"All {plural(self.count, 'contact')} in {printable(self.store.path.name)} will be deleted. Lists, settings and "
                    "users stay. Numbers that opted out stay on the opt-out list, so adding them again "
                    f"never opts them back in.\n\nType {CONFIRM_WORD} (or {self.count}) to confirm:"
                ),
                id="delete-all-what",
            )
            yield TextField(placeholder=f"type {CONFIRM_WORD} here", id="delete-all-input")
            yield Static("", id="delete-all-status", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="delete-all-progress")
            with Horizontal():
                yield Button(f"Delete {plural(self.count, 'contact')}", id="delete-all", variant="error", disabled=True, compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#delete-all", Button).disabled = self.running or not confirms(event.value, self.count)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action == "press_focused" and typing and (self.running or not confirms(self.query_one(Input).value, self.count)):
            return None  # greyed out in the field until DELETE (or the count) is typed
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if confirms(event.value, self.count):
            self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "delete-all":
            self.start()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.running:  # once started, the one write finishes (it is all or nothing)
            self.dismiss(None)

    def start(self) -> None:
        if self.running or not confirms(self.query_one(Input).value, self.count):
            return
        self.running = True
        self.add_class("running")
        self.query_one("#delete-all", Button).disabled = True
        self.query_one("#cancel", Button).disabled = True
        self.query_one(Input).disabled = True
        self.query_one("#delete-all-status", Static).update(Text(f"Deleting {plural(self.count, 'contact')}…"))
        self._delete_all()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _delete_all(self) -> int:
        return self.store.delete_all()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Act on the deletion only once its worker has ended (dismissing earlier cancels it)."""
        if event.worker.name != "_delete_all":
            return
        if event.state == WorkerState.SUCCESS:
            self._finished(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self._refused(failure_text(event.worker.error))

    def _finished(self, deleted: int) -> None:
        self.query_one(ProgressBar).update(total=max(deleted, 1), progress=max(deleted, 1))
        self.dismiss(deleted)

    def _refused(self, message: str) -> None:
        self.running = False
        self.remove_class("running")
        self.query_one("#cancel", Button).disabled = False
        self.query_one(Input).disabled = False
        status = self.query_one("#delete-all-status", Static)
        status.update(Text(printable(f"Nothing was deleted: {message}")))
        status.add_class("error")
        self.query_one("#cancel", Button).focus()
