"""How store/csv_format reads a file: the limits, the encodings it refuses, the delimiter choice and
the words of its refusals. Each test pins a rule mutation testing found unguarded; equivalent
mutants are listed in tests/mutation_equivalents.md."""

from __future__ import annotations

import io

import pytest

from store.transfer.csv_format import (
    MAX_LINE_BYTES,
    CsvError,
    CsvSource,
    CsvTable,
    _quote_problem,
    _size,
    detect_delimiter,
    raw_rows,
    read_csv,
)


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(CsvError) as err:
        call(*args, **kwargs)
    return str(err.value)


# -- size limits -------------------------------------------------------------------------------------


def test_a_stream_of_exactly_the_limit_is_read_and_one_byte_more_is_refused():
    assert CsvSource.from_stream(io.BytesIO(b"x" * 1000), max_bytes=1000).data == b"x" * 1000
    assert refusal(CsvSource.from_stream, io.BytesIO(b"x" * 1001), "stdin", max_bytes=1000) == (
        "stdin is larger than 1,000 bytes, the import limit; split it into smaller files"
    )


def test_an_endless_stream_is_refused_after_reading_one_byte_past_the_limit():
    with open("/dev/zero", "rb") as endless:
        assert "larger than 1,000 bytes" in refusal(CsvSource.from_stream, endless, max_bytes=1000)


def test_text_given_in_memory_is_held_to_the_same_limit():
    source = CsvSource.from_bytes(b"Ann,4155550132\n")
    assert source.name == "standard input"
    assert read_csv(source, skip_first_line=False, max_bytes=15).rows == [(1, ["Ann", "4155550132", ""])]
    assert refusal(read_csv, source, skip_first_line=False, max_bytes=14) == (
        "standard input is larger than 14 bytes, the import limit; split it"
    )


