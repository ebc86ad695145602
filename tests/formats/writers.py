"""Real spreadsheet and vCard files for the tests, written by the libraries made to write them
(openpyxl for .xlsx, odfpy for .ods, xlwt for .xls, vobject for .vcf): never hand-made bytes,
except where a test needs a file no well-behaved writer makes (and says so)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Iterable, Sequence

Rows = Iterable[Sequence[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows], *, text_cells: Iterable[tuple[str, str]] = ()) -> Path:
    """An .xlsx with the sheets in order. ``text_cells`` are (sheet, "A7") cells to store as text
    even when they start with "=" (openpyxl otherwise writes them as formulas)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    for title, ref in text_cells:
        book[title][ref].data_type = "s"
    book.save(path)
    return path


def with_cached_values(path: Path, values: dict[str, str]) -> Path:
    """Give formula cells of the first sheet the value a spreadsheet app saves with them
    (openpyxl writes the formula only; Excel and LibreOffice also save its last result)."""
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        start = xml.index(f'<c r="{ref}"')
        end = xml.index("</c>", start)
        xml = xml[:end] + f"<v>{value}</v>" + xml[end:]
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def write_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    """An .ods; a cell given as ("of:=...", value) is a formula with its saved value, and
    ("repeat", value, columns, rows) a cell repeated as LibreOffice stores runs of equal cells
    (value None: a run of empty cells), ("covered",) a cell under a merged one and ("bare", number)
    a number cell without its shown text."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for title, rows in sheets.items():
        table = Table(name=title)
        for row in rows:
            repeat_rows = 1
            tr = TableRow()
            for value in row:
                if value == ("covered",):  # a cell hidden under a merged one
                    cell = CoveredTableCell()
                elif isinstance(value, tuple) and value[0] == "bare":  # a number with no text shown
                    cell = TableCell(valuetype="float", value=value[1])
                elif isinstance(value, tuple) and value[0] == "repeat" and value[1] is None:
                    _, _, columns, repeat_rows = value  # a run of empty cells, as LibreOffice pads a sheet
                    cell = TableCell(numbercolumnsrepeated=columns)
                elif isinstance(value, tuple) and value[0] == "repeat":
                    _, value, columns, repeat_rows = value
                    cell = TableCell(valuetype="string", numbercolumnsrepeated=columns)
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, tuple):
                    cell = TableCell(valuetype="float", value=value[1], formula=value[0])
                    cell.addElement(P(text=str(value[1])))
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                elif value is None:
                    cell = TableCell()
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            if repeat_rows > 1:
                tr.setAttribute("numberrowsrepeated", repeat_rows)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_xls(path: Path, sheets: dict[str, Rows]) -> Path:
    import xlwt

    book = xlwt.Workbook()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def vcard(
    name: str | None = None,
    *,
    family: str = "",
    given: str = "",
    tels: Sequence[tuple[str, Sequence[str]]] = (),
    emails: Sequence[str] = (),
    version: str = "3.0",
) -> str:
    """One card serialised by vobject."""
    import vobject

    card = vobject.vCard()
    card.add("version").value = version
    if name is not None:
        card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    for number, types in tels:
        tel = card.add("tel")
        tel.value = number
        if types:
            tel.type_param = list(types) if len(types) > 1 else types[0]
    for address in emails:
        card.add("email").value = address
    return card.serialize()
