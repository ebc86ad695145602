"""The sample CSV: see the format, and save a copy to start from.

Shows the packaged sample file as literal text and a path to save it to (default ./sample.csv).
An existing file is never overwritten without asking. Dismisses with a sentence to show ("Saved
the sample to ...") or None.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from store.transfer.csv_format import sample_csv
from store.rules.text import printable

from ..widgets.text_field import TextField

from .confirm_dialog import ConfirmDialog
from .dialog_keys import PressFocused, enter_binding

FORMAT_HELP = (
    "Columns: Full Name, Phone, Email (Email may be empty). With Skip First Line on, a header line "
    "may name them in any order. Comma, semicolon or tab; UTF-8 (Excel: Save As > CSV UTF-8)."
)


class SampleScreen(PressFocused, ModalScreen[str | None]):
    BINDINGS = [
        enter_binding(),
        Binding("escape", "dismiss(None)", "Close", tooltip="Close, saving nothing."),
        Binding("ctrl+s", "save", "Save sample", tooltip="Save a copy of the sample to the path typed."),
    ]
    DEFAULT_CSS = """
    SampleScreen { align: center middle; }
    SampleScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SampleScreen #sample-title { text-style: bold; }
    SampleScreen #sample-text { border: round $secondary; padding: 0 1; height: auto; }
    SampleScreen #sample-help { color: $text-muted; }
    SampleScreen #sample-error { color: $error; height: auto; }
    SampleScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    SampleScreen Button { margin-left: 2; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Sample CSV", id="sample-title")
            yield Static(Text(sample_csv().rstrip("\n")), id="sample-text")
            yield Static(FORMAT_HELP, id="sample-help", markup=False)
            yield Label("Save a copy to:")
            yield TextField("./sample.csv", id="sample-path", compact=True)
            yield Static("", id="sample-error", markup=False)
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Close", id="close", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sample-path", Input).focus()

    @on(Button.Pressed, "#close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#sample-path")
    def _save_pressed(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#sample-path", Input).value.strip()
        if not text:
            self._error("Enter a file path.")
            return
        path = Path(os.path.expanduser(text))
        if path.is_dir():
            path = path / "sample.csv"
        if path.exists():

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(path, replace=True)

            question = f"{path} already exists. Replace it with the sample?"
            self.app.push_screen(ConfirmDialog("Replace file?", question, yes="Replace"), answered)
            return
        self._write(path)

    def _write(self, path: Path, *, replace: bool = False) -> None:
        try:
            # "x" fails if the file appeared since we looked: never overwrite without asking.
            with open(path, "w" if replace else "x", encoding="utf-8", newline="") as out:
                out.write(sample_csv())
        except FileExistsError:
            self._error(f"{path} already exists; press Save again to choose whether to replace it.")
            return
        except OSError as exc:
            self._error(f"Could not save {path}: {exc.strerror or exc}")
            return
        self.dismiss(f"Saved the sample CSV to {path}")

    def _error(self, message: str) -> None:
        self.query_one("#sample-error", Static).update(Text(printable(message)))