def test_a_line_of_exactly_the_line_limit_is_read_and_a_longer_one_refused():
    cells = "a," * ((MAX_LINE_BYTES - 2) // 2)
    line = (cells + "b" * (MAX_LINE_BYTES - 1 - len(cells))).encode() + b"\n"
    assert len(line) == MAX_LINE_BYTES
    _, rows = raw_rows(CsvSource.from_bytes(line, "big.csv"))
    assert len(rows) == 1
    assert refusal(raw_rows, CsvSource.from_bytes(b"c" + line, "big.csv")) == (
        "big.csv, line 1: the line is longer than 1 MB; this is not a contacts CSV file"
    )


@pytest.mark.parametrize("n, words", [
    (0, "0 bytes"), (1_048_575, "1,048,575 bytes"), (1_048_576, "1 MB"), (1000 * 1024 * 1024, "1,000 MB"),
])
def test_sizes_are_told_in_bytes_below_a_megabyte_and_in_megabytes_from_one(n, words):
    assert _size(n) == words


# -- what is not CSV text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_refused_as_utf16(encoding):
    data = "Full Name,Phone\nAnn,4155550132\n".encode(encoding)
    assert refusal(read_csv, CsvSource.from_bytes(data, "u.csv"), skip_first_line=True).startswith(
        "u.csv is UTF-16 text, which is not supported: open it in your spreadsheet and save it as CSV UTF-8"
    )


def test_a_file_with_a_few_nul_bytes_is_binary_not_utf16():
    data = b"Full Name,Phone\nAnn,4155550132\x00\n" + b"Bob,4155550133\n" * 20
    assert refusal(read_csv, CsvSource.from_bytes(data, "b.csv"), skip_first_line=True).startswith(
        "b.csv, line 2: contains NUL bytes, so this is a binary file"
    )


def test_three_bytes_are_too_few_to_call_utf16():
    assert "UTF-16" not in refusal(read_csv, CsvSource.from_bytes(b"A\x00\n", "t.csv"), skip_first_line=False)


# -- the delimiter --------------------------------------------------------------------------------------


def test_a_tie_goes_to_the_comma_then_the_semicolon():
    assert detect_delimiter(b"a,b;c\n") == ","
    assert detect_delimiter(b"a;b\tc\n") == ";"


def test_a_header_naming_our_columns_settles_the_delimiter():
    assert detect_delimiter(b"Full Name;Phone\nLee, Ann;4155550132\nx,y,z;1\n") == ";"


def test_more_fields_than_we_have_columns_counts_against_a_delimiter():
    assert detect_delimiter(b"1,2,3,4,5,6,7;8\n") == ";"
    assert detect_delimiter(b"1,2,3,4,5,6;7\n") == ","


def test_the_delimiter_that_splits_the_lines_most_consistently_wins():
    assert detect_delimiter(b"a;b,c\nd;e,f,g\nh;i\n") == ";"


def test_nothing_that_splits_means_comma():
    assert detect_delimiter(b"just one field\nanother\n") == ","


# -- the words of refusals ------------------------------------------------------------------------------


def test_an_unknown_column_is_named_escaped_and_cut_to_60_characters():
    message = refusal(read_csv, CsvSource.from_text("Full Name,Phone,Note\x1b[31m\nAnn,4155550132,x\n", "h.csv"), skip_first_line=True)
    assert "\x1b" not in message
    assert message.startswith("h.csv, line 1: unknown column 'Note\\x1b[31m'. Known columns: Full Name, Phone, Email")
    assert message.endswith('--map "Note\\x1b[31m=ignore"')
    long = refusal(read_csv, CsvSource.from_text(f"Full Name,Phone,{'w' * 80}\nAnn,4155550132,x\n", "h.csv"), skip_first_line=True)
    assert f"unknown column '{'w' * 60}'." in long
    empty = refusal(read_csv, CsvSource.from_text("Full Name,Phone, \nAnn,4155550132,x\n", "h.csv"), skip_first_line=True)
    assert "unknown column '(empty)'" in empty


def test_a_column_named_twice_is_refused():
    assert refusal(read_csv, CsvSource.from_text("Name,Phone,Mobile\nAnn,4155550132,1\n", "h.csv"), skip_first_line=True) == (
        "h.csv, line 1: the column Phone appears twice"
    )


def test_a_place_is_a_line_or_a_sheets_row_unless_the_table_says_where():
    table = CsvTable("f.csv", ",", ("name", "phone"), False, False, False, [])
    assert (table.place(4), table.where(4)) == ("line 4", "f.csv, line 4")
    table.sheet, table.unit = "Contacts", "row"
    assert table.place(4) == "sheet Contacts, row 4"
    table.places = {4: "card 2 (line 9)"}
    assert (table.place(4), table.place(5)) == ("card 2 (line 9)", "sheet Contacts, row 5")


def test_each_quote_problem_is_told_in_words():
    assert _quote_problem("q.csv", 3, 3, "unexpected end of data") == (
        "q.csv, line 3: a quoted field starts here but its closing quote is missing (unterminated quote)"
    )
    inside = "a quote inside it is not doubled (write \"\" for a quote inside quotes) or its closing quote is missing"
    assert _quote_problem("q.csv", 3, 3, "',' expected after '\"'") == f"q.csv, line 3: a quoted field starts here, but {inside}"
    assert _quote_problem("q.csv", 3, 5, "',' expected after '\"'") == (
        f"q.csv, line 3: a quoted field starts here and runs to line 5, but {inside}"
    )
    assert _quote_problem("q.csv", 2, 2, "new-line character seen in unquoted field") == (
        "q.csv, line 2: a line ends with a lone carriage return; save the file with Windows or Unix line endings"
    )
    assert _quote_problem("q.csv", 2, 2, "field larger than field limit (131072)").startswith(
        "q.csv, line 2: a field is longer than 131,072 characters (is a quote not closed?)"
    )
    assert _quote_problem("q.csv", 2, 2, "something else") == "q.csv, line 2: cannot be read as CSV (something else)"


# -- what is not a CSV file, given to the CSV reader itself -------------------------------------------


SAVE_AS = "open it in your spreadsheet and save it as CSV UTF-8 (File > Save As > CSV UTF-8)"


def test_workbooks_handed_to_the_csv_reader_are_named_with_how_to_fix_them():
    """The importer sends workbooks to the spreadsheet reader; code calling read_csv directly
    (an opt-out list, a script) still gets a refusal that says what the file is."""
    zip_book = CsvSource.from_bytes(b"PK\x03\x04" + b"\x14" * 100, "book.csv")
    assert refusal(read_csv, zip_book, skip_first_line=False) == (
        f"book.csv is a spreadsheet workbook (xlsx/ods) or zip file, not CSV: {SAVE_AS}"
    )
    old_book = CsvSource.from_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.csv")  # OLE2
    assert refusal(read_csv, old_book, skip_first_line=False) == f"old.csv is an old Excel workbook (xls), not CSV: {SAVE_AS}"


def test_a_folder_is_refused_as_a_folder(tmp_path):
    assert refusal(read_csv, CsvSource.from_path(tmp_path), skip_first_line=False) == f"{tmp_path} is a folder, not a CSV file"


def test_a_named_pipe_is_read_whole_within_the_limit(tmp_path):
    """`contacts import <(some command)`: a pipe can't seek, so it is read (up to the limit) first."""
    import os
    import threading

    pipe = tmp_path / "fifo.csv"
    os.mkfifo(pipe)

    def feed(data: bytes) -> threading.Thread:
        def write() -> None:
            with open(pipe, "wb") as out:
                out.write(data)

        thread = threading.Thread(target=write)
        thread.start()
        return thread

    writer = feed(b"Ann,4155550132\n")
    assert read_csv(CsvSource.from_path(pipe), skip_first_line=False).rows == [(1, ["Ann", "4155550132", ""])]
    writer.join(5)
    writer = feed(b"Ann,4155550132\n" * 10)
    assert "larger than 100 bytes" in refusal(read_csv, CsvSource.from_path(pipe), skip_first_line=False, max_bytes=100)
    writer.join(5)
