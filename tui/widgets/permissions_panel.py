"""Roles and permissions, in the Settings screen: who may do what, and (for admins) changing it.

One table shows the rules in force: a row per role and a row per known user, a column per action
(store.access.permissions.ACTIONS), each cell allow or deny, with * when an admin set it. To fit 60
columns the cells are short; the line under the table spells out the cell under the cursor: who,
the action in words, and where the verdict comes from (default, role rule, own rule). An admin
toggles a cell with space and gives a user a role with the form below it; both make the same
store calls as ``contacts policy`` and ``contacts role``. Others see the table read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Select, Static

from store import Store, StoreError
from store.access.permissions import ACTION_LABELS, ACTIONS, ROLES
from store.rules.text import printable

from .text_field import TextField

# Column headers; with Who at 16 and one cell of padding each side, the table is 56 columns wide
# and fits Settings at 60 (a verdict cell, "allow*", needs 6).
COLUMN_LABELS = {"delete": "Delete", "delete-all": "Delete all", "lists": "Lists", "settings": "Settings"}
WHO_WIDTH = 16
VERDICT_WIDTH = len("allow*")
ACTION_COLUMNS = {column: action for column, action in enumerate(ACTIONS, start=1)}


@dataclass(frozen=True)
class Row:
    subject: str  # "role:agent" or "user:bob"
    label: str  # "Every agent", or a user with their role: "bob (agent)"
    role: str
    verdicts: dict[str, tuple[bool, str]]  # action -> (allowed, where it comes from)


def build_rows(store: Store) -> list[Row]:
    """Roles first (their rule or default), then every user the file knows or has a rule for."""
    rules = {(rule.subject, rule.action): rule for rule in store.rules()}
    rows: list[Row] = []
    for role in ROLES:
        verdicts = {}
        for action in ACTIONS:
            rule = rules[(f"role:{role}", action)]
            verdicts[action] = (rule.allow, "default" if rule.default else "role rule")
        rows.append(Row(f"role:{role}", f"Every {role}", role, verdicts))
    roles_by_login = {user["login"]: user["role"] for user in store.users()}
    logins = sorted(set(roles_by_login) | {s.partition(":")[2] for s, _ in rules if s.startswith("user:")})
    for login in logins:
        role = roles_by_login.get(login)
        role = role if role in ROLES else "agent"  # as the store counts a role the file should not hold
        verdicts = {}
        for action in ACTIONS:
            own = rules.get((f"user:{login}", action))
            allowed = store.can(action, login).allowed
            source = "own rule" if own else ("role rule" if not rules[(f"role:{role}", action)].default else "default")
            verdicts[action] = (allowed, source)
        rows.append(Row(f"user:{login}", f"{login} ({role})", role, verdicts))
    return rows


def verdict_cell(allowed: bool, source: str) -> Text:
    """ "allow" or "deny", with * when an admin set it (a role's or the user's own rule)."""
    mark = "" if source == "default" else "*"
    return Text.assemble(("allow" if allowed else "deny", "green" if allowed else "red"), mark)


def describe(row: Row, action: str) -> str:
    """The cell in words: "Every agent may not rename or remove lists (default)." """
    allowed, source = row.verdicts[action]
    return f"{row.label} {'may' if allowed else 'may not'} {ACTION_LABELS[action]} ({source})."


class PermissionsPanel(Vertical):
    BINDINGS = [Binding("space", "toggle", "Allow/deny")]

    DEFAULT_CSS = """
    PermissionsPanel { height: auto; }
    PermissionsPanel #perm-title { text-style: bold; margin-top: 1; }
    PermissionsPanel DataTable { height: auto; max-height: 10; }
    PermissionsPanel #perm-detail { height: auto; }
    PermissionsPanel Horizontal { height: auto; }
    PermissionsPanel .form-label { width: auto; padding: 1 1; }
    PermissionsPanel #role-user { width: 20; }
    PermissionsPanel #role-select { width: 18; }
    PermissionsPanel #set-role { margin: 1 0 0 1; }
    PermissionsPanel #perm-status { height: auto; color: $text-muted; }
    PermissionsPanel #perm-status.error { color: $text-error; }
    """

    class Changed(Message):
        """Roles or policies changed: the screen refreshes what depends on them."""

    def __init__(self, store: Store, **kwargs: Any):
        super().__init__(**kwargs)
        self.store = store
        self.rows: list[Row] = []
        self.last_cursor: Coordinate | None = None

    @property
    def is_admin(self) -> bool:
        return self.store.role == "admin"

    def compose(self) -> ComposeResult:
        yield Static("Roles and permissions", id="perm-title")
        yield Static("", id="perm-help", markup=False)
        table: DataTable[Text] = DataTable(id="perm-table", cursor_type="cell", zebra_stripes=True)
        table.add_column("Who", width=WHO_WIDTH)
        for action in ACTIONS:
            label = COLUMN_LABELS[action]
            table.add_column(label, width=max(cell_len(label), VERDICT_WIDTH))
        yield table
        yield Static("", id="perm-detail", markup=False)
        with Horizontal(id="role-form"):
            yield Static("Give", classes="form-label")
            yield TextField(placeholder="login name", id="role-user")
            yield Static("the role", classes="form-label")
            yield Select([(role, role) for role in ROLES], value="agent", allow_blank=False, id="role-select")
            yield Button("Set role", id="set-role", compact=True)
        yield Static("", id="perm-status", markup=False)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        self.rows = build_rows(self.store)
        table.clear()
        for r in self.rows:
            cells = [verdict_cell(*r.verdicts[action]) for action in ACTIONS]
            table.add_row(Text(printable(r.label)), *cells, key=r.subject)
        table.move_cursor(row=min(row, len(self.rows) - 1), column=column)
        admin = self.is_admin
        self.query_one("#role-form").display = admin
        help_text = (
            "* set by an admin. Space on a cell switches allow/deny. A user's own rule wins over "
            "their role's; anyone not listed is an agent."
            if admin
            else f"* set by an admin. Only an admin can change these ({printable(self.store.user)} is "
            f"{self.store.role})."
        )
        self.query_one("#perm-help", Static).update(Text(help_text))
        self.show_detail()

    def show_detail(self) -> None:
        """Spell out the cell under the cursor (the table's cells are short to fit 60 columns)."""
        table = self.query_one(DataTable)
        action = ACTION_COLUMNS.get(table.cursor_column)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            text = ""
        elif action is None:
            text = "Move to a cell to see what it allows."
        else:
            text = describe(self.rows[table.cursor_row], action)
        self.query_one("#perm-detail", Static).update(Text(printable(text)))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_detail()
        moved = self.last_cursor is not None and event.coordinate != self.last_cursor
        self.last_cursor = event.coordinate
        if moved and event.data_table.has_focus:
            # In a short terminal Settings scrolls: when the user moves the cursor, keep the line
            # that explains its cell in sight (not for the first highlight, when Settings opens).
            self.query_one("#perm-detail").scroll_visible(animate=False)

    def status(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#perm-status", Static)
        label.update(Text(printable(message)))
        label.set_class(error, "error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle":
            if not self.is_admin:
                return False  # not for them at all: hidden from the footer
            table = self.query_one(DataTable)
            if not (table.has_focus and table.cursor_column in ACTION_COLUMNS):
                return None  # greyed out until the cursor is on an action's cell
        return True

    def action_toggle(self) -> None:
        table = self.query_one(DataTable)
        if not self.is_admin or table.cursor_column not in ACTION_COLUMNS or not self.rows:
            return
        row = self.rows[table.cursor_row]
        action = ACTION_COLUMNS[table.cursor_column]
        allow = not row.verdicts[action][0]
        verb = "Allowed" if allow else "Denied"
        done = f"{verb}: {ACTION_LABELS[action]} for {row.label}."
        self._change(lambda: self.store.set_policy(row.subject, action, allow), done)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "set-role":
            event.stop()
            self.set_role()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "role-user":
            event.stop()
            self.set_role()

    def set_role(self) -> None:
        login = self.query_one("#role-user", Input).value.strip()
        role = str(self.query_one("#role-select", Select).value)
        self._change(lambda: self.store.set_role(login, role), f"{login} is now {role}.")

    @work(thread=True, exclusive=True, exit_on_error=False, group="permissions")
    def _change(self, change: Callable[[], object], done: str) -> None:
        try:
            change()
        except StoreError as exc:
            self.app.call_from_thread(self.status, str(exc), error=True)
        except Exception as exc:  # shown, never fatal
            self.app.call_from_thread(self.status, f"Unexpected error: {type(exc).__name__}: {exc}", error=True)
        else:
            self.app.call_from_thread(self._changed, done)

    def _changed(self, done: str) -> None:
        self.reload()
        self.status(done)
        self.post_message(self.Changed())
