"""Asked before unsaved edits would be lost: Save, Discard or Cancel."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from .dialog_keys import PressFocused, enter_binding

Choice = Literal["save", "discard", "cancel"]


class UnsavedChangesDialog(PressFocused, ModalScreen[Choice]):
    """Dismisses with "save", "discard" or "cancel" (escape)."""

    BINDINGS = [
        Binding("s", "dismiss('save')", "Save", tooltip="Save the edits, then go on."),
        Binding("d", "dismiss('discard')", "Discard", tooltip="Drop the edits, then go on."),
        enter_binding(),
        Binding("escape", "dismiss('cancel')", "Cancel", tooltip="Back to the editor, edits kept."),
    ]

    DEFAULT_CSS = """
    UnsavedChangesDialog { align: center middle; }
    UnsavedChangesDialog > Vertical {
        width: 56; max-width: 90%; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    UnsavedChangesDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    UnsavedChangesDialog Button { margin-left: 2; min-width: 10; width: auto; }
    """

    def __init__(self, what: str = "this contact"):
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"You have unsaved changes to {self.what}.", markup=False)
            with Horizontal():
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Discard", id="discard", variant="error", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)  # type: ignore[arg-type]
