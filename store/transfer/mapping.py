"""Which column is which: our own header, Google and Outlook exports, or a mapping the user gives.

``contacts_table(source, ...)`` is what an import reads, whatever the file: it recognises the
format (``store.transfer.tables``), reads vCards (``store.transfer.vcard``), and turns a table's columns into the
contact columns the import checks (Full Name, Phone, Email, Opted Out, Consent, Lists):

- a header naming our columns (Full Name, Phone...; with Skip First Line) maps them, as in CSV;
- a Google Contacts export (it has "Phone 1 - Value") or an Outlook export ("Mobile Phone" with
  "First Name"/"E-mail Address") is recognised by its header, Skip First Line or not: First,
  Middle and Last Name are joined into Full Name; the phone is Google's "Phone N - Value" labelled
  Mobile, else "Phone 1 - Value" (the first of several joined with " ::: "), or Outlook's "Mobile
  Phone", else its first other phone;
- any other header needs a mapping: ``{"Mobile": "phone", "Given": "first_name"}`` (from
  ``--map`` or the app's pickers). Columns it does not name are guessed from their titles, or
  left out (and the summary lists them). Without a header that can be mapped, ``MappingNeeded``
  lists the columns with a sample value and a guess for each.

A row's Full Name is its Full Name cell when not empty, else its First, Middle and Last name
cells joined with spaces; for a field mapped from several columns the first non-empty cell wins.

Length (over 300 lines): recognising a known export, taking a mapping the user gives and building
the table from either are one decision (which column is which) with shared labels and messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from store.transfer.csv_format import (
    COLUMN_TITLES,
    MAX_BYTES,
    MAX_ROWS,
    CsvSource,
    CsvTable,
    header_columns,
    table_from_records,
)
from store.errors import StoreError
from store.transfer.tables import RawTable, TableError, column_letter, detect_kind, read_table
from store.rules.text import printable
from store.wording import plural
from store.transfer.vcard import read_vcards

FIELDS = {
    "name": "Full Name",
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "phone": "Phone",
    "email": "Email",
    "opted_out": "Opted Out",
    "consent": "Consent",
    "lists": "Lists",
    "ignore": "(ignore)",
}
NAME_PARTS = ("first_name", "middle_name", "last_name")
OUTPUT = ("name", "phone", "email", "opted_out", "consent", "lists")

# Titles as they are written, compared without case, spaces or punctuation.
_GUESSES = {
    "name": "fullname name displayname contactname",
    "first_name": "firstname first given givenname forename",
    "middle_name": "middlename middle additionalname",
    "last_name": "lastname last family familyname surname",
    "phone": "phone phonenumber mobile mobilephone mobilenumber cell cellphone cellnumber telephone tel sms",
    "email": "email emailaddress mail",
    "opted_out": "optedout optout unsubscribed",
    "consent": "consent",
    "lists": "lists list groups",
}
GUESSES = {word: key for key, words in _GUESSES.items() for word in words.split()}


class MappingNeeded(TableError):
    """The columns cannot be mapped without help. ``columns`` has each title, a sample, a guess."""

    def __init__(self, message: str, columns: list["Column"]):
        self.columns = columns
        super().__init__(message)


@dataclass(frozen=True)
class Column:
    title: str
    sample: str  # the first non-empty value below the header ("" if none)
    guess: str | None  # a key of FIELDS, or None


def normalised(title: str) -> str:
    return re.sub(r"[\W_]+", "", title.casefold())


def guess_fields(titles: Iterable[str]) -> list[str | None]:
    return [GUESSES.get(normalised(t)) for t in titles]


def parse_map(options: Iterable[str]) -> dict[str, str]:
    """``["Mobile=phone", "Given=first_name"]`` -> ``{"Mobile": "phone", "Given": "first_name"}``."""
    mapping: dict[str, str] = {}
    seen: set[str] = set()
    fields = ", ".join(FIELDS)
    for option in options:
        column, sep, field_name = option.rpartition("=")
        column, key = column.strip(), field_name.strip().casefold().replace(" ", "_")
        if not sep or not column:
            raise StoreError(f"--map takes COLUMN=FIELD, such as --map \"Mobile=phone\", not '{printable(option)}'")
        if key not in FIELDS:
            aliases = {normalised(title): k for k, title in FIELDS.items()}
            key = aliases.get(normalised(field_name), key)
        if key not in FIELDS:
            raise StoreError(f"--map {printable(option)}: unknown field '{printable(field_name.strip())}'; the fields are: {fields}")
        if normalised(column) in seen:
            raise StoreError(f"--map: the column '{printable(column)}' is mapped twice")
        seen.add(normalised(column))
        mapping[column] = key
    return mapping


# -- recognised exports -------------------------------------------------------------------------


def _profile(titles: list[str]) -> tuple[str, list[str | None]] | None:
    """("Google Contacts", fields) or ("Outlook", fields) for an export's header, else None."""
    keys = [normalised(t) for t in titles]
    if "phone1value" in keys:
        fields: list[str | None] = []
        for key in keys:
            if re.fullmatch(r"phone\d+value", key):
                fields.append("phone")
            elif re.fullmatch(r"email\d+value", key):
                fields.append("email")
            else:
                fields.append(
                    {"name": "name", "firstname": "first_name", "givenname": "first_name", "middlename": "middle_name",
                     "additionalname": "middle_name", "lastname": "last_name", "familyname": "last_name"}.get(key)
                )
        return "Google Contacts", fields
    if "mobilephone" in keys and ("emailaddress" in keys or "firstname" in keys):
        fields = []
        for key in keys:
            if key in _PHONE_PREFERENCE:
                fields.append("phone")
            else:
                fields.append({"name": "name", "fullname": "name", "firstname": "first_name", "middlename": "middle_name",
                               "lastname": "last_name", "emailaddress": "email"}.get(key))
        return "Outlook", fields  # its phones are tried in the order of _PHONE_PREFERENCE
    return None


