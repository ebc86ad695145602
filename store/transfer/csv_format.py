"""Reading contact CSV files the way spreadsheets really write them, strictly.

``read_csv(source, skip_first_line=...)`` turns a file, stdin or pasted text into a ``CsvTable``:
the detected delimiter, how the columns were mapped, and the data rows, each with the physical
line (1-based, counting the header) where it starts. It accepts UTF-8 with or without a BOM, CRLF
or LF, comma, semicolon or tab delimiters, quoted fields and blank lines.

Anything that cannot be read *correctly* is refused with a ``CsvError`` naming the line: other
encodings (UTF-16, Latin-1), binary files, NUL bytes, broken quotes, ragged rows, no rows, and
files over the size limits. The csv module runs with ``strict=True`` (a quote still open at the
end of the file is an error), and a quoted field may not run over a line break (no contact field
can hold one), so a stray quote stops the read at once instead of swallowing the lines after it.
Exports (Google, Outlook, mapped columns) may: their notes and addresses hold line breaks, so
there only the columns the import reads must be on one line (``check_spans``).

It also holds the formula neutralisation shared with the exporter: spreadsheet cells that start
with ``= + - @``, tab or CR are run as formulas, so the exporter prefixes them with ``'`` (as OWASP
recommends) and the reader removes that prefix again, which makes a round trip exact.

Length (over 300 lines): strict CSV reading (encodings, dialects, limits, refusals with their
wording) is one path every row goes through; the sample and formula neutralisation are small.
"""

from __future__ import annotations

import csv
import io
import os
from importlib import resources
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from store.errors import StoreError
from store.rules.text import printable
from store.wording import plural

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_LINE_BYTES = 1024 * 1024
SAMPLE_BYTES = 64 * 1024

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# Column keys, their titles (as the exporter writes them) and the names a header may use.
COLUMN_TITLES = {
    "name": "Full Name",
    "phone": "Phone",
    "email": "Email",
    "opted_out": "Opted Out",
    "consent": "Consent",
    "lists": "Lists",
}
HEADER_ALIASES = {
    "full name": "name",
    "name": "name",
    "phone": "phone",
    "phone number": "phone",
    "mobile": "phone",
    "email": "email",
    "e-mail": "email",
    "opted out": "opted_out",
    "consent": "consent",
    "lists": "lists",
}
POSITIONAL_COLUMNS = ("name", "phone", "email")
REQUIRED_COLUMNS = ("name", "phone")

HEADER_HINT_TEXT = "The first line looks like a header (column names): turn on Skip First Line"
HEADER_HINT = f"{HEADER_HINT_TEXT} (--skip-header)"  # the app shows its own key instead of the flag

FORMULA_TRIGGERS = frozenset("=+-@\t\r")


class CsvError(StoreError):
    """The file cannot be read correctly as contacts CSV. The message names the line."""


@dataclass
class CsvTable:
    source: str
    delimiter: str
    columns: tuple[str, ...]  # column keys in file order
    header_used: bool  # columns were mapped from the first line's names
    first_line_skipped: bool  # a first line that was not a recognisable header was skipped
    first_line_looks_like_header: bool  # for the hint "turn Skip First Line on"
    rows: list[tuple[int, list[str]]]  # (physical line, fields padded to len(columns))
    # Other formats read into the same table (see store.transfer.tables, store.transfer.mapping, store.transfer.vcard):
    format_label: str | None = None  # "xlsx sheet Contacts", "vCard", "Google Contacts CSV"...; None: CSV
    sheet: str | None = None
    unit: str = "line"  # what a row number counts: line, row (of a sheet), card
    labels: dict[str, str] = field(default_factory=dict)  # column key -> how problems name it
    places: dict[int, str] | None = None  # row number -> where it is, when not "<unit> <n>"
    ignored: tuple[str, ...] = ()  # columns a mapping left out
    cell_problems: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column key) -> message

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, self.delimiter)

    def place(self, number: int) -> str:
        """Where row ``number`` is, for messages: "line 4", "sheet Contacts, row 4", "card 2 (line 9)"."""
        if self.places is not None and number in self.places:
            return self.places[number]
        sheet = f"sheet {self.sheet}, " if self.sheet is not None else ""
        return f"{sheet}{self.unit} {number}"

    def where(self, number: int) -> str:
        return f"{self.source}, {self.place(number)}"


def sample_csv() -> str:
    """The example file shipped with the package (also sample.csv at the repository root)."""
    return resources.files("store").joinpath("data/sample.csv").read_text(encoding="utf-8")


