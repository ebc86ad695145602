"""What an import does to the data: updates, duplicates, lists, opt-outs, consent, atomicity."""

from __future__ import annotations

import pytest

from store import NotFound, Store, StoreError
from store.transfer.csv_format import CsvSource, neutralise, unneutralise
from store.transfer.importer import ImportRefused, apply_plan, preview

from .helpers import run_import, stored

HEADER = "Full Name,Phone,Email,Opted Out,Consent,Lists\n"


def test_existing_phone_updates_name_and_email_in_any_format(store):
    ann = store.add_contact("Ann", "+14155550132", "old@example.com")
    plan = run_import(store, "Ann Lee,(415) 555-0132,new@example.com\n")
    assert (plan.new, plan.updated) == (0, 1)
    assert store.get(ann.id).name == "Ann Lee" and store.get(ann.id).email == "new@example.com"
    assert store.count() == 1


def test_empty_email_cell_keeps_the_stored_email(store):
    ann = store.add_contact("Ann", "+14155550132", "ann@example.com")
    run_import(store, "Ann Lee,415 555 0132,\n")
    assert store.get(ann.id).email == "ann@example.com"


def test_reimporting_the_same_file_changes_nothing(store, unchanged):
    run_import(store, "Ann Lee,415 555 0132,ann@example.com\n")
    with unchanged():
        plan = run_import(store, "Ann Lee,415 555 0132,ann@example.com\n")
    assert (plan.new, plan.updated, plan.unchanged) == (0, 0, 1)


def test_duplicate_phones_in_the_file_are_merged_later_row_wins(store):
    plan = run_import(store, "Ann,415 555 0132,ann@example.com\nBob,415 555 0147,\nAnn Lee,+1 415-555-0132,\n")
    assert (plan.rows_read, plan.new, plan.merged_duplicates) == (3, 2, 1)
    assert "1 merged duplicate." in plan.summary()
    assert stored(store) == [("Ann Lee", "+14155550132", "ann@example.com"), ("Bob", "+14155550147", None)]


def test_import_into_selected_list_adds_new_and_updated_contacts(store):
    vip = store.add_list("VIP")
    other = store.add_list("Other")
    ann = store.add_contact("Ann", "+14155550132", lists=["Other"])
    run_import(store, "Ann,415 555 0132\nBob,415 555 0147\n", list_name="vip")
    assert store.members(vip.id) == {c.id for c in store.contacts()}
    assert set(store.get(ann.id).lists) == {vip.id, other.id}  # never removed from a list


def test_unknown_selected_list_is_not_found_and_nothing_written(store, unchanged):
    with unchanged(), pytest.raises(NotFound):
        run_import(store, "Ann,415 555 0132\n", list_name="Nope")


def test_list_removed_between_preview_and_apply_writes_nothing(store, db_path, unchanged):
    store.add_list("VIP")
    plan = preview(store, CsvSource.from_text("Ann,415 555 0132\n"), list_name="VIP")
    Store.open(db_path, user="alice").delete_list("VIP")  # another process (an admin)
    with unchanged(), pytest.raises(NotFound):
        apply_plan(store, plan)


def test_apply_uses_the_newest_data_to_tell_new_from_existing(store, db_path):
    plan = preview(store, CsvSource.from_text("Ann Lee,415 555 0132,ann@example.com\n"))
    assert plan.new == 1
    other = Store.open(db_path, user="bob")
    ann = other.add_contact("Ann", "415 555 0132")  # written by someone else meanwhile
    apply_plan(store, plan)
    assert (plan.new, plan.updated) == (0, 1)
    assert store.count() == 1 and store.get(ann.id).name == "Ann Lee"


def test_lists_column_creates_missing_lists_and_reuses_existing(store):
    vip = store.add_list("VIP")
    plan = run_import(store, HEADER + "Ann,'+14155550132,,no,not_sent,vip;Spring promo\n", skip_first_line=True)
    assert plan.lists_created == ["Spring promo"]
    spring = store.get_list("Spring promo")
    assert set(store.contacts()[0].lists) == {vip.id, spring.id}


def test_list_name_containing_a_semicolon_matches_an_existing_list(store):
    odd = store.add_list("A;B")
    run_import(store, HEADER + "Ann,'+14155550132,,no,not_sent,A;B\n", skip_first_line=True)
    assert store.contacts()[0].lists == (odd.id,)
    assert [lst.name for lst in store.lists()] == ["A;B"]


def test_preview_writes_nothing_and_shows_rows_as_stored(store, unchanged):
    store.add_contact("Ann", "+14155550132")
    with unchanged():
        plan = preview(store, CsvSource.from_text("Ann Lee,415 555 0132\nBob,(415) 555-0147, bob@example.com \n"))
    assert (plan.new, plan.updated) == (1, 1)
    assert plan.preview_rows[1] == {
        "line": 2,
        "name": "Bob",
        "phone": "+14155550147",
        "email": "bob@example.com",
        "opted_out": False,
        "consent": "not_sent",
        "lists": [],
    }
    assert "Nothing written" in plan.summary(done=False)


def test_at_most_twenty_problems_are_listed_then_a_count(store, unchanged):
    text = "".join(f"Person {i},not a phone\n" for i in range(25))
    with unchanged(), pytest.raises(ImportRefused) as info:
        run_import(store, text)
    message = str(info.value)
    assert len(info.value.problems) == 25
    assert "line 20, Phone" in message and "line 21, Phone" not in message
    assert "and 5 more" in message


def test_several_bad_fields_on_one_line_are_all_reported(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused) as info:
        run_import(store, HEADER + ",12,x@,maybe,perhaps,\n", skip_first_line=True)
    assert {p.field for p in info.value.problems} == {"Full Name", "Phone", "Email", "Opted Out", "Consent"}
    assert {p.line for p in info.value.problems} == {2}


