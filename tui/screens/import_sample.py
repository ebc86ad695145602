"""The sample CSV: see the format, and save a copy to start from.

Shows the packaged sample file as literal text and a path to save it to (default ./sample.csv);
``SampleScreen(optouts=True)`` shows an example opt-out list instead (./sample-optouts.csv), for the
Import screen's opt-out choice. An existing file is never overwritten without asking. Dismisses with
a sentence to show ("Saved the sample CSV to ...") or None.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from store.consent.optouts import sample_optouts
from store.transfer.csv_format import sample_csv
from store.rules.text import printable

from ..widgets.text_field import TextField

from .confirm_dialog import ConfirmDialog
from .dialog_keys import PressFocused, enter_binding

FORMAT_HELP = (
    "Columns: Full Name, Phone, Email (Email may be empty). With Skip First Line on, a header line "
    "may name them in any order. Comma, semicolon or tab; UTF-8 (Excel: Save As > CSV UTF-8)."
)
OPTOUTS_HELP = (  # also the Import screen's hint when its opt-out choice is ticked
    "Numbers, one per line (a column named Phone, Mobile or Number, else the first): each is "
    "suppressed and its contact opted out, consent Declined; no contact is created."
)


@dataclass(frozen=True)
class Sample:
    title: str
    name: str  # in the sentence "Saved the ... to PATH"
    text: str
    help: str
    path: str


def contacts_sample() -> Sample:
    return Sample("Sample CSV", "sample CSV", sample_csv(), FORMAT_HELP, "./sample.csv")


def optouts_sample() -> Sample:
    return Sample("Sample opt-out list", "sample opt-out list", sample_optouts(), OPTOUTS_HELP, "./sample-optouts.csv")


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

    def __init__(self, *, optouts: bool = False) -> None:
        super().__init__()
        self.sample = optouts_sample() if optouts else contacts_sample()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.sample.title, id="sample-title", markup=False)
            yield Static(Text(self.sample.text.rstrip("\n")), id="sample-text")
            yield Static(self.sample.help, id="sample-help", markup=False)
            yield Label("Save a copy to:")
            yield TextField(self.sample.path, id="sample-path", compact=True)
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
            path = path / Path(self.sample.path).name
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
                out.write(self.sample.text)
        except FileExistsError:
            self._error(f"{path} already exists; press Save again to choose whether to replace it.")
            return
        except OSError as exc:
            self._error(f"Could not save {path}: {exc.strerror or exc}")
            return
        self.dismiss(f"Saved the {self.sample.name} to {path}")

    def _error(self, message: str) -> None:
        self.query_one("#sample-error", Static).update(Text(printable(message)))
