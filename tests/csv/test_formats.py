"""Every file variant a spreadsheet writes is read correctly; every unreadable one is refused
with a reason naming the line, and the data file is left byte-for-byte unchanged."""

from __future__ import annotations

import pytest

from store import StoreError
from store.transfer.csv_format import CsvError, CsvSource, read_csv
from store.transfer.importer import ImportRefused

from .helpers import fixture, run_import, stored

ANN = ("Ann Lee", "+14155550132", "ann@example.com")
BOB = ("Bob Stone", "+14155550147", "bob@example.com")


# -- accepted ---------------------------------------------------------------------------------


def test_utf8_bom_with_header(store):
    plan = run_import(store, fixture("bom.csv"), skip_first_line=True)
    assert plan.header_used and plan.rows_read == 2 and plan.new == 2
    assert stored(store) == [ANN, ("José Álvarez", "+14155550147", "jose@example.com")]


def test_crlf_without_header(store):
    plan = run_import(store, fixture("crlf.csv"))
    assert (plan.rows_read, plan.new, plan.header_used) == (3, 3, False)
    assert stored(store) == [ANN, ("Bob Stone", "+14155550147", None), ("Cara Diaz", "+14155550163", "cara@example.com")]


def test_semicolon_delimiter_detected_and_reported(store):
    plan = run_import(store, fixture("semicolon.csv"), skip_first_line=True)
    assert plan.delimiter_name == "semicolon"
    assert "semicolon-separated" in plan.summary()
    assert stored(store) == [
        ("Lee, Ann", "+14155550132", "ann@example.com"),
        ("Stone, Bob", "+14155550147", "bob@example.com"),
        ("Díaz, Cara", "+14155550163", None),
    ]


def test_tab_delimiter_with_alias_header_names(store):
    plan = run_import(store, fixture("tab.csv"), skip_first_line=True)
    assert plan.delimiter_name == "tab" and plan.header_used
    assert stored(store) == [ANN, ("Bob, Jr. Stone", "+14155550147", None)]


def test_quoted_fields_with_delimiters_and_quotes(store):
    run_import(store, fixture("quoted.csv"), skip_first_line=True)
    assert stored(store) == [
        ('Lee, Ann "Annie"', "+14155550132", "ann@example.com"),
        BOB,
        ("O'Neil; Cara", "+14155550163", None),
    ]


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(store):
    plan = run_import(store, fixture("blank_lines.csv"))
    assert plan.rows_read == 2
    assert stored(store) == [ANN, BOB]
    assert [row["line"] for row in plan.preview_rows] == [2, 5]


def test_header_in_another_order(store):
    plan = run_import(store, fixture("header_reordered.csv"), skip_first_line=True)
    assert plan.header_used
    assert stored(store) == [ANN, ("Bob Stone", "+14155550147", None)]


def test_no_header(store):
    plan = run_import(store, fixture("no_header.csv"))
    assert not plan.header_used and plan.new == 2
    assert stored(store) == [ANN, BOB]


def test_skip_first_line_without_a_header_skips_it(store):
    plan = run_import(store, fixture("no_header.csv"), skip_first_line=True)
    assert plan.first_line_skipped and not plan.header_used and plan.rows_read == 1
    assert stored(store) == [BOB]


def test_no_email_column(store):
    plan = run_import(store, fixture("no_email.csv"))
    assert plan.rows_read == 3
    assert stored(store) == [
        ("Ann Lee", "+14155550132", None),
        ("Bob Stone", "+14155550147", None),
        ("Cara Diaz", "+14155550163", "cara@example.com"),
    ]


def test_trailing_empty_cells_are_not_a_ragged_row(store):
    run_import(store, "Ann Lee,415 555 0132,ann@example.com,,\n")
    assert stored(store) == [ANN]


# -- refused ----------------------------------------------------------------------------------


def refused(store, unchanged, source, **options) -> str:
    with unchanged():
        with pytest.raises(StoreError) as info:
            run_import(store, source, **options)
    assert store.count() == 0
    return str(info.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("latin1.csv", "latin1.csv, line 3: byte 0xE9 is not UTF-8"),
        ("utf16.csv", "is UTF-16 text"),
        ("unterminated_quote.csv", "line 3: a quoted field starts here but its closing quote is missing"),
        ("ragged_row.csv", "line 4: 4 fields, but there are only 3 columns"),
        ("nul_byte.csv", "line 2: contains NUL bytes"),
        ("binary.csv", "line 1: contains NUL bytes, so this is a binary file"),
        ("empty.csv", "has no contact rows"),
        ("header_only.csv", "has a header line but no contact rows"),
        ("unknown_column.csv", "line 1: unknown column 'Notes'"),
    ],
)
def test_unreadable_files_are_refused_naming_the_line(store, unchanged, name, expected):
    message = refused(store, unchanged, fixture(name), skip_first_line=True)
    assert expected in message


