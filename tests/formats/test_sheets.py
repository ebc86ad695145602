"""Spreadsheets (.xlsx, .ods, .xls) import like CSV: same rules and messages, with sheet, row
and column where CSV says line. Every file here is written by a library that writes the format."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from store import StoreError
from store.transfer.csv_format import CsvSource
from store.transfer.exporter import write_csv
from store.transfer.importer import ImportRefused, import_csv, preview
from store.transfer.tables import RawTable, TableError, detect_kind, read_table

from ..csv.helpers import stored
from .writers import with_cached_values, write_ods, write_xls, write_xlsx

HEADER = ["Full Name", "Phone", "Email"]
ANN = ("Ann Lee", "+14155550132", "ann@example.com")
BOB = ("Bob Stone", "+14155550147", None)


def source(path: Path) -> CsvSource:
    return CsvSource.from_path(path)


@pytest.mark.parametrize("writer,suffix", [(write_xlsx, "xlsx"), (write_ods, "ods"), (write_xls, "xls")])
def test_each_spreadsheet_format_imports_with_phones_stored_as_numbers(store, tmp_path, writer, suffix):
    path = writer(
        tmp_path / f"people.{suffix}",
        {"Contacts": [HEADER, ["Ann Lee", 4155550132, "ann@example.com"], ["Bob Stone", 4155550147.0, None]]},
    )
    plan = import_csv(store, source(path), skip_first_line=True)
    assert stored(store) == [ANN, BOB]
    assert plan.rows_read == 2 and plan.header_used
    assert "sheet Contacts" in plan.summary()


def test_format_is_recognised_by_content_not_name(tmp_path):
    xlsx = write_xlsx(tmp_path / "really-a-workbook.csv", {"S": [HEADER]})
    ods = write_ods(tmp_path / "export.dat", {"S": [HEADER]})
    xls = write_xls(tmp_path / "old", {"S": [HEADER]})
    text = tmp_path / "plain.xlsx"
    text.write_text("Ann Lee,4155550132\n", encoding="utf-8")
    card = tmp_path / "card.txt"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n", encoding="utf-8")
    kinds = [detect_kind(source(p)) for p in (xlsx, ods, xls, text, card)]
    assert kinds == ["xlsx", "ods", "xls", "csv", "vcard"]


def test_a_zip_that_is_not_a_spreadsheet_is_refused_saying_so(store, unchanged, tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("cat.jpg", b"\xff\xd8 not really")
    with unchanged(), pytest.raises(StoreError, match="zip file, but not a spreadsheet"):
        import_csv(store, source(path), skip_first_line=True)


def test_a_truncated_workbook_is_refused(store, unchanged, tmp_path):
    path = write_xlsx(tmp_path / "cut.xlsx", {"S": [HEADER, ["Ann Lee", 4155550132, None]]})
    path.write_bytes(path.read_bytes()[:300])
    with unchanged(), pytest.raises(StoreError, match="cut.xlsx.*cannot be read"):
        import_csv(store, source(path), skip_first_line=True)


def test_problems_name_the_sheet_row_and_column(store, unchanged, tmp_path):
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        {"Contacts": [HEADER, ["Ann Lee", 4155550132, None], [], ["Bob", "12345", "not-an-email"]]},
    )
    with unchanged(), pytest.raises(ImportRefused) as info:
        import_csv(store, source(path), skip_first_line=True)
    message = str(info.value)
    assert "sheet Contacts, row 4, column B (Phone): Phone '12345' is too short" in message
    assert "sheet Contacts, row 4, column C (Email): Email 'not-an-email' is not valid" in message


def test_second_sheet_by_name_and_an_unknown_sheet_lists_the_sheets(store, unchanged, tmp_path):
    path = write_xlsx(
        tmp_path / "book.xlsx", {"Notes": [["just notes"]], "People": [HEADER, ["Ann Lee", "415 555 0132", "ann@example.com"]]}
    )
    with unchanged(), pytest.raises(StoreError, match="no sheet named 'Staff'; its sheets are: Notes, People"):
        import_csv(store, source(path), skip_first_line=True, sheet="Staff")
    import_csv(store, source(path), skip_first_line=True, sheet="People")
    assert stored(store) == [ANN]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(tmp_path):
    path = write_xlsx(tmp_path / "gaps.xlsx", {"S": [HEADER, [], ["Ann Lee", 4155550132, None], [], ["Bob", 1, None]]})
    table = read_table(source(path))
    assert [number for number, _ in table.rows] == [1, 3, 5]
    assert table.rows[1][1][:2] == ["Ann Lee", "4155550132"]
    assert table.place(5, 1) == "sheet S, row 5, column B"


@pytest.mark.parametrize(
    "number,expected",
    [
        (4155550132.5, "is a number with decimals"),
        (1.2345678901234568e16, "is a number too large to be held exactly"),
    ],
)
def test_numbers_that_lost_digits_are_refused(store, unchanged, tmp_path, number, expected):
    path = write_xlsx(tmp_path / "n.xlsx", {"S": [HEADER, ["Ann Lee", number, None]]})
    with unchanged(), pytest.raises(ImportRefused, match=expected):
        import_csv(store, source(path), skip_first_line=True)


def test_scientific_notation_text_is_refused_in_csv_too(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as info:
        import_csv(store, CsvSource.from_text("Ann Lee,1.41555E+10\n"))
    assert "line 1, Phone: Phone '1.41555E+10' is in scientific notation" in str(info.value)
    assert "format the column as Text" in str(info.value)


def test_formula_cells_use_the_value_the_spreadsheet_saved(store, tmp_path):
    xlsx = write_xlsx(tmp_path / "f.xlsx", {"S": [HEADER, ["Ann Lee", "=A1", None]]})
    with_cached_values(xlsx, {"B2": "4155550132"})
    ods = write_ods(tmp_path / "f.ods", {"S": [HEADER, ["Bob Stone", ("of:=[.B1]", 4155550147.0), None]]})
    import_csv(store, source(xlsx), skip_first_line=True)
    import_csv(store, source(ods), skip_first_line=True)
    assert [c[:2] for c in stored(store)] == [ANN[:2], BOB[:2]]


def test_a_formula_never_computed_is_an_empty_cell_and_refused(store, unchanged, tmp_path):
    path = write_xlsx(tmp_path / "raw.xlsx", {"S": [HEADER, ["Ann Lee", "=CONCAT(\"415\",\"5550132\")", None]]})
    with unchanged(), pytest.raises(ImportRefused, match="row 2, column B \\(Phone\\): Phone is required"):
        import_csv(store, source(path), skip_first_line=True)


def test_text_that_looks_like_a_formula_is_kept_as_text_and_neutralised_on_export(store, tmp_path):
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {"S": [HEADER, ['=HYPERLINK("http://x","y")', 4155550132, None]]},
        text_cells=[("S", "A2")],
    )
    import_csv(store, source(path), skip_first_line=True)
    assert [c.name for c in store.contacts()] == ['=HYPERLINK("http://x","y")']
    import io

    out = io.StringIO()
    write_csv(store, out, None)
    assert "'=HYPERLINK" in out.getvalue()


def test_a_huge_sparse_sheet_is_refused_before_it_is_loaded(store, unchanged, tmp_path):
    """Two cells, at A1 and XFD1048576: a reader that allocated the whole range would need
    17 billion cells (python-calamine aborts the process on it)."""
    path = tmp_path / "sparse.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Ann Lee"
    book.active["XFD1048576"] = "far away"
    book.save(path)
    with unchanged(), pytest.raises(TableError, match="more than the import limit of 10,000,000 cells"):
        import_csv(store, source(path), skip_first_line=True)


def test_a_huge_repeated_ods_range_is_refused(store, unchanged, tmp_path):
    path = write_ods(tmp_path / "rep.ods", {"S": [HEADER, [("repeat", "x", 16000, 1_000_000)]]})
    with unchanged(), pytest.raises(TableError, match="import limit of 10,000,000 cells"):
        import_csv(store, source(path), skip_first_line=True)


def test_too_many_rows_are_refused_like_csv(tmp_path):
    path = write_xlsx(tmp_path / "many.xlsx", {"S": [["Ann", str(n)] for n in range(30)]})
    assert len(read_table(source(path), max_rows=30).rows) == 30
    with pytest.raises(TableError, match="more than 29 rows, the import limit"):
        read_table(source(path), max_rows=29)


def test_an_empty_sheet_has_no_contact_rows(store, unchanged, tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", {"S": [HEADER]})
    with unchanged(), pytest.raises(StoreError, match="has a header line but no contact rows"):
        import_csv(store, source(path), skip_first_line=True)


def test_without_skip_the_header_row_gets_the_same_hint_as_csv(store, unchanged, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", {"S": [HEADER, ["Ann Lee", 4155550132, None]]})
    with unchanged(), pytest.raises(ImportRefused, match="turn on Skip First Line"):
        import_csv(store, source(path))


def test_preview_says_which_sheet(store, tmp_path):
    path = write_ods(tmp_path / "p.ods", {"Leads": [HEADER, ["Ann Lee", 4155550132, "ann@example.com"]]})
    plan = preview(store, source(path), skip_first_line=True)
    assert "ods sheet Leads" in plan.summary(done=False) and store.count() == 0
    assert plan.preview_rows[0]["line"] == 2


def _claiming_size(path: Path, member: str, size: int) -> Path:
    """The zip at ``path`` with ``member``'s unpacked size in the central directory set to
    ``size``, as a zip bomb declares it (no writer makes such a file)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.index(b"PK\x01\x02")
    while True:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == name:
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return path
        extra = int.from_bytes(data[at + 30 : at + 32], "little") + int.from_bytes(data[at + 32 : at + 34], "little")
        at = data.index(b"PK\x01\x02", at + 46 + name_length + extra)


