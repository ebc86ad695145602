"""Choosing a CSV file: completion for a typed path, and a small file-picker modal.

``PathSuggester`` completes the last part of a path from the folder's entries (shell-like: the
first match in sorted order, folders end with "/"); the Input shows it greyed and right arrow
accepts it. ``FilePicker`` is a DirectoryTree of folders and CSV/TSV/TXT files that dismisses with
the chosen path, or None.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Footer, Static

from store.rules.text import printable

from .dialog_keys import PressFocused, enter_binding

CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".vcf", ".vcard")


class PathSuggester(Suggester):
    """Suggest the completion of the path typed so far (``~`` is understood)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder_text, _, prefix = value.rpartition("/")
        folder = os.path.expanduser(folder_text + "/" if folder_text or value.startswith("/") else ".")
        try:
            with os.scandir(folder) as entries:
                names = sorted(
                    (e.name + ("/" if e.is_dir() else ""))
                    for e in entries
                    if e.name.startswith(prefix) and (prefix.startswith(".") or not e.name.startswith("."))
                )
        except OSError:
            return None
        for name in names:
            if name != prefix:
                return value[: len(value) - len(prefix)] + name
        return None


class CsvDirectoryTree(DirectoryTree):
    """Folders and files that may hold CSV; hidden entries are left out.

    File names come from whoever made the files: each label goes through ``printable``, so a
    name holding escape codes shows them as text (``\\x1b``) and never drives the terminal.
    """

    def process_label(self, label: str | Text) -> Text:
        plain = label.plain if isinstance(label, Text) else label
        return super().process_label(Text(printable(plain)))

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p
            for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.casefold() in CSV_SUFFIXES)
        ]


class FilePicker(PressFocused, ModalScreen[Path | None]):
    """Pick a file (CSV, workbook, vCard) with the arrow keys and enter; escape cancels."""

    BINDINGS = [enter_binding("Pick"), Binding("escape", "dismiss(None)", "Cancel", tooltip="Close, picking nothing.")]
    DEFAULT_CSS = """
    FilePicker { align: center middle; }
    FilePicker > Vertical {
        width: 70; max-width: 100%; height: 20; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FilePicker #picker-title { text-style: bold; }
    FilePicker CsvDirectoryTree { height: 1fr; }
    """

    def __init__(self, start: Path):
        super().__init__()
        self.start = start if start.is_dir() else Path.cwd()
        self.shown_start = self.start.resolve()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Choose a file to import in {printable(str(self.shown_start))}  (enter picks, esc cancels)", id="picker-title", markup=False)
            yield CsvDirectoryTree(self.start)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(CsvDirectoryTree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)
