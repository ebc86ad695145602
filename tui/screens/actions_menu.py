"""The Actions menu of one contact: a small modal list of what can be done to it.

An action that is not allowed now is shown greyed out with the reason (e.g. Delete for a user
an administrator has not allowed to delete).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.text import printable


@dataclass(frozen=True)
class MenuItem:
    action: str  # an app action name, e.g. "delete"
    label: str
    key: str
    disabled_reason: str | None = None


class ActionsMenu(ModalScreen[str | None]):
    """Dismisses with the chosen item's ``action``, or None (escape)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    DEFAULT_CSS = """
    ActionsMenu { align: center middle; }
    ActionsMenu > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ActionsMenu #menu-title { text-style: bold; padding: 0 1; }
    ActionsMenu OptionList { height: auto; max-height: 12; border: none; }
    """

    def __init__(self, title: str, items: list[MenuItem]):
        super().__init__()
        self.menu_title = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(printable(self.menu_title)), id="menu-title")
            yield OptionList(*(self._option(item) for item in self.items), id="menu")

    @staticmethod
    def _option(item: MenuItem) -> Option:
        prompt = Text.assemble((f"{item.key}  ", "bold"), item.label)
        if item.disabled_reason:
            prompt.append(f"  ({item.disabled_reason})", style="italic")
        return Option(prompt, id=item.action, disabled=item.disabled_reason is not None)

    def on_key(self, event) -> None:  # the item keys work inside the menu too
        for item in self.items:
            if event.key == item.key and not item.disabled_reason:
                event.stop()
                self.dismiss(item.action)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