def test_a_workbook_that_unpacks_to_more_than_512_mb_is_refused_saying_how_much(store, unchanged, tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", {"S": [HEADER, ["Ann Lee", 4155550132, None]]})
    _claiming_size(path, "xl/worksheets/sheet1.xml", 600 * 2**20)
    with unchanged(), pytest.raises(TableError) as refused:
        import_csv(store, source(path), skip_first_line=True)
    assert str(refused.value) == (
        f"{path} unpacks to 600 MB, more than the import limit of 512 MB; split it into smaller files"
    )


def test_the_first_visible_sheet_is_read_when_none_is_named(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Old"
    book.active.append(["Old Ann", "4155550132"])
    book.active.sheet_state = "hidden"
    book.create_sheet("People").append(["Ann Lee", "4155550132"])
    book.save(tmp_path / "hidden.xlsx")
    table = read_table(source(tmp_path / "hidden.xlsx"))
    assert (table.sheet, table.sheets, table.rows) == ("People", ("Old", "People"), [(1, ["Ann Lee", "4155550132"])])


def test_a_sheet_name_is_found_whatever_its_case_and_surrounding_spaces_unless_two_fit(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"Notes": [["n"]], "People": [["Ann Lee", "4155550132"]]})
    assert read_table(source(path), sheet=" people ").sheet == "People"
    both = write_ods(tmp_path / "both.ods", {"People": [["a"]], "PEOPLE": [["b"]]})  # .xlsx cannot hold both
    assert read_table(source(both), sheet="PEOPLE").rows == [(1, ["b"])]
    with pytest.raises(TableError) as refused:
        read_table(source(both), sheet="people")
    assert str(refused.value) == f"{both} has no sheet named 'people'; its sheets are: People, PEOPLE"


def test_cells_read_as_the_user_typed_them_whatever_their_type(tmp_path):
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append([True, False, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5),
                        datetime.time(3, 4, 5), datetime.timedelta(hours=30), 12, -3.0, None, "x"])
    book.save(tmp_path / "types.xlsx")
    table = read_table(source(tmp_path / "types.xlsx"))
    assert table.rows == [(1, ["TRUE", "FALSE", "2024-01-02", "2024-01-02T03:04:05", "03:04:05", "1 day, 6:00:00",
                               "12", "-3", "", "x"])]
    assert table.inexact == {}


