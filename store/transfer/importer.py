"""Import (CSV, spreadsheets, vCards; see ``store.transfer.mapping``): validate every row first, then apply them all in one transaction.

``preview(store, source, ...)`` reads and validates the file (the slow part, outside the lock)
and returns an ``ImportPlan`` saying what would happen, without writing. ``apply_plan(store,
plan)`` applies it in ONE transaction against the newest data: phones already in the file update
their contact, the others become new contacts, and the whole new contacts table is committed in
one atomic write. ``import_csv`` does both. If any row is invalid, ``ImportRefused`` lists the
problems (line, field, reason) and nothing is written.

Consent and opt-outs only ever move the safe way (see ``store.transfer.import_rules``): an import never
opts anyone in and never raises a consent status.

Length (just over 300 lines): checking every row and applying the plan are one pipeline that
shares ``ImportPlan``; split, each half could only be read with the other open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from store.transfer import import_log, import_rules
from store.transfer.csv_format import COLUMN_TITLES, HEADER_HINT, CsvSource, CsvTable
from store.transfer.mapping import contacts_table
from store.errors import StoreError, ValidationError
from store.transfer.import_rules import Entry, Problem, merge_duplicate
from store.model import CONTACTS, LISTS
from store.gc_pause import gc_paused
from store.rules.text import printable

if TYPE_CHECKING:
    from store.core.store import Store
    from store.core.transaction import Transaction

Progress = Callable[[int, int], None]

MAX_PROBLEMS_SHOWN = 20
PROGRESS_EVERY = 1000
SMALL_IMPORT = 500  # up to this many changed contacts: put_contact each; more: one table swap
PREVIEW_ROWS = 10


class ImportRefused(StoreError):
    """Some rows are invalid; nothing was imported. ``problems`` lists every one."""

    def __init__(self, source: str, problems: list[Problem], hint: str | None = None):
        self.source = source
        self.problems = problems
        self.hint = hint
        count = len(problems)
        lines = [f"{source}: {count} problem{'s' if count != 1 else ''}, nothing was imported:"]
        lines += [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
        if count > MAX_PROBLEMS_SHOWN:
            lines.append(f"  and {count - MAX_PROBLEMS_SHOWN:,} more")
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


@dataclass
class ImportPlan:
    """What an import does (or did). Counts are against the data as last seen."""

    source: str
    delimiter_name: str
    header_used: bool
    first_line_skipped: bool
    region: str
    list_name: str | None
    keep_confirmed: bool
    rows_read: int
    entries: list[Entry]  # one per phone, in file order, duplicates merged
    merged_duplicates: int
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    lists_created: list[str] = field(default_factory=list)
    preview_rows: list[dict[str, Any]] = field(default_factory=list)
    format_label: str | None = None  # "xlsx sheet Contacts", "vCard", "Google Contacts export"; None: CSV
    unit: str = "line"  # what preview_rows' "line" counts: line, row, card
    ignored_columns: tuple[str, ...] = ()

    def summary(self, *, done: bool = True) -> str:
        if self.format_label and self.unit == "card":
            how = self.format_label
        elif self.format_label:
            how = self.format_label + ("" if "mapped" in self.format_label or "export" in self.format_label
                                       else ", " + ("header used" if self.header_used else "no header"))
        else:
            how = f"{self.delimiter_name}-separated, " + ("header used" if self.header_used else "no header")
        if self.first_line_skipped:
            how += ", first line skipped"
        if self.ignored_columns:
            how += "; ignored columns: " + ", ".join(printable(c or "(untitled)") for c in self.ignored_columns)
        counts = (
            f"{self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{self.merged_duplicates:,} merged duplicate{'s' if self.merged_duplicates != 1 else ''}"
        )
        target = f"; all added to list {printable(self.list_name)}" if self.list_name else ""
        created = f"; created lists {', '.join(printable(n) for n in self.lists_created)}" if self.lists_created else ""
        noun = "card" if self.unit == "card" else "row"
        rows = f"{self.rows_read:,} {noun}{'s' if self.rows_read != 1 else ''}"
        if done:
            return f"Imported {rows} from {printable(self.source)} ({how}): {counts}{target}{created}."
        return f"Preview of {rows} from {printable(self.source)} ({how}): {counts}{target}{created}. Nothing written yet."


def preview(
    store: "Store",
    source: CsvSource,
    *,
    skip_first_line: bool = False,
    list_name: str | None = None,
    keep_confirmed: bool = False,
    progress: Progress | None = None,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportPlan:
    """Read and validate ``source`` and say what importing it would do. Writes nothing."""
    plan = _checked(store, source, skip_first_line, list_name, keep_confirmed, progress, sheet, mapping)
    with store.transaction() as tx:  # the newest data; nothing is changed, so nothing is written
        _build(store, tx, plan, dry_run=True)
    return plan


def _checked(
    store: "Store",
    source: CsvSource,
    skip_first_line: bool,
    list_name: str | None,
    keep_confirmed: bool,
    progress: Progress | None,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportPlan:
    """Read and validate ``source`` (outside the lock): a plan without counts yet."""
    store.refresh()
    if list_name is not None:
        list_name = store.get_list(list_name).name  # NotFound early, before the slow part
    # 100,000 rows make a million small objects, none in a cycle: the cyclic GC would only walk
    # them over and over (it roughly doubles the time), so it is paused meanwhile.
    with gc_paused():
        table = contacts_table(source, skip_first_line=skip_first_line, sheet=sheet, mapping=mapping)
        return _validate(table, store.default_region, list_name, keep_confirmed, progress)


def apply_plan(store: "Store", plan: ImportPlan, progress: Progress | None = None) -> ImportPlan:
    """Apply a validated plan in one transaction; returns it with the final counts."""
    with store.transaction() as tx:
        if store.default_region != plan.region:
            raise StoreError(
                f"The default region changed to {store.default_region} while the file was being checked "
                f"(it was {plan.region}); run the import again"
            )
        if plan.list_name is not None:
            store.get_list(plan.list_name)  # may have been removed by someone else meanwhile
        changes = _build(store, tx, plan, dry_run=False)
        import_log.record_import(tx, plan.source, plan.list_name, changes)  # so that it can be undone
        if len(changes) > SMALL_IMPORT:
            table = dict(tx.contacts)
            table.update(changes)
            tx.replace_all_contacts(table)
        else:
            for cid, doc in changes.items():
                tx.put_contact(int(cid), doc)
    if progress:
        progress(plan.rows_read, plan.rows_read)
    return plan


def import_csv(store: "Store", source: CsvSource, *, progress: Progress | None = None, **options: Any) -> ImportPlan:
    """Validate and import ``source`` in one atomic write: all of it or none of it."""
    plan = _checked(
        store,
        source,
        options.pop("skip_first_line", False),
        options.pop("list_name", None),
        options.pop("keep_confirmed", False),
        progress,
        options.pop("sheet", None),
        options.pop("mapping", None),
    )
    if options:
        raise TypeError(f"import_csv() got unexpected options: {', '.join(options)}")
    return apply_plan(store, plan, progress)  # counts the plan against the newest data as it applies it


# -- validation -------------------------------------------------------------------------------


def _validate(
    table: CsvTable, region: str, list_name: str | None, keep_confirmed: bool, progress: Progress | None
) -> ImportPlan:
    problems: list[Problem] = []
    by_phone: dict[str, Entry] = {}
    rows = table.rows
    total = len(rows)
    read = import_rules.entry_reader(table.columns, region)
    cell_problems = table.cell_problems
    for start in range(0, total, PROGRESS_EVERY):
        for line, fields in rows[start : start + PROGRESS_EVERY]:
            if cell_problems and any((line, key) in cell_problems for key in table.columns):
                where = table.place(line) if table.unit != "line" else None
                problems += [
                    Problem(line, table.labels.get(key) or COLUMN_TITLES[key], cell_problems[line, key], where)
                    for key in table.columns
                    if (line, key) in cell_problems
                ]
                continue
            try:
                entry = read(line, fields)
            except ValidationError as exc:
                where = table.place(line) if table.unit != "line" else None
                problems += [
                    Problem(line, table.labels.get(f) or COLUMN_TITLES.get(f, f), msg, where) for f, msg in exc.errors.items()
                ]
                continue
            earlier = by_phone.get(entry.phone)
            by_phone[entry.phone] = entry if earlier is None else merge_duplicate(earlier, entry)
        if progress and start + PROGRESS_EVERY <= total:
            progress(start + PROGRESS_EVERY, total)
    if problems:
        skip_was_off = not (table.header_used or table.first_line_skipped)
        first_row_bad = problems[0].line == table.rows[0][0]
        hint = HEADER_HINT if skip_was_off and table.first_line_looks_like_header and first_row_bad else None
        raise ImportRefused(table.source, problems, hint)
    if progress:
        progress(total, total)
    return ImportPlan(
        source=table.source,
        delimiter_name=table.delimiter_name,
        header_used=table.header_used,
        first_line_skipped=table.first_line_skipped,
        region=region,
        list_name=list_name,
        keep_confirmed=keep_confirmed,
        rows_read=total,
        entries=list(by_phone.values()),  # in order of first_line: a phone keeps its first row's place
        merged_duplicates=total - len(by_phone),
        format_label=table.format_label,
        unit=table.unit,
        ignored_columns=table.ignored,
    )


# -- building the new contacts ------------------------------------------------------------------


def _build(store: "Store", tx: "Transaction", plan: ImportPlan, *, dry_run: bool) -> dict[str, dict]:
    """The changed contact documents by id (as strings), and the plan's counts and preview.
    With ``dry_run``, new ids and new lists are provisional and nothing is changed."""
    lists = {doc["name"].casefold(): (int(lid), doc["name"]) for lid, doc in tx.table(LISTS).items()}
    names = {lid: name for lid, name in lists.values()}
    plan.lists_created = []
    provisional = [0]

    def list_id(name: str) -> int:
        found = lists.get(name.casefold())
        if found is None:
            plan.lists_created.append(name)
            if dry_run:
                provisional[0] -= 1
                new_id = provisional[0]
            else:
                new_id = tx.new_id(LISTS)
                tx.put(LISTS, new_id, {"name": name, "created_at": tx.now})
            found = lists[name.casefold()] = (new_id, name)
            names[new_id] = name
        return found[0]

    target = list_id(plan.list_name) if plan.list_name else None
    rules = import_rules.Context(
        now=tx.now,
        user=store.user,
        source=plan.source,
        keep_confirmed=plan.keep_confirmed,
        suppressed=store.suppressed_phones(),
        unit=plan.unit,
    )
    contacts = tx.contacts
    id_for_phone = tx.id_for_phone
    olds = []
    for entry in plan.entries:
        cid = id_for_phone(entry.phone)
        olds.append(contacts.get(str(cid)) if cid is not None else None)
    # Ids for the new contacts in one block (the same ids one new_id() each would give).
    added = olds.count(None)
    fresh = iter(range(-1, -added - 1, -1) if dry_run else tx.new_ids(CONTACTS, added))
    changes: dict[str, dict] = {}
    plan.new = plan.updated = plan.unchanged = 0
    plan.preview_rows = []
    contact_doc = import_rules.contact_doc
    for entry, old in zip(plan.entries, olds):
        list_ids = [list_id(n) for n in import_rules.split_list_names(entry.lists, lists)] if entry.lists else []
        if target is not None:
            list_ids.append(target)
        doc = contact_doc(old, entry, list_ids, rules)
        if old is None:
            plan.new += 1
            changes[str(next(fresh))] = doc
        elif doc is old:
            plan.unchanged += 1
        else:
            plan.updated += 1
            changes[str(id_for_phone(entry.phone))] = doc
        if len(plan.preview_rows) < PREVIEW_ROWS:
            plan.preview_rows.append(import_rules.shown(entry.first_line, doc, names))
    return changes
