"""Opt-out lists from another provider (store.consent.optouts): every number is suppressed, its contact
opted out with consent Declined; never a new contact, never an opt-in; a bad number refuses all."""

from __future__ import annotations

import json

import pytest

from store import Store
from store.consent.replies import record_reply
from store.transfer.csv_format import CsvError, CsvSource
from store.transfer.importer import ImportRefused
from store.consent.optouts import import_optouts, preview_optouts

from .conftest import ANN_PHONE, BOB_PHONE

CY_PHONE = "+13125550101"


def optouts(store: Store, text: str, name: str = "old-provider.csv", **options):
    return import_optouts(store, CsvSource.from_text(text, name=name), **options)


def test_every_number_is_suppressed_and_no_contact_is_created(store, ann, on_disk):
    plan = optouts(store, f"{BOB_PHONE}\n(312) 555-0101\n")
    assert on_disk() == {BOB_PHONE, CY_PHONE}
    assert store.count() == 1
    assert (plan.numbers, plan.new_suppressed, plan.contacts_opted_out) == (2, 2, 0)
    assert store.add_contact("Bob", BOB_PHONE).opted_out  # added later: opted out already


def test_a_contact_on_the_list_is_opted_out_declined_with_history_naming_the_file(store, ann, on_disk):
    optouts(store, "phone\n415.555.0132\n", name="twilio-optouts.csv")
    doc = on_disk(ann.id)
    assert doc["opted_out"] is True and doc["consent"] == "declined"
    fields = [(h["field"], h["from"], h["to"]) for h in doc["history"]]
    assert fields == [("opted_out", False, True), ("consent", "not_sent", "declined")]
    assert all("twilio-optouts.csv" in h["detail"] and "line 2" in h["detail"] for h in doc["history"])
    assert all(h["by"] == "alice" for h in doc["history"])
    assert ANN_PHONE in on_disk()


def test_an_already_opted_out_contact_only_gets_consent_declined(store, ann, on_disk):
    store.opt_out(ann.id)
    plan = optouts(store, ANN_PHONE)
    doc = on_disk(ann.id)
    assert doc["history"][-1]["field"] == "consent" and doc["consent"] == "declined"
    assert len(doc["history"]) == 2
    assert plan.contacts_opted_out == 1


def test_a_contact_already_out_and_declined_is_left_alone_and_a_second_run_writes_nothing(store, ann, unchanged):
    record_reply(store, ANN_PHONE, "STOP")
    first = optouts(store, ANN_PHONE)
    assert (first.new_suppressed, first.contacts_opted_out, first.already) == (1, 0, 1)
    with unchanged():
        again = optouts(store, ANN_PHONE)
    assert (again.new_suppressed, again.contacts_opted_out, again.already) == (0, 0, 1)


def test_pending_reviews_are_resolved_by_the_opt_out(store, ann):
    record_reply(store, ANN_PHONE, "please stop texting me")
    optouts(store, ANN_PHONE)
    review = store.get(ann.id).review
    assert review[0]["resolved_at"] and review[0]["resolution"].startswith("opted_out")


def test_it_never_opts_anyone_in(store, ann, on_disk):
    """Only numbers on the list change; a START reply later still works as before."""
    bob = store.add_contact("Bob", BOB_PHONE)
    store.opt_out(bob.id)
    optouts(store, ANN_PHONE)
    assert store.get(bob.id).opted_out
    assert on_disk() == {ANN_PHONE}


def test_header_named_like_phone_picks_that_column(store, ann):
    text = "Account Number,Date,Mobile Phone\n12345,2024-01-02,415 555 0132\n999,2024-01-03,+1 212 555 0100\n"
    plan = optouts(store, text)
    assert plan.column == "Mobile Phone"
    assert store.get(ann.id).opted_out
    assert store.is_suppressed(BOB_PHONE)


@pytest.mark.parametrize("header", ["number", "Phone Number", "phone_number", "MOBILE", "Cell", "msisdn"])
def test_headers_that_name_a_number(store, header):
    plan = optouts(store, f"{header},reason\n{BOB_PHONE},STOP\n")
    assert plan.column == header and plan.numbers == 1