def test_a_place_names_csv_fields_by_number_and_sheet_columns_by_letters_past_z():
    csv = RawTable("f.csv", "csv", None, (), [])
    assert (csv.place(4), csv.place(4, 1), csv.unit) == ("line 4", "line 4, field 2", "line")
    sheet = RawTable("f.xlsx", "xlsx", "S", ("S",), [])
    letters = [sheet.place(7, n).removeprefix("sheet S, row 7, column ") for n in (0, 25, 26, 51, 52, 701, 702, 16383)]
    assert letters == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]
    assert (sheet.place(7), sheet.unit) == ("sheet S, row 7", "row")


@pytest.mark.parametrize("writer", [write_xlsx, write_ods])
def test_a_sheet_may_span_up_to_the_cell_limit_and_not_one_cell_more(tmp_path, writer):
    path = writer(tmp_path / f"six.{writer.__name__[-4:]}", {"S": [["a", "b", "c"], ["d", "e", "f"]]})
    assert len(read_table(source(path), max_cells=6).rows) == 2
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=5)
    assert str(refused.value) == (
        f"{path}, sheet S spans 2 rows and 3 columns (6 cells), more than the import limit of 5 cells. "
        "Delete the unused rows and columns, or copy the contacts to a new workbook"
    )


def test_formatted_empty_cells_do_not_count_towards_the_cell_limit(tmp_path):
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.active.append(["Ann Lee", "4155550132"])
    book.active["Z1000"].font = Font(bold=True)
    book.save(tmp_path / "styled.xlsx")
    assert read_table(source(tmp_path / "styled.xlsx"), max_cells=2).rows == [(1, ["Ann Lee", "4155550132"])]
    ods = write_ods(tmp_path / "padded.ods", {"S": [["Ann Lee", "4155550132", ("repeat", None, 1000, 1)],
                                                   [("repeat", None, 1000, 1000)]]})
    assert read_table(source(ods), max_cells=2).rows == [(1, ["Ann Lee", "4155550132"])]


