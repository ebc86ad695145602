"""Record a contact's inbound SMS reply (placeholder until the consent screen lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store import Store


class ReplyScreen(ModalScreen[str | None]):
    """Dismisses with a summary to notify, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ReplyScreen { align: center middle; }
    ReplyScreen > Vertical { width: 40; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    """

    def __init__(self, store: Store, contact_id: int):
        super().__init__()
        self.store = store
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Record reply: coming soon.\nPress escape to close.")