def test_without_a_header_the_first_column_is_used(store):
    plan = optouts(store, f"{BOB_PHONE},2024-01-02,stop\n{CY_PHONE},2024-01-03,stop\n")
    assert plan.column is None and plan.numbers == 2


def test_plain_text_one_number_a_line_with_blank_lines_bom_and_crlf(store):
    data = b"\xef\xbb\xbf+1 212 555 0100\r\n\r\n(312) 555-0101\r\n"
    plan = import_optouts(store, CsvSource.from_bytes(data, name="numbers.txt"))
    assert plan.numbers == 2 and store.suppressed_phones() >= {BOB_PHONE, CY_PHONE}


def test_duplicates_are_counted_once(store):
    plan = optouts(store, f"{BOB_PHONE}\n212-555-0100\n{BOB_PHONE}\n")
    assert (plan.rows_read, plan.numbers, plan.duplicates) == (3, 1, 2)


def test_bad_numbers_refuse_the_whole_file_with_line_numbers(store, ann, db_path, unchanged):
    text = f"phone\n{BOB_PHONE}\nnot a number\n\n12\n{CY_PHONE}\n"
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, text)
    assert [p.line for p in caught.value.problems] == [3, 5]
    message = str(caught.value)
    assert "line 3, Phone:" in message and "line 5, Phone:" in message
    assert "nothing was" in message
    assert not store.get(ann.id).opted_out and not store.is_suppressed(BOB_PHONE)


def test_an_empty_cell_in_the_number_column_is_a_problem(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, f"name,phone\nAnn,{BOB_PHONE}\nBob,\n")
    assert caught.value.problems[0].line == 3 and "required" in caught.value.problems[0].message


def test_control_characters_are_refused_with_their_position(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, f"{BOB_PHONE}\n+1 212\x1b[31m 555 0100\n")
    problem = caught.value.problems[0]
    assert problem.line == 2 and "control character" in problem.message


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\xff\xfe+\x001\x00", "UTF-16"),
        (b"PK\x03\x04rest", "spreadsheet"),
        ("+1 212 555 0100\n+1 312 555 \xe9\n".encode("latin-1"), "line 2"),
        (b"+12125550100\n\x00\x00\n", "NUL"),
        (b"", "no numbers"),
        (b"phone\n\n", "no numbers"),
        (b'"+12125550100\n+13125550101\n', "line 1"),
    ],
)
def test_unreadable_files_are_refused_and_change_nothing(store, unchanged, data, words):
    with unchanged(), pytest.raises((CsvError, ImportRefused)) as caught:
        import_optouts(store, CsvSource.from_bytes(data, name="bad.txt"))
    assert words in str(caught.value) and "bad.txt" in str(caught.value)


def test_huge_files_are_refused_before_reading(store, unchanged, tmp_path, monkeypatch):
    import store.consent.optouts as optouts_module

    path = tmp_path / "many.txt"
    path.write_text("".join(f"+1212555{i:04d}\n" for i in range(30)))
    monkeypatch.setattr(optouts_module, "MAX_ROWS", 20)
    with unchanged(), pytest.raises(CsvError, match="more than 20 rows"):
        import_optouts(store, CsvSource.from_path(path))


def test_skip_first_line_skips_a_header_it_does_not_recognise(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, f"Opted-out list\n{BOB_PHONE}\n")
    assert "Skip First Line" in str(caught.value)
    plan = optouts(store, f"Opted-out list\n{BOB_PHONE}\n", skip_first_line=True)
    assert plan.numbers == 1


def test_preview_writes_nothing_and_counts(store, ann, unchanged):
    with unchanged():
        plan = preview_optouts(store, CsvSource.from_text(f"{ANN_PHONE}\n{BOB_PHONE}\n", name="x.csv"))
    assert (plan.numbers, plan.new_suppressed, plan.contacts_opted_out) == (2, 2, 1)
    assert "Nothing written" in plan.summary(done=False)