def test_repeated_ods_rows_and_cells_count_as_often_as_they_repeat_in_every_sheet(tmp_path):
    path = write_ods(tmp_path / "rep.ods", {"A": [["a", "b"], ["c", "d"]], "B": [["a", "b"], [("repeat", "x", 3, 4)]]})
    assert len(read_table(source(path), max_cells=15).rows) == 2
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=14)
    assert str(refused.value).startswith(f"{path}, sheet B spans 5 rows and 3 columns (15 cells), more than")


def test_files_that_cannot_be_read_as_what_they_look_like_are_refused_saying_why(tmp_path):
    cut = write_xlsx(tmp_path / "cut.xlsx", {"S": [HEADER]})
    cut.write_bytes(cut.read_bytes()[:300])
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"junk" * 100)
    book = write_xlsx(tmp_path / "book.xlsx", {"S": [HEADER]})
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/workbook.xml"] = b"<workbook"
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    messages = []
    for path in (cut, old, broken):
        with pytest.raises(TableError) as refused:
            read_table(source(path))
        messages.append(str(refused.value))
    assert messages[0] == (
        f"{cut} looks like a spreadsheet workbook (.xlsx or .ods, which are zip files) but cannot be read: File is not a zip file"
    )
    import io

    from python_calamine import CalamineWorkbook

    with pytest.raises(Exception) as reader:
        CalamineWorkbook.from_filelike(io.BytesIO(old.read_bytes()))
    assert messages[1] == f"{old} cannot be read as an old Excel workbook (.xls): {str(reader.value).strip().splitlines()[0]}"
    assert messages[2] == f"{broken} cannot be read as an Excel workbook (.xlsx): unclosed token: line 1, column 0"


def test_a_vcard_after_a_byte_order_mark_and_blank_lines_is_no_table_and_csv_has_no_sheets(tmp_path):
    card = tmp_path / "card.txt"
    card.write_bytes(b"\xef\xbb\xbf \r\n\tbegin:vcard\r\nFN:Ann\r\nEND:VCARD\r\n")
    assert detect_kind(source(card)) == "vcard"
    with pytest.raises(TableError) as refused:
        read_table(source(card))
    assert str(refused.value) == f"{card} is a vCard file, not a table"
    with pytest.raises(TableError) as refused:
        read_table(CsvSource.from_text("Ann,4155550132\n"), sheet="S")
    assert str(refused.value) == "pasted text is CSV, which has no sheets; leave out the sheet name"


def test_a_workbook_that_unpacks_to_exactly_512_mb_is_read(tmp_path):
    from store.transfer.tables import MAX_UNPACKED

    path = write_xlsx(tmp_path / "big.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    with zipfile.ZipFile(path) as z:
        rest = sum(info.file_size for info in z.infolist() if info.filename != "docProps/app.xml")
    _claiming_size(path, "docProps/app.xml", MAX_UNPACKED - rest)  # a part the reader does not read
    assert read_table(source(path)).rows == [(1, ["Ann Lee", "4155550132"])]


def test_a_workbook_with_every_sheet_hidden_reads_its_first_sheet(tmp_path):
    """No spreadsheet app saves such a file (one sheet must stay visible), but a file can say so."""
    path = write_xlsx(tmp_path / "hidden.xlsx", {"First": [["Ann Lee", "4155550132"]], "Second": [["Bob", "4155550133"]]})
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'state="visible"', b'state="hidden"')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    table = read_table(source(path))
    assert (table.sheet, table.rows) == ("First", [(1, ["Ann Lee", "4155550132"])])


