"""Ask for one name (a new list, a list's new name) and save it, showing any refusal in place.

The prompt runs the save itself, in a thread worker, so a refusal ("A list named 'VIP' already
exists") appears under the field with the typed text kept, and the user fixes it there. It
dismisses with whatever the save returned, or None on escape.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker, WorkerState

from store.rules.text import printable

from ..text import failure_text
from ..widgets.text_field import TextField
from .dialog_keys import PressFocused, enter_binding


class NamePrompt(PressFocused, ModalScreen[Any]):
    BINDINGS = [enter_binding(), Binding("escape", "dismiss(None)", "Cancel", tooltip="Close, saving nothing.")]

    DEFAULT_CSS = """
    NamePrompt { align: center middle; }
    NamePrompt > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NamePrompt #prompt-title { text-style: bold; padding: 0 0 1 0; }
    NamePrompt #prompt-error { color: $error; height: auto; }
    NamePrompt Horizontal { height: auto; align-horizontal: right; }
    NamePrompt Button { margin-left: 2; }
    """

    def __init__(self, title: str, save: Callable[[str], Any], *, value: str = "", save_label: str = "Save"):
        super().__init__()
        self.prompt_title = title
        self.save = save
        self.initial = value
        self.save_label = save_label
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(printable(self.prompt_title)), id="prompt-title")
            yield TextField(value=self.initial, id="prompt-input", select_on_focus=True)
            yield Static("", id="prompt-error", markup=False)
            with Horizontal():
                yield Button(self.save_label, id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_submit()
        else:
            self.dismiss(None)

    def action_submit(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.query_one("#save", Button).disabled = True
        self._save(self.query_one("#prompt-input", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, name: str) -> object:
        return self.save(name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Dismiss only once the save's worker has ended (dismissing earlier cancels it)."""
        if event.worker.name != "_save":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self._refused(failure_text(event.worker.error))

    def _refused(self, message: str) -> None:
        self.saving = False
        self.query_one("#save", Button).disabled = False
        self.query_one("#prompt-error", Static).update(Text(printable(message)))
        self.query_one("#prompt-input", Input).focus()
