"""Import contacts from a file (CSV, .xlsx, .xls, .ods, .vcf) or pasted text: preview, then
import, all or nothing.

With Opt-out list ticked (ctrl+n) the same file or text is another provider's opt-out list instead
(``store.consent.optouts``): every number is suppressed and its contact opted out, after a confirmation
that says how many, because only each contact's own reply can undo that.

The rules live in ``store.transfer.importer``; this screen gathers the choices (a file path with completion
or a file picker, or pasted text; a workbook's sheet; Skip First Line; the list to import into;
for a header the app does not know, what each column holds: one picker per column with a sample
value, guessed where the title says), shows a preview or
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
from textual.widgets.option_list import Option
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from store import CONSENT_LABELS, Store, StoreError
from store.transfer.csv_format import HEADER_HINT, HEADER_HINT_TEXT, CsvSource
from store.transfer.import_log import ImportRecord, imports, shown_time
from store.transfer.importer import ImportPlan, apply_plan, import_csv, preview
from store.transfer.mapping import FIELDS, Column, MappingNeeded
from store.transfer.tables import SHEET_KINDS, detect_kind
from store.consent.optouts import OptOutPlan, apply_optouts, preview_optouts
from store.rules.text import printable

from ..widgets.text_field import TextField
from ..widgets.toggles import TickBox
from ..widgets.paste_area import PasteArea
from .import_browse import FilePicker, PathSuggester
from .confirm_dialog import ConfirmDialog
from .import_sample import OPTOUTS_HELP, SampleScreen
from .undo_import import UndoImportFlow

NO_LISTS_HINT = "No lists yet. To import into a list, create one on the Lists screen (key l)."
OPTOUTS_LABEL = "Opt-out list from another provider"


@dataclass(frozen=True)
class Request:
    """What to import and how: compared with the previewed one to know if a preview is current."""

    mode: str  # "file" or "paste"
    path: str
    text: str
    skip_first_line: bool
    list_name: str | None
    sheet: str = ""
    mapping: tuple[tuple[str, str], ...] = ()  # (column title, field) from the pickers
    optouts: bool = False  # an opt-out list, not contacts

    def source(self) -> CsvSource:
        if self.mode == "paste":
            if not self.text.strip():
                raise StoreError("Paste CSV text first (or switch to File with ctrl+b).")
            return CsvSource.from_text(self.text)
        if not self.path.strip():
            raise StoreError("Enter the path of a CSV file (or .xlsx, .xls, .ods, .vcf), or press ctrl+o to choose one.")
        return CsvSource.from_path(Path(os.path.expanduser(self.path.strip())))


class ImportScreen(UndoImportFlow, ModalScreen[str | None]):
    """Dismisses with a summary to notify, or None when closed without importing.

    Below the form, the recent imports (newest first); ctrl+z undoes the highlighted one after a
    confirmation (see ``tui.screens.undo_import``).
    """

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close the import without importing."),
        Binding("ctrl+r", "preview", "Preview", tooltip="Preview: check every row and show what the import would do."),
        Binding("ctrl+s", "import", "Import", tooltip="Import: check every row, then import all of them or none."),
        Binding("ctrl+o", "browse", "Browse", tooltip="Choose a file (CSV, .xlsx, .xls, .ods, .vcf) in a folder tree."),
        Binding("ctrl+b", "switch_source", "Source", tooltip="Switch between a file and pasted text."),
        Binding("ctrl+t", "toggle_skip", "Header", tooltip="Skip First Line: the first line or row is a header."),
        Binding("ctrl+l", "choose_list", "List", show=False, tooltip="Choose the list to import the contacts into."),
        Binding("ctrl+f", "columns", "Columns", show=False, tooltip="Go to the column pickers: say what each column of the file holds."),
        Binding("ctrl+n", "toggle_optouts", "Opt-outs", show=False,
                tooltip="Opt-out list: the file holds another provider's opt-outs, not contacts."),
        Binding("ctrl+g", "sample", "Sample", tooltip="Show the sample CSV and save a copy."),
        Binding("ctrl+z", "undo_import", "Undo import",
                tooltip="Undo the highlighted recent import (asks first): removes the contacts it added, "
                "restores the ones it changed."),
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
    ImportScreen #import-sheet { display: none; margin-top: 1; }
    ImportScreen #import-sheet.-workbook { display: block; }
    ImportScreen #import-mapping { display: none; height: auto; margin-top: 1; }
    ImportScreen #import-mapping.-shown { display: block; }
    ImportScreen .map-row { height: auto; }
    ImportScreen .map-row Static { width: 1fr; }
    ImportScreen .map-row Select { width: 24; }
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
    ImportScreen #import-history-label { margin-top: 1; text-style: bold; }
    ImportScreen #import-history { height: auto; max-height: 6; }
    ImportScreen #import-history-empty { color: $text-muted; }
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

    class MappingAsked(Message):
        """The file's header needs a mapping: one picker per column."""

        def __init__(self, columns: list[Column], message: str, had_mapping: bool):
            super().__init__()
            self.columns = columns
            self.message = message
            self.had_mapping = had_mapping

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
                        yield TextField(placeholder="Sheet name (blank: the first sheet)", id="import-sheet", compact=True)
                    with TabPane("Paste", id="paste"):
                        yield PasteArea(id="import-text", soft_wrap=False, show_line_numbers=True)
                yield TickBox("Skip First Line (header)", id="import-skip", compact=True)
                yield Vertical(id="import-mapping")
                yield TickBox(OPTOUTS_LABEL, id="import-optouts", compact=True)
                yield Static(OPTOUTS_HELP, id="import-optouts-hint", markup=False)
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
                yield Label(f"Recent imports ({self.key_for('undo_import')} undoes the highlighted one)",
                            id="import-history-label")
                yield OptionList(id="import-history", compact=True)
                yield Static("No imports yet.", id="import-history-empty", markup=False)
            yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_history()
        self.query_one("#import-path", Input).focus()

    # -- recent imports --------------------------------------------------------------------------

    def show_history(self) -> None:
        """Fill the recent imports list from the store, keeping the highlighted one."""
        self.records = {record.id: record for record in imports(self.store)}
        options = self.query_one("#import-history", OptionList)
        highlighted = self.highlighted_import()
        options.clear_options()
        options.add_options([Option(Text(history_line(r)), id=str(r.id)) for r in self.records.values()])
        if self.records:
            options.highlighted = list(self.records).index(highlighted.id) if highlighted else 0
        options.display = bool(self.records)
        self.query_one("#import-history-empty").display = not self.records
        self.refresh_bindings()

    def highlighted_import(self) -> ImportRecord | None:
        options = self.query_one("#import-history", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return getattr(self, "records", {}).get(int(options.get_option_at_index(options.highlighted).id or 0))

    @on(OptionList.OptionHighlighted, "#import-history")
    def _history_highlighted(self) -> None:
        self.refresh_bindings()

    def refusal(self, action: str, *parameters: object) -> str | None:
        """Why ``action`` is greyed out now (the help shows it), or None."""
        if self.running:
            return "the import is running"
        if action == "columns" and not self.mapping_shown:
            return "only for a file whose header the app does not know"
        if action != "undo_import":
            return None
        record = self.highlighted_import()
        if record is None:
            return "there is no import to undo"
        if record.undone:
            return f"import {record.id} was already undone"
        return self.undo_refusal()

    def action_undo_import(self) -> None:
        record = self.highlighted_import()
        if record is not None and self.refusal("undo_import") is None:
            self.ask_undo(record.id)

    def undo_finished(self, text: str, ok: bool) -> None:
        self.show_history()
        self._show(text, error=not ok)
        if ok:
            self.notify(text, title="Undo import", markup=False)

    def watch_running(self, running: bool) -> None:
        self.set_class(running, "-running")
        for button in self.query(Button):
            button.disabled = running and button.id != "close"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.running and action in {"preview", "import", "browse", "switch_source", "toggle_skip", "sample", "columns"}:
            return None  # shown greyed out while the import runs
        if action in {"undo_import", "columns"} and self.refusal(action) is not None:
            return None  # greyed out, with the reason in the help
        return True

    @property
    def mapping_shown(self) -> bool:
        return self.query_one("#import-mapping").has_class("-shown")

    # -- reading the form -------------------------------------------------------------------------

    def request(self) -> Request:
        selects = self.query("#import-list")
        chosen = selects.first(Select).value if selects else Select.NULL
        mode = self.query_one(TabbedContent).active or "file"
        sheet = self.query_one("#import-sheet", Input)
        mapping: tuple[tuple[str, str], ...] = ()
        if self.mapping_shown:
            mapping = tuple(
                (str(picker.name), str(picker.value))
                for picker in self.query("#import-mapping Select").results(Select)
                if picker.value is not Select.NULL
            )
        return Request(
            mode=mode,
            path=self.query_one("#import-path", Input).value,
            text=self.query_one("#import-text", TextArea).text,
            skip_first_line=self.query_one("#import-skip", Checkbox).value,
            list_name=None if chosen is Select.NULL else str(chosen),
            sheet=sheet.value.strip() if mode == "file" and sheet.has_class("-workbook") else "",
            mapping=mapping,
            optouts=self.query_one("#import-optouts", Checkbox).value,
        )

    @on(Input.Changed, "#import-path")
    @on(TextArea.Changed, "#import-text")
    @on(TabbedContent.TabActivated)
    @on(Input.Changed, "#import-sheet")
    def _source_changed(self, event: Message) -> None:
        """Another file: its columns must be looked at again; a workbook offers its sheets."""
        mapping = self.query_one("#import-mapping")
        if mapping.has_class("-shown"):
            mapping.remove_class("-shown")
            mapping.remove_children()
            self.refresh_bindings()
        if isinstance(event, Input.Changed) and event.input.id == "import-path":
            self.query_one("#import-sheet").set_class(self._is_workbook(event.value), "-workbook")

    @staticmethod
    def _is_workbook(text: str) -> bool:
        path = Path(os.path.expanduser(text.strip())) if text.strip() else None
        if path is None or not path.is_file():
            return False
        try:
            return detect_kind(CsvSource.from_path(path)) in SHEET_KINDS
        except StoreError:
            return False

    @on(Input.Changed, "#import-path")
    @on(TextArea.Changed, "#import-text")
    @on(Checkbox.Changed, "#import-skip")
    @on(Checkbox.Changed, "#import-optouts")
    @on(Select.Changed, "#import-list")
    @on(Select.Changed, "#import-mapping Select")
    @on(Input.Changed, "#import-sheet")
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

    def action_columns(self) -> None:
        pickers = self.query("#import-mapping Select")
        if pickers:
            pickers.first().focus()

    def action_sample(self) -> None:
        def saved(message: str | None) -> None:
            if message:
                self.notify(message, markup=False)

        optouts = self.query_one("#import-optouts", Checkbox).value
        self.app.push_screen(SampleScreen(optouts=optouts), saved)

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

        options: dict[str, Any] = {
            "skip_first_line": request.skip_first_line,
            "list_name": request.list_name,
            "sheet": request.sheet or None,
            "mapping": dict(request.mapping) or None,
        }
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
        except MappingNeeded as exc:
            self.post_message(self.MappingAsked(exc.columns, str(exc), bool(request.mapping)))
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

    def on_import_screen_mapping_asked(self, message: MappingAsked) -> None:
        self._done()
        self.plan = None
        container = self.query_one("#import-mapping")
        if not message.had_mapping:
            container.remove_children()
            rows = []
            for i, column in enumerate(message.columns):
                title = printable(column.title) or f"(column {i + 1}, no title)"
                sample = f"  e.g. {printable(column.sample[:40])}" if column.sample else ""
                picker = Select(
                    [(label, key) for key, label in FIELDS.items()],
                    value=column.guess or "ignore",
                    allow_blank=False,
                    compact=True,
                    name=column.title,
                    tooltip=f"What the column {title} holds",
                )
                rows.append(Horizontal(Static(Text(f"{title}{sample}")), picker, classes="map-row"))
            container.mount_all(rows)
            container.add_class("-shown")
            self.refresh_bindings()
        lead = message.message.splitlines()[0] if message.had_mapping else (
            "The columns are not ones this app knows: choose what each column holds below "
            f"({self.key_for('columns')}), then Preview ({self.key_for('preview')}) or Import ({self.key_for('import')})."
        )
        self._show(lead, error=message.had_mapping)

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


def history_line(record: ImportRecord) -> str:
    """One recent import, safe to show: ``3  2026-03-01 12:00:03 UTC  sales.csv → VIP  2 added, 0 changed  by ann``."""
    target = f" → {record.list_name}" if record.list_name else ""
    state = "  (undone)" if record.undone else ""
    return printable(
        f"{record.id}  {shown_time(record.at)}  {record.file_name}{target}  {record.counts()}  by {record.by}{state}"
    )


def describe(plan: ImportPlan) -> str:
    """The preview as plain text: the counts, then the first rows as they will be stored."""
    lines = [plan.summary(done=False), "Press Import (ctrl+s) to import.", "", "First rows as they will be stored:"]
    for row in plan.preview_rows:
        state = "opted out, " if row["opted_out"] else ""
        state += f"consent {CONSENT_LABELS.get(row['consent'], row['consent'])}"
        lists = f", lists: {'; '.join(row['lists'])}" if row["lists"] else ""
        lines.append(f"{plan.unit} {row['line']}: {row['name']} | {row['phone']} | {row['email'] or '-'} | {state}{lists}")
    return "\n".join(lines)