def test_summary_says_what_happened(store, ann):
    plan = optouts(store, f"phone\n{ANN_PHONE}\n{BOB_PHONE}\n", name="old.csv")
    text = plan.summary()
    assert "old.csv" in text and "2 numbers" in text and "1 contact opted out" in text
    assert "column phone" in text


def test_one_atomic_write_for_the_whole_file(store, db_path, monkeypatch):
    for i in range(3):
        store.add_contact(f"C{i}", f"+1312555{i:04d}")
    writes = []
    real = store._storage.write
    monkeypatch.setattr(store._storage, "write", lambda data: (writes.append(1), real(data)))
    optouts(store, "".join(f"+1312555{i:04d}\n" for i in range(10)))
    assert len(writes) == 1
    data = json.loads(db_path.read_bytes())
    assert all(doc["opted_out"] for doc in data["contacts"].values())
    assert len(data["suppression"]) == 10


def test_many_numbers_and_contacts_at_once(store, db_path):
    """Many changed contacts at once keep the search and phone indexes right."""
    from store.transfer.importer import import_csv

    rows = "".join(f"C{i},+1312555{i:04d}\n" for i in range(1200))
    import_csv(store, CsvSource.from_text(rows))
    plan = optouts(store, "".join(f"+1312555{i:04d}\n" for i in range(0, 2400, 2)))
    assert plan.contacts_opted_out == 600 and plan.new_suppressed == 1200
    again = Store.open(db_path, user="bob")
    out = [c for c in again.contacts() if c.opted_out]
    assert len(out) == 600 and all(c.consent == "declined" for c in out)
    assert again.search("C1") and again.count() == 1200


def test_a_data_row_with_a_word_like_mobile_is_not_a_header(store):
    plan = optouts(store, f"{BOB_PHONE},mobile\n{CY_PHONE},landline\n")
    assert plan.column is None and plan.numbers == 2


def test_a_word_that_merely_contains_cell_is_not_a_number_column(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, f"Cancelled,Phone\nyes,{BOB_PHONE}\nno,not-a-number\n")
    assert [p.line for p in caught.value.problems] == [3]


def test_a_formula_mark_from_a_spreadsheet_export_is_removed(store):
    plan = optouts(store, f"'{BOB_PHONE}\n")
    assert plan.numbers == 1 and store.is_suppressed(BOB_PHONE)


def test_a_line_too_long_to_be_a_number_list_is_refused(store, unchanged):
    data = f"{BOB_PHONE}\n".encode() + b"9" * (2 * 1024 * 1024) + b"\n"
    with unchanged(), pytest.raises(CsvError, match="line 2: the line is longer than"):
        import_optouts(store, CsvSource.from_bytes(data, name="big.txt"))


def test_a_hundred_thousand_numbers_in_one_write(store, db_path):
    numbers = [f"+1312{i // 10000 + 200:03d}{i % 10000:04d}" for i in range(100_000)]
    plan = import_optouts(store, CsvSource.from_text("\n".join(numbers), name="big.txt"))
    assert plan.numbers == plan.new_suppressed == 100_000
    assert len(json.loads(db_path.read_bytes())["suppression"]) == 100_000


def test_another_reader_can_be_given(store):
    """A spreadsheet reader gives rows of cells numbered by row; the rules are the same."""
    from store.consent.optouts import Rows

    ann = store.add_contact("Ann", ANN_PHONE)
    rows = Rows("sheet.xlsx", "row", [(1, ["Mobile"]), (2, [ANN_PHONE])])
    plan = import_optouts(store, CsvSource.from_text("", name="sheet.xlsx"), read=lambda source: rows)
    assert plan.column == "Mobile" and plan.numbers == 1
    assert "sheet.xlsx, row 2" in store.get(ann.id).history[-1]["detail"]


