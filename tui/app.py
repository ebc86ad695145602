"""Placeholder app until the contacts screen lands (issue 3)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from store import Store


class ContactsApp(App[None]):
    TITLE = "sms-contacts"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.store.count()} contacts in {self.store.path}", markup=False)
        yield Footer()