def test_utf16_message_says_how_to_fix_it(store, unchanged):
    assert "save it as CSV UTF-8" in refused(store, unchanged, fixture("utf16.csv"))


def test_invalid_phone_names_its_line_and_field(store, unchanged):
    message = refused(store, unchanged, fixture("invalid_phone.csv"), skip_first_line=True)
    assert "line 4, Phone: Phone '12345' is too short" in message
    assert "nothing was imported" in message


def test_invalid_email_names_its_line_and_field(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as info:
        run_import(store, fixture("invalid_email.csv"), skip_first_line=True)
    [problem] = info.value.problems
    assert (problem.line, problem.field) == (2, "Email")
    assert "ann@example" in problem.message


def test_header_with_skip_off_suggests_turning_it_on(store, unchanged):
    message = refused(store, unchanged, fixture("header_skip_off.csv"), skip_first_line=False)
    assert "line 1, Phone: Phone 'Phone' is not a phone number" in message
    assert "turn on Skip First Line" in message


def test_no_hint_when_skip_is_already_on(store, unchanged):
    text = "Name,Telephone\nAnn Lee,12\n"  # "Name" looks like a header, but not a usable one
    message = refused(store, unchanged, text, skip_first_line=True)
    assert "line 2, Phone" in message and "Skip First Line" not in message


def test_export_header_with_skip_off_is_a_ragged_row_with_the_hint(store, unchanged):
    text = "Full Name,Phone,Email,Opted Out,Consent,Lists\nAnn Lee,'+14155550132,,no,not_sent,\n"
    message = refused(store, unchanged, text)
    assert "line 1: 6 fields" in message and "turn on Skip First Line" in message


def test_a_broken_quote_does_not_swallow_the_rest_of_the_file(store, unchanged):
    text = 'Ann Lee,415 555 0132,ann@example.com\n"Bob Stone,415 555 0147,\nCara Diaz,"415 555 0163",\n'
    message = refused(store, unchanged, text)
    assert "line 2: a quoted field starts here and runs to line 3" in message


def test_a_quote_closed_on_a_later_line_is_refused_not_merged(store, unchanged):
    text = 'Ann Lee,415 555 0132\n"Bob Stone,415 555 0147\nCara Diaz",415 555 0163\nDan,415 555 0178\n'
    message = refused(store, unchanged, text)
    assert "line 2: a quoted field starts here and runs on to line 3" in message


def test_missing_phone_column_is_refused(store, unchanged):
    assert "line 2: only 1 field; Phone is missing" in refused(store, unchanged, "Ann Lee,415 555 0132\nBob Stone\n")


def test_duplicate_header_column_is_refused(store, unchanged):
    message = refused(store, unchanged, "Name,Phone,Full Name\nAnn,415 555 0132,Ann Lee\n", skip_first_line=True)
    assert "line 1: the column Full Name appears twice" in message


def test_xlsx_workbook_is_refused(store, unchanged):
    source = CsvSource.from_bytes(b"PK\x03\x04" + b"\x14" * 200, "book.xlsx")
    assert "spreadsheet workbook" in refused(store, unchanged, source)


def test_lone_carriage_returns_are_refused(store, unchanged):
    assert "lone carriage return" in refused(store, unchanged, "Ann Lee,415 555 0132\rBob,415 555 0147\r")


# -- limits -----------------------------------------------------------------------------------


def test_row_limit_is_enforced_while_streaming():
    text = "".join(f"Person {i},415 555 01{i:02d}\n" for i in range(10))
    read_csv(CsvSource.from_text(text), skip_first_line=False, max_rows=10)
    with pytest.raises(CsvError, match="more than 9 rows"):
        read_csv(CsvSource.from_text(text), skip_first_line=False, max_rows=9)


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"Ann Lee,415 555 0132\n" * 100)

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened before its size was checked")

    monkeypatch.setattr("builtins.open", no_open)
    with pytest.raises(CsvError, match="larger than"):
        read_csv(CsvSource.from_path(path), skip_first_line=False, max_bytes=1000)


def test_stdin_over_the_size_limit_is_refused():
    import io

    with pytest.raises(CsvError, match="larger than"):
        CsvSource.from_stream(io.BytesIO(b"x" * 101), max_bytes=100)


def test_missing_file_is_refused_with_its_name(store, unchanged, tmp_path):
    message = refused(store, unchanged, CsvSource.from_path(tmp_path / "nope.csv"))
    assert "nope.csv" in message and "No such file" in message