def _with_part(path: Path, member: str, change) -> Path:
    """The zip at ``path`` with ``member`` rewritten by ``change`` (bytes -> bytes): for files some
    programs write but the writers used here do not."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_rows_and_cells_without_a_reference_are_counted_where_a_reader_puts_them(tmp_path):
    import re

    path = write_xlsx(tmp_path / "norefs.xlsx", {"S": [["a", "b", "c"], [], [], [None, "x", "w"], ["y", "z"]]})

    def drop_refs(xml: bytes) -> bytes:  # row 5 and cell C4 without r="...", as some writers leave them
        xml = re.sub(rb'<row r="5"([^>]*)>', rb"<row\1>", xml)
        return re.sub(rb' r="(C4|A5|B5)"', b"", xml)

    _with_part(path, "xl/worksheets/sheet1.xml", drop_refs)
    table = read_table(source(path), max_cells=15)
    assert [(number, cells[:3]) for number, cells in table.rows] == [(1, ["a", "b", "c"]), (4, ["", "x", "w"]), (5, ["y", "z", ""])]
    with pytest.raises(TableError, match=r"sheet S spans 5 rows and 3 columns \(15 cells\)"):
        read_table(source(path), max_cells=14)


@pytest.mark.parametrize("relative", [False, True])
def test_every_sheet_of_a_workbook_is_held_to_the_cell_limit_not_only_the_one_read(tmp_path, relative):
    path = write_xlsx(tmp_path / "two.xlsx", {"S": [["a"]], "T": [["a", "b", "c"], ["d", "e", "f"]]})
    if relative:  # as Excel writes them: relative to xl/
        _with_part(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(b'Target="/xl/', b'Target="'))
    assert read_table(source(path), max_cells=6).rows == [(1, ["a"])]
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=5)
    assert str(refused.value).startswith(f"{path}, sheet T spans 2 rows and 3 columns (6 cells), more than")


def test_whole_numbers_are_digits_up_to_2_to_the_53_and_larger_ones_are_named_as_inexact(tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", {"S": [[" ", "  "], [2**53 - 1, -(2**53 - 1), 2**53, -(2**53), 12.0], ["\t"]]})
    table = read_table(source(path))
    assert table.rows == [(2, ["9007199254740991", "-9007199254740991", "9007199254740992.0", "-9007199254740992.0", "12"])]
    lost = "is a number too large to be held exactly, so digits were lost: format the column as Text in the " \
           "spreadsheet and type the numbers again"
    assert table.inexact == {(2, 2): f"9.0072e+15 {lost}", (2, 3): f"-9.0072e+15 {lost}"}


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip holding ``members``: only the parts that tell the format apart (hand-made on purpose)."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_formats_are_told_apart_by_their_parts(tmp_path):
    binary = _zip(tmp_path / "book.xlsb", {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
    ods = _zip(tmp_path / "sheet", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet\n", "content.xml": b"<x/>"})
    text = _zip(tmp_path / "letter.odt", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert [detect_kind(source(binary)), detect_kind(source(ods))] == ["xlsx", "ods"]
    with pytest.raises(TableError) as refused:
        detect_kind(source(text))
    assert str(refused.value) == (
        f"{text} is a zip file, but not a spreadsheet (.xlsx or .ods) this app can read; "
        "open it in your spreadsheet and save it as .xlsx, .ods or CSV UTF-8"
    )


@pytest.mark.parametrize("styled_far_cell", [False, True])
def test_columns_past_z_count_in_the_span_by_their_letters(tmp_path, styled_far_cell):
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.active["A1"] = "Ann Lee"
    book.active["AB2"] = "4155550132"  # column 28
    if styled_far_cell:  # empty and formatted: not counted, so the cells are placed one by one
        book.active["BZ100"].font = Font(bold=True)
    book.save(tmp_path / "wide.xlsx")
    assert len(read_table(source(tmp_path / "wide.xlsx"), max_cells=56).rows) == 2
    with pytest.raises(TableError, match=r"spans 2 rows and 28 columns \(56 cells\)"):
        read_table(source(tmp_path / "wide.xlsx"), max_cells=55)


def test_a_workbook_without_sheets_is_refused_saying_so(tmp_path):
    import re

    path = write_xlsx(tmp_path / "none.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "xl/workbook.xml", lambda xml: re.sub(rb"<sheet [^>]*/>", b"", xml))
    with pytest.raises(TableError) as refused:
        read_table(source(path))
    assert str(refused.value) == f"{path} has no sheets"


def test_an_ods_table_without_a_name_is_no_sheet(tmp_path):
    path = write_ods(tmp_path / "noname.ods", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "content.xml", lambda xml: xml.replace(b' table:name="S"', b""))
    with pytest.raises(TableError) as refused:
        read_table(source(path))
    assert str(refused.value) == f"{path} has no sheets"
    with pytest.raises(TableError) as refused:  # measured all the same, named by its empty name
        read_table(source(path), max_cells=1)
    assert str(refused.value).startswith(f"{path}, sheet  spans 1 row and 2 columns (2 cells), more than")


def test_an_oversized_ods_table_is_measured_and_named_even_when_its_name_is_not_utf8(tmp_path):
    """A hostile file is measured before it is read; a broken byte in a sheet name does not stop that."""
    path = write_ods(tmp_path / "badname.ods", {"Sé": [["Ann Lee", "4155550132"]]})
    _with_part(path, "content.xml", lambda xml: xml.replace("Sé".encode(), b"S\xe9"))
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=1)
    assert str(refused.value).startswith(f"{path}, sheet S\ufffd spans 1 row and 2 columns (2 cells), more than")


def test_ods_spans_count_merged_cells_empty_rows_between_and_number_cells_without_text(tmp_path):
    path = write_ods(tmp_path / "mix.ods", {
        "Merged": [["a", ("covered",), ("covered",), "b"]],
        "Gaps": [["c"], [("repeat", None, 5, 3)], [None, ("bare", 4155550132)]],
    })
    assert read_table(source(path), sheet="Gaps", max_cells=10).rows == [(1, ["c", ""]), (5, ["", "4155550132"])]
    messages = []
    for limit in (9, 3):
        with pytest.raises(TableError) as refused:
            read_table(source(path), max_cells=limit)
        messages.append(str(refused.value).split(", more than")[0])
    assert messages == [f"{path}, sheet Gaps spans 5 rows and 2 columns (10 cells)",
                        f"{path}, sheet Merged spans 1 row and 4 columns (4 cells)"]


def test_a_csv_record_over_several_lines_is_refused_unless_the_caller_takes_it_as_such():
    text = 'Ann,4155550132,"12 Main St\nApt 4"\nBob,4155550133\n'
    with pytest.raises(StoreError) as refused:
        read_table(CsvSource.from_text(text))
    assert str(refused.value) == "pasted text, line 1: a quoted field starts here and runs on to line 2; is its closing quote missing?"
    table = read_table(CsvSource.from_text(text), multiline=True)
    assert (table.source, table.kind, table.sheet, table.sheets, table.unit) == ("pasted text", "csv", None, (), "line")
    assert (table.rows, table.spans, table.delimiter) == (
        [(1, ["Ann", "4155550132", "12 Main St\nApt 4"]), (3, ["Bob", "4155550133"])], {1: 2}, ","
    )


def test_rows_and_columns_keep_their_sheet_numbers_when_the_top_left_is_empty(tmp_path):
    path = write_xlsx(tmp_path / "topleft.xlsx", {"S": [[], [None, "Ann Lee", 4155550132]]})
    assert read_table(source(path)).rows == [(2, ["", "Ann Lee", "4155550132"])]


def test_a_sheet_that_cannot_be_read_is_named_in_the_refusal(tmp_path):
    path = write_xlsx(tmp_path / "broken.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", b""))
    with pytest.raises(TableError) as refused:
        read_table(source(path))
    from python_calamine import CalamineWorkbook

    with pytest.raises(Exception) as reader:
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()
    assert str(refused.value) == f"{path}, sheet S cannot be read: {str(reader.value).strip().splitlines()[0]}"


def test_a_tall_empty_formatted_range_does_not_count_towards_the_cell_limit(tmp_path):
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.active.append(["Ann Lee", "4155550132"])
    book.active["A1000"].font = Font(bold=True)
    book.save(tmp_path / "tall.xlsx")
    assert read_table(source(tmp_path / "tall.xlsx"), max_cells=4).rows == [(1, ["Ann Lee", "4155550132"])]


def test_a_reader_error_is_shown_by_its_first_line_cut_to_200_characters_or_by_its_kind():
    from store.transfer.tables import _reason

    assert _reason(ValueError("unclosed token\n  at line 2")) == "unclosed token"
    assert _reason(ValueError("x" * 300)) == "x" * 200
    assert _reason(EOFError()) == _reason(EOFError("  ")) == "EOFError"


def test_an_empty_sheet_beside_others_spans_nothing(tmp_path):
    path = write_xlsx(tmp_path / "empty2.xlsx", {"S": [["Ann Lee", "4155550132"]], "Empty": []})
    assert read_table(source(path), max_cells=2).rows == [(1, ["Ann Lee", "4155550132"])]


def test_a_row_without_a_reference_is_placed_by_its_cells_references(tmp_path):
    path = write_xlsx(tmp_path / "rowref.xlsx", {"S": [["a"], [], [], [], ["b"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<row r="5"', b"<row"))
    assert read_table(source(path), max_cells=5).rows == [(1, ["a"]), (5, ["b"])]
    with pytest.raises(TableError, match=r"sheet S spans 5 rows and 1 column \(5 cells\)"):
        read_table(source(path), max_cells=4)


def test_a_sheet_listed_without_its_part_is_refused_as_the_reader_refuses_it(tmp_path):
    import io

    from python_calamine import CalamineWorkbook

    path = write_xlsx(tmp_path / "ghost.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "xl/workbook.xml", lambda xml: xml.replace(b"</sheets>", b'<sheet name="Ghost" sheetId="9" r:id="rId99" /></sheets>'))
    with pytest.raises(TableError) as refused:
        read_table(source(path))
    with pytest.raises(Exception) as reader:
        CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    assert str(refused.value) == f"{path} cannot be read as an Excel workbook (.xlsx): {str(reader.value).strip().splitlines()[0]}"


def test_a_csv_record_over_several_lines_is_refused_only_when_a_column_read_holds_the_line_break(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('Ann;4155550132;"12 Main St\nApt 4"\nBob;4155550133;x\n', encoding="utf-8")
    table = read_table(source(path), multiline=True)
    table.check_spans([0, 1])
    for read in (None, [2]):
        with pytest.raises(StoreError) as refused:
            table.check_spans(read)
        assert str(refused.value) == f"{path}, line 1: a quoted field starts here and runs on to line 2; is its closing quote missing?"


def test_a_sheet_without_any_reference_is_placed_cell_after_cell_row_after_row(tmp_path):
    import re

    path = write_xlsx(tmp_path / "plain.xlsx", {"S": [["a", "b", "c"], ["d", "e", "f"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb' r="[A-Z]*[0-9]+"', b"", xml))
    assert read_table(source(path), max_cells=6).rows == [(1, ["a", "b", "c"]), (2, ["d", "e", "f"])]
    with pytest.raises(TableError, match=r"sheet S spans 2 rows and 3 columns \(6 cells\)"):
        read_table(source(path), max_cells=5)


def test_cells_after_an_empty_formatted_cell_still_count_towards_the_cell_limit(tmp_path):
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.active["A1"] = "a"
    book.active["B1"].font = Font(bold=True)
    book.active["C3"] = "c"
    book.active["Z100"].font = Font(bold=True)
    book.save(tmp_path / "gaps.xlsx")
    assert len(read_table(source(tmp_path / "gaps.xlsx"), max_cells=9).rows) == 2
    with pytest.raises(TableError, match=r"spans 3 rows and 3 columns \(9 cells\)"):
        read_table(source(tmp_path / "gaps.xlsx"), max_cells=8)


def test_a_vcard_is_recognised_only_after_spaces_and_line_breaks_within_the_first_4096_bytes(tmp_path):
    def kind(data: bytes) -> str:
        path = tmp_path / "file.txt"
        path.write_bytes(data)
        return detect_kind(source(path))

    card = b"BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n"
    assert kind(b"\r\n" * 2042 + b" " + card) == "vcard"  # BEGIN:VCARD ends at byte 4096
    assert kind(b"\r\n" * 2043 + card) == "csv"
    assert [kind(b"\x0c" + card), kind(b"X" + card), kind(b"XBEGIN:VCARD\r\n")] == ["csv", "csv", "csv"]


def test_cells_without_a_reference_in_rows_with_one_are_counted_where_they_fall(tmp_path):
    path = write_xlsx(tmp_path / "cells.xlsx", {"S": [["a", "b", "c"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b' r="B1"', b"").replace(b' r="C1"', b""))
    assert read_table(source(path), max_cells=3).rows == [(1, ["a", "b", "c"])]
    with pytest.raises(TableError, match=r"sheet S spans 1 row and 3 columns \(3 cells\)"):
        read_table(source(path), max_cells=2)


def test_whole_numbers_an_old_excel_file_stores_as_integers_read_as_their_digits(tmp_path):
    path = write_xls(tmp_path / "ints.xls", {"S": [[12, -7, 4155550132, True]]})
    assert read_table(source(path)).rows == [(1, ["12", "-7", "4155550132", "TRUE"])]


def test_rows_without_a_reference_whose_cells_have_one_are_counted_by_the_cells(tmp_path):
    import re

    path = write_xlsx(tmp_path / "rows.xlsx", {"S": [["a", "b", "c"], ["d", "e", "f"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb'<row r="[0-9]+"', b"<row", xml))
    assert len(read_table(source(path), max_cells=6).rows) == 2
    with pytest.raises(TableError, match=r"sheet S spans 2 rows and 3 columns \(6 cells\)"):
        read_table(source(path), max_cells=5)


def test_a_missing_cell_is_empty_text_and_a_value_of_another_type_is_its_own_text():
    from decimal import Decimal

    from store.transfer.tables import cell_text

    assert (cell_text(None), cell_text(Decimal("4155550132")), cell_text(b"x".decode())) == ("", "4155550132", "x")


def test_an_oversized_xlsx_sheet_without_a_name_is_refused_by_its_empty_name(tmp_path):
    path = write_xlsx(tmp_path / "noname.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "xl/workbook.xml", lambda xml: xml.replace(b' name="S"', b""))
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=1)
    assert str(refused.value).startswith(f"{path}, sheet  spans 1 row and 2 columns (2 cells), more than")


def test_cells_without_a_reference_in_a_row_with_one_are_placed_in_that_row(tmp_path):
    path = write_xlsx(tmp_path / "rowonly.xlsx", {"S": [["a"], [], ["x", "y"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b' r="A3"', b"").replace(b' r="B3"', b""))
    assert read_table(source(path), max_cells=6).rows == [(1, ["a", ""]), (3, ["x", "y"])]
    with pytest.raises(TableError, match=r"sheet S spans 3 rows and 2 columns \(6 cells\)"):
        read_table(source(path), max_cells=5)


def test_a_number_cell_that_lost_digits_does_not_hide_the_problems_of_other_rows(store, unchanged, tmp_path):
    """Every row is checked: a row refused for a number cell that lost digits does not stop the
    rows after it from being read and their own problems listed."""
    rows = [HEADER, ["Ann Lee", 4155550132.5, None], ["Bob Stone", 4155550147, "not-an-email"], ["Cy Young", 4155550134, None]]
    path = write_xlsx(tmp_path / "n.xlsx", {"S": rows})
    with unchanged(), pytest.raises(ImportRefused) as info:
        import_csv(store, source(path), skip_first_line=True)
    assert [(p.line, p.field) for p in info.value.problems] == [(2, "column B (Phone)"), (3, "column C (Email)")]


_STRAY_CELL = b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


@pytest.mark.parametrize("stray", [b"<table:table-row>" + _STRAY_CELL + b"</table:table-row>", _STRAY_CELL])
def test_a_row_or_cell_before_the_first_ods_table_is_ignored_as_the_reader_ignores_it(tmp_path, stray):
    """Well-formed XML, though not what the ODF schema allows: the reader skips what is outside
    every table, and so does the measuring before it (no crash, nothing counted)."""
    path = write_ods(tmp_path / "stray.ods", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "content.xml", lambda xml: xml.replace(b"<table:table ", stray + b"<table:table ", 1))
    assert read_table(source(path), max_cells=2).rows == [(1, ["Ann Lee", "4155550132"])]


def test_an_ods_cell_before_the_first_row_of_a_table_counts_as_one_row(tmp_path):
    """A cell outside any row (not what the schema allows; the reader skips it) is measured as
    one row high, like a row without a repeat count, not as more."""
    path = write_ods(tmp_path / "stray.ods", {"S": [["Ann Lee", "4155550132"]]})
    _with_part(path, "content.xml", lambda xml: xml.replace(b"<table:table-row", _STRAY_CELL + b"<table:table-row", 1))
    assert read_table(source(path), max_cells=2).rows == [(1, ["Ann Lee", "4155550132"])]


def test_a_worksheet_at_an_absolute_path_in_capitals_is_measured_before_it_is_read(tmp_path):
    """The reader follows a relationship to "/XL/worksheets/...": the size check must find the same
    part (a hostile workbook could otherwise hide a huge sheet from it)."""
    import re

    path = write_xlsx(tmp_path / "caps.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["XL/worksheets/sheet1.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    rels = parts["xl/_rels/workbook.xml.rels"]
    parts["xl/_rels/workbook.xml.rels"] = re.sub(rb'Target="/?(xl/)?worksheets/sheet1.xml"', b'Target="/XL/worksheets/sheet1.xml"', rels)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert read_table(source(path), max_cells=2).rows == [(1, ["Ann Lee", "4155550132"])]
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=1)
    assert str(refused.value).startswith(f"{path}, sheet S spans 1 ") and "(2 cells), more than" in str(refused.value)


def test_a_cell_reference_without_its_column_letters_is_left_for_the_reader_to_refuse(tmp_path):
    """r="9" names no column: the size check does not read it as a row number (it places the cell
    next to the previous one), so the file is refused by the reader, saying why, not measured as
    reaching row 9."""
    path = write_xlsx(tmp_path / "ref.xlsx", {"S": [["a", "b"], ["c", "d"]]})
    _with_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'r="B2"', b'r="9"'))
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=4)
    assert str(refused.value).startswith(f"{path}, sheet S cannot be read: ")


def test_only_the_sheet_elements_of_a_workbook_name_the_worksheets_measured(tmp_path):
    """Another element of workbook.xml pointing at a worksheet (r:id) is no sheet: a sheet over the
    limit is refused under its own name, not as the nameless element before it."""
    path = write_xlsx(tmp_path / "other.xlsx", {"S": [["Ann Lee", "4155550132"]]})
    ns = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    _with_part(path, "xl/workbook.xml", lambda xml: xml.replace(b"<sheets>", b"<fileSharing " + ns + b' r:id="rId1"/><sheets>', 1))
    with pytest.raises(TableError) as refused:
        read_table(source(path), max_cells=1)
    assert str(refused.value).startswith(f"{path}, sheet S spans 1 ")