def test_control_characters_in_names_are_refused(store, unchanged):
    with unchanged(), pytest.raises(ImportRefused, match="line 1, Full Name: Full Name contains a control character"):
        run_import(store, "Ann\x1b[31m,415 555 0132\n")


def test_progress_is_reported_every_thousand_rows(store):
    calls = []
    text = "".join(f"Person {i},+1 415 555 01{i % 100:02d}\n" for i in range(2500))
    run_import(store, text, progress=lambda done, total: calls.append((done, total)))
    assert calls[:2] == [(1000, 2500), (2000, 2500)]
    assert calls[-1] == (2500, 2500)


def test_large_import_is_one_table_swap_and_keeps_the_index_right(store):
    text = "".join(f"Person {i:04d},+1 212 555 {i:04d}\n" for i in range(100, 1100))
    store.add_contact("Zed", "+12125550100")
    plan = run_import(store, text)
    assert (plan.new, plan.updated) == (999, 1)
    assert store.count() == 1000
    assert store.find("+1 212 555 0100").name == "Person 0100"
    assert store.search("Person 1099") == [store.id_for_phone("+12125551099")]


def test_region_change_during_import_is_refused(store, db_path, unchanged):
    plan = preview(store, CsvSource.from_text("Ann,415 555 0132\n"))
    Store.open(db_path, user="alice").set_default_region("GB")
    store.refresh()
    with unchanged(), pytest.raises(StoreError, match="default region changed"):
        apply_plan(store, plan)


# -- opt-outs and consent only move the safe way ----------------------------------------------


def test_reimport_never_opts_in_nor_raises_consent(store, unchanged):
    out = store.add_contact("Out", "+14155550132", opted_out=True)
    run_import(store, HEADER + "Low,'+14155550147,,no,not_sent,\n", skip_first_line=True)
    low = store.find("+14155550147")
    text = HEADER + "Out,'+14155550132,,no,confirmed,\nLow,'+14155550147,,no,confirmed,\n"
    with unchanged():
        run_import(store, text, skip_first_line=True, keep_confirmed=True)
    assert store.get(out.id).opted_out is True
    assert store.get(low.id).consent == "not_sent"


def test_declined_is_never_changed_by_an_import(store):
    run_import(store, HEADER + "Ann,'+14155550132,,no,declined,\n", skip_first_line=True)
    run_import(store, HEADER + "Ann,'+14155550132,,no,sent,\n", skip_first_line=True)
    assert store.contacts()[0].consent == "declined"


def test_declined_in_a_file_lowers_an_existing_contact(store):
    run_import(store, HEADER + "Ann,'+14155550132,,no,sent,\n", skip_first_line=True)
    run_import(store, HEADER + "Ann,'+14155550132,,no,declined,\n", skip_first_line=True)
    contact = store.contacts()[0]
    assert contact.consent == "declined"
    assert contact.history[-1]["field"] == "consent" and contact.history[-1]["source"] == "import"


def test_new_contact_confirmed_from_a_file_is_stored_as_sent(store):
    run_import(store, HEADER + "Ann,'+14155550132,,no,confirmed,\n", skip_first_line=True)
    contact = store.contacts()[0]
    assert contact.consent == "sent"
    assert "records it as sent" in contact.history[-1]["detail"]


def test_keep_confirmed_restores_confirmed_for_new_contacts(store):
    run_import(store, HEADER + "Ann,'+14155550132,,no,Confirmed,\n", skip_first_line=True, keep_confirmed=True)
    assert store.contacts()[0].consent == "confirmed"


def test_opted_out_column_opts_out_with_an_import_history_entry(store):
    ann = store.add_contact("Ann", "+14155550132")
    run_import(store, HEADER + "Ann,'+14155550132,,yes,,\nBob,'+14155550147,,YES,,\n", skip_first_line=True)
    for contact in store.contacts():
        assert contact.opted_out
        assert contact.history[-1]["source"] == "import" and contact.history[-1]["field"] == "opted_out"
    assert "line 2" in store.get(ann.id).history[-1]["detail"]


def test_duplicate_rows_keep_an_opt_out_from_either_row(store):
    run_import(store, HEADER + "Ann,'+14155550132,,yes,,\nAnn Lee,'+14155550132,,no,,\n", skip_first_line=True)
    assert store.contacts()[0].opted_out and store.contacts()[0].name == "Ann Lee"


def test_suppressed_number_is_created_already_opted_out(store):
    ann = store.add_contact("Ann", "+14155550132", opted_out=True)
    store.delete_contact(ann.id)
    assert store.is_suppressed("+14155550132")
    run_import(store, "Ann Again,415 555 0132\n")
    again = store.contacts()[0]
    assert again.opted_out and again.history[-1]["source"] == "suppression"


# -- formula neutralisation -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1415", "-x", "@me", "'=x", "''+y", "'plain", "plain", "'", ""])
def test_neutralise_round_trips(value):
    assert unneutralise(neutralise(value)) == value


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1415", "-x", "@me", "\tx", "\rx"])
def test_neutralised_cells_do_not_start_with_a_formula_character(value):
    assert neutralise(value).startswith("'")


def test_import_removes_the_neutralising_quote(store):
    run_import(store, "'=Ann,'+14155550132\n")
    assert stored(store) == [("=Ann", "+14155550132", None)]


def test_suppression_table_untouched_by_import(store):
    run_import(store, HEADER + "Ann,'+14155550132,,yes,,\n", skip_first_line=True)
    assert store.suppressed_phones() == set()
