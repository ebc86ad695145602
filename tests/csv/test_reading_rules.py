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
    check_spans,
    detect_delimiter,
    raw_rows,
    read_csv,
    table_from_records,
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
    writer = feed(b"Ann,4155550132\n" * 10)
    assert refusal(read_csv, CsvSource.from_path(pipe), skip_first_line=False, max_bytes=100) == (
        f"{pipe} is larger than 100 bytes, the import limit; split it into smaller files"
    )
    writer.join(5)
    writer = feed(b"")
    assert refusal(read_csv, CsvSource.from_path(pipe), skip_first_line=False) == f"{pipe} has no contact rows"
    writer.join(5)


def test_a_pipe_is_read_once_for_its_kind_and_its_rows():
    """An import looks at the first bytes to tell CSV from a workbook, then reads the rows: a pipe
    (`contacts import <(cmd)` names one as /dev/fd/N) gives its bytes only once, so both must come
    from one reading."""
    import os

    from store.consent.optouts import read_rows
    from store.transfer.mapping import contacts_table
    from store.transfer.tables import read_table

    def fed(data: bytes, read):
        reading, writing = os.pipe()
        os.write(writing, data)
        os.close(writing)
        try:
            return read(CsvSource.from_path(f"/dev/fd/{reading}"))
        finally:
            os.close(reading)

    table = fed(b"Full Name,Phone\nAnn Lee,4155550132\n", lambda source: contacts_table(source, skip_first_line=True))
    assert [row[1] for row in table.rows] == [["Ann Lee", "4155550132"]]
    table = fed(b"Phone\n4155550132\n", read_table)
    assert table.rows == [(1, ["Phone"]), (2, ["4155550132"])]
    assert table.source.startswith("/dev/fd/")  # messages name the file given
    assert fed(b"4155550132\n", read_rows).rows == [(1, ["4155550132"])]


# -- found by the second mutation pass (session 6) ------------------------------------------------------


def test_a_byte_order_mark_does_not_hide_the_header_that_settles_the_delimiter():
    # Comma and semicolon split these lines equally consistently: the header decides.
    lines = "Full Name;Phone;Email\nLee, Ann;4155550132\nStone, Bob;4155550147\n"
    assert detect_delimiter(lines.encode()) == ";"
    assert detect_delimiter(b"\xef\xbb\xbf" + lines.encode()) == ";"


def test_a_header_title_broken_over_two_lines_still_names_its_column():
    assert detect_delimiter(b'"Full\nName";Phone;Email\nLee, Ann;4155550132\nStone, Bob;4155550147\n') == ";"


def test_a_short_sample_is_read_to_its_last_line():
    # Alone, the first line splits as well on a comma as on a semicolon (the comma wins the tie);
    # the last line settles it.
    assert detect_delimiter(b"a,b;c\n") == ","
    assert detect_delimiter(b"a,b;c\nd;e\n") == ";"