def test_a_spreadsheet_opt_out_list_is_read_like_a_csv_one(store, ann, on_disk, tmp_path):
    """The issue: "CSV/xlsx/plain text". Numbers stored as numbers in the sheet are their digits."""
    from ..formats.writers import write_ods, write_xlsx

    rows = [("Mobile", "Note"), (4155550132, "from old provider"), ("(312) 555-0101", "")]
    for path in (write_xlsx(tmp_path / "optouts.xlsx", {"Opt-outs": rows}), write_ods(tmp_path / "optouts.ods", {"Opt-outs": rows})):
        plan = import_optouts(store, CsvSource.from_path(path))
        assert plan.column == "Mobile"
    assert on_disk() == {ann.phone, CY_PHONE}
    assert store.get(ann.id).opted_out


def test_a_spreadsheet_number_that_lost_digits_refuses_the_whole_list(store, ann, unchanged, tmp_path):
    from ..formats.writers import write_xlsx

    path = write_xlsx(tmp_path / "optouts.xlsx", {"Sheet1": [("Phone",), (4155550132.5,), ("(312) 555-0101",)]})
    with unchanged(), pytest.raises(ImportRefused, match="2"):
        import_optouts(store, CsvSource.from_path(path))


# -- pinned by mutation testing -------------------------------------------------------------------


def test_the_summary_gives_every_count_in_words(store, ann):
    plan = optouts(store, f"{BOB_PHONE}\n{ANN_PHONE}\n{BOB_PHONE}\n", name="o.csv")
    tail = (
        "2 numbers (first column, 1 repeated): 2 newly suppressed, 1 contact opted out (consent Declined), "
        "0 contacts already opted out; no contact created"
    )
    assert plan.summary() == f"Opt-out list o.csv: {tail}."
    assert plan.summary(done=False) == f"Preview of opt-out list o.csv: {tail}. Nothing written yet."
    plan = optouts(store, f"Opted-out list\n{CY_PHONE}\n", name="p.csv", skip_first_line=True)
    assert plan.summary() == (
        "Opt-out list p.csv: 1 number (first column, first line skipped): 1 newly suppressed, 0 contacts opted out "
        "(consent Declined), 0 contacts already opted out; no contact created."
    )
    plan = optouts(store, f" Mobile \n{ANN_PHONE}\n", name="q.csv")
    assert plan.column == "Mobile"
    assert plan.summary().startswith("Opt-out list q.csv: 1 number (column Mobile): 0 newly suppressed, 0 contacts opted out")
    assert plan.summary().endswith(", 1 contact already opted out; no contact created.")


@pytest.mark.parametrize("header", ["Telephone", "PhoneNumber", "Mobile.Phone"])
def test_a_number_word_inside_a_header_word_names_the_column(store, header):
    plan = optouts(store, f"reason,{header}\nSTOP,{BOB_PHONE}\n")
    assert plan.column == header and plan.numbers == 1


def test_a_phone_word_anywhere_in_a_header_beats_a_number_word(store):
    plan = optouts(store, f"Account Number,Best Phone Today\n12345,{BOB_PHONE}\n")
    assert plan.column == "Best Phone Today" and store.is_suppressed(BOB_PHONE)


def test_a_row_without_the_number_column_is_a_missing_number(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, f"name,phone\nAnn,{BOB_PHONE}\nBob\n")
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [(3, "Phone", "Phone is required")]


def test_a_bad_number_is_refused_with_the_phone_rules_message(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, f"{BOB_PHONE}\nfoo\n", name="b.csv")
    assert str(caught.value) == "b.csv: 1 problem, nothing was imported:\n  line 2, Phone: Phone 'foo' is not a phone number"


@pytest.mark.parametrize(
    "text",
    [
        "12\n+13125550102\n",  # the first line has digits: a bad number, not a header
        f"{BOB_PHONE}\nnumbers\n",  # the first line is fine, the bad one comes later
    ],
)
def test_the_skip_first_line_hint_is_given_only_for_a_first_line_that_looks_like_a_header(store, text):
    with pytest.raises(ImportRefused) as caught:
        optouts(store, text)
    assert caught.value.hint is None and "Skip First Line" not in str(caught.value)


