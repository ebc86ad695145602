"""Asked when a save meets someone else's change (see store.core.conflicts).

``ConflictDialog``: someone else changed a field the user changed too. For each such field it shows
"theirs: X" and "yours: Y"; t and y pick one for the highlighted field (Tab moves between fields),
Enter saves with the picks, Escape goes back to editing. Dismisses with the fields to keep the
user's value for, or None.

``ContactDeletedDialog``: the contact being saved was deleted by someone else. Add it again as a
new contact, discard the edits, or go back to editing. Dismisses with "add", "discard" or "back".
"""

from __future__ import annotations

from typing import Any, Iterable, Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from store import Store
from store.core.conflicts import FieldConflict
from store.rules.text import printable
from store.rules.validation import display_phone

from ..text import field_value
from .dialog_keys import PressFocused, enter_binding


def value_text(store: Store, field: str, value: Any) -> str:
    """A stored value as the app shows it: local phone format, list names, "(none)"."""
    if field == "lists":
        names = {lst.id: lst.name for lst in store.lists(counts=False)}
        return ", ".join(printable(names.get(lid, f"a deleted list ({lid})")) for lid in value) or "(none)"
    if value is None or value == "":
        return "(none)"
    if field == "phone":
        return printable(display_phone(str(value), store.default_region))
    return printable(field_value(field, value))


class FieldChoice(Static, can_focus=True):
    """One conflicting field: its label, theirs and yours, with a mark on the one to keep."""

    DEFAULT_CSS = """
    FieldChoice { height: auto; padding: 0 1 0 0; margin-bottom: 1; border-left: blank; }
    FieldChoice:focus { background: $boost; border-left: thick $accent; }
    """

    keep_yours: reactive[bool] = reactive(True)

    def __init__(self, conflict: FieldConflict, theirs: str, yours: str):
        super().__init__(id=f"choice-{conflict.field}")
        self.conflict = conflict
        self.theirs_text = theirs
        self.yours_text = yours

    def render(self) -> Text:
        def line(mark: bool, who: str, value: str) -> Text:
            return Text.assemble(("● " if mark else "○ "), (f"{who}: ", "bold" if mark else ""), value)

        return Text("\n").join(
            [
                Text(self.conflict.label, style="bold"),
                line(not self.keep_yours, "theirs", self.theirs_text),
                line(self.keep_yours, "yours", self.yours_text),
            ]
        )

    def on_click(self, event: events.Click) -> None:
        if event.y in (1, 2):  # the theirs or the yours line
            self.keep_yours = event.y == 2


class ConflictDialog(PressFocused, ModalScreen[set[str] | None]):
    """Shows, for each conflicting field, both values; dismisses with the fields to keep yours."""

    BINDINGS = [
        Binding("t", "pick(False)", "Theirs", tooltip="Keep their value (stored now) for the highlighted field."),
        Binding("y", "pick(True)", "Yours", tooltip="Keep your value (typed in the editor) for the highlighted field."),
        Binding(
            "enter", "press_focused", "Save", priority=True,
            tooltip="Save with the values picked (on a button: press it).",
        ),
        Binding("escape", "dismiss(None)", "Back", tooltip="Back to editing: nothing is saved, your edits are kept."),
    ]

    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConflictDialog #conflict-title { text-style: bold; }
    ConflictDialog #conflict-hint { color: $text-muted; margin-bottom: 1; }
    ConflictDialog VerticalScroll { height: auto; max-height: 12; }
    ConflictDialog Horizontal { height: auto; align-horizontal: right; }
    ConflictDialog Button { margin-left: 2; min-width: 10; width: auto; }
    """

    def __init__(self, store: Store, name: str, conflicts: Iterable[FieldConflict]):
        super().__init__()
        self.contact_name = name
        self.choices = [
            FieldChoice(c, value_text(store, c.field, c.theirs), value_text(store, c.field, c.yours))
            for c in conflicts
        ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"Someone else changed {printable(self.contact_name)} while you were editing"),
                id="conflict-title",
            )
            yield Static(
                "Keep which value? t theirs, y yours for the highlighted field; Tab: next field; Enter saves.",
                id="conflict-hint",
                markup=False,
            )
            with VerticalScroll(can_focus=False):
                yield from self.choices
            with Horizontal():
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Back to editing", id="back", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.choices[0].focus()

    def action_pick(self, yours: bool) -> None:
        """t or y: the choice for the highlighted field. The highlight stays (Tab moves it), so
        "t Tab y Tab t" picks for the first, second and third fields, as the hint says."""
        choice = self.focused
        if isinstance(choice, FieldChoice):
            choice.keep_yours = yours

    async def action_press_focused(self) -> None:
        if isinstance(self.focused, Button):
            self.focused.press()
        else:
            self._save()

    def _save(self) -> None:
        self.dismiss({c.conflict.field for c in self.choices if c.keep_yours})

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)


DeletedChoice = Literal["add", "discard", "back"]


class ContactDeletedDialog(PressFocused, ModalScreen[DeletedChoice]):
    """The contact being saved is gone: add it again, discard the edits, or back to editing."""

    BINDINGS = [
        Binding("a", "dismiss('add')", "Add again", tooltip="Add again: save the form as a new contact."),
        Binding("d", "dismiss('discard')", "Discard", tooltip="Drop your edits; the contact stays deleted."),
        enter_binding(),
        Binding("escape", "dismiss('back')", "Back", tooltip="Back to editing: nothing is saved, your edits are kept."),
    ]

    DEFAULT_CSS = """
    ContactDeletedDialog { align: center middle; }
    ContactDeletedDialog > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ContactDeletedDialog #deleted-title { text-style: bold; margin-bottom: 1; }
    ContactDeletedDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ContactDeletedDialog Button { margin-left: 2; min-width: 10; width: auto; }
    """

    def __init__(self, name: str, phone: str):
        super().__init__()
        self.contact_name = name
        self.phone = phone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Contact deleted by someone else", id="deleted-title", markup=False)
            yield Static(
                Text(
                    f"{printable(self.contact_name)} ({printable(self.phone)}) was deleted by someone else "
                    "while you were editing. Nothing was saved."
                )
            )
            with Horizontal():
                yield Button("Add again as new", id="add", variant="primary", compact=True)
                yield Button("Discard", id="discard", variant="error", compact=True)
                yield Button("Back", id="back", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)  # type: ignore[arg-type]
