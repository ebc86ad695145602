"""Google and Outlook exports are recognised by their headers; any other header needs a
mapping (--map "Column=field" or the app's pickers), else it is refused naming its columns."""

from __future__ import annotations

import pytest

from store import StoreError
from store.transfer.csv_format import CsvSource
from store.transfer.importer import import_csv
from store.transfer.mapping import FIELDS, MappingNeeded, guess_fields, parse_map, read_header

from ..csv.helpers import stored
from .writers import vcard, write_xlsx

GOOGLE = (
    "First Name,Middle Name,Last Name,Nickname,Phone 1 - Label,Phone 1 - Value,E-mail 1 - Label,E-mail 1 - Value,Labels\n"
    "Ann,Marie,Lee,,Mobile,+1 415-555-0132 ::: +1 415-555-0100,* Home,ann@example.com ::: a2@example.com,* myContacts\n"
    "Bob,,Stone,Bobby,Work,(415) 555-0147,,,* myContacts\n"
)
OUTLOOK = (
    "Title,First Name,Middle Name,Last Name,Suffix,Company,Business Phone,Home Phone,Mobile Phone,E-mail Address,Notes\n"
    "Dr.,Ann,,Lee,,Acme,4155550100,,4155550132,ann@example.com,likes tea\n"
)


def test_google_contacts_export_is_recognised(store):
    plan = import_csv(store, CsvSource.from_text(GOOGLE, name="google.csv"))
    assert stored(store) == [("Ann Marie Lee", "+14155550132", "ann@example.com"), ("Bob Stone", "+14155550147", None)]
    assert "Google Contacts" in plan.summary()


def test_outlook_export_is_recognised_and_uses_the_mobile_phone(store):
    plan = import_csv(store, CsvSource.from_text(OUTLOOK, name="outlook.csv"))
    assert stored(store) == [("Ann Lee", "+14155550132", "ann@example.com")]
    assert "Outlook" in plan.summary()


@pytest.mark.parametrize("label", ["Label", "Type"])  # today's export, and the older one
def test_a_google_export_uses_the_mobile_number_when_phone_1_is_another(store, label):
    text = (
        f"First Name,Last Name,Phone 1 - {label},Phone 1 - Value,Phone 2 - {label},Phone 2 - Value\n"
        "Ann,Lee,Home,(415) 555-0100,* Mobile,(415) 555-0132\n"
        "Bob,Stone,Work,(415) 555-0147,,\n"
    )
    import_csv(store, CsvSource.from_text(text, name="google.csv"))
    assert stored(store) == [("Ann Lee", "+14155550132", None), ("Bob Stone", "+14155550147", None)]


# Real exports hold addresses and notes over several lines, quoted as CSV allows; only the
# columns the import reads must be on one line.
GOOGLE_MULTILINE = (
    "First Name,Last Name,Notes,Phone 1 - Label,Phone 1 - Value,E-mail 1 - Value,Address 1 - Formatted,Labels\n"
    'Ann,Lee,"met at the fair\nlikes tea",Mobile,+1 415-555-0132,ann@example.com,"1 Main St\nSan Francisco, CA",* myContacts\n'
    "Bob,Stone,,Work,{bob},,,* myContacts\n"
)
OUTLOOK_MULTILINE = (
    "First Name,Last Name,Mobile Phone,E-mail Address,Notes\n"
    '"Cara","Diaz","(415) 555-0163","cara@example.com","first line\r\nsecond line"\n'
)


def test_exports_with_addresses_and_notes_over_several_lines_import(store):
    import_csv(store, CsvSource.from_text(GOOGLE_MULTILINE.format(bob="(415) 555-0147"), name="google.csv"))
    import_csv(store, CsvSource.from_text(OUTLOOK_MULTILINE, name="outlook.csv"))
    assert stored(store) == [
        ("Ann Lee", "+14155550132", "ann@example.com"),
        ("Bob Stone", "+14155550147", None),
        ("Cara Diaz", "+14155550163", "cara@example.com"),
    ]


