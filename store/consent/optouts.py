"""Opt-out lists from another provider: numbers that must never be texted.

``import_optouts(store, source)`` reads a file of numbers, one per row (CSV or plain text; a
column named like phone/number/mobile, else the first), checks every number with the editor's
phone rule, and then, in ONE atomic write:

- adds every number to the suppression list (so adding it later creates the contact opted out);
- opts out the contact that has the number, sets its consent to Declined and resolves its
  pending review items, each change in its history naming the file and line.

It never creates a contact and never opts anyone in. One bad number refuses the whole file with
its line numbers (``ImportRefused``, as contact imports do) and nothing is written.
``preview_optouts`` says what it would do, writing nothing.

Reading is split from the rules: ``read_rows`` turns a source into numbered rows of cells, and
``plan_optouts`` takes any such reader (a spreadsheet reader gives "row" numbers instead of lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from store.transfer.csv_format import HEADER_HINT, CsvError, CsvSource, unneutralise
from store.transfer.tables import read_table
from store.errors import StoreError, ValidationError
from store.gc_pause import gc_paused
from store.transfer.import_rules import Problem
from store.transfer.importer import ImportRefused
from store.model import CONTACTS
from store.consent.history import history_entry
from store.consent.suppression import suppress_many
from store.rules.text import printable
from store.rules.validation import clean_phone

if TYPE_CHECKING:
    from store.core.store import Store
    from store.core.transaction import Transaction

MAX_ROWS = 1_000_000
# Header words naming the number column, best first ("Phone" wins over "Account Number").
NUMBER_WORDS = (("phone", "mobile", "cell", "msisdn"), ("number",))


@dataclass(frozen=True)
class Rows:
    """What a reader gives: rows of cells, each with where it is in the file."""

    source: str
    unit: str  # "line" for text files, "row" for spreadsheets
    rows: list[tuple[int, list[str]]]
    # Spreadsheet number cells that can't be the digits typed: (row, column index) -> why
    inexact: dict[tuple[int, int], str] = field(default_factory=dict)


RowReader = Callable[[CsvSource], Rows]


# An example list, as the Import screen shows it: a header, then one number a line, any spacing.
SAMPLE_OPTOUTS = "Phone\n+1 415 555 0100\n+1 (212) 555-0143\n+44 20 7946 0958\n+14155550187\n"


def sample_optouts() -> str:
    """An example opt-out list (a header line, then one number a line) to start from."""
    return SAMPLE_OPTOUTS


def read_rows(source: CsvSource) -> Rows:
    """CSV, plain text (one number a line), or the first sheet of an .xlsx, .xls or .ods file: the
    non-blank rows, strictly read, with the same limits as an import (store.transfer.tables)."""
    table = read_table(source, max_rows=MAX_ROWS)
    name = source.name if table.sheet is None else f"{source.name} (sheet {table.sheet})"
    return Rows(name, table.unit, table.rows, table.inexact)


@dataclass
class OptOutPlan:
    """What importing an opt-out list does (or did). Counts are against the data as last seen."""

    source: str
    unit: str
    column: str | None  # the header of the column read, or None (no header: the first column)
    first_line_skipped: bool
    region: str
    rows_read: int
    phones: list[tuple[int, str]]  # (line of first appearance, E.164), duplicates dropped
    new_suppressed: int = 0
    contacts_opted_out: int = 0  # contacts that changed (opted out, or consent set to Declined)
    already: int = 0  # contacts with the number that were opted out and Declined already

    @property
    def numbers(self) -> int:
        """Distinct numbers on the list."""
        return len(self.phones)

    @property
    def duplicates(self) -> int:
        return self.rows_read - len(self.phones)

    def summary(self, *, done: bool = True) -> str:
        count = len(self.phones)
        how = f"column {printable(self.column)}" if self.column is not None else "first column"
        if self.first_line_skipped:
            how += ", first line skipped"
        dupes = f", {self.duplicates:,} repeated" if self.duplicates else ""
        what = (
            f"{count:,} number{'s' if count != 1 else ''} ({how}{dupes}): "
            f"{self.new_suppressed:,} newly suppressed, {_contacts(self.contacts_opted_out)} opted out "
            f"(consent Declined), {_contacts(self.already)} already opted out; no contact created"
        )
        name = printable(self.source)
        if done:
            return f"Opt-out list {name}: {what}."
        return f"Preview of opt-out list {name}: {what}. Nothing written yet."


def _contacts(count: int) -> str:
    return f"{count:,} contact{'s' if count != 1 else ''}"


# -- reading and checking (outside the lock) ------------------------------------------------------


def _words(cell: str) -> list[str]:
    return re.split(r"[\s_\-.]+", cell.strip().casefold())


def number_column(fields: list[str], region: str) -> int | None:
    """The column a header row names as the number, or None when ``fields`` is not such a header.

    A header names a column with a word like phone, mobile, cell, msisdn or number (also inside
    a word: "Telephone", "PhoneNumber"; "Phone" wins over "Account Number", then the leftmost),
    and holds no phone number itself (a data row such as ``+14155550132,mobile`` is no header).
    """
    for group in NUMBER_WORDS:
        for i, title in enumerate(fields):
            if any(word.startswith(w) or word.endswith(w) for word in _words(title) for w in group):
                return None if any(_is_phone(f, region) for f in fields) else i
    return None


def _is_phone(text: str, region: str) -> bool:
    try:
        clean_phone(text, region)
    except ValidationError:
        return False
    return True


def plan_optouts(
    store: "Store",
    source: CsvSource,
    *,
    skip_first_line: bool = False,
    read: RowReader = read_rows,
) -> OptOutPlan:
    """Read and check every number of ``source``; raise ImportRefused listing each bad one."""
    store.refresh()
    region = store.default_region
    with gc_paused():
        table = read(source)
        rows = table.rows
        if not rows:
            raise CsvError(f"{table.source} has no numbers")
        column_at = number_column(rows[0][1], region)
        column = None
        skipped = False
        if column_at is not None:
            column = rows[0][1][column_at].strip()
            rows = rows[1:]
        else:
            column_at = 0
            if skip_first_line:
                rows, skipped = rows[1:], True
        if not rows:
            raise CsvError(f"{table.source} has a header line but no numbers")
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for where, fields in rows:
            if (where, column_at) in table.inexact:
                problems.append(Problem(where, "Phone", table.inexact[(where, column_at)]))
                continue
            cell = fields[column_at] if column_at < len(fields) else ""
            if cell[:1] == "'":
                cell = unneutralise(cell)
            try:
                phone = clean_phone(cell, region)
            except ValidationError as exc:
                problems.append(Problem(where, "Phone", exc.errors.get("phone", str(exc))))
                continue
            seen.setdefault(phone, where)
        if problems:
            hint = None
            if column is None and not skipped and problems[0].line == rows[0][0] and not _has_digit(rows[0][1]):
                hint = HEADER_HINT
            raise ImportRefused(table.source, problems, hint)
        return OptOutPlan(
            source=table.source,
            unit=table.unit,
            column=column,
            first_line_skipped=skipped,
            region=region,
            rows_read=len(rows),
            phones=[(where, phone) for phone, where in seen.items()],
        )


def _has_digit(fields: Iterable[str]) -> bool:
    return any(ch.isdigit() for field in fields for ch in field)


# -- applying (one transaction) -------------------------------------------------------------------


def apply_optouts(store: "Store", plan: OptOutPlan) -> OptOutPlan:
    """Apply a checked plan in one transaction, against the newest data."""
    with store.transaction() as tx:
        if store.default_region != plan.region:
            raise StoreError(
                f"The default region changed to {store.default_region} while the file was being checked "
                f"(it was {plan.region}); run the import again"
            )
        _apply(tx, plan, dry_run=False)
    return plan


def preview_optouts(store: "Store", source: CsvSource, **options: Any) -> OptOutPlan:
    """What importing ``source`` would do. Writes nothing."""
    plan = plan_optouts(store, source, **options)
    with store.transaction() as tx:  # the newest data; nothing is changed, so nothing is written
        _apply(tx, plan, dry_run=True)
    return plan


def import_optouts(store: "Store", source: CsvSource, **options: Any) -> OptOutPlan:
    """Check ``source`` and apply it in one atomic write: all of it or none of it."""
    return apply_optouts(store, plan_optouts(store, source, **options))


def _apply(tx: "Transaction", plan: OptOutPlan, *, dry_run: bool) -> None:
    name = plan.source
    suppressed = tx.store.suppressed_phones()
    plan.new_suppressed = sum(1 for _, phone in plan.phones if phone not in suppressed)
    contacts = tx.data[CONTACTS]
    changes: dict[str, dict[str, Any]] = {}
    plan.contacts_opted_out = plan.already = 0
    for where, phone in plan.phones:
        cid = tx.id_for_phone(phone)
        if cid is None:
            continue
        old = contacts[str(cid)]
        doc = opted_out_doc(tx, old, f"on the opt-out list {name}, {plan.unit} {where}")
        if doc is old:
            plan.already += 1
        else:
            plan.contacts_opted_out += 1
            changes[str(cid)] = doc
    if dry_run:
        return
    suppress_many(tx, [phone for _, phone in plan.phones], f"on the opt-out list {name}")
    tx.put_contacts(changes)  # names, emails and phones stay: no index is rebuilt


def opted_out_doc(tx: "Transaction", old: dict[str, Any], detail: str) -> dict[str, Any]:
    """``old`` opted out with consent Declined and its reviews resolved (a new dict), or ``old``
    itself when it already was all that."""
    pending = any(not item.get("resolved_at") for item in old.get("review", ()))
    if old.get("opted_out") and old.get("consent") == "declined" and not pending:
        return old
    doc = dict(old)
    history = list(old.get("history", ()))
    if not old.get("opted_out"):
        doc["opted_out"] = True
        history.append(history_entry(tx, "opted_out", False, True, "import", detail))
    if old.get("consent") != "declined":
        history.append(history_entry(tx, "consent", old.get("consent", "not_sent"), "declined", "import", detail))
        doc["consent"] = "declined"
        doc["consent_changed_at"] = tx.now
    if pending:
        doc["review"] = [
            item if item.get("resolved_at") else dict(item, resolved_at=tx.now, resolved_by=tx.user, resolution="opted_out by opt-out list")
            for item in old.get("review", ())
        ]
    doc["history"] = history
    doc["updated_at"] = tx.now
    return doc


__all__ = [
    "OptOutPlan",
    "Rows",
    "apply_optouts",
    "import_optouts",
    "number_column",
    "plan_optouts",
    "preview_optouts",
    "read_rows",
]
