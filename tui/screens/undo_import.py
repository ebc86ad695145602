"""Undo an import from the app: the confirmation, and the flow the Import and Settings screens share.

``UndoImportDialog`` shows what the undo will do, in the store's words ("removes 1,204 contacts
added by sales.csv, restores 36 it changed; 3 changed since are kept"), and dismisses with
``"keep"`` (undo, keeping contacts changed since), ``"remove"`` (remove those too; offered only
when there are some) or None. ``UndoImportFlow`` is mixed into a screen: ``ask_undo(id)`` plans,
asks, and runs the undo in a thread worker, then calls the screen's ``undo_finished(text, ok)``.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static

from store import Store, StoreError
from store.transfer.import_log import UndoPlan, kept_names, plan_undo, undo_import

from .dialog_keys import PressFocused, enter_binding


class UndoImportDialog(PressFocused, ModalScreen["str | None"]):
    BINDINGS = [
        Binding("y", "choose('keep')", "Undo", tooltip="Yes: undo the import (contacts changed since are kept)."),
        Binding("n", "choose(None)", "No", tooltip="No: change nothing."),
        enter_binding(),
        Binding("escape", "cancel", "Cancel", tooltip="Cancel: change nothing."),
    ]

    DEFAULT_CSS = """
    UndoImportDialog { align: center middle; }
    UndoImportDialog > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    UndoImportDialog #undo-title { text-style: bold; margin-bottom: 1; }
    UndoImportDialog #undo-stays { color: $text-muted; margin-top: 1; }
    UndoImportDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    UndoImportDialog Button { margin-left: 2; width: auto; }
    """

    def __init__(self, plan: UndoPlan):
        super().__init__()
        self.plan = plan
        self.message = plan.describe()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Undo an import", id="undo-title", markup=False)
            yield Static(Text(self.message), id="undo-message")
            yield Static(
                Text("Opt-outs and consent replies stay recorded. One write: all of it or nothing."), id="undo-stays"
            )
            with Horizontal():
                yield Button("Undo import", id="undo-keep", variant="warning", compact=True)
                if self.plan.kept_created:
                    yield Button("Remove changed too", id="undo-remove-changed", variant="error", compact=True)
                yield Button("Cancel", id="undo-cancel", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#undo-cancel", Button).focus()

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choices = {"undo-keep": "keep", "undo-remove-changed": "remove"}
        self.dismiss(choices.get(event.button.id or ""))


class UndoImportFlow:
    """Mixin for a screen holding ``self.store``; it implements ``undo_finished(text, ok)``."""

    store: Store

    def undo_refusal(self) -> str | None:
        decision = self.store.can("delete")
        return None if decision.allowed else decision.reason

    def ask_undo(self, import_id: int) -> None:
        assert isinstance(self, Screen)
        try:
            plan = plan_undo(self.store, import_id)
        except StoreError as exc:
            self.undo_finished(str(exc), False)
            return

        def answered(choice: str | None) -> None:
            if choice is not None:
                if hasattr(self.app, "busy"):
                    self.app.busy = True  # the app's reload timer waits for this write
                self._run_undo(import_id, choice == "remove")

        self.app.push_screen(UndoImportDialog(plan), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="undo-import")
    def _run_undo(self, import_id: int, remove_changed: bool) -> None:
        assert isinstance(self, Screen)
        try:
            done = undo_import(self.store, import_id, remove_changed=remove_changed)
        except StoreError as exc:
            self.app.call_from_thread(self._undo_done, str(exc), False)
        except Exception as exc:  # shown, never fatal; the file is untouched on any error
            self.app.call_from_thread(self._undo_done, f"Unexpected error: {type(exc).__name__}: {exc}", False)
        else:
            text = done.describe()
            if done.kept_ids:
                text += f"\nKept (changed since the import): {kept_names(self.store, done)}"
            self.app.call_from_thread(self._undo_done, text, True)

    def _undo_done(self, text: str, ok: bool) -> None:
        assert isinstance(self, Screen)
        if hasattr(self.app, "busy"):
            self.app.busy = False
        reload = getattr(self.app, "reload_contacts", None)
        if ok and callable(reload):
            reload()
        self.undo_finished(text, ok)

    def undo_finished(self, text: str, ok: bool) -> None:
        raise NotImplementedError