_PHONE_PREFERENCE = ["mobilephone", "primaryphone", "homephone", "businessphone", "otherphone", "homephone2", "businessphone2"]


# -- reading an import --------------------------------------------------------------------------


def contacts_table(
    source: CsvSource,
    *,
    skip_first_line: bool = False,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    max_rows: int = MAX_ROWS,
) -> CsvTable:
    """The rows of any supported file, laid out as contact columns (see the module doc)."""
    source = source.rereadable(MAX_BYTES)
    kind = detect_kind(source)
    if kind == "vcard":
        if mapping:
            raise TableError(f"{source.name} is a vCard file: its fields are known, there are no columns to map")
        if sheet is not None:
            raise TableError(f"{source.name} is a vCard file, which has no sheets; leave out the sheet name")
        return read_vcards(source, max_cards=max_rows)
    raw = read_table(source, sheet=sheet, max_rows=max_rows, kind=kind, multiline=True, header_rows=1)
    if not raw.rows:
        raise TableError(f"{source.name}{_sheet(raw)} has no contact rows")
    titles = [t.strip() for t in raw.rows[0][1]]
    profile = _profile(titles)
    if mapping:
        return _mapped(raw, _user_fields(raw, titles, mapping), None, max_rows)
    if profile is not None:
        return _mapped(raw, profile[1], profile[0], max_rows)
    guesses = guess_fields(titles)
    if skip_first_line and header_columns(titles) is None and any(guesses):
        if all(guesses) and _usable(guesses):
            return _mapped(raw, list(guesses), None, max_rows)  # every title says what it is
        raise _needed(raw, titles, f"{source.name}{_sheet(raw)}, {raw.unit} {raw.rows[0][0]}: the columns are not "
                      "ones this app knows, so say which is which")
    raw.check_spans(None)  # our own columns: no field of a contact holds a line break
    table = CsvTable(raw.source, raw.delimiter, ("name", "phone", "email"), False, False, False, [])
    if raw.kind != "csv":
        table.format_label = f"{raw.kind} sheet {raw.sheet}"
        table.sheet = raw.sheet
        table.unit = "row"
        table.labels = {}
    try:
        table = table_from_records(table, raw.rows, skip_first_line, max_rows)
    except TableError:
        raise
    except StoreError as exc:
        if "unknown column" in str(exc):
            raise MappingNeeded(str(exc), _columns(raw, titles)) from None
        if skip_first_line and header_columns(titles) is None and len(titles) > 1:
            # A header of titles this app does not know was skipped and the rows do not fit our
            # columns by position: the way out is a mapping, so list the columns it saw.
            raise _needed(raw, titles, f"{exc}. The first {raw.unit} names columns this app does not know") from None
        raise
    if raw.kind != "csv":
        table.labels = _sheet_labels(raw, titles if table.header_used else None, table.columns)
        keys = (header_columns(titles) or []) if table.header_used else list(table.columns)
        table.cell_problems = _inexact_phones(raw, [i for i, k in enumerate(keys) if k == "phone"])
    return table