def test_a_file_with_only_a_header_line_says_so(store, unchanged):
    with unchanged(), pytest.raises(CsvError) as caught:
        optouts(store, "phone\n", name="b.csv")
    assert str(caught.value) == "b.csv has a header line but no numbers"


def test_a_spreadsheet_number_that_lost_digits_is_named_on_its_row(store, ann, unchanged, tmp_path):
    from ..formats.writers import write_xlsx

    path = write_xlsx(tmp_path / "optouts.xlsx", {"Sheet1": [("Phone",), ("(312) 555-0101",), (4155550132.5,), ("foo",)]})
    with unchanged(), pytest.raises(ImportRefused) as caught:
        import_optouts(store, CsvSource.from_path(path))
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [
        (3, "Phone", "4155550132.5 is a number with decimals, not a phone number: format the column as Text in the spreadsheet"),
        (4, "Phone", "Phone 'foo' is not a phone number"),
    ]


def test_the_history_names_the_sheet_and_row_of_a_spreadsheet(store, ann, tmp_path):
    from ..formats.writers import write_xlsx

    path = write_xlsx(tmp_path / "optouts.xlsx", {"Opt-outs": [("Mobile",), (4155550132,)]})
    import_optouts(store, CsvSource.from_path(path))
    assert store.get(ann.id).history[-1]["detail"] == f"on the opt-out list {path} (sheet Opt-outs), row 2"


def test_a_number_without_a_contact_does_not_stop_the_contacts_after_it(store, ann):
    plan = optouts(store, f"{BOB_PHONE}\n{ANN_PHONE}\n")
    assert store.get(ann.id).opted_out and plan.contacts_opted_out == 1


def test_the_history_names_the_line_a_repeated_number_first_appears_on(store, ann):
    optouts(store, f"{BOB_PHONE}\n{ANN_PHONE}\n{ANN_PHONE}\n")
    assert store.get(ann.id).history[-1]["detail"] == "on the opt-out list old-provider.csv, line 2"


def test_what_the_opt_out_records_on_the_contact_and_the_suppression_list(store, ann, db_path):
    optouts(store, ANN_PHONE, name="twilio.csv")
    data = json.loads(db_path.read_bytes())
    doc = data["contacts"][str(ann.id)]
    at = doc["history"][-1]["at"]
    assert [h["source"] for h in doc["history"]] == ["import", "import"]
    assert doc["consent_changed_at"] == doc["updated_at"] == at
    assert [(row["phone"], row["reason"]) for row in data["suppression"].values()] == [(ANN_PHONE, "on the opt-out list twilio.csv")]


def test_reviews_are_resolved_by_whoever_imported_the_list_and_earlier_decisions_stay(store, ann, db_path):
    from store.consent.replies import resolve_review

    record_reply(store, ANN_PHONE, "please stop texting me")
    first = resolve_review(store, ann.id, opt_out=False).review[0]
    record_reply(store, ANN_PHONE, "please stop texting me")
    bob = Store.open(db_path, user="bob")
    store.set_role("bob", "admin")
    optouts(bob, ANN_PHONE)
    earlier, pending = bob.get(ann.id).review
    assert earlier == first
    assert pending["resolved_by"] == "bob" and pending["resolution"] == "opted_out by opt-out list"
    assert pending["text"] == "please stop texting me" and pending["by"] == "alice"


def test_a_contact_out_and_declined_with_a_review_pending_still_gets_it_resolved(store, ann):
    with store.transaction() as tx:
        doc = dict(tx.data["contacts"][str(ann.id)], opted_out=True, consent="declined",
                   review=[{"at": tx.now, "text": "please stop texting me", "by": "alice"}])
        tx.put_contact(ann.id, doc)
    plan = optouts(store, ANN_PHONE)
    assert (plan.contacts_opted_out, plan.already) == (1, 0)
    assert store.get(ann.id).review[0]["resolution"] == "opted_out by opt-out list"


