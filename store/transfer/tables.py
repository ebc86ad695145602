"""Tables from the files people have: CSV, .xlsx, .xls and .ods, recognised by their content.

``read_table(source, sheet=None)`` gives a ``RawTable``: the cells of each non-blank row as text,
with the row's number as the user sees it (the line of a CSV file, the row of a sheet), and
``place(row, column)`` to name a cell in messages ("sheet Contacts, row 5, column B"). It knows
nothing of contacts: the contacts import (``store.transfer.mapping``) and other readers of lists of
numbers build on it.

``detect_kind`` looks at the bytes, not the name: a zip holding ``xl/workbook.xml`` is .xlsx, a
zip whose ``mimetype`` says so is .ods, an OLE2 compound file (D0 CF 11 E0) is .xls, text
starting with BEGIN:VCARD is a vCard file; everything else is read as CSV, which refuses what is
not text. The name's extension only words the message when the content is not what it claims.

Spreadsheets are read with python-calamine (Rust; about 15 times faster than openpyxl on 100,000
rows, and it reads all three formats). Cells become text as the user typed them:

- numbers: an integer-valued number (4155550123.0, shown as 4.16E+09 by Excel) is its digits; a
  number with decimals or too large to be held exactly (2**53 and up, more digits than any phone)
  becomes Python's repr ("4155550123.5", "1.2e+16"), which the phone rule refuses by name;
- formula cells: the value the spreadsheet app computed and saved with the file (what the user
  sees); a formula never computed (files written by some programs) reads as an empty cell;
- text is kept as it is, including text that starts with "=" (it is text, not a formula; the
  export neutralises it), and booleans read TRUE/FALSE, dates ISO 8601.

Hostile files are refused before they are loaded: bigger than the CSV byte limit, zips that
unpack to more than ``MAX_UNPACKED``, and sheets whose used range spans more than ``MAX_CELLS``
cells (two cells at A1 and XFD1048576 span 17 billion, and the reader would allocate them all).

Length (over 300 lines): recognising the format and the readers of four formats with their error
wording; each reader is short, and together they are one job (a file to a ``RawTable``).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree

from store.transfer.csv_format import MAX_BYTES, MAX_ROWS, CsvError, CsvSource, check_spans, raw_rows
from store.rules.text import printable
from store.wording import plural

MAX_CELLS = 10_000_000
MAX_UNPACKED = 512 * 1024 * 1024
EXACT_LIMIT = 2**53  # every integer below it is exact in a float; a phone has at most 15 digits

KIND_NAMES = {
    "csv": "CSV",
    "xlsx": "Excel workbook (.xlsx)",
    "xls": "old Excel workbook (.xls)",
    "ods": "OpenDocument spreadsheet (.ods)",
    "vcard": "vCard file",
}
SHEET_KINDS = ("xlsx", "xls", "ods")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class TableError(CsvError):
    """The file cannot be read as a table. The message names the file and, where known, the place."""


@dataclass
class RawTable:
    source: str
    kind: str  # csv, xlsx, xls, ods
    sheet: str | None  # the sheet read (None for CSV)
    sheets: tuple[str, ...]  # every sheet of the workbook
    rows: list[tuple[int, list[str]]]  # (line or row number, cells as text), blank rows left out
    delimiter: str = ""  # CSV's delimiter; "" for a sheet
    # Number cells that cannot be the digits the user typed: (row, column index) -> why
    inexact: dict[tuple[int, int], str] = field(default_factory=dict)
    # CSV records over several lines (read with ``multiline``): first line -> last line
    spans: dict[int, int] = field(default_factory=dict)

    def check_spans(self, read: list[int] | None) -> None:
        """Refuse a CSV record over several lines unless its line breaks are only in columns
        the import leaves out; ``read``: the indexes of the columns it reads (None: all)."""
        check_spans(self.source, self.delimiter, self.rows, self.spans, read)

    @property
    def unit(self) -> str:
        return "line" if self.kind == "csv" else "row"

    def place(self, number: int, column: int | None = None) -> str:
        """ "line 4" for CSV; "sheet Contacts, row 4, column B" for a sheet."""
        if self.kind == "csv":
            return f"line {number}" + (f", field {column + 1}" if column is not None else "")
        where = f"sheet {self.sheet}, row {number}"
        return where + (f", column {column_letter(column)}" if column is not None else "")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- recognising the format ------------------------------------------------------------------


def detect_kind(source: CsvSource) -> str:
    """csv, xlsx, xls, ods or vcard, from the first bytes (and a zip's contents)."""
    with source.open(MAX_BYTES) as stream:
        head = stream.read(4096)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            return "xls"
        if head.startswith(b"PK\x03\x04"):
            stream.seek(0)
            return _zip_kind(stream, source.name)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if text[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    return "csv"


def _zip_kind(stream: Any, name: str) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
        raise TableError(f"{name} looks like a spreadsheet workbook (.xlsx or .ods, which are zip files) but cannot be read: {_reason(exc)}") from None
    raise TableError(
        f"{name} is a zip file, but not a spreadsheet (.xlsx or .ods) this app can read; "
        "open it in your spreadsheet and save it as .xlsx, .ods or CSV UTF-8"
    )


# -- reading ----------------------------------------------------------------------------------


def read_table(
    source: CsvSource,
    *,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
    max_cells: int = MAX_CELLS,
    kind: str | None = None,
    multiline: bool = False,
    header_rows: int = 0,
) -> RawTable:
    """The non-blank rows of a CSV file or of one sheet (the first visible one, or ``sheet``).
    A CSV record over several lines is refused, unless ``multiline``: then the caller decides
    (``RawTable.check_spans``), once it knows which columns it reads. ``header_rows`` more rows
    than ``max_rows`` are read, for a header the caller may find (the refusal names ``max_rows``)."""
    if kind is None:
        source = source.rereadable(MAX_BYTES)
        kind = detect_kind(source)
    if kind == "vcard":
        raise TableError(f"{source.name} is a vCard file, not a table")
    if kind == "csv":
        if sheet is not None:
            raise TableError(f"{source.name} is CSV, which has no sheets; leave out the sheet name")
        spans: dict[int, int] | None = {} if multiline else None
        delimiter, rows = raw_rows(source, max_rows=max_rows, spans=spans, header_rows=header_rows)
        return RawTable(source.name, "csv", None, (), rows, delimiter, spans=spans or {})
    with source.open(MAX_BYTES) as stream:
        data = stream.read()
    return _read_sheet(source.name, kind, data, sheet, max_rows, max_cells, header_rows)


def _read_sheet(
    name: str, kind: str, data: bytes, wanted: str | None, max_rows: int, max_cells: int, header_rows: int = 0
) -> RawTable:
    from python_calamine import CalamineWorkbook

    what = KIND_NAMES[kind]
    if kind in ("xlsx", "ods"):
        _check_extent(name, kind, data, max_cells)  # before the reader allocates anything
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine's errors (zip, XML, CFB, password) carry no common base we may rely on
        raise TableError(f"{name} cannot be read as an {what}: {_reason(exc)}") from None
    try:
        names = tuple(book.sheet_names)
        title = _choose_sheet(name, book, names, wanted)
        try:
            cells = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except Exception as exc:
            raise TableError(f"{name}, sheet {title} cannot be read: {_reason(exc)}") from None
    finally:
        book.close()
    rows: list[tuple[int, list[str]]] = []
    inexact: dict[tuple[int, int], str] = {}
    for number, row in enumerate(cells, start=1):
        texts = [cell_text(value) for value in row]
        if not any(t.strip() for t in texts):
            continue
        for column, value in enumerate(row):
            if type(value) is float and not (value.is_integer() and abs(value) < EXACT_LIMIT):
                inexact[number, column] = inexact_number(value)
        if len(rows) >= max_rows + header_rows:
            raise TableError(f"{name}, sheet {title} has more than {plural(max_rows, 'row')}, the import limit; split it")
        rows.append((number, texts))
    return RawTable(name, kind, title, names, rows, inexact=inexact)


def _reason(exc: BaseException) -> str:
    text = printable(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    return text[:200]


def _choose_sheet(name: str, book: Any, names: tuple[str, ...], wanted: str | None) -> str:
    if not names:
        raise TableError(f"{name} has no sheets")
    if wanted is None:
        visible = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible") and m.name in names]
        return visible[0] if visible else names[0]
    if wanted in names:
        return wanted
    folded = [n for n in names if n.casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(printable(n) for n in names)
    raise TableError(f"{name} has no sheet named '{printable(wanted)}'; its sheets are: {listed}")


def inexact_number(value: float) -> str:
    """Why a number cell cannot be read as the digits of a phone."""
    if value.is_integer():
        return (
            f"{value:.6g} is a number too large to be held exactly, so digits were lost: format the column "
            "as Text in the spreadsheet and type the numbers again"
        )
    return f"{value!r} is a number with decimals, not a phone number: format the column as Text in the spreadsheet"


def cell_text(value: Any) -> str:
    """A cell as the text the user typed (see the module doc for numbers)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_LIMIT:
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# -- the used range, before the reader allocates it ------------------------------------------------

_XLSX_TAG = re.compile(rb'<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>')
_REF = re.compile(rb'\br="([A-Za-z]{0,3})([0-9]*)"')
_ODS_TAG = re.compile(rb'<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>')
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'\btable:number-rows-repeated="([0-9]+)"')
_COLUMNS_REPEATED = re.compile(rb'\btable:number-columns-repeated="([0-9]+)"')
_VALUE_TYPE = re.compile(rb"\boffice:value-type=")


def _check_extent(name: str, kind: str, data: bytes, max_cells: int) -> None:
    """Refuse a zip that unpacks to too much, or any sheet spanning more than ``max_cells``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED:
                raise TableError(
                    f"{name} unpacks to {unpacked / 2**20:,.0f} MB, more than the import limit of "
                    f"{MAX_UNPACKED / 2**20:,.0f} MB; split it into smaller files"
                )
            if kind == "xlsx":
                spans = [(title, _xlsx_span(archive.read(part), max_cells)) for title, part in _xlsx_sheet_parts(archive)]
            else:
                spans = _ods_spans(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, ElementTree.ParseError) as exc:
        raise TableError(f"{name} cannot be read as an {KIND_NAMES[kind]}: {_reason(exc)}") from None
    for title, (rows, columns) in spans:
        if rows * columns > max_cells:
            raise TableError(
                f"{name}, sheet {printable(title)} spans {plural(rows, 'row')} and {plural(columns, 'column')} "
                f"({rows * columns:,} cells), more than the import limit of {max_cells:,} cells. Delete "
                "the unused rows and columns, or copy the contacts to a new workbook"
            )


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every worksheet, from the workbook and its relations."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
    members = set(archive.namelist())
    parts = []
    for sheet in book.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if path in members:
            parts.append((sheet.get("name") or "", path))
    return parts


_ANY_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:[\w.-]+:)?c\s[^>]*?\br="([A-Z]{1,3})[0-9]+"')
_ROW_REF = re.compile(rb'<(?:[\w.-]+:)?row\s[^>]*?\br="([0-9]+)"')


def _xlsx_bound(xml: bytes) -> tuple[int, int] | None:
    """A quick upper bound of ``_xlsx_span`` when every row and cell names its place (as Excel
    and LibreOffice write them), counting empty cells too; None when some do not."""
    rows = _ROW_REF.findall(xml)
    cells = _CELL_REF.findall(xml)
    if len(rows) != xml.count(b"<row") or len(cells) != len(_ANY_CELL.findall(xml)):
        return None
    columns = set(cells)
    return max(map(int, rows), default=0), max(map(_column_index, columns), default=-1) + 1


def _xlsx_span(xml: bytes, max_cells: int = MAX_CELLS) -> tuple[int, int]:
    bound = _xlsx_bound(xml)
    if bound is not None and bound[0] * bound[1] <= max_cells:
        return bound
    return _xlsx_used(xml)


def _xlsx_used(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the last cell holding anything (the reader pads the rows from A1),
    placing cells as a reader does: by their reference, or next to the previous one when it has none."""
    row = col = -1
    high_row = high_col = -1
    for match in _XLSX_TAG.finditer(xml):
        tag, attrs, closed = match.groups()
        ref = _REF.search(attrs)
        if tag == b"row":
            row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
            col = -1
            continue
        if ref and ref.group(1):
            col = _column_index(ref.group(1))
            if ref.group(2):
                row = int(ref.group(2)) - 1
        else:
            col += 1
        if closed:
            continue  # an empty cell (formatting only)
        high_row, high_col = max(high_row, row), max(high_col, col)
    return high_row + 1, high_col + 1


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index - 1


def _ods_spans(xml: bytes) -> list[tuple[str, tuple[int, int]]]:
    """(sheet name, (rows, columns)) of each table's range of cells holding anything, counting
    repeated rows and cells as a reader expands them."""
    spans: list[tuple[str, tuple[int, int]]] = []
    table = ""
    row = col = 0
    repeat_rows = 1
    high_row = high_col = 0
    for match in _ODS_TAG.finditer(xml):
        closing, tag, attrs, closed = match.groups()
        if tag == b"table":
            if closing:
                spans.append((table, (high_row, high_col)))
            elif not closed:
                found = _ODS_NAME.search(attrs)
                table = found.group(1).decode("utf-8", "replace") if found else ""
                row = col = high_row = high_col = 0
            continue
        if tag == b"table-row":
            if not closing:
                found = _ROWS_REPEATED.search(attrs)
                repeat_rows = int(found.group(1)) if found else 1
                col = 0
            if closing or closed:
                row += repeat_rows
            continue
        if closing:
            continue
        found = _COLUMNS_REPEATED.search(attrs)
        repeat_cols = int(found.group(1)) if found else 1
        if not closed or _VALUE_TYPE.search(attrs):
            high_row = max(high_row, row + repeat_rows)
            high_col = max(high_col, col + repeat_cols)
        col += repeat_cols
    return spans
