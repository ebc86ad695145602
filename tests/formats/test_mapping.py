"""Google and Outlook exports are recognised by their headers; any other header needs a
mapping (--map "Column=field" or the app's pickers), else it is refused naming its columns."""

from __future__ import annotations

import pytest

from store import StoreError
from store.transfer.csv_format import CsvSource
from store.transfer.importer import import_csv
from store.transfer.mapping import FIELDS, MappingNeeded, guess_fields, parse_map, read_header

from ..csv.helpers import stored
from .writers import write_xlsx

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
