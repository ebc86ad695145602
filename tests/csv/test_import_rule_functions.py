"""The import rules of store/import_rules.py, one function at a time (no file, no store).

Each test names a rule that mutation testing found unguarded; the end-to-end import tests are in
test_import_rules.py. Equivalent mutants are listed in tests/mutation_equivalents.md.
"""

from __future__ import annotations

import pytest

from store import ValidationError
from store.transfer.import_rules import (
    Context,
    Entry,
    Problem,
    _consent,
    _yes_no,
    contact_doc,
    entry_from_row,
    entry_reader,
    merge_duplicate,
    shown,
    split_list_names,
)
from store.model import new_contact_doc

PHONE = "+14155550132"


def entry(line: int = 2, name: str = "Ann", email: str | None = None, opted_out: bool = False,
          consent: str | None = None, lists: tuple[str, ...] = ()) -> Entry:
    return Entry(line, line, name, PHONE, email, opted_out, consent, lists)


def ctx(now: str = "2030-01-01T00:00:09Z", suppressed: set[str] | None = None, keep_confirmed: bool = False) -> Context:
    return Context(now=now, user="alice", source="sales.csv", keep_confirmed=keep_confirmed, suppressed=suppressed or set())


def stored(**fields) -> dict:
    doc = new_contact_doc("Ann", PHONE, "ann@example.com", [1], "2030-01-01T00:00:01Z")
    doc.update(fields)
    return doc


def refusal(call, *args) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        call(*args)
    return err.value.errors


# -- two rows for one phone in one file ---------------------------------------------------------


def test_an_earlier_declined_consent_survives_a_later_row():
    merged = merge_duplicate(entry(2, consent="declined"), entry(5, consent="confirmed"))
    assert merged.consent == "declined"
    assert merge_duplicate(entry(2, consent="sent"), entry(5, consent="declined")).consent == "declined"


def test_a_later_row_without_consent_keeps_the_earlier_rows():
    assert merge_duplicate(entry(2, consent="sent"), entry(5, consent=None)).consent == "sent"
    assert merge_duplicate(entry(2, consent="sent"), entry(5, consent="confirmed")).consent == "confirmed"


def test_list_names_of_both_rows_add_up_once_each():
    merged = merge_duplicate(entry(2, lists=("VIP", "Promo")), entry(5, lists=("Promo", "East")))
    assert merged.lists == ("VIP", "Promo", "East")


def test_the_later_row_wins_name_and_email_but_an_empty_email_keeps_the_earlier():
    merged = merge_duplicate(entry(2, name="Ann", email="a@x.com"), entry(5, name="Ann Lee", email=None))
    assert (merged.first_line, merged.line, merged.name, merged.email) == (2, 5, "Ann Lee", "a@x.com")
    assert merge_duplicate(entry(2, email="a@x.com"), entry(5, email="b@x.com")).email == "b@x.com"


def test_an_opt_out_in_either_row_is_kept():
    assert merge_duplicate(entry(2, opted_out=True), entry(5)).opted_out is True
    assert merge_duplicate(entry(2), entry(5, opted_out=True)).opted_out is True
    assert merge_duplicate(entry(2), entry(5)).opted_out is False


# -- an existing contact ---------------------------------------------------------------------------


def test_an_update_bumps_updated_at_and_no_change_returns_the_stored_doc_itself():
    old = stored()
    doc = contact_doc(old, entry(name="Ann Lee"), [], ctx())
    assert (doc["name"], doc["updated_at"]) == ("Ann Lee", "2030-01-01T00:00:09Z")
    assert old["name"] == "Ann"  # a new dict: the stored one is not edited
    assert contact_doc(old, entry(), [1], ctx()) is old


def test_importing_an_opted_out_row_again_adds_no_history():
    once = contact_doc(stored(), entry(opted_out=True), [], ctx())
    assert [(h["field"], h["source"], h["detail"]) for h in once["history"]] == [
        ("opted_out", "import", "Opted Out = yes in sales.csv, line 2")
    ]
    assert contact_doc(once, entry(opted_out=True), [], ctx("2030-01-01T00:01:00Z")) is once


def test_list_memberships_are_never_duplicated():
    doc = contact_doc(stored(lists=[1]), entry(), [1, 2, 2, 1], ctx())
    assert doc["lists"] == [1, 2]
    new = contact_doc(None, entry(), [3, 3, 4], ctx())
    assert new["lists"] == [3, 4]