def _inexact_phones(raw: RawTable, phone_columns: list[int]) -> dict[tuple[int, str], str]:
    """Number cells of the phone column(s) that cannot be the digits typed: (row, "phone") -> message."""
    return {
        (row, "phone"): f"Phone {why}" for (row, column), why in raw.inexact.items() if column in phone_columns
    }


def _sheet(raw: RawTable) -> str:
    return f", sheet {raw.sheet}" if raw.sheet is not None else ""


def _sheet_labels(raw: RawTable, titles: list[str] | None, columns: tuple[str, ...]) -> dict[str, str]:
    """column key -> "column B (Phone)" for a sheet read by our header or by position."""
    if titles is None:
        return {key: f"column {column_letter(i)} ({COLUMN_TITLES[key]})" for i, key in enumerate(columns)}
    labels = {}
    keys = header_columns(titles) or []
    for i, key in enumerate(keys):
        if key is not None:
            labels[key] = f"column {column_letter(i)} ({COLUMN_TITLES[key]})"
    return labels


def _columns(raw: RawTable, titles: list[str]) -> list[Column]:
    samples = []
    for i in range(len(titles)):
        sample = next((cells[i].strip() for _, cells in raw.rows[1:51] if i < len(cells) and cells[i].strip()), "")
        samples.append(sample)
    return [Column(t, s, g) for t, s, g in zip(titles, samples, guess_fields(titles))]


def read_header(source: CsvSource, *, sheet: str | None = None) -> list[Column]:
    """The first row's columns with a sample value and a guess each: for the app's mapping step."""
    raw = read_table(source, sheet=sheet, multiline=True)
    if not raw.rows:
        raise TableError(f"{source.name}{_sheet(raw)} has no rows")
    return _columns(raw, [t.strip() for t in raw.rows[0][1]])


def _needed(raw: RawTable, titles: list[str], lead: str) -> MappingNeeded:
    columns = _columns(raw, titles)
    seen = ", ".join(
        printable(c.title or f"(column {i + 1} has no title)") + (f" (e.g. {printable(c.sample[:30])})" if c.sample else "")
        for i, c in enumerate(columns)
    )
    example = " ".join(f'--map "{printable(c.title)}={c.guess}"' for c in columns if c.guess and c.title)
    example = example or f'--map "{printable(columns[0].title)}=name" --map "COLUMN=phone"'
    message = (
        f"{lead}: {seen}.\nMap them, for example: {example} (fields: {', '.join(FIELDS)}; columns not "
        "mapped are left out)"
    )
    return MappingNeeded(message, columns)


def _usable(fields: list[str | None]) -> bool:
    named = [f for f in fields if f and f != "ignore"]
    return "phone" in named and any(f in named for f in ("name", *NAME_PARTS)) and len(set(named)) == len(named)


def _user_fields(raw: RawTable, titles: list[str], mapping: dict[str, str]) -> list[str | None]:
    by_title: dict[str, int] = {}
    for i, title in enumerate(titles):
        by_title.setdefault(normalised(title), i)
    fields: list[str | None] = [None] * len(titles)
    for column, key in mapping.items():
        index = by_title.get(normalised(column))
        if index is None:
            listed = ", ".join(printable(t) for t in titles)
            raise TableError(f"{raw.source}{_sheet(raw)}: --map names no column '{printable(column)}'; the columns are: {listed}")
        fields[index] = key
    named = {normalised(c) for c in mapping}
    for i, guess in enumerate(guess_fields(titles)):
        if fields[i] is None and normalised(titles[i]) not in named:
            fields[i] = guess  # a column the mapping leaves out, but whose title says what it is
    return fields


