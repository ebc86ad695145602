"""Settings: the data file, the default region, reply keywords, Delete all, roles and permissions.

Shows where the data lives (path, size, contacts) and who you are (login and role). The region is
edited here (refused values show the store's message). Delete all opens a typed confirmation that
deletes in a worker. The region field and the Delete all button are greyed out, with the reason,
for users who may not use them (the settings and delete-all rules). Everyone sees the roles and
permissions table; admins change it (see tui.widgets.permissions_panel). The reply keywords and
their languages are shown to all and changed by admins (tui.widgets.keywords_panel).
"""

from __future__ import annotations

import os

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from store import Store, StoreError
from store.transfer.import_log import ImportRecord, last_import_to_offer
from store.rules.text import printable
from store.wording import plural

from ..widgets.keywords_panel import KeywordsPanel
from ..widgets.permissions_panel import PermissionsPanel
from ..widgets.text_field import TextField
from .delete_all_screen import DeleteAllScreen
from .undo_import import UndoImportFlow


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    for unit in ("kB", "MB", "GB"):
        size_f = size / 1000
        if size_f < 1000 or unit == "GB":
            return f"{size_f:.1f} {unit}"
        size = int(size_f)
    return f"{size} bytes"  # pragma: no cover - the loop always returns


class SettingsScreen(UndoImportFlow, ModalScreen[None]):
    """Settings of the data file. When the last big change was an import, Undo that import is
    offered (key u) before Delete all."""

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close Settings."),
        Binding("g", "edit_region", "Region", tooltip="Go to the default region (for numbers without a +code)."),
        Binding("D", "delete_all", "Delete all…", key_display="D",
                tooltip="Delete all contacts, after typing DELETE (opted-out numbers stay suppressed)."),
        Binding("p", "permissions", "Roles", tooltip="Go to the roles and permissions table."),
        Binding("k", "keywords", "Keywords",
                tooltip="Go to the reply keywords: pick a kind, type a word, Enter adds it (admins)."),
        Binding("ctrl+r", "remove_keyword", "Remove keyword", show=False,
                tooltip="Remove the keyword typed in the Keywords field (only words an admin added)."),
        Binding("s", "language('es')", "Spanish on/off", show=False,
                tooltip="Turn the Spanish reply keywords (ALTO, PARA, BAJA...) on or off."),
        Binding("f", "language('fr')", "French on/off", show=False,
                tooltip="Turn the French reply keywords (ARRET, ARRÊT, DESABONNER...) on or off."),
        Binding("u", "undo_import", "Undo import",
                tooltip="Undo the last import only (asks first), rather than deleting all contacts."),
    ]

    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SettingsScreen #settings-title { text-style: bold; }
    SettingsScreen VerticalScroll { height: auto; max-height: 80vh; }  /* the box, title and footer fit too */
    SettingsScreen #info { height: auto; }
    SettingsScreen .row { height: 1; }
    SettingsScreen #region-row { margin-top: 1; height: auto; }  /* a refusal may take two lines */
    SettingsScreen #danger-row, SettingsScreen #undo-import-row { height: auto; }
    SettingsScreen #undo-import-hint { padding: 0 1; width: 1fr; color: $text-warning; }
    SettingsScreen .label { width: 12; padding: 0 1 0 0; }
    SettingsScreen #region-input { width: 10; }
    SettingsScreen #region-status, SettingsScreen #delete-all-reason { padding: 0 1; width: 1fr; color: $text-muted; }
    SettingsScreen #region-status.error { color: $text-error; }
    SettingsScreen #set-region { margin-left: 1; }
    SettingsScreen VerticalScroll { scrollbar-size-vertical: 1; }
    SettingsScreen.-narrow > Vertical { padding: 0; }
    SettingsScreen.-narrow #region-row, SettingsScreen.-narrow #danger-row { height: auto; }
    SettingsScreen.-narrow #region-status, SettingsScreen.-narrow #delete-all-reason { height: auto; }
    """

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Settings", id="settings-title")
            with VerticalScroll():
                yield Static("", id="info", markup=False)
                with Horizontal(classes="row", id="region-row"):
                    yield Static("Region", classes="label")
                    yield TextField(self.store.default_region, id="region-input", max_length=3, compact=True)
                    yield Button("Set region", id="set-region", compact=True)
                    yield Static("", id="region-status", markup=False)
                with Horizontal(classes="row", id="undo-import-row"):
                    yield Static("Undo", classes="label")
                    yield Button("Undo that import…", id="undo-last-import", variant="warning", compact=True)
                    yield Static("", id="undo-import-hint", markup=False)
                with Horizontal(classes="row", id="danger-row"):
                    yield Static("Danger", classes="label")
                    yield Button("Delete all contacts…", id="delete-all", variant="error", compact=True)
                    yield Static("", id="delete-all-reason", markup=False)
                yield PermissionsPanel(self.store, id="permissions")
                yield KeywordsPanel(self.store, id="keywords")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_info()
        self.query_one("#permissions DataTable").focus()

    # -- showing ---------------------------------------------------------------------------------

    def refresh_info(self) -> None:
        store = self.store
        try:
            size = human_size(os.stat(store.path).st_size)
        except OSError as exc:
            size = f"unknown ({exc.strerror})"
        count = store.count()
        info = Text()
        for label, value in (
            ("Data file", str(store.path)),
            ("Size", size),
            ("Contacts", f"{count:,}"),
            ("You", f"{store.user} ({store.role})"),
        ):
            info.append(f"{label:<12}", style="bold")
            info.append(f"{printable(value)}\n")
        info.rstrip()
        self.query_one("#info", Static).update(info)
        reason = self.delete_all_refusal()
        self.query_one("#delete-all", Button).disabled = reason is not None
        self.query_one("#delete-all-reason", Static).update(Text(printable(reason or "Asks you to type DELETE first.")))
        self.refresh_region()
        self.last_import = last_import_to_offer(store)
        row = self.query_one("#undo-import-row")
        row.display = self.query_one("#undo-last-import", Button).display = self.last_import is not None
        if self.last_import is not None:
            refusal = self.undo_refusal()
            self.query_one("#undo-last-import", Button).disabled = refusal is not None
            hint = last_import_hint(self.last_import) + (f" ({refusal})" if refusal else "")
            self.query_one("#undo-import-hint", Static).update(Text(printable(hint)))
        self.refresh_bindings()

    def region_refusal(self) -> str | None:
        """Why the region cannot be changed by this user, or None when it can."""
        decision = self.store.can("settings")
        return None if decision.allowed else decision.reason

    def refresh_region(self) -> None:
        reason = self.region_refusal()
        self.query_one("#region-input", Input).disabled = reason is not None
        self.query_one("#set-region", Button).disabled = reason is not None
        self.region_status(reason or f"Numbers without a +code are {self.store.default_region}.")

    def delete_all_refusal(self) -> str | None:
        """Why Delete all is not offered now, or None when it is."""
        decision = self.store.can("delete-all")
        if not decision.allowed:
            return decision.reason
        if self.store.count() == 0:
            return "There are no contacts to delete."
        return None

    def refusal(self, action: str, *parameters: object) -> str | None:
        """Why ``action`` is greyed out (the footer and the help), or None when it is not."""
        if action == "delete_all":
            return self.delete_all_refusal()
        if action == "edit_region":
            return self.region_refusal()
        if action == "undo_import":
            return self.undo_refusal()
        if action in ("keywords", "remove_keyword", "language"):
            return self.region_refusal()  # the same settings rule
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_import" and getattr(self, "last_import", None) is None:
            return False  # nothing to offer: not shown
        return None if self.refusal(action) is not None else True  # None: greyed out in the footer

    def region_status(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#region-status", Static)
        label.update(Text(printable(message)))
        label.set_class(error, "error")

    # -- actions ---------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit_region(self) -> None:
        if self.region_refusal() is None:
            self.query_one("#region-input", Input).focus()

    def action_permissions(self) -> None:
        self.query_one("#permissions DataTable").focus()

    def action_keywords(self) -> None:
        self.query_one(KeywordsPanel).focus_word()

    def action_remove_keyword(self) -> None:
        if self.region_refusal() is None:
            self.query_one(KeywordsPanel).remove()

    def action_language(self, code: str) -> None:
        self.query_one(KeywordsPanel).toggle_language(code)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "set-region":
            event.stop()
            self.set_region()
        elif event.button.id == "delete-all":
            event.stop()
            self.action_delete_all()
        elif event.button.id == "undo-last-import":
            event.stop()
            self.action_undo_import()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "region-input":
            event.stop()
            self.set_region()

    def on_permissions_panel_changed(self, event: PermissionsPanel.Changed) -> None:
        self.refresh_info()
        _reload_main_screen(self)

    def set_region(self) -> None:
        self._set_region(self.query_one("#region-input", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="region")
    def _set_region(self, code: str) -> None:
        try:
            region = self.store.set_default_region(code)
        except StoreError as exc:
            self.app.call_from_thread(self.region_status, str(exc), error=True)
        else:
            self.app.call_from_thread(self._region_set, region)

    def _region_set(self, region: str) -> None:
        self.query_one("#region-input", Input).value = region
        self.region_status(f"Default region is now {region}.")
        _reload_main_screen(self)

    def action_delete_all(self) -> None:
        if self.delete_all_refusal() is not None:
            return

        def finished(deleted: int | None) -> None:
            self.refresh_info()
            if deleted is None:
                return
            kept = len(self.store.suppressed_phones())
            _reload_main_screen(self)
            self.notify(
                f"Deleted {plural(deleted, 'contact')}. {plural(kept, 'opted-out number')} "
                f"{'stays' if kept == 1 else 'stay'} on the opt-out list.",
                title="Delete all",
                markup=False,
            )

        self.app.push_screen(DeleteAllScreen(self.store), finished)

    def action_undo_import(self) -> None:
        if self.last_import is not None and self.undo_refusal() is None:
            self.ask_undo(self.last_import.id)

    def undo_finished(self, text: str, ok: bool) -> None:
        self.refresh_info()
        self.notify(text, title="Undo import", severity="information" if ok else "error", markup=False)


def last_import_hint(record: ImportRecord) -> str:
    return (
        f"The last big change was import {record.id} of {record.file_name} ({record.counts()}) by {record.by}: "
        "undo just that, rather than deleting all contacts."
    )


def _reload_main_screen(screen: ModalScreen[None]) -> None:
    """Refresh the contact list under this modal now, not only when it closes."""
    reload = getattr(screen.app, "reload_contacts", None)
    if callable(reload):
        reload()
