"""A yes/no question in a modal: "Delete Ann Lee?". Dismisses with True or False."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from .dialog_keys import PressFocused, enter_binding

from store.rules.text import printable


class ConfirmDialog(PressFocused, ModalScreen[bool]):
    """``message`` is shown literally (it may hold a contact's name). Cancel has the focus."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes", tooltip="Yes: do it (the red button)."),
        Binding("n", "dismiss(False)", "No", tooltip="No: change nothing."),
        enter_binding(),
        # Not "dismiss(False)" like n: the footer shows one key per action.
        Binding("escape", "cancel", "Cancel", tooltip="Cancel: change nothing."),
    ]

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 60; max-width: 90%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ConfirmDialog #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmDialog Button { margin-left: 2; min-width: 10; width: auto; }
    """

    def __init__(self, title: str, message: str | Text, *, yes: str = "Delete", no: str = "Cancel"):
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="confirm-title", markup=False)
            yield Static(self.message if isinstance(self.message, Text) else Text(printable(self.message)), id="confirm-message")
            with Horizontal():
                yield Button(self.yes_label, id="yes", variant="error", compact=True)
                yield Button(self.no_label, id="no", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