def test_a_row_after_a_multiline_row_is_named_by_its_own_line(store, unchanged):
    with unchanged(), pytest.raises(StoreError, match=r"line 5, Phone \(Phone 1 - Value\): Phone '12' is too short"):
        import_csv(store, CsvSource.from_text(GOOGLE_MULTILINE.format(bob="12"), name="google.csv"))


def test_a_mapped_file_may_hold_line_breaks_in_a_column_it_leaves_out(store):
    text = 'Who,Cell,Notes\nAnn Lee,4155550132,"two\nlines"\n'
    import_csv(store, CsvSource.from_text(text), mapping=parse_map(["Who=name", "Cell=phone"]))
    assert stored(store) == [("Ann Lee", "+14155550132", None)]


@pytest.mark.parametrize(
    "text",
    [
        # a line break in a column the import reads
        'First Name,Last Name,Phone 1 - Value\n"Ann\n",Lee,4155550132\n',
        # a stray quote that swallows the next row (the record has as many fields as a row, but
        # the quoted field holds a row's worth of delimiters)
        'First Name,Last Name,Notes,Phone 1 - Value\nAnn,Lee,"tea,4155550132\nBob,Stone,x",4155550147\n',
    ],
)
def test_a_quoted_field_over_several_lines_is_still_refused_where_it_matters(store, unchanged, text):
    with unchanged(), pytest.raises(StoreError, match="line 2: a quoted field starts here and runs on to line 3"):
        import_csv(store, CsvSource.from_text(text, name="google.csv"))


@pytest.mark.parametrize("header", ["Name,Mobile Phone,E-mail Address", "Full Name,Mobile Phone,E-mail Address"])
def test_a_header_of_outlook_titles_with_a_name_column_imports_by_itself(store, header):
    """The README's own example of a header that maps itself: Outlook's phone and email titles
    with one name column (no First/Last Name)."""
    text = f"{header}\nAnn Lee,4155550132,ann@example.com\n"
    import_csv(store, CsvSource.from_text(text, name="people.csv"), skip_first_line=True)
    assert stored(store) == [("Ann Lee", "+14155550132", "ann@example.com")]


def test_any_other_header_is_refused_with_the_columns_it_saw(store, unchanged):
    text = "Given,Family,Cell,Notes\nAnn,Lee,4155550132,tea\n"
    with unchanged(), pytest.raises(MappingNeeded) as info:
        import_csv(store, CsvSource.from_text(text, name="odd.csv"), skip_first_line=True)
    message = str(info.value)
    assert "odd.csv" in message and "Given (e.g. Ann), Family (e.g. Lee), Cell (e.g. 4155550132), Notes (e.g. tea)" in message
    assert '--map "Cell=phone"' in message
    guessed = {c.title: c.guess for c in info.value.columns}
    assert guessed == {"Given": "first_name", "Family": "last_name", "Cell": "phone", "Notes": None}


def test_a_header_of_unknown_titles_that_does_not_fit_our_columns_asks_for_a_mapping(store, unchanged, tmp_path):
    """No title is guessed (another language): Skip First Line skips it and reads the columns by
    position; when they do not fit, the answer is a mapping, so the columns are listed."""
    path = write_xlsx(tmp_path / "de.xlsx", {"Export": [["Vorname", "Nachname", "Handy", "Notizen"], ["Uwe", "Zorn", 4155550131, "x"]]})
    with unchanged(), pytest.raises(MappingNeeded) as info:
        import_csv(store, CsvSource.from_path(path), skip_first_line=True)
    message = str(info.value)
    assert "de.xlsx, sheet Export, row 2: 4 cells, but there are only 3 columns" in message
    assert "Vorname (e.g. Uwe), Nachname (e.g. Zorn), Handy (e.g. 4155550131), Notizen (e.g. x)" in message
    assert [c.title for c in info.value.columns] == ["Vorname", "Nachname", "Handy", "Notizen"]
    mapping = parse_map(["Vorname=first_name", "Nachname=last_name", "Handy=phone"])
    import_csv(store, CsvSource.from_path(path), skip_first_line=True, mapping=mapping)
    assert stored(store) == [("Uwe Zorn", "+14155550131", None)]


