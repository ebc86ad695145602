"""On/off controls that can be read without colour.

Textual draws a checkbox's X in both states and tells them apart by colour alone, which a
monochrome terminal or a colour-blind reader can't see. Here the X is drawn only when the box is
ticked (a blank when not); the lists' SelectionList gets the same look from app.tcss.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A Checkbox showing ▐X▌ when ticked and ▐ ▌ when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads it at each render
        return "X" if self.value else " "
