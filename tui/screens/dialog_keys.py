"""Enter in a dialog, as a binding the footer can show: it presses the focused button, submits the
focused field, or picks the highlighted menu item, which is what Enter does there anyway.

It is a priority binding because the focused widget's own Enter (shown nowhere) would otherwise
hide it from the footer.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Tree


def enter_binding(description: str = "Press") -> Binding:
    return Binding(
        "enter", "press_focused", description, priority=True,
        tooltip="Press the focused button (or submit the field, or pick the highlighted item or file).",
    )


class PressFocused:
    """Mixin for a ModalScreen: the action behind ``enter_binding``."""

    async def action_press_focused(self) -> None:
        assert isinstance(self, Screen)
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
        elif isinstance(focused, Input):
            await focused.action_submit()
        elif isinstance(focused, OptionList):
            focused.action_select()
        elif isinstance(focused, Tree):
            focused.action_select_cursor()  # a folder opens or closes; a file is picked