def test_a_skipped_first_line_of_three_unknown_titles_still_reads_by_position(store):
    import_csv(store, CsvSource.from_text("Kunde,Rufnummer,Adresse\nUwe Zorn,4155550131,uwe@example.com\n"), skip_first_line=True)
    assert stored(store) == [("Uwe Zorn", "+14155550131", "uwe@example.com")]


def test_a_mapping_imports_it_and_ignores_the_columns_it_does_not_name(store):
    text = "Given,Family,Cell,Notes\nAnn,Lee,4155550132,tea\n"
    mapping = parse_map(["Cell=phone", "Given=first_name", "Family=last_name"])
    plan = import_csv(store, CsvSource.from_text(text), mapping=mapping)
    assert stored(store) == [("Ann Lee", "+14155550132", None)]
    assert "ignored columns: Notes" in plan.summary()


def test_a_mapping_without_a_phone_is_refused(store, unchanged):
    text = "Given,Cell\nAnn,4155550132\n"
    with unchanged(), pytest.raises(MappingNeeded, match="no column is mapped to Phone"):
        import_csv(store, CsvSource.from_text(text), mapping=parse_map(["Given=name", "Cell=ignore"]))


def test_a_mapping_naming_a_missing_column_is_refused_listing_the_columns(store, unchanged):
    with unchanged(), pytest.raises(StoreError, match="no column 'Mobile'; the columns are: Given, Cell"):
        import_csv(store, CsvSource.from_text("Given,Cell\nAnn,4155550132\n"), mapping=parse_map(["Mobile=phone"]))


@pytest.mark.parametrize(
    "options,expected",
    [
        (["Mobile"], "--map takes COLUMN=FIELD"),
        (["Mobile=telephone"], "unknown field 'telephone'"),
        (["A=phone", "a=email"], "column 'a' is mapped twice"),
    ],
)
def test_bad_map_options_say_what_is_wrong(options, expected):
    with pytest.raises(StoreError, match=expected):
        parse_map(options)


def test_mapping_works_for_sheets_and_names_their_columns(store, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [["Mobile", "Who"], [4155550132, "Ann Lee"], ["bad", "Bob"]]})
    with pytest.raises(StoreError, match="sheet S, row 3, column A \\(Phone\\)"):
        import_csv(store, CsvSource.from_path(path), mapping=parse_map(["Mobile=phone", "Who=name"]))


