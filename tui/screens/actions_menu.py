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
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.rules.text import printable

from .dialog_keys import PressFocused, enter_binding


@dataclass(frozen=True)
class MenuItem:
    action: str  # an app action name, e.g. "delete"
    label: str
    key: str
    disabled_reason: str | None = None


class ActionsMenu(PressFocused, ModalScreen[str | None]):
    """Dismisses with the chosen item's ``action``, or None (escape)."""

    # An item's key works only when the menu offers it (check_action): one binding per app action.
    BINDINGS = [
        Binding("r", "choose('record_reply')", "Reply", tooltip="Record reply: what the contact texted back."),
        Binding("m", "choose('mark_consent_sent')", "Consent sent",
                tooltip="Mark consent message sent: record that it went out."),
        Binding("d", "choose('delete')", "Delete", tooltip="Delete the contact, after asking."),
        enter_binding("Choose"),
        Binding("escape", "dismiss(None)", "Close", tooltip="Close the menu."),
    ]

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
        yield Footer(compact=True, show_command_palette=False)

    @staticmethod
    def _option(item: MenuItem) -> Option:
        prompt = Text.assemble((f"{item.key}  ", "bold"), item.label)
        if item.disabled_reason:
            prompt.append(f"  ({item.disabled_reason})", style="italic")
        return Option(prompt, id=item.action, disabled=item.disabled_reason is not None)

    def _item(self, action: str) -> MenuItem | None:
        return next((item for item in self.items if item.action == action), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            item = self._item(str(parameters[0]))
            if item is None:
                return False  # not in this menu
            return None if item.disabled_reason else True  # greyed out, with the reason in the menu
        return True

    def refusal(self, action: str, item_action: object = None) -> str | None:
        """Why a greyed-out item cannot be chosen (the help screen shows it)."""
        item = self._item(str(item_action)) if action == "choose" else None
        return item.disabled_reason if item else None

    def action_choose(self, action: str) -> None:
        item = self._item(action)
        if item is not None and not item.disabled_reason:
            self.dismiss(item.action)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
