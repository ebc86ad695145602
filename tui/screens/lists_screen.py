"""Marketing lists: create, rename, delete (placeholder)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store import Store


class ListsScreen(ModalScreen[None]):
    """Manage marketing lists."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ListsScreen { align: center middle; }
    ListsScreen > Vertical { width: 40; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    """

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Lists: coming soon.\nPress escape to close.")