def test_header_inspection_gives_samples_and_guesses_for_the_app(tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", {"S": [["E-Mail", "Mobile Number", "Surname", "X"], [None, 4155550132, "Lee", "?"]]})
    columns = read_header(CsvSource.from_path(path))
    assert [(c.title, c.sample, c.guess) for c in columns] == [
        ("E-Mail", "", "email"),
        ("Mobile Number", "4155550132", "phone"),
        ("Surname", "Lee", "last_name"),
        ("X", "?", None),
    ]
    assert guess_fields(["Full Name", "Opted Out", "Lists"]) == ["name", "opted_out", "lists"]
    assert set(FIELDS) >= {"name", "first_name", "last_name", "phone", "email", "opted_out", "lists", "ignore"}


# -- pinned by mutation testing: what a mapped table holds, how it is summed up, what refusals say


def table(text: str, **options):
    from store.transfer.mapping import contacts_table

    return contacts_table(CsvSource.from_text(text, name="m.csv"), **options)


def refusal(text: str, **options) -> StoreError:
    with pytest.raises(StoreError) as info:
        table(text, **options)
    return info.value


def test_an_older_google_export_with_name_given_additional_and_family_columns():
    text = "Name,Given Name,Additional Name,Family Name,Phone 1 - Value\nAnn M Lee,Ann,M,Lee,4155550132\n,Bob,J,Stone,4155550147\n"
    assert table(text).rows == [(2, ["Ann M Lee", "4155550132"]), (3, ["Bob J Stone", "4155550147"])]


def test_outlook_is_recognised_by_mobile_phone_with_first_name_or_email_address(store):
    plan = import_csv(store, CsvSource.from_text("First Name,Middle Name,Last Name,Mobile Phone\nAnn,Marie,Lee,4155550132\n"))
    assert "Outlook export" in plan.summary()
    plan = import_csv(store, CsvSource.from_text("Name,Mobile Phone,E-mail Address\nBob Stone,4155550147,bob@example.com\n"))
    assert "Outlook export" in plan.summary()
    assert stored(store) == [("Ann Marie Lee", "+14155550132", None), ("Bob Stone", "+14155550147", "bob@example.com")]


def test_a_skipped_header_whose_every_title_is_known_maps_itself(store):
    plan = import_csv(store, CsvSource.from_text("First Name,Last Name,Cell\nAnn,Lee,4155550132\n", name="p.csv"), skip_first_line=True)
    assert stored(store) == [("Ann Lee", "+14155550132", None)]
    assert "(comma-separated, columns mapped)" in plan.summary() and "first line skipped" not in plan.summary()
    import_csv(store, CsvSource.from_text("Contact Name,Mobile Number\nBob Stone,4155550147\n"), skip_first_line=True)
    assert ("Bob Stone", "+14155550147", None) in stored(store)


@pytest.mark.parametrize("header", ["Contact Name,E-mail", "Mobile,E-mail", "Contact Name,Mobile,Cell"])
def test_a_skipped_header_of_known_titles_without_a_phone_a_name_or_with_a_field_twice_asks_for_a_mapping(header):
    error = refusal(f"{header}\nAnn Lee,4155550132,x\n", skip_first_line=True)
    assert isinstance(error, MappingNeeded)
    assert str(error).startswith("m.csv, line 1: the columns are not ones this app knows, so say which is which: ")


def test_the_mapping_request_lists_every_column_with_a_sample_and_suggests_the_guessed_ones():
    text = "Given,,Notes\nAnn,4155550132," + "n" * 40 + "\n"
    error = refusal(text, skip_first_line=True)
    assert str(error) == (
        "m.csv, line 1: the columns are not ones this app knows, so say which is which: Given (e.g. Ann), "
        "(column 2 has no title) (e.g. 4155550132), Notes (e.g. " + "n" * 30 + ").\n"
        'Map them, for example: --map "Given=first_name" (fields: name, first_name, middle_name, last_name, '
        "phone, email, opted_out, consent, lists, ignore; columns not mapped are left out)"
    )


def test_without_any_guess_the_example_maps_the_first_column_to_name():
    error = refusal("Vorname,Nachname,Handy,Notizen\nUwe,Zorn,4155550131,x\n", skip_first_line=True)
    assert isinstance(error, MappingNeeded)
    assert 'Map them, for example: --map "Vorname=name" --map "COLUMN=phone" (fields:' in str(error)
    assert "Notizen (e.g. x)" in str(error)


def test_a_two_column_unknown_header_that_does_not_fit_asks_for_a_mapping_but_one_column_or_no_skip_does_not():
    assert isinstance(refusal("Kunde,Nummer\nUwe Zorn,4155550131,a,b\n", skip_first_line=True), MappingNeeded)
    one = refusal("Kunde\nUwe Zorn,4155550131,a,b\n", skip_first_line=True)
    assert not isinstance(one, MappingNeeded) and "first line names columns" not in str(one)
    plain = refusal("Uwe Zorn,4155550131,a,b,c,d,e\n")
    assert not isinstance(plain, MappingNeeded)
    ours = refusal("Full Name,Phone\nUwe Zorn,4155550131,a,b,c,d,e\n", skip_first_line=True)
    assert not isinstance(ours, MappingNeeded)


def test_an_unknown_column_beside_ours_asks_for_a_mapping_listing_the_columns():
    error = refusal("Full Name,Phone,Foo\nAnn Lee,4155550132,x\n", skip_first_line=True)
    assert isinstance(error, MappingNeeded) and "unknown column 'Foo'" in str(error)
    assert [(c.title, c.sample, c.guess) for c in error.columns] == [
        ("Full Name", "Ann Lee", "name"), ("Phone", "4155550132", "phone"), ("Foo", "x", None)
    ]


def test_an_empty_file_or_sheet_has_no_contact_rows(tmp_path):
    from store.transfer.mapping import contacts_table

    with pytest.raises(StoreError) as info:
        contacts_table(CsvSource.from_text("", name="e.csv"))
    assert str(info.value) == "e.csv has no contact rows"
    path = write_xlsx(tmp_path / "e.xlsx", {"S": []})
    with pytest.raises(StoreError) as info:
        contacts_table(CsvSource.from_path(path))
    assert str(info.value) == f"{path}, sheet S has no contact rows"


def test_the_first_line_is_a_contact_unless_told_to_skip_it():
    assert table("Ann Lee,4155550132\n").rows == [(1, ["Ann Lee", "4155550132", ""])]


def test_the_row_limit_holds_for_every_kind_of_table(tmp_path):
    from store.transfer.mapping import contacts_table

    ours = "Full Name,Phone\nAnn Lee,4155550132\nBob Stone,4155550147\n"
    assert len(table(ours, skip_first_line=True, max_rows=2).rows) == 2
    more = ours + "Cara Diaz,4155550163\n"
    too_many = "m.csv has more than 2 rows, the import limit; split it into smaller files"  # the header is no contact
    assert str(refusal(more, skip_first_line=True, max_rows=2)) == too_many
    assert str(refusal(more + "Dan Roe,4155550178\n", skip_first_line=True, max_rows=2)) == too_many
    google = "First Name,Phone 1 - Value\nAnn,4155550132\nBob,4155550147\n"
    assert len(table(google, max_rows=2).rows) == 2
    assert str(refusal(google + "Cara,4155550163\n", max_rows=2)) == too_many
    sheet = write_xlsx(tmp_path / "c.xlsx", {"S": [("Full Name", "Phone"), ("Ann", "4155550132"), ("Bob", "4155550147")]})
    assert len(contacts_table(CsvSource.from_path(sheet), skip_first_line=True, max_rows=2).rows) == 2
    sheet = write_xlsx(tmp_path / "d.xlsx", {"S": [("Full Name", "Phone"), ("Ann", "4155550132"), ("Bob", "4155550147"),
                                                   ("Cara", "4155550163"), ("Dan", "4155550178")]})
    with pytest.raises(StoreError) as refused:
        contacts_table(CsvSource.from_path(sheet), skip_first_line=True, max_rows=2)
    assert str(refused.value) == f"{sheet}, sheet S has more than 2 rows, the import limit; split it"
    path = tmp_path / "c.vcf"
    path.write_text(vcard("Ann", tels=[("4155550132", [])]) * 2, encoding="utf-8")
    with pytest.raises(StoreError) as refused:
        contacts_table(CsvSource.from_path(path), max_rows=1)
    assert str(refused.value) == f"{path} has more than 1 card, the import limit; split it into smaller files"


def test_a_header_without_rows_is_refused():
    assert str(refusal("First Name,Phone 1 - Value\n")) == "m.csv has a header line but no contact rows"


def test_a_mapping_without_a_name_says_so():
    error = refusal("Cell,Notes\n4155550132,x\n", mapping=parse_map(["Cell=phone"]))
    assert str(error).startswith("m.csv: no column is mapped to a name (Full Name, or First name and Last name). The columns are: ")


def test_short_rows_of_a_mapped_file_leave_the_missing_fields_empty():
    assert table("Who,Cell,Email\nAnn Lee,4155550132\n", mapping=parse_map(["Who=name", "Cell=phone", "Email=email"])).rows == [
        (2, ["Ann Lee", "4155550132", ""])
    ]


def test_a_mapping_keeps_the_guessed_columns_it_does_not_name_but_not_a_second_column_of_the_same_title(store):
    text = "Given,Cell,Email,Cell\nAnn,4155550132,ann@example.com,4155550100\n"
    plan = import_csv(store, CsvSource.from_text(text, name="g.csv"), mapping=parse_map(["Given=name", "Cell=phone"]))
    assert stored(store) == [("Ann", "+14155550132", "ann@example.com")]
    assert plan.summary().startswith("Imported 1 row from g.csv (comma-separated, columns mapped; ignored columns: Cell):")


def test_columns_mapped_to_ignore_are_left_out_even_with_line_breaks(store):
    text = 'Who,Cell,Notes\nAnn Lee,4155550132,"two\nlines"\n'
    plan = import_csv(store, CsvSource.from_text(text, name="i.csv"), mapping=parse_map(["Who=name", "Cell=phone", "Notes=ignore"]))
    assert "ignored columns: Notes" in plan.summary()


def test_several_phone_columns_of_a_user_mapping_take_the_first_filled_in_file_order():
    text = "Name,Home Phone,Mobile Phone\nAnn Lee,4155550100,4155550132\nBob Stone,,4155550147\n"
    mapping = parse_map(["Name=name", "Home Phone=phone", "Mobile Phone=phone"])
    assert table(text, mapping=mapping).rows == [(2, ["Ann Lee", "4155550100"]), (3, ["Bob Stone", "4155550147"])]


def test_a_user_mapping_of_a_google_file_does_not_reorder_by_label():
    text = "Name,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\nAnn Lee,Home,4155550100,Mobile,4155550132\n"
    mapping = parse_map(["Name=name", "Phone 1 - Value=phone", "Phone 2 - Value=phone"])
    assert table(text, mapping=mapping).rows == [(2, ["Ann Lee", "4155550100"])]


def test_a_google_phone_column_without_a_label_column_is_still_read():
    text = "Name,Phone 1 - Label,Phone 1 - Value,Phone 2 - Value\nAnn Lee,Home,4155550100,4155550132\n"
    assert table(text).rows == [(2, ["Ann Lee", "4155550100"])]


def test_only_google_exports_have_several_values_joined_with_colons(store, unchanged):
    text = "First Name,Last Name,Mobile Phone\nAnn,Lee,4155550132 ::: 4155550100\n"
    with unchanged(), pytest.raises(StoreError, match="Phone"):
        import_csv(store, CsvSource.from_text(text))


def test_problems_in_mapped_columns_name_the_columns():
    labels = table("Given,Family,Phone\nAnn,Lee,4155550132\n", mapping=parse_map(["Given=first_name", "Family=last_name", "Phone=phone"])).labels
    assert labels == {"name": "Full Name (Given, Family)", "phone": "Phone"}
    labels = table("Who,Cell\nAnn,4155550132\n", mapping=parse_map(["Who=name", "Cell=phone"])).labels
    assert labels == {"name": "Full Name (Who)", "phone": "Phone (Cell)"}


def test_problems_in_mapped_sheet_columns_name_the_column_letters(store, tmp_path):
    from store.transfer.mapping import contacts_table

    path = write_xlsx(tmp_path / "l.xlsx", {"S": [["First", "Last", "Mobile"], ["Ann", "Lee", 4155550132.5]]})
    read = contacts_table(CsvSource.from_path(path), mapping=parse_map(["First=first_name", "Last=last_name", "Mobile=phone"]))
    assert read.labels == {"name": "columns A/B (Full Name)", "phone": "column C (Phone)"}
    assert read.format_label == "xlsx sheet S, columns mapped"
    assert list(read.cell_problems) == [(2, "phone")] and read.cell_problems[2, "phone"].startswith("Phone ")


def test_a_sheet_with_our_header_in_another_order_names_its_columns_by_the_header(store, tmp_path):
    from store.transfer.mapping import contacts_table

    path = write_xlsx(tmp_path / "o.xlsx", {"S": [["Phone", "Full Name"], [4155550132.5, "Ann Lee"]]})
    read = contacts_table(CsvSource.from_path(path), skip_first_line=True)
    assert read.labels == {"phone": "column A (Phone)", "name": "column B (Full Name)"}
    assert list(read.cell_problems) == [(2, "phone")]


@pytest.mark.parametrize(
    "option,expected",
    [
        ("Mobile=first name", {"Mobile": "first_name"}),
        ("Who=Full Name", {"Who": "name"}),
        ("Out=Opted-Out", {"Out": "opted_out"}),
        ("A=B=phone", {"A=B": "phone"}),  # a title may hold "=": the field is after the last one
    ],
)
def test_map_options_take_field_titles_and_spaces(option, expected):
    assert parse_map([option]) == expected


def test_map_option_refusals_say_exactly_what_is_wrong():
    with pytest.raises(StoreError) as info:
        parse_map(["=phone"])
    assert str(info.value) == "--map takes COLUMN=FIELD, such as --map \"Mobile=phone\", not '=phone'"
    with pytest.raises(StoreError) as info:
        parse_map(["Mobile=telephone"])
    assert str(info.value) == (
        "--map Mobile=telephone: unknown field 'telephone'; the fields are: name, first_name, middle_name, last_name, "
        "phone, email, opted_out, consent, lists, ignore"
    )


def test_header_inspection_of_an_empty_file_second_sheet_and_notes_over_several_lines(tmp_path):
    with pytest.raises(StoreError) as info:
        read_header(CsvSource.from_text("", name="e.csv"))
    assert str(info.value) == "e.csv has no rows"
    path = write_xlsx(tmp_path / "two.xlsx", {"A": [["Who"], ["Ann"]], "B": [["Cell"], [4155550132]], "E": []})
    assert [(c.title, c.sample) for c in read_header(CsvSource.from_path(path), sheet="B")] == [("Cell", "4155550132")]
    with pytest.raises(StoreError) as info:
        read_header(CsvSource.from_path(path), sheet="E")
    assert str(info.value) == f"{path}, sheet E has no rows"
    text = 'Who,Notes,Cell\nAnn Lee,"two\nlines",4155550132\n'
    assert [(c.title, c.sample) for c in read_header(CsvSource.from_text(text))] == [
        ("Who", "Ann Lee"), ("Notes", "two\nlines"), ("Cell", "4155550132")
    ]


def test_header_samples_skip_short_rows_and_look_at_the_first_50_rows_only():
    text = "A,B,C\nx\n,z,w\n" + ",,\n" * 48 + "late,late,late\n"
    assert [(c.title, c.sample) for c in read_header(CsvSource.from_text(text))] == [("A", "x"), ("B", "z"), ("C", "w")]
    text = "A,B\n" + "x,\n" * 50 + "x,late\n"
    assert [c.sample for c in read_header(CsvSource.from_text(text))] == ["x", ""]


def test_a_vcard_file_takes_no_mapping_and_no_sheet(tmp_path):
    from store.transfer.mapping import contacts_table

    path = tmp_path / "c.vcf"
    path.write_text(vcard("Ann", tels=[("4155550132", [])]), encoding="utf-8")
    with pytest.raises(StoreError) as info:
        contacts_table(CsvSource.from_path(path), mapping={"Mobile": "phone"})
    assert str(info.value) == f"{path} is a vCard file: its fields are known, there are no columns to map"
    with pytest.raises(StoreError) as info:
        contacts_table(CsvSource.from_path(path), sheet="S")
    assert str(info.value) == f"{path} is a vCard file, which has no sheets; leave out the sheet name"


def test_a_sheet_without_a_header_names_its_columns_by_position_and_checks_number_cells(tmp_path):
    from store.transfer.mapping import contacts_table

    path = write_xlsx(tmp_path / "n.xlsx", {"S": [["Ann Lee", 4155550132.5]]})
    read = contacts_table(CsvSource.from_path(path))
    assert read.labels == {"name": "column A (Full Name)", "phone": "column B (Phone)", "email": "column C (Email)"}
    assert list(read.cell_problems) == [(1, "phone")]


def test_a_column_without_any_value_is_listed_without_a_sample():
    error = refusal("Given,Notes,Cell\nAnn,,4155550132\n", skip_first_line=True)
    assert "which is which: Given (e.g. Ann), Notes, Cell (e.g. 4155550132).\n" in str(error)


def test_an_export_does_not_list_its_other_columns_as_ignored(store):
    plan = import_csv(store, CsvSource.from_text(OUTLOOK, name="outlook.csv"))
    assert "ignored columns" not in plan.summary()


def test_the_row_limit_holds_without_a_header():
    assert len(table("Ann Lee,4155550132\nBob Stone,4155550147\n", max_rows=2).rows) == 2
    error = refusal("Ann Lee,4155550132\nBob Stone,4155550147\nCara Diaz,4155550163\n", max_rows=2)
    assert str(error) == "m.csv has more than 2 rows, the import limit; split it into smaller files"