def test_the_last_line_of_a_full_sample_may_be_cut_so_it_is_not_counted():
    from store.transfer.csv_format import SAMPLE_BYTES

    first = b"a,b;c\n"
    cut = b"d;" + b"e" * (SAMPLE_BYTES - len(first) - 2)
    assert len(first + cut) == SAMPLE_BYTES
    assert detect_delimiter(first + cut) == ","  # the cut line would have made it a semicolon
    second = b"d;e\n"
    cut = b"f," + b"g" * (SAMPLE_BYTES - len(first + second) - 2)
    assert detect_delimiter(first + second + cut) == ";"  # only the cut line is left out
    one_line = b"x;" * (SAMPLE_BYTES // 2)
    assert len(one_line) == SAMPLE_BYTES
    assert detect_delimiter(one_line) == ";"  # a single line is kept, cut or not


def test_the_byte_order_mark_is_dropped_from_the_first_line_only():
    table = read_csv(CsvSource.from_bytes(b"\xef\xbb\xbfPhone,Full Name\n4155550132,Ann\n", "bom.csv"), skip_first_line=True)
    assert (table.header_used, table.columns) == (True, ("phone", "name"))
    assert table.rows == [(2, ["4155550132", "Ann"])]
    _, rows = raw_rows(CsvSource.from_bytes(b"Ann,4155550132\n\xef\xbb\xbfBob,4155550147\n"))
    assert rows == [(1, ["Ann", "4155550132"]), (2, ["\ufeffBob", "4155550147"])]


def test_a_file_read_without_a_header_says_so_and_keeps_its_delimiter():
    table = read_csv(CsvSource.from_text("Ann;4155550132\nBob;4155550147\n"), skip_first_line=False)
    assert table.delimiter == ";" and table.delimiter_name == "semicolon"
    assert (table.header_used, table.first_line_skipped, table.first_line_looks_like_header) == (False, False, False)
    assert table.columns == ("name", "phone", "email")


def test_binary_and_latin1_refusals_say_how_to_save_the_file():
    assert refusal(read_csv, CsvSource.from_bytes(b"Ann,4155550132\nBob\x00,4155550147\n", "b.csv"), skip_first_line=False) == (
        "b.csv, line 2: contains NUL bytes, so this is a binary file, not CSV text. Save it from your spreadsheet as CSV UTF-8"
    )
    assert refusal(read_csv, CsvSource.from_bytes("Ann,4155550132\nJosé,4155550147\n".encode("latin-1"), "l.csv"), skip_first_line=False) == (
        "l.csv, line 2: byte 0xE9 is not UTF-8 text (the file may be Latin-1/Windows-1252, or binary). "
        "Save it from your spreadsheet as CSV UTF-8"
    )


@pytest.mark.parametrize("bom, encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_is_known_by_its_byte_order_mark_even_without_nul_bytes(bom, encoding):
    data = bom + "李王张伟".encode(encoding)  # no byte of these characters is NUL
    assert b"\x00" not in data
    assert refusal(read_csv, CsvSource.from_bytes(data, "u.csv"), skip_first_line=False).startswith("u.csv is UTF-16 text")


def test_utf16_holding_a_character_with_a_nul_byte_is_still_utf16():
    data = ("Full Name,Phone\n" + "一 Lee,4155550132\n" * 5).encode("utf-16-le")  # 一 is 00 4E
    assert refusal(read_csv, CsvSource.from_bytes(data, "u.csv"), skip_first_line=True).startswith("u.csv is UTF-16 text")


def test_four_bytes_are_enough_to_call_utf16():
    assert refusal(read_csv, CsvSource.from_bytes("A\n".encode("utf-16-le"), "t.csv"), skip_first_line=False).startswith(
        "t.csv is UTF-16 text"
    )


def is_utf16(data: bytes) -> bool:
    try:
        read_csv(CsvSource.from_bytes(data, "t.csv"), skip_first_line=False)
    except CsvError as exc:
        return "UTF-16" in str(exc)
    return False


@pytest.mark.parametrize("data, utf16", [
    # NULs on one side of more than 40 % of the byte pairs, and on the other side of fewer than 10 %
    (b"A\x00" * 2 + b"AB" * 3, False),  # 2 of 5 pairs: exactly 40 % is not more
    (b"A\x00" * 3 + b"AB" * 2, True),
    (b"A\x00" * 10, True),
    (b"\x00\x00" + b"A\x00" * 9, False),  # 1 of 10 pairs on the other side: exactly 10 % is not fewer
    (b"A\x00B\nC", True),  # the odd last byte is no pair: 1 of 2 pairs
    (b"A\x00" * 600 + b"AB" * 1448, False),  # 600 of 2,048 pairs
])
def test_utf16_is_guessed_from_where_the_nul_bytes_fall_in_byte_pairs(data, utf16):
    assert is_utf16(data) is utf16


def test_the_utf16_guess_looks_at_the_first_4096_bytes_only():
    head = b"A\x00" * 1844 + b"\x00\x00" * 204  # 204 of 2,048 pairs have a NUL on the other side: fewer than 10 %
    assert len(head) == 4096
    assert is_utf16(head + b"\x00\x00" * 100)  # what comes after does not count


def test_a_row_with_too_many_fields_is_told_with_the_columns_and_how_to_fix_it():
    assert refusal(read_csv, CsvSource.from_text("Ann,4155550132,a@example.com,x\n", "r.csv"), skip_first_line=False) == (
        "r.csv, line 1: 4 fields, but there are only 3 columns (Full Name, Phone, Email). Quote fields that contain a comma"
    )
    assert refusal(read_csv, CsvSource.from_text("Ann\t4155550132\t\tx\n", "r.csv"), skip_first_line=False).endswith(
        "only 3 columns (Full Name, Phone, Email). Quote fields that contain a tab"
    )


def sheet_table() -> CsvTable:
    """An empty table as the sheet reader fills it: rows, no delimiter."""
    table = CsvTable("book.xlsx", "", ("name", "phone", "email"), False, False, False, [])
    table.sheet, table.unit = "Contacts", "row"
    return table


def test_a_sheet_row_with_too_many_cells_is_told_in_cells_and_points_to_a_mapping():
    assert refusal(table_from_records, sheet_table(), [(2, ["Ann", "4155550132", "", "x"])], False) == (
        "book.xlsx, sheet Contacts, row 2: 4 cells, but there are only 3 columns (Full Name, Phone, Email) "
        "(delete what is in the other columns, or map the columns with --map)"
    )


def test_a_sheet_row_missing_its_phone_is_told_in_cells():
    assert refusal(table_from_records, sheet_table(), [(2, ["Ann"])], False) == (
        "book.xlsx, sheet Contacts, row 2: only 1 cell; Phone is missing (columns: Full Name, Phone, Email)"
    )


def test_a_row_missing_required_columns_names_each_and_the_delimiter():
    text = "Email;Lists;Full Name;Phone\nann@example.com;Staff\n"
    assert refusal(read_csv, CsvSource.from_text(text, "m.csv"), skip_first_line=True) == (
        "m.csv, line 2: only 2 fields; Full Name and Phone are missing (columns: Email, Lists, Full Name, Phone; delimiter: semicolon)"
    )


def test_a_row_shorter_by_optional_columns_only_reads_them_as_empty():
    table = read_csv(CsvSource.from_text("Full Name,Phone,Email,Lists\nAnn,4155550132\n"), skip_first_line=True)
    assert table.rows == [(2, ["Ann", "4155550132", "", ""])]


def test_an_unterminated_quote_is_refused_naming_the_file_and_line():
    assert refusal(read_csv, CsvSource.from_text('Ann,4155550132\n"Bob,4155550147\n', "q.csv"), skip_first_line=False) == (
        "q.csv, line 2: a quoted field starts here but its closing quote is missing (unterminated quote)"
    )


def test_a_record_over_two_lines_is_refused_when_no_spans_are_asked_for():
    text = 'Ann,4155550132\n"Bob,4155550147\nCara",4155550163\n'
    expected = "q.csv, line 2: a quoted field starts here and runs on to line 3; is its closing quote missing?"
    assert refusal(read_csv, CsvSource.from_text(text, "q.csv"), skip_first_line=False) == expected
    assert refusal(raw_rows, CsvSource.from_text(text, "q.csv")) == expected
    spans: dict[int, int] = {}
    _, rows = raw_rows(CsvSource.from_text(text, "q.csv"), spans=spans)
    assert rows == [(1, ["Ann", "4155550132"]), (2, ["Bob,4155550147\nCara", "4155550163"])]
    assert spans == {2: 3}


# -- check_spans: a record over several lines, kept for an export's notes and addresses ---------------


def test_a_line_break_in_a_column_the_import_leaves_out_is_allowed():
    fields = ["Ann", "4155550132", "tea, milk, sugar, honey", "two\nlines"]
    check_spans("g.csv", ",", [(1, ["Ann", "4155550132"]), (2, fields)], {2: 3}, [0, 1])
    check_spans("g.csv", ",", [(2, fields)], {2: 3}, [0, 1, 4])  # a column past the end of a short row
    check_spans("g.csv", ",", [(2, ["Ann", "4155550132", "tea,x\nBob,y", "z"])], {2: 3}, [0, 1])


@pytest.mark.parametrize("field", ["Ann\nLee", "Ann\rLee", "Ann\r\nLee"])
def test_a_line_break_in_a_column_the_import_reads_is_refused(field):
    rows = [(2, [field, "4155550132", "two\nlines"])]
    expected = "g.csv, line 2: a quoted field starts here and runs on to line 3; is its closing quote missing?"
    assert refusal(check_spans, "g.csv", ",", rows, {2: 3}, [0, 1]) == expected
    assert refusal(check_spans, "g.csv", ",", rows, {2: 3}, None) == expected  # None: every column is read


@pytest.mark.parametrize("swallowed", ["tea,4155550132\nBob,Stone,x", "tea;4155550132\rBob;Stone;x"])
def test_a_field_holding_a_rows_worth_of_delimiters_over_lines_is_a_stray_quote(swallowed):
    delimiter = ";" if ";" in swallowed else ","
    rows = [(2, ["Ann", "Lee", swallowed, "4155550147"])]
    assert refusal(check_spans, "g.csv", delimiter, rows, {2: 4}, [0, 1, 3]) == (
        "g.csv, line 2: a quoted field starts here and runs on to line 4; is its closing quote missing?"
    )


def test_the_delimiter_is_judged_on_the_first_200_lines_and_50_rows():
    tie = b"a,b;c\n"  # alone, a tie the comma wins
    assert detect_delimiter(tie + b"\n" * 198 + b"d;e\n") == ";"  # line 200
    assert detect_delimiter(tie + b"\n" * 199 + b"d;e\n") == ","  # line 201
    assert detect_delimiter(tie * 49 + b"d;e\n") == ";"  # row 50
    assert detect_delimiter(tie * 50 + b"d;e\n") == ","  # row 51


def test_consistency_is_a_share_of_the_rows_a_delimiter_finds_not_empty():
    # ";;" is a row of empty cells to the semicolon (left out), a one-field row to the comma.
    assert detect_delimiter(b"Lee, Ann;4155550132\n;;\n") == ";"


def test_a_delimiter_that_finds_only_empty_rows_does_not_stop_the_others_being_tried():
    assert detect_delimiter(b",,\t,,\n,,\t,,\n") == "\t"


def test_the_delimiter_is_chosen_from_the_first_64_kib_only():
    """The sample is read once, not the whole file (which may be 200 MB)."""
    from store.transfer.csv_format import SAMPLE_BYTES

    data = b"a,b;c\n" + b"d,e,f;" + b"g" * SAMPLE_BYTES + b"\n"  # past the sample, line 2 would decide
    assert raw_rows(CsvSource.from_bytes(data))[0] == ","
    assert read_csv(CsvSource.from_bytes(data), skip_first_line=False).delimiter == ","


def test_raw_rows_refuses_utf16_naming_the_file():
    data = "Full Name,Phone\nAnn,4155550132\n".encode("utf-16-le")
    assert refusal(raw_rows, CsvSource.from_bytes(data, "u.csv")).startswith("u.csv is UTF-16 text")


def test_raw_rows_reads_up_to_the_row_limit_and_refuses_one_more():
    text = "Ann,4155550132\n\nBob,4155550147\n"
    assert raw_rows(CsvSource.from_text(text), max_rows=2) == (",", [(1, ["Ann", "4155550132"]), (3, ["Bob", "4155550147"])])
    assert refusal(raw_rows, CsvSource.from_text(text, "big.csv"), max_rows=1) == (
        "big.csv has more than 1 row, the import limit; split it into smaller files"
    )


def test_read_csv_refuses_one_row_past_the_limit_naming_the_file():
    text = "Full Name,Phone\nAnn,4155550132\nBob,4155550147\n"
    assert len(read_csv(CsvSource.from_text(text), skip_first_line=True, max_rows=2).rows) == 2
    assert refusal(read_csv, CsvSource.from_text(text, "big.csv"), skip_first_line=True, max_rows=1) == (
        "big.csv has more than 1 row, the import limit; split it into smaller files"
    )


def test_a_file_without_rows_says_whether_it_had_a_header():
    assert refusal(read_csv, CsvSource.from_text("\n \n", "e.csv"), skip_first_line=False) == "e.csv has no contact rows"
    assert refusal(read_csv, CsvSource.from_text("Full Name,Phone\n", "h.csv"), skip_first_line=True) == (
        "h.csv has a header line but no contact rows"
    )
    assert refusal(read_csv, CsvSource.from_text("Ann,4155550132\n", "s.csv"), skip_first_line=True) == "s.csv has no contact rows"


def test_the_skip_first_line_hint_is_given_only_for_the_first_row_with_skip_off():
    hint = "turn on Skip First Line"
    looks = "Name\nAnn\n"  # "Name" makes it look like a header, though not one we can use
    assert hint in refusal(read_csv, CsvSource.from_text(looks, "h.csv"), skip_first_line=False)
    assert refusal(read_csv, CsvSource.from_text(looks, "h.csv"), skip_first_line=True) == (
        "h.csv, line 2: only 1 field; Phone is missing (columns: Full Name, Phone, Email; delimiter: comma)"
    )
    later = "Name,Phone\nAnn,4155550132\nBob\n"  # the first row is read; the third is short
    assert refusal(read_csv, CsvSource.from_text(later, "h.csv"), skip_first_line=False) == (
        "h.csv, line 3: only 1 field; Phone is missing (columns: Full Name, Phone, Email; delimiter: comma)"
    )


def test_a_first_line_of_two_word_column_names_looks_like_a_header():
    table = read_csv(CsvSource.from_text("Full Name,Phone Number\nAnn,4155550132\n"), skip_first_line=False)
    assert table.first_line_looks_like_header
    assert not read_csv(CsvSource.from_text("Ann,4155550132\n"), skip_first_line=False).first_line_looks_like_header


def test_a_stream_is_named_standard_input_unless_named():
    source = CsvSource.from_stream(io.BytesIO(b"Ann,4155550132\n"))
    assert (source.name, source.data) == ("standard input", b"Ann,4155550132\n")
    assert CsvSource.from_stream(io.BytesIO(b"x"), "pipe").name == "pipe"


def test_formula_neutralisation_looks_past_quotes_only():
    """A leading quote is doubled only when quotes alone stand before a formula character."""
    from store.transfer.csv_format import neutralise, unneutralise

    assert neutralise("'X-ray") == "'X-ray" and unneutralise("'X-ray") == "'X-ray"
    assert neutralise("'-ray") == "''-ray" and unneutralise("''-ray") == "'-ray"


def test_the_packaged_sample_reads_as_utf8_whatever_the_locale():
    """sample_csv() must not depend on the locale's encoding (an ASCII or cp1252 locale would
    misread or refuse its accented names)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "utf-8"}
    code = "from store.transfer.csv_format import sample_csv; print(sample_csv(), end='')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    expected = (root / "sample.csv").read_text(encoding="utf-8")
    assert any(ord(ch) > 127 for ch in expected)
    assert done.stdout.decode("utf-8") == expected


def test_pasted_text_is_named_so():
    source = CsvSource.from_text("Ann,4155550132\n")
    assert (source.name, source.data) == ("pasted text", b"Ann,4155550132\n")


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"Ann,4155550132\n")
    assert read_csv(CsvSource.from_path(path), skip_first_line=False, max_bytes=15).rows == [(1, ["Ann", "4155550132", ""])]
    assert refusal(read_csv, CsvSource.from_path(path), skip_first_line=False, max_bytes=14) == (
        f"{path} is 15 bytes, larger than 14 bytes, the import limit; split it"
    )


def test_a_file_that_cannot_be_opened_is_told_in_plain_words(tmp_path):
    missing = tmp_path / "nope.csv"
    assert refusal(read_csv, CsvSource.from_path(missing), skip_first_line=False) == f"Cannot read {missing}: No such file or directory"