def test_an_empty_email_cell_keeps_the_stored_email_and_a_filled_one_replaces_it():
    assert contact_doc(stored(), entry(email=None), [1], ctx())["email"] == "ann@example.com"
    assert contact_doc(stored(), entry(email="new@example.com"), [1], ctx())["email"] == "new@example.com"


def test_only_declined_consent_moves_an_existing_contact():
    assert contact_doc(stored(consent="sent"), entry(consent="confirmed"), [1], ctx())["consent"] == "sent"
    doc = contact_doc(stored(consent="sent"), entry(consent="declined"), [1], ctx())
    assert (doc["consent"], doc["consent_changed_at"]) == ("declined", "2030-01-01T00:00:09Z")
    assert [(h["from"], h["to"], h["detail"]) for h in doc["history"]] == [("sent", "declined", "Consent in sales.csv, line 2")]
    already = stored(consent="declined")
    assert contact_doc(already, entry(consent="declined"), [1], ctx()) is already


# -- a new contact ---------------------------------------------------------------------------------


def test_a_new_contact_recorded_as_confirmed_is_stored_as_sent_unless_restoring():
    doc = contact_doc(None, entry(consent="confirmed"), [], ctx())
    assert doc["consent"] == "sent"
    assert doc["history"][0]["detail"] == "sales.csv, line 2 says confirmed; an import records it as sent"
    kept = contact_doc(None, entry(consent="confirmed"), [], ctx(keep_confirmed=True))
    assert kept["consent"] == "confirmed" and kept["history"][0]["detail"] == "Consent in sales.csv, line 2"
    assert [(h["field"], h["from"], h["to"], h["source"], h["by"], h["at"]) for h in kept["history"]] == [
        ("consent", "not_sent", "confirmed", "import", "alice", "2030-01-01T00:00:09Z")
    ]


def test_a_new_contact_with_not_sent_or_no_consent_has_no_history():
    for consent in (None, "not_sent"):
        doc = contact_doc(None, entry(consent=consent), [], ctx())
        assert (doc["consent"], doc["history"], doc["consent_changed_at"]) == ("not_sent", [], None)


def test_a_suppressed_number_is_created_opted_out_by_the_suppression_only():
    doc = contact_doc(None, entry(opted_out=True), [], ctx(suppressed={PHONE}))
    assert doc["opted_out"] is True
    assert [(h["source"], h["detail"]) for h in doc["history"]] == [("suppression", "number is on the opt-out list from before")]


def test_a_new_contact_opted_out_in_the_file_says_where():
    doc = contact_doc(None, entry(7, opted_out=True), [], Context("2030-01-01T00:00:09Z", "alice", "book.xlsx", False, set(), "row"))
    assert [(h["field"], h["from"], h["to"], h["source"], h["detail"]) for h in doc["history"]] == [
        ("opted_out", False, True, "import", "Opted Out = yes in book.xlsx, row 7")
    ]


# -- reading cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["yes", "Y", " y ", "TRUE", "1"])
def test_yes_words_opt_out(text):
    assert _yes_no(text) is True


@pytest.mark.parametrize("text", ["no", "N", "false", "0", "", "  "])
def test_no_words_and_empty_do_not(text):
    assert _yes_no(text) is False


def test_another_opted_out_word_is_refused_showing_at_most_40_characters():
    assert refusal(_yes_no, " maybe ") == {"opted_out": "Opted Out must be yes or no, not 'maybe'"}
    assert refusal(_yes_no, "x" * 50) == {"opted_out": f"Opted Out must be yes or no, not '{'x' * 40}'"}


@pytest.mark.parametrize("text, key", [
    ("Not sent", "not_sent"), ("not_sent", "not_sent"), ("NOT-SENT", "not_sent"), ("  not   sent ", "not_sent"),
    ("Sent", "sent"), ("confirmed", "confirmed"), ("Declined", "declined"), ("", None), ("  ", None),
])
def test_consent_words_in_any_spelling(text, key):
    assert _consent(text) == key


def test_another_consent_word_is_refused_listing_the_choices():
    assert refusal(_consent, " maybe ") == {"consent": "Consent must be one of not_sent, sent, confirmed, declined, not 'maybe'"}
    assert refusal(_consent, "y" * 50) == {"consent": f"Consent must be one of not_sent, sent, confirmed, declined, not '{'y' * 40}'"}


def test_a_row_with_several_bad_fields_names_each():
    errors = refusal(entry_from_row, 3, {"name": "", "phone": "12", "opted_out": "maybe", "consent": "perhaps", "lists": "ok;" + "l" * 101}, "US")
    assert set(errors) == {"name", "phone", "opted_out", "consent", "lists"}


