"""Settings: default region, roles and policies (placeholder)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store import Store


class SettingsScreen(ModalScreen[None]):
    """Settings of the data file."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > Vertical { width: 40; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    """

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Settings: coming soon.\nPress escape to close.")
