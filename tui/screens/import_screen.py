"""Import contacts from a CSV file or pasted text: preview, then import, all or nothing.

With Opt-out list ticked (ctrl+n) the same file or text is another provider's opt-out list instead
(``store.optouts``): every number is suppressed and its contact opted out, after a confirmation
that says how many, because only each contact's own reply can undo that.

The rules live in ``store.importer``; this screen gathers the choices (a file path with completion
or a file picker, or pasted text; Skip First Line; the list to import into), shows a preview or
the problems with their line numbers (literal text, never markup), and runs the work in a thread
worker that reports progress with messages. When the import is done it dismisses with the
summary, which the app notifies after reloading the list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from store import CONSENT_LABELS, Store, StoreError
from store.csv_format import HEADER_HINT, HEADER_HINT_TEXT, CsvSource
from store.importer import ImportPlan, apply_plan, import_csv, preview
from store.optouts import OptOutPlan, apply_optouts, preview_optouts
from store.text import printable

from ..widgets.text_field import TextField
from ..widgets.toggles import TickBox
from ..widgets.paste_area import PasteArea
from .import_browse import FilePicker, PathSuggester
from .confirm_dialog import ConfirmDialog
from .import_sample import SampleScreen

NO_LISTS_HINT = "No lists yet. To import into a list, create one on the Lists screen (key l)."
OPTOUTS_LABEL = "Opt-out list from another provider"
OPTOUTS_HINT = (
    "Numbers, one per line (a column named Phone, Mobile or Number, else the first): each is "
    "suppressed and its contact opted out, consent Declined; no contact is created."
)


@dataclass(frozen=True)
class Request:
    """What to import and how: compared with the previewed one to know if a preview is current."""

    mode: str  # "file" or "paste"
    path: str
    text: str
    skip_first_line: bool
    list_name: str | None
    optouts: bool = False  # an opt-out list, not contacts

    def source(self) -> CsvSource:
        if self.mode == "paste":
            if not self.text.strip():
                raise StoreError("Paste CSV text first (or switch to File with ctrl+b).")
            return CsvSource.from_text(self.text)
        if not self.path.strip():
            raise StoreError("Enter the path of a CSV file, or press ctrl+o to choose one.")
        return CsvSource.from_path(Path(os.path.expanduser(self.path.strip())))


class ImportScreen(ModalScreen[str | None]):
    """Dismisses with a summary to notify, or None when closed without importing."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+r", "preview", "Preview"),
        Binding("ctrl+s", "import", "Import"),
        Binding("ctrl+o", "browse", "Browse"),
        Binding("ctrl+b", "switch_source", "Source"),
        Binding("ctrl+t", "toggle_skip", "Header"),
        Binding("ctrl+l", "choose_list", "List", show=False),
        Binding("ctrl+n", "toggle_optouts", "Opt-outs", show=False,
                tooltip="Opt-out list: the file holds another provider's opt-outs, not contacts."),
        Binding("ctrl+g", "sample", "Sample"),
    ]
    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 100; max-width: 100%; height: 100%;
        border: thick $primary; background: $surface;
    }
    ImportScreen #import-title { text-style: bold; padding: 0 1; }
    ImportScreen #import-body { height: 1fr; padding: 0 1; }
    ImportScreen TabbedContent { height: auto; }
    ImportScreen TabPane { padding: 0; height: auto; }
    ImportScreen #import-file-row { height: auto; }
    ImportScreen #import-path { width: 1fr; }
    ImportScreen #browse { margin-left: 1; }
    ImportScreen #import-text { height: 7; }
    ImportScreen #import-options { height: auto; margin-top: 1; }
    ImportScreen #import-list-label { margin-top: 1; }
    ImportScreen #import-no-lists { color: $text-muted; margin-top: 1; }
    ImportScreen #import-buttons { height: auto; margin-top: 1; }
    ImportScreen #import-buttons Button { margin-right: 2; }
    ImportScreen.-narrow #import-buttons { layout: grid; grid-size: 2; grid-gutter: 0 1; }
    ImportScreen.-narrow #import-buttons Button { margin-right: 0; width: 1fr; }
    ImportScreen #import-progress { display: none; margin-top: 1; }
    ImportScreen.-running #import-progress { display: block; }
    ImportScreen #import-result { height: auto; margin-top: 1; }
    ImportScreen #import-result.-error { color: $error; }
    ImportScreen #import-optouts-hint { display: none; color: $text-muted; }
    ImportScreen.-optouts #import-optouts-hint { display: block; }
    ImportScreen.-optouts #import-list, ImportScreen.-optouts #import-list-label,
    ImportScreen.-optouts #import-no-lists { display: none; }
    """

    running: reactive[bool] = reactive(False)

    class Progressed(Message):
        def __init__(self, done: int, total: int):
            super().__init__()
            self.done = done
            self.total = total

    class Finished(Message):
        def __init__(self, plan: ImportPlan | OptOutPlan, applied: bool, request: Request, confirm: bool = False):
            super().__init__()
            self.plan = plan
            self.applied = applied
            self.request = request
            self.confirm = confirm  # checked to ask the user before applying it

    class Failed(Message):
        def __init__(self, message: str):
            super().__init__()
            self.message = message

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.plan: ImportPlan | OptOutPlan | None = None
        self.planned_for: Request | None = None

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lists = self.store.lists()
        with Vertical():
            yield Static("Import contacts", id="import-title")
            with VerticalScroll(id="import-body"):
                with TabbedContent(initial="file", id="import-source"):
                    with TabPane("File", id="file"):
                        with Horizontal(id="import-file-row"):
                            yield TextField(
                                placeholder="path/to/contacts.csv (→ completes)",
                                suggester=PathSuggester(),
                                id="import-path",
                                compact=True,
                            )
                            yield Button("Browse…", id="browse", compact=True)
                    with TabPane("Paste", id="paste"):
                        yield PasteArea(id="import-text", soft_wrap=False, show_line_numbers=True)
                yield TickBox("Skip First Line (header)", id="import-skip", compact=True)
                yield TickBox(OPTOUTS_LABEL, id="import-optouts", compact=True)
                yield Static(OPTOUTS_HINT, id="import-optouts-hint", markup=False)
                if lists:
                    yield Label("Import Contacts into Selected List", id="import-list-label")
                    yield Select(
                        [(Text(printable(lst.name)), lst.name) for lst in lists],
                        prompt="(no list)",
                        id="import-list",
                        compact=True,
                    )
                else:
                    yield Static(NO_LISTS_HINT, id="import-no-lists", markup=False)
                with Horizontal(id="import-buttons"):
                    yield Button("Preview", id="preview", compact=True)
                    yield Button("Import Contacts", id="import", variant="primary", compact=True)
                    yield Button("Sample CSV…", id="sample", compact=True)
                    yield Button("Close", id="close", compact=True)
                yield ProgressBar(id="import-progress", show_eta=False)
                yield Static("", id="import-result")
            yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def watch_running(self, running: bool) -> None:
        self.set_class(running, "-running")
        for button in self.query(Button):
            button.disabled = running and button.id != "close"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.running and action in {"preview", "import", "browse", "switch_source", "toggle_skip", "sample"}:
            return None  # shown greyed out while the import runs
        return True

    # -- reading the form -------------------------------------------------------------------------

    def request(self) -> Request:
        selects = self.query("#import-list")
        chosen = selects.first(Select).value if selects else Select.NULL
        return Request(
            mode=self.query_one(TabbedContent).active or "file",
            path=self.query_one("#import-path", Input).value,
            text=self.query_one("#import-text", TextArea).text,
            skip_first_line=self.query_one("#import-skip", Checkbox).value,
            list_name=None if chosen is Select.NULL else str(chosen),
            optouts=self.query_one("#import-optouts", Checkbox).value,
        )

    @on(Input.Changed, "#import-path")
    @on(TextArea.Changed, "#import-text")
    @on(Checkbox.Changed, "#import-skip")
    @on(Checkbox.Changed, "#import-optouts")
    @on(Select.Changed, "#import-list")
    @on(TabbedContent.TabActivated)
    def _form_changed(self) -> None:
        if self.plan is not None and self.planned_for != self.request():
            self.plan = None
            self._show("The choices changed: press Preview (ctrl+r) again, or Import (ctrl+s).")

    # -- actions ---------------------------------------------------------------------------------

    def action_close(self) -> None:
        if self.running:
            self.notify("The import is running; it finishes (or fails) as a whole in a moment.", severity="warning")
            return
        self.dismiss(None)

    def action_preview(self) -> None:
        self._start(apply=False)

    def action_import(self) -> None:
        self._start(apply=True)

    def action_browse(self) -> None:
        typed = Path(os.path.expanduser(self.query_one("#import-path", Input).value.strip() or "."))
        start = typed if typed.is_dir() else typed.parent

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.query_one(TabbedContent).active = "file"
                field = self.query_one("#import-path", Input)
                field.value = str(path)
                field.focus()

        self.app.push_screen(FilePicker(start), chosen)

    def action_switch_source(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "paste" if tabs.active == "file" else "file"
        self.query_one("#import-text" if tabs.active == "paste" else "#import-path").focus()

    def action_toggle_skip(self) -> None:
        self.query_one("#import-skip", Checkbox).toggle()

    def action_toggle_optouts(self) -> None:
        self.query_one("#import-optouts", Checkbox).toggle()

    @on(Checkbox.Changed, "#import-optouts")
    def _optouts_changed(self, event: Checkbox.Changed) -> None:
        self.set_class(event.value, "-optouts")
        self.query_one("#import", Button).label = "Import Opt-outs" if event.value else "Import Contacts"
        self.query_one("#import-title", Static).update("Import an opt-out list" if event.value else "Import contacts")

    def action_choose_list(self) -> None:
        selects = self.query("#import-list")
        if selects:
            selects.first().focus()
        else:
            self.notify(NO_LISTS_HINT, markup=False)

    def action_sample(self) -> None:
        def saved(message: str | None) -> None:
            if message:
                self.notify(message, markup=False)

        self.app.push_screen(SampleScreen(), saved)

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "preview": self.action_preview,
            "import": self.action_import,
            "browse": self.action_browse,
            "sample": self.action_sample,
            "close": self.action_close,
        }
        actions[event.button.id or ""]()

    # -- the worker ------------------------------------------------------------------------------

    def _start(self, *, apply: bool) -> None:
        if self.running:
            return
        request = self.request()
        plan = self.plan if apply and self.planned_for == request else None
        try:
            source = request.source()
        except StoreError as exc:
            self._show(str(exc), error=True)
            return
        self.running = True
        if apply and hasattr(self.app, "busy"):
            self.app.busy = True  # the app's reload timer waits for this write
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)
        self._show("Importing…" if apply else "Checking the rows…")
        self._work(request, source, apply, plan)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _work(self, request: Request, source: CsvSource, apply: bool, plan: ImportPlan | None) -> None:
        """Off the UI thread: validate (and apply) the import; report with messages only."""

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progressed(done, total))

        options: dict[str, Any] = {"skip_first_line": request.skip_first_line, "list_name": request.list_name}
        confirm = False
        try:
            if isinstance(plan, OptOutPlan):
                result = apply_optouts(self.store, plan)
            elif plan is not None:
                result = apply_plan(self.store, plan, progress)
            elif request.optouts:  # checked first, applied once the user said yes
                result = preview_optouts(self.store, source, skip_first_line=request.skip_first_line)
                confirm, apply = apply, False
            elif apply:
                result = import_csv(self.store, source, progress=progress, **options)
            else:
                result = preview(self.store, source, progress=progress, **options)
        except StoreError as exc:
            self.post_message(self.Failed(str(exc)))
        except Exception as exc:  # nothing may kill the app; the file is untouched on any error
            self.post_message(self.Failed(f"Unexpected error: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(self.Finished(result, apply, request, confirm))

    def on_import_screen_progressed(self, message: Progressed) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=message.total, progress=message.done)

    def on_import_screen_failed(self, message: Failed) -> None:
        self._done()
        self.plan = None
        self._show(message.message, error=True)

    def on_import_screen_finished(self, message: Finished) -> None:
        self._done()
        if message.applied:
            self.dismiss(message.plan.summary())
            return
        self.plan, self.planned_for = message.plan, message.request
        if isinstance(message.plan, OptOutPlan):
            self._show(f"{message.plan.summary(done=False)}\nPress Import (ctrl+s) to apply it.")
            if message.confirm:
                self._confirm_optouts(message.plan)
            return
        self._show(describe(message.plan))

    def _confirm_optouts(self, plan: OptOutPlan) -> None:
        contacts = f"{plan.contacts_opted_out:,} contact{'s' if plan.contacts_opted_out != 1 else ''}"
        numbers = f"{plan.numbers:,} number{'s' if plan.numbers != 1 else ''}"
        message = (
            f"Suppress the {numbers} of {printable(plan.source)} and opt out {contacts} "
            "(consent Declined)? This cannot be undone: only a contact's own reply "
            "(START, UNSTOP, OPTIN or SUBSCRIBE) opts them back in."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(apply=True)

        self.app.push_screen(ConfirmDialog("Import opt-out list", Text(message), yes="Opt out"), answered)

    def _done(self) -> None:
        self.running = False
        if hasattr(self.app, "busy"):
            self.app.busy = False

    def _show(self, text: str, *, error: bool = False) -> None:
        if error:  # the store's hint names the command line's flag; here the key does it
            text = text.replace(HEADER_HINT, f"{HEADER_HINT_TEXT} ({self.key_for('toggle_skip')})")
        result = self.query_one("#import-result", Static)
        result.update(Text("\n".join(printable(line) for line in text.splitlines())))
        result.set_class(error, "-error")
        if text:
            self.call_after_refresh(result.scroll_visible)


    def key_for(self, action: str) -> str:
        return next(b.key for b in self.BINDINGS if isinstance(b, Binding) and b.action == action)


def describe(plan: ImportPlan) -> str:
    """The preview as plain text: the counts, then the first rows as they will be stored."""
    lines = [plan.summary(done=False), "Press Import (ctrl+s) to import.", "", "First rows as they will be stored:"]
    for row in plan.preview_rows:
        state = "opted out, " if row["opted_out"] else ""
        state += f"consent {CONSENT_LABELS.get(row['consent'], row['consent'])}"
        lists = f", lists: {'; '.join(row['lists'])}" if row["lists"] else ""
        lines.append(f"line {row['line']}: {row['name']} | {row['phone']} | {row['email'] or '-'} | {state}{lists}")
    return "\n".join(lines)