def _mapped(raw: RawTable, fields: list[str | None], profile: str | None, max_rows: int) -> CsvTable:
    """The table with the columns mapped to ``fields`` (one per column; None or ignore: left out)."""
    titles = [t.strip() for t in raw.rows[0][1]]
    fields = fields + [None] * (len(titles) - len(fields))
    at: dict[str, list[int]] = {}
    for i, key in enumerate(fields):
        if key is not None and key != "ignore":
            at.setdefault(key, []).append(i)
    if profile == "Outlook" and "phone" in at:
        at["phone"].sort(key=lambda i: _PHONE_PREFERENCE.index(normalised(titles[i])) if normalised(titles[i]) in _PHONE_PREFERENCE else 99)
    has_name = "name" in at or any(k in at for k in NAME_PARTS)
    where = f"{raw.source}{_sheet(raw)}"
    if "phone" not in at or not has_name:
        missing = "Phone" if "phone" not in at else "a name (Full Name, or First name and Last name)"
        raise _needed(raw, titles, f"{where}: no column is mapped to {missing}. The columns are")
    raw.check_spans(sorted(i for indexes in at.values() for i in indexes))  # notes, addresses: may span lines
    ignored = tuple(t for t, k in zip(titles, fields) if k is None or k == "ignore")
    columns = tuple(k for k in OUTPUT if k in at or (k == "name" and has_name))
    name_columns = at.get("name", []) + [i for k in NAME_PARTS for i in at.get(k, [])]
    sources = {k: (name_columns if k == "name" else at[k]) for k in columns}
    google = profile == "Google Contacts"
    phone_labels = _google_phone_labels(titles, at.get("phone", [])) if google else {}
    rows = []
    for number, cells in raw.rows[1:]:
        if len(rows) >= max_rows:
            raise TableError(f"{where} has more than {plural(max_rows, 'row')}, the import limit; split it into smaller files")
        get = (lambda i: cells[i] if i < len(cells) else "")
        row = []
        for key in columns:
            if key == "name":
                full = next((get(i) for i in at.get("name", []) if get(i).strip()), "")
                value = full or " ".join(get(i).strip() for k in NAME_PARTS for i in at.get(k, []) if get(i).strip())
            else:
                filled = [i for i in at[key] if get(i).strip()]
                if phone_labels and key == "phone":  # Google: the number labelled Mobile, else the first
                    filled.sort(key=lambda i: _MOBILE_LABEL.search(get(phone_labels[i]) if i in phone_labels else "") is None)
                value = get(filled[0]) if filled else ""
                if google and key in ("phone", "email"):
                    value = value.split(" ::: ")[0]  # Google joins several values of one kind so
            row.append(value)
        rows.append((number, row))
    if not rows:
        raise TableError(f"{where} has a header line but no contact rows")
    table = CsvTable(raw.source, raw.delimiter, columns, True, False, False, rows)
    label = f"{profile} export" if profile else "columns mapped"
    if raw.kind != "csv":
        label = f"{raw.kind} sheet {raw.sheet}, {label}"
        table.sheet, table.unit = raw.sheet, "row"
    elif profile is None:
        label = f"{table.delimiter_name}-separated, {label}"
    table.format_label = label
    table.ignored = ignored if profile is None else ()  # an export's other columns are known, not news
    table.labels = {key: _label(raw, titles, sources[key], key) for key in columns}
    table.cell_problems = _inexact_phones(raw, at.get("phone", []))
    return table


_MOBILE_LABEL = re.compile(r"mobile|cell", re.IGNORECASE)


def _google_phone_labels(titles: list[str], phone_columns: list[int]) -> dict[int, int]:
    """Google's "Phone N - Value" column -> its "Phone N - Label" (or older "- Type") column."""
    keys = [normalised(t) for t in titles]
    labels = {}
    for i in phone_columns:
        number = re.fullmatch(r"phone(\d+)value", keys[i])
        for name in (f"phone{number.group(1)}label", f"phone{number.group(1)}type") if number else ():
            if name in keys:
                labels[i] = keys.index(name)
                break
    return labels


def _label(raw: RawTable, titles: list[str], indexes: list[int], key: str) -> str:
    if raw.kind == "csv":
        shown = ", ".join(printable(titles[i]) for i in indexes)
        return f"{COLUMN_TITLES[key]} ({shown})" if shown != COLUMN_TITLES[key] else COLUMN_TITLES[key]
    letters = "/".join(column_letter(i) for i in indexes)
    return f"column{'s' if len(indexes) > 1 else ''} {letters} ({COLUMN_TITLES[key]})"