def test_a_contact_without_a_consent_field_is_recorded_as_not_sent_before(store, ann):
    with store.transaction() as tx:
        doc = dict(tx.data["contacts"][str(ann.id)])
        del doc["consent"]
        tx.put_contact(ann.id, doc)
    optouts(store, ANN_PHONE)
    assert [(h["field"], h["from"]) for h in store.get(ann.id).history] == [("opted_out", False), ("consent", "not_sent")]


def test_a_changed_default_region_stops_the_import_before_anything_is_written(store, ann, db_path, unchanged):
    from store.consent.optouts import apply_optouts, plan_optouts
    from store.errors import StoreError

    plan = plan_optouts(store, CsvSource.from_text("(415) 555-0132\n", name="o.csv"))
    admin = Store.open(db_path, user="alice")
    admin.set_default_region("GB")
    with unchanged(), pytest.raises(StoreError) as caught:
        apply_optouts(store, plan)
    assert str(caught.value) == (
        "The default region changed to GB while the file was being checked (it was US); run the import again"
    )
    assert not store.get(ann.id).opted_out


def test_every_contact_already_out_is_counted(store, ann):
    bob = store.add_contact("Bob", BOB_PHONE)
    for contact in (ann, bob):
        record_reply(store, contact.phone, "STOP")
    assert optouts(store, f"{ANN_PHONE}\n{BOB_PHONE}\n").already == 2


def test_a_data_row_with_a_national_number_and_a_word_like_mobile_is_not_a_header(store):
    plan = optouts(store, "(212) 555-0100,mobile\n(312) 555-0101,landline\n")
    assert plan.column is None and plan.numbers == 2


def test_a_contact_out_and_declined_whose_reviews_are_all_decided_is_left_alone(store, ann):
    from store.consent.replies import resolve_review

    record_reply(store, ANN_PHONE, "please stop texting me")
    before = resolve_review(store, ann.id, opt_out=True)
    plan = optouts(store, ANN_PHONE)
    assert (plan.contacts_opted_out, plan.already) == (0, 1)
    assert store.get(ann.id) == before


@pytest.mark.parametrize("consent, history", [
    ("declined", [("opted_out", False, True)]),
    ("sent", [("opted_out", False, True), ("consent", "sent", "declined")]),
])
def test_the_history_records_only_what_changed_from_what_it_was(store, ann, consent, history):
    with store.transaction() as tx:
        tx.put_contact(ann.id, dict(tx.data["contacts"][str(ann.id)], consent=consent))
    optouts(store, ANN_PHONE)
    assert [(h["field"], h["from"], h["to"]) for h in store.get(ann.id).history] == history


def test_a_contact_stored_without_history_or_review_is_opted_out(store, db_path):
    with store.transaction() as tx:
        tx.put_contact(tx.new_id("contacts"), {"name": "Ann Lee", "phone": ANN_PHONE})
    optouts(store, ANN_PHONE)
    ann = Store.open(db_path, user="x").find(ANN_PHONE)
    assert ann.opted_out and ann.consent == "declined" and len(ann.history) == 2


def test_a_bad_number_a_spreadsheet_marked_as_text_is_shown_without_the_mark(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as caught:
        optouts(store, "'+1 212\n")
    assert caught.value.problems[0].message == "Phone '+1 212' is too short for a number in US"


def test_a_preview_takes_the_same_options_as_the_import(store, unchanged):
    with unchanged():
        plan = preview_optouts(store, CsvSource.from_text(f"Opted-out list\n{BOB_PHONE}\n", name="x.csv"), skip_first_line=True)
    assert plan.first_line_skipped and plan.numbers == 1

def test_the_sample_opt_out_list_previews_as_numbers_and_creates_nothing(store, ann, unchanged):
    from store.consent.optouts import preview_optouts, sample_optouts

    text = sample_optouts()
    assert text.splitlines()[0] == "Phone" and text.endswith("\n")
    with unchanged():
        plan = preview_optouts(store, CsvSource.from_text(text, name="sample-optouts.csv"))
    assert plan.numbers == len(text.splitlines()) - 1 >= 3  # a header, then one number a line
    assert plan.contacts_opted_out == 0  # its numbers are nobody's in a new account