def test_the_fast_row_reader_gives_what_the_full_one_gives():
    columns = ("name", "phone", "email", "opted_out", "consent", "lists")
    row = ["Ann", "415 555 0132", "ann@example.com", "y", "Sent", "VIP; Promo"]
    read = entry_reader(columns, "US")
    assert read(4, row) == entry_from_row(4, dict(zip(columns, row)), "US") == Entry(
        4, 4, "Ann", PHONE, "ann@example.com", True, "sent", ("VIP", " Promo")
    )
    only = entry_reader(("phone", "name"), "US")
    assert only(5, ["415 555 0132", "Ann"]) == Entry(5, 5, "Ann", PHONE, None, False, None, ())
    with_lists = entry_reader(("name", "phone", "lists"), "US")
    assert with_lists(6, ["Ann", "4155550132", "VIP"]) == Entry(6, 6, "Ann", PHONE, None, False, None, ("VIP",))
    with pytest.raises(ValidationError) as err:
        read(7, ["", "415 555 0132", "", "maybe", "", ""])
    assert set(err.value.errors) == {"name", "opted_out"}


def test_list_pieces_that_together_name_a_known_list_are_joined_again():
    known = {"a;b": 1, "c": 2}
    assert split_list_names(("a", "b ", " c", "d"), known) == ["a;b", "c", "d"]
    assert split_list_names(("A", "B"), known) == ["A;B"]
    assert split_list_names((" x ",), {}) == ["x"]


def test_a_problem_says_where_and_which_field():
    assert str(Problem(4, "Phone", "is too short")) == "line 4, Phone: is too short"
    assert str(Problem(4, "Phone", "is too short", "sheet Contacts, row 4")) == "sheet Contacts, row 4, Phone: is too short"


def test_the_preview_shows_a_contact_as_it_will_be_stored():
    doc = contact_doc(None, entry(opted_out=True, email="a@x.com"), [1, 9], ctx())
    assert shown(2, doc, {1: "VIP"}) == {
        "line": 2, "name": "Ann", "phone": PHONE, "email": "a@x.com", "opted_out": True,
        "consent": "not_sent", "lists": ["VIP", "?"],
    }
    bare = {"name": "Ann", "phone": PHONE}
    assert shown(3, bare, {}) == {
        "line": 3, "name": "Ann", "phone": PHONE, "email": None, "opted_out": False, "consent": "not_sent", "lists": [],
    }


def test_a_row_without_a_name_or_phone_is_refused_for_both():
    assert refusal(entry_from_row, 2, {"email": "a@b.co"}, "US") == {"name": "Full Name is required", "phone": "Phone is required"}


def test_the_longest_run_of_pieces_naming_a_known_list_is_joined_first():
    assert split_list_names(("a", "b", "c"), {"a;b": 1}) == ["a;b", "c"]
    assert split_list_names(("a", "b", "c"), {"a;b": 1, "a;b;c": 2}) == ["a;b;c"]


def test_a_stored_contact_without_history_or_consent_fields_gets_both_on_import():
    old = {key: value for key, value in stored().items() if key not in ("history", "consent")}
    doc = contact_doc(old, entry(opted_out=True, consent="declined"), [1], ctx())
    assert [(h["field"], h["from"], h["to"]) for h in doc["history"]] == [
        ("opted_out", False, True),
        ("consent", "not_sent", "declined"),
    ]


def test_a_stored_contact_without_a_lists_field_joins_the_lists_named():
    old = {key: value for key, value in stored().items() if key != "lists"}
    assert contact_doc(old, entry(), [2, 3], ctx())["lists"] == [2, 3]


def test_the_preview_shows_the_consent_as_it_will_be_stored():
    doc = contact_doc(None, entry(consent="declined"), [], ctx())
    assert shown(2, doc, {})["consent"] == "declined"


def test_an_import_appends_to_the_history_and_keeps_what_was_there():
    earlier = {"at": "2029-01-01T00:00:00Z", "field": "consent", "from": "not_sent", "to": "sent",
               "source": "manual", "by": "bob", "detail": "marked sent"}
    doc = contact_doc(stored(history=[earlier], consent="sent"), entry(opted_out=True, consent="declined"), [1], ctx())
    assert doc["history"][0] == earlier and [h["field"] for h in doc["history"]] == ["consent", "opted_out", "consent"]
    bare = {key: value for key, value in stored().items() if key != "history"}
    declined = contact_doc(bare, entry(consent="declined"), [1], ctx())
    assert [(h["field"], h["to"]) for h in declined["history"]] == [("consent", "declined")]