# -- formula neutralisation ------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """Prefix ``'`` when a spreadsheet would run ``value`` as a formula (or when ``value`` already
    looks neutralised, so that :func:`unneutralise` gives it back exactly)."""
    if value and (value[0] in FORMULA_TRIGGERS or (value[0] == "'" and value.lstrip("'")[:1] in FORMULA_TRIGGERS)):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise`: drop one leading ``'`` before quotes and a formula character."""
    if value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


# -- sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvSource:
    """Where CSV comes from: a path, or bytes already in memory (stdin, pasted text)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> "CsvSource":
        return cls(name=str(path), path=Path(path))

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "standard input") -> "CsvSource":
        return cls(name=name, data=data)

    @classmethod
    def from_text(cls, text: str, name: str = "pasted text") -> "CsvSource":
        return cls(name=name, data=text.encode("utf-8"))

    @classmethod
    def from_stream(cls, stream: BinaryIO, name: str = "standard input", max_bytes: int | None = None) -> "CsvSource":
        """Read a stream (such as stdin) into memory, refusing it past the size limit."""
        limit = MAX_BYTES if max_bytes is None else max_bytes
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise CsvError(f"{name} is larger than {_size(limit)}, the import limit; split it into smaller files")
        return cls(name=name, data=data)

    def rereadable(self, max_bytes: int) -> "CsvSource":
        """This source, or its bytes in memory when it is a pipe (``contacts import <(cmd)`` names
        one as /dev/fd/N): a pipe gives its bytes only once, and an import reads the first ones to
        tell the kind of file, then all of them."""
        if self.data is not None:
            return self
        with self.open(max_bytes) as stream:
            if isinstance(stream, io.BytesIO):
                return CsvSource(self.name, data=stream.getvalue())
        return self

    def open(self, max_bytes: int) -> BinaryIO:
        """A seekable binary stream, after checking the size (before anything is read)."""
        if self.data is not None:
            if len(self.data) > max_bytes:
                raise CsvError(f"{self.name} is larger than {_size(max_bytes)}, the import limit; split it")
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            size = os.stat(self.path).st_size
            if size > max_bytes:
                raise CsvError(
                    f"{self.name} is {_size(size)}, larger than {_size(max_bytes)}, the import limit; split it"
                )
            stream = open(self.path, "rb")
        except IsADirectoryError:
            raise CsvError(f"{self.name} is a folder, not a CSV file") from None
        except OSError as exc:
            raise CsvError(f"Cannot read {self.name}: {exc.strerror or exc}") from None
        if not stream.seekable():  # a pipe such as <(cmd): read it, within the limit
            with stream:
                return io.BytesIO(CsvSource.from_stream(stream, self.name, max_bytes).data or b"")
        return stream


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


# -- reading ------------------------------------------------------------------------------------


def read_csv(
    source: CsvSource,
    *,
    skip_first_line: bool,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> CsvTable:
    with source.open(max_bytes) as stream:
        sample = stream.read(SAMPLE_BYTES)
        _refuse_non_text(sample, source.name)
        stream.seek(0)
        delimiter = detect_delimiter(sample)
        return _read_rows(stream, source.name, delimiter, skip_first_line, max_rows)


def _refuse_non_text(sample: bytes, name: str) -> None:
    save_as = "open it in your spreadsheet and save it as CSV UTF-8 (File > Save As > CSV UTF-8)"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample):
        raise CsvError(f"{name} is UTF-16 text, which is not supported: {save_as}")
    if sample.startswith(b"PK\x03\x04"):
        raise CsvError(f"{name} is a spreadsheet workbook (xlsx/ods) or zip file, not CSV: {save_as}")
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvError(f"{name} is an old Excel workbook (xls), not CSV: {save_as}")


def _looks_utf16(sample: bytes) -> bool:
    head = sample[:4096]
    if len(head) < 4:
        return False
    odd_nuls = head[1::2].count(0)
    even_nuls = head[0::2].count(0)
    half = len(head) // 2
    return max(odd_nuls, even_nuls) > 0.4 * half and min(odd_nuls, even_nuls) < 0.1 * half


def detect_delimiter(sample: bytes) -> str:
    """Comma, semicolon or tab: the one that splits the first lines into the most consistent
    number of fields (a header naming our columns settles it). Comma when nothing fits."""
    text = sample.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if len(sample) == SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    lines = lines[:200]
    best, best_score = ",", None
    for order, delimiter in enumerate(DELIMITER_NAMES):
        try:
            rows = [r for r in csv.reader(lines, delimiter=delimiter) if any(f.strip() for f in r)][:50]
        except csv.Error:
            continue
        if not rows:
            continue
        mode, freq = Counter(len(r) for r in rows).most_common(1)[0]
        if mode < 2:
            continue
        is_header = header_columns(rows[0]) is not None
        score = (is_header, freq / len(rows), mode <= len(COLUMN_TITLES), -order)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def header_columns(fields: list[str]) -> list[str | None] | None:
    """Column keys for a header line (None for unknown names), or None when the line is not a
    recognisable header: one that names both a name column and a phone column."""
    keys = [HEADER_ALIASES.get(" ".join(f.strip().casefold().split())) for f in fields]
    if "name" in keys and "phone" in keys:
        return keys
    return None


def looks_like_header(fields: list[str]) -> bool:
    return any(" ".join(f.strip().casefold().split()) in HEADER_ALIASES for f in fields)


def _decoded_lines(stream: BinaryIO, name: str) -> Iterator[str]:
    """The file's physical lines as text, refusing NUL bytes and anything that is not UTF-8."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise CsvError(f"{name}, line {number}: the line is longer than {_size(MAX_LINE_BYTES)}; this is not a contacts CSV file")
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if b"\x00" in raw:
            raise CsvError(
                f"{name}, line {number}: contains NUL bytes, so this is a binary file, not CSV text. "
                "Save it from your spreadsheet as CSV UTF-8"
            )
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CsvError(
                f"{name}, line {number}: byte 0x{raw[exc.start]:02X} is not UTF-8 text (the file may be "
                "Latin-1/Windows-1252, or binary). Save it from your spreadsheet as CSV UTF-8"
            ) from None


