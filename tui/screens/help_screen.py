"""Help (? or F1): every key of the screen in front, with what it does.

Built from the real bindings at the moment it opens: those of the focused widget, its containers,
the screen and the app (each class's ``BINDINGS``), the one that fires for each key (priority
bindings from the app down, then from the focused widget up, skipping actions that are off),
each with its description and tooltip. Greyed-out actions say why (the node's ``refusal``). Keys
that act by context rather than through a binding (Enter, Space, Tab, the command palette) get a
short hand-written line. So the help cannot drift from the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

# Keys that act by context, not through one binding: shown unless a binding already covers them.
CONTEXT_KEYS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("tab", "shift+tab"), "Next / previous", "Move to the next or previous field or button."),
    (("enter",), "Press / submit", "Press the focused button, submit the field, or pick the highlighted item."),
    (("space",), "Tick", "Tick or untick the focused checkbox or list entry; press the focused button."),
    (("escape",), "Close", "Close this dialog without changing anything."),
)
GENERAL = (
    "Single-letter keys type into a text field while one has focus: press Tab or Escape to leave "
    "the field first. F1 opens this help from anywhere."
)


@dataclass(frozen=True)
class KeyHelp:
    keys: str  # as shown in the footer: "r", "^s", "↑ / k"
    description: str
    detail: str = ""
    not_now: str = ""  # why the action is greyed out now ("" when it is available)

    def what(self) -> tuple[str, str]:
        """(name, explanation): the tooltip alone when it starts with the name ("Quit (asks...)")."""
        if self.detail.casefold().startswith(self.description.casefold()):
            return self.description, self.detail[len(self.description):]
        return self.description, f": {self.detail}" if self.detail else ""

    def line(self) -> str:
        text = f"{self.keys}  {''.join(self.what())}"
        if self.not_now:
            text += f" (not now: {self.not_now})"
        return text


@dataclass
class Section:
    title: str
    keys: list[KeyHelp]


def readable_name(node: DOMNode) -> str:
    """ "UnsavedChangesDialog" -> "Unsaved changes dialog", "ListsScreen" -> "Lists"."""
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", type(node).__name__)
    if len(words) > 1 and words[-1] == "Screen":
        words.pop()
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else type(node).__name__


def declared_bindings(node: DOMNode) -> list[tuple[Binding, bool]]:
    """The bindings a node's class declares, its base classes' included (a subclass's win), each
    with whether it is one of Textual's generic ones (copy, ...) rather than the app's own."""
    by_key: dict[str, tuple[Binding, bool]] = {}
    for cls in reversed(type(node).__mro__):
        generic = cls.__module__.startswith("textual.")
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            by_key[binding.key] = (binding, generic)
    return [item for item in by_key.values() if not item[0].system]


def _state(node: DOMNode, action: str) -> tuple[bool, str]:
    """(shown at all, why not now): asks the node the way Textual does before running a binding.

    A node may offer ``help_check_action`` (the same answer, but for the screen as a whole rather
    than the field that has focus) and ``refusal(action, *parameters)`` (why it is greyed out).
    """
    _, name, params = parse(action)
    check = getattr(node, "help_check_action", node.check_action)
    state = check(name, params)
    if state is False:
        return False, ""
    if state is None:
        refusal = getattr(node, "refusal", None)
        reason = refusal(name, *params) if callable(refusal) else None
        return True, reason or "not available"
    return True, ""


def key_sections(screen: Screen) -> list[Section]:
    """What each key does on ``screen`` now, in sections: the screen's keys, the focused widget's,
    and the keys that act by context."""
    app = screen.app
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused is not None else [screen, app]
    if app not in chain:
        chain.append(app)
    candidates: dict[str, list[tuple[DOMNode, Binding, bool]]] = {}
    # Priority bindings first, from the app down; then the others from the focused widget up.
    for node in reversed(chain):
        for binding, generic in declared_bindings(node):
            if binding.priority:
                candidates.setdefault(binding.key, []).append((node, binding, generic))
    for node in chain:
        for binding, generic in declared_bindings(node):
            if not binding.priority and (node is not app or not screen.is_modal):
                candidates.setdefault(binding.key, []).append((node, binding, generic))

    # node -> action -> (keys, binding, generic, why not now)
    chosen: dict[int, dict[str, tuple[list[str], Binding, bool, str]]] = {}
    for key, bindings in candidates.items():
        for node, binding, generic in bindings:
            shown, not_now = _state(node, binding.action)
            if not shown:
                continue
            entry = chosen.setdefault(id(node), {}).setdefault(binding.action, ([], binding, generic, not_now))
            entry[0].append(app.get_key_display(binding))
            break

    screen_keys: list[tuple[bool, KeyHelp]] = []
    widget_keys: list[tuple[bool, KeyHelp]] = []
    for node in chain:
        for keys, binding, generic, not_now in chosen.get(id(node), {}).values():
            item = KeyHelp(" / ".join(keys), binding.description or binding.action, binding.tooltip or "", not_now)
            (screen_keys if node is screen or node is app else widget_keys).append((generic, item))

    bound = set(candidates)
    context = [
        KeyHelp(" / ".join(app.get_key_display(Binding(k, "")) for k in keys), description, detail)
        for keys, description, detail in CONTEXT_KEYS
        if not bound.intersection(keys) and (keys != ("escape",) or screen.is_modal)
    ]
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING not in bound:
        context.append(
            KeyHelp(
                app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")),
                "Command palette",
                "Every action by name; type a few letters, then Enter. Only what is allowed now is offered.",
            )
        )
    def ours_first(items: list[tuple[bool, KeyHelp]]) -> list[KeyHelp]:
        return [item for _, item in sorted(items, key=lambda pair: pair[0])]  # stable

    sections = [Section(readable_name(screen), ours_first(screen_keys))]
    if widget_keys and focused is not None:
        sections.append(Section(f"In the focused {readable_name(focused).lower()}", ours_first(widget_keys)))
    sections.append(Section("Anywhere", context))
    return sections


class HelpScreen(ModalScreen[None]):
    """The keys of ``in_front`` (the screen the help was opened from). Escape, q, ? or F1 close it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", tooltip="Close the help."),
        Binding("q", "dismiss", "Close", show=False, tooltip="Close the help."),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; }
    HelpScreen #help-general { color: $text-muted; }
    HelpScreen VerticalScroll { height: auto; max-height: 100%; }
    """

    def __init__(self, in_front: Screen):
        super().__init__()
        self.in_front_name = readable_name(in_front)
        self.sections = key_sections(in_front)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Keys: {self.in_front_name}  (Escape, q or ? closes)"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(Text(GENERAL), id="help-general")
                yield Static(self._render_sections(), id="help-keys")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def _render_sections(self) -> Group:
        parts = []
        for section in self.sections:
            if not section.keys:
                continue
            parts.append(Text(f"\n{section.title}", style="bold"))
            table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
            table.add_column("key", no_wrap=True, style="bold")
            table.add_column("what it does", ratio=1)
            for item in section.keys:
                name, explanation = item.what()
                what = Text.assemble((name, "bold"), explanation)
                if item.not_now:
                    what.append(f" (not now: {item.not_now})", style="dim italic")
                table.add_row(Text(item.keys), what)
            parts.append(table)
        return Group(*parts)

    def plain_text(self) -> str:
        """The help as plain lines, one per key (what a screen reader or a test reads)."""
        lines = [GENERAL]
        for section in self.sections:
            lines.append(section.title)
            lines.extend(item.line() for item in section.keys)
        return "\n".join(lines)