def raw_rows(
    source: CsvSource,
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
    spans: dict[int, int] | None = None,
    header_rows: int = 0,
) -> tuple[str, list[tuple[int, list[str]]]]:
    """The delimiter and the non-blank records of a CSV file as they are, each with the physical
    line where it starts (no header handling, no column fitting): for other readers of tables.
    A record over several lines (a quoted field holding line breaks) is refused, unless ``spans``
    is given: then it is kept, and ``spans`` gets its first and last line (``check_spans``)."""
    with source.open(max_bytes) as stream:
        sample = stream.read(SAMPLE_BYTES)
        _refuse_non_text(sample, source.name)
        stream.seek(0)
        delimiter = detect_delimiter(sample)
        rows = []
        for record in _records(stream, source.name, delimiter, spans):
            if len(rows) >= max_rows + header_rows:
                raise CsvError(f"{source.name} has more than {plural(max_rows, 'row')}, the import limit; split it into smaller files")
            rows.append(record)
        return delimiter, rows


def _records(
    stream: BinaryIO, name: str, delimiter: str, spans: dict[int, int] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, fields) for every record that is not blank. A record over
    several lines is refused, or, with ``spans``, recorded there (first line -> last line)."""
    reader = csv.reader(_decoded_lines(stream, name), delimiter=delimiter, strict=True)
    end = 0
    while True:
        start = end + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvError(_quote_problem(name, start, reader.line_num, str(exc))) from None
        end = reader.line_num
        if end > start and spans is None:
            # No contact field may hold a line break, so a record spanning lines is a quote left
            # open: refuse it here rather than let it swallow the lines that follow.
            raise spanning_error(name, start, end)
        if not (fields and fields[0].strip()) and not any(f.strip() for f in fields):
            continue  # a blank line, or a row of empty cells
        if end > start:
            spans[start] = end
        yield start, fields


def spanning_error(name: str, start: int, end: int) -> CsvError:
    return CsvError(
        f"{name}, line {start}: a quoted field starts here and runs on to line {end}; is its closing quote missing?"
    )


def check_spans(
    name: str, delimiter: str, rows: Iterable[tuple[int, list[str]]], spans: dict[int, int], read: Iterable[int] | None
) -> None:
    """Refuse a record over several lines unless its line breaks are only in columns the import
    leaves out (an export's notes and addresses): ``read`` are the indexes of the columns it reads
    (None: all). A field holding a row's worth of delimiters is a stray quote that swallowed the
    lines after it (its record then has as many fields as a row), so it is refused too."""
    if not spans:
        return
    for start, fields in rows:
        end = spans.get(start)
        if end is None:
            continue
        columns = range(len(fields)) if read is None else [i for i in read if i < len(fields)]
        if any("\n" in fields[i] or "\r" in fields[i] for i in columns):
            raise spanning_error(name, start, end)
        if any(("\n" in f or "\r" in f) and f.count(delimiter) >= len(fields) - 1 for f in fields):
            raise spanning_error(name, start, end)


def _read_rows(stream: BinaryIO, name: str, delimiter: str, skip_first_line: bool, max_rows: int) -> CsvTable:
    table = CsvTable(name, delimiter, POSITIONAL_COLUMNS, False, False, False, [])
    return table_from_records(table, _records(stream, name, delimiter), skip_first_line, max_rows)


def table_from_records(
    table: CsvTable, records: Iterable[tuple[int, list[str]]], skip_first_line: bool, max_rows: int = MAX_ROWS
) -> CsvTable:
    """Fill ``table`` (empty, positional columns) from records: the first may be a header naming
    our columns, or skipped; the others are fitted to the columns. Shared by CSV and sheets."""
    name = table.source
    first = True
    for start, fields in records:
        if first:
            first = False
            table.first_line_looks_like_header = looks_like_header(fields)
            if skip_first_line:
                _take_header(table, fields, start)
                continue
        if len(table.rows) >= max_rows:
            raise CsvError(f"{name} has more than {plural(max_rows, 'row')}, the import limit; split it into smaller files")
        try:
            table.rows.append((start, _fit(table, fields, start)))
        except CsvError as exc:
            if len(table.rows) == 0 and not skip_first_line and table.first_line_looks_like_header:
                raise CsvError(f"{exc}. {HEADER_HINT}") from None
            raise
    if not table.rows:
        what = "a header line but no contact rows" if table.header_used else "no contact rows"
        raise CsvError(f"{name} has {what}")
    return table


def _take_header(table: CsvTable, fields: list[str], line: int) -> None:
    keys = header_columns(fields)
    if keys is None:
        table.first_line_skipped = True
        return
    titles = ", ".join(COLUMN_TITLES.values())
    for field, key in zip(fields, keys):
        if key is None:
            shown = printable(field.strip()[:60]) or "(empty)"
            raise CsvError(
                f"{table.where(line)}: unknown column '{shown}'. Known columns: {titles} "
                f"(also Name, Phone Number, Mobile, E-mail). Remove the column or rename it, or map the "
                f"columns: --map \"{shown}=ignore\""
            )
    seen = [k for k, n in Counter(keys).items() if n > 1]
    if seen:
        raise CsvError(f"{table.where(line)}: the column {COLUMN_TITLES[seen[0]]} appears twice")
    table.columns = tuple(k for k in keys if k is not None)
    table.header_used = True


def _fit(table: CsvTable, fields: list[str], line: int) -> list[str]:
    """Fields matched to the columns: trailing empty cells are dropped; a row may lack only
    trailing optional columns (such as Email), which read as empty."""
    columns = table.columns
    if len(fields) > len(columns):
        extra = fields[len(columns):]
        if any(f.strip() for f in extra):
            what = "cells" if table.unit == "row" else "fields"
            fix = (
                f". Quote fields that contain a {DELIMITER_NAMES[table.delimiter]}"
                if table.delimiter in DELIMITER_NAMES
                else " (delete what is in the other columns, or map the columns with --map)"
            )
            raise CsvError(
                f"{table.where(line)}: {len(fields)} {what}, but there are only {len(columns)} columns "
                f"({', '.join(COLUMN_TITLES[c] for c in columns)}){fix}"
            )
        fields = fields[: len(columns)]
    elif len(fields) < len(columns):
        missing = columns[len(fields):]
        required = [COLUMN_TITLES[c] for c in missing if c in REQUIRED_COLUMNS]
        if required:
            what = "cell" if table.unit == "row" else "field"
            how = f"; delimiter: {DELIMITER_NAMES[table.delimiter]}" if table.delimiter in DELIMITER_NAMES else ""
            raise CsvError(
                f"{table.where(line)}: only {len(fields)} {what}{'s' if len(fields) != 1 else ''}; "
                f"{' and '.join(required)} {'is' if len(required) == 1 else 'are'} missing "
                f"(columns: {', '.join(COLUMN_TITLES[c] for c in columns)}{how})"
            )
        fields = fields + [""] * len(missing)
    return [unneutralise(f) if f[:1] == "'" else f for f in fields]  # only a leading ' can change


def _quote_problem(name: str, start: int, end: int, reason: str) -> str:
    where = f"{name}, line {start}"
    if "unexpected end of data" in reason:
        return f"{where}: a quoted field starts here but its closing quote is missing (unterminated quote)"
    if "expected after" in reason:
        span = f" and runs to line {end}" if end != start else ""
        return (
            f"{where}: a quoted field starts here{span}, but a quote inside it is not doubled "
            '(write "" for a quote inside quotes) or its closing quote is missing'
        )
    if "new-line character" in reason:
        return f"{where}: a line ends with a lone carriage return; save the file with Windows or Unix line endings"
    if "field larger than field limit" in reason:
        return f"{where}: a field is longer than {csv.field_size_limit():,} characters (is a quote not closed?)"
    return f"{where}: cannot be read as CSV ({reason})"
