"""Undo an import (issue 13, part 1): every import is recorded; undoing one removes the contacts it
created and restores the ones it changed, in one atomic write. Contacts changed since are kept
(unless removing them anyway is asked for); opt-outs, consent history and suppression stay.
"""

from __future__ import annotations

import errno
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from store import NotFound, PermissionDenied, SaveFailed, Store, StoreError
from store.consent.replies import record_reply
from store.transfer.csv_format import CsvSource
from store.transfer.import_log import KEEP_IMPORTS, imports, kept_names, last_import_to_offer, plan_undo, undo_import
from store.transfer.importer import import_csv
from store.model import IMPORTS


class Clock:
    """Each transaction one second later than the one before, unless frozen."""

    def __init__(self) -> None:
        self.at = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
        self.frozen = False

    def __call__(self) -> str:
        if not self.frozen:
            self.at += timedelta(seconds=1)
        return self.at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("store.core.store.now_iso", clock)
    return clock


def csv(*rows: str, header: str = "Full Name,Phone,Email") -> CsvSource:
    return CsvSource.from_text("\n".join([header, *rows]) + "\n", name="sales.csv")


def do_import(store: Store, *rows: str, list_name: str | None = None, header: str = "Full Name,Phone,Email"):
    import_csv(store, csv(*rows, header=header), skip_first_line=True, list_name=list_name)
    return imports(store)[0]


def people(store: Store) -> list[tuple[str, str, str | None, bool]]:
    return sorted((c.name, c.phone, c.email, c.opted_out) for c in store.contacts())


@pytest.fixture
def ann(store: Store, clock: Clock):
    """Ann was there before any import."""
    store.add_list("VIP")
    return store.add_contact("Ann Lee", "4155550132", "ann@example.com")


# -- the record -------------------------------------------------------------------------------------


def test_an_import_is_recorded_with_what_it_created_and_the_values_it_changed(store, ann, clock, db_path):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,bob@example.com",
                       "Cy Young,4155550134,", list_name="VIP")
    assert record.source == "sales.csv" and record.by == "alice" and record.list_name == "VIP"
    assert record.created_count == 2 and record.updated_count == 1
    assert record.undone is None
    stored = json.loads(db_path.read_bytes())[IMPORTS][str(record.id)]
    # Compact: runs of created ids; for the updated contact only the fields the import changed.
    assert stored == {
        "at": record.at, "by": "alice", "source": "sales.csv", "list": "VIP",
        "created": [[2, 3]],
        "updated": {str(ann.id): {"name": "Ann Lee", "lists": [], "updated_at": ann.updated_at}},
        "lists_created": [], "touched": [], "undone": None,
    }


def test_imports_are_listed_newest_first_and_only_the_last_ones_are_kept(store, clock):
    for n in range(KEEP_IMPORTS + 3):
        do_import(store, f"Person {n},41555501{n:02d},")
    listed = imports(store)
    assert len(listed) == KEEP_IMPORTS
    assert [r.id for r in listed] == sorted((r.id for r in listed), reverse=True)
    assert listed[0].id == KEEP_IMPORTS + 3


def test_an_import_that_changes_nothing_records_nothing(store, ann, clock, db_path):
    before = db_path.read_bytes()
    import_csv(store, csv("Ann Lee,4155550132,"), skip_first_line=True)
    assert imports(store) == [] and db_path.read_bytes() == before


# -- undoing ----------------------------------------------------------------------------------------


def test_undo_removes_what_it_created_and_restores_what_it_changed_in_one_write(store, ann, clock, db_path, monkeypatch):
    before = people(store)
    record = do_import(store, "Ann Leigh,4155550132,ann@new.example", "Bob Ode,4155550133,", list_name="VIP")
    writes = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda *a, **k: (writes.append(a[1]), real(*a, **k))[1])
    result = undo_import(store, record.id)
    assert len(writes) == 1
    assert (result.removed, result.restored, result.kept) == (1, 1, 0)
    assert people(store) == before
    restored = store.get(ann.id)
    assert restored.lists == () and restored.updated_at == ann.updated_at
    assert people(Store.open(db_path, user="bob")) == before
    assert imports(store)[0].undone["by"] == "alice"


def test_the_plan_says_what_will_happen_and_writes_nothing(store, ann, clock, unchanged):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,", "Cy Young,4155550134,")
    with unchanged():
        plan = plan_undo(store, record.id)
    assert plan.describe() == (
        "Undo import 1 (sales.csv, 2026-03-01 12:00:03 UTC, by alice): removes 2 contacts added by sales.csv, "
        "restores 1 it changed."
    )


def test_a_contact_changed_since_is_kept_and_reported(store, ann, clock):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,", "Cy Young,4155550134,")
    bob = store.find("4155550133")
    store.update_contact(bob.id, email="bob@example.com")
    store.update_contact(ann.id, email="ann@other.example")  # changed again after the import
    plan = plan_undo(store, record.id)
    assert plan.describe().endswith("removes 1 contact added by sales.csv; 2 changed since are kept.")
    result = undo_import(store, record.id)
    assert (result.removed, result.restored, result.kept) == (1, 0, 2)
    assert [c.name for c in store.contacts()] == ["Ann Leigh", "Bob Ode"]
    assert store.get(ann.id).email == "ann@other.example"
    assert set(result.kept_ids) == {bob.id, ann.id}


def test_remove_anyway_removes_created_contacts_changed_since(store, ann, clock):
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    store.set_memberships(store.find("4155550133").id, ["VIP"])  # added to a list since
    result = undo_import(store, record.id, remove_changed=True)
    assert (result.removed, result.kept) == (2, 0)
    assert [c.name for c in store.contacts()] == ["Ann Lee"]


def test_a_change_in_the_same_second_as_the_import_counts_as_a_change(store, ann, clock):
    clock.frozen = True  # timestamps alone cannot tell these apart
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    store.update_contact(store.find("4155550133").id, name="Robert Ode")
    result = undo_import(store, record.id)
    assert (result.removed, result.kept) == (1, 1)
    assert [c.name for c in store.contacts()] == ["Ann Lee", "Robert Ode"]


def test_a_stop_recorded_since_stays(store, ann, clock, db_path):
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    record_reply(store, "4155550133", "STOP")
    result = undo_import(store, record.id)
    bob = store.find("4155550133")
    assert result.kept_ids == (bob.id,) and bob.opted_out and bob.consent == "declined"
    assert [h["source"] for h in bob.history] == ["reply", "reply"]


def test_removing_an_opted_out_contact_keeps_its_number_suppressed(store, ann, clock):
    record = do_import(store, "Bob Ode,4155550133,,yes", "Cy Young,4155550134,,no",
                       header="Full Name,Phone,Email,Opted Out")
    record_reply(store, "4155550134", "STOP")
    undo_import(store, record.id, remove_changed=True)
    assert store.count() == 1
    assert store.is_suppressed("+14155550133") and store.is_suppressed("+14155550134")
    assert store.add_contact("Bob Again", "4155550133").opted_out


def test_an_opt_out_the_import_made_is_not_undone(store, ann, clock):
    record = do_import(store, "Ann Leigh,4155550132,,yes", header="Full Name,Phone,Email,Opted Out")
    undo_import(store, record.id)
    back = store.get(ann.id)
    assert back.name == "Ann Lee" and back.opted_out
    assert [h["field"] for h in back.history] == ["opted_out"]


@pytest.mark.parametrize("order", ["newest first", "oldest first"])
def test_two_imports_are_undone_in_either_order(store, ann, clock, order):
    before = people(store)
    first = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    second = do_import(store, "Bob Odelay,4155550133,", "Dee Ray,4155550135,", "Ann Leigh,4155550132,")
    if order == "newest first":
        assert undo_import(store, second.id).kept == 0
        assert undo_import(store, first.id).kept == 0
        assert people(store) == before
    else:
        result = undo_import(store, first.id)
        assert (result.removed, result.kept) == (1, 1)  # Bob: the second import changed him since
        result = undo_import(store, second.id)
        assert (result.removed, result.restored) == (1, 2)  # Dee removed; Ann and Bob restored
        assert people(store) == sorted(before + [("Bob Ode", "+14155550133", None, False)])


def test_a_contact_deleted_since_is_counted_as_gone(store, clock):
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    store.delete_contact(store.find("4155550133").id)
    result = undo_import(store, record.id)
    assert (result.removed, result.gone) == (1, 1)
    assert "1 already deleted" in result.describe()


def test_lists_the_import_created_go_when_they_are_left_empty(store, clock):
    record = do_import(store, "Bob Ode,4155550133,,Promo", "Cy Young,4155550134,,Promo;Old",
                       header="Full Name,Phone,Email,Lists")
    store.update_contact(store.find("4155550134").id, name="Cy Changed")
    undo_import(store, record.id)
    assert [lst.name for lst in store.lists()] == ["Old", "Promo"]  # Cy, kept, is still on both
    record = do_import(store, "Dee Ray,4155550135,,Fresh", header="Full Name,Phone,Email,Lists")
    undo_import(store, record.id)
    assert "Fresh" not in [lst.name for lst in store.lists()]


def test_restoring_skips_a_list_deleted_since(store, clock):
    store.add_list("VIP")
    store.add_list("Old")
    bob = store.add_contact("Bob Ode", "4155550133", lists=["Old"])
    record = do_import(store, "Bob Odelay,4155550133,", list_name="VIP")
    store.delete_list("Old")  # it leaves updated_at alone: not a change to Bob
    undo_import(store, record.id)
    assert store.get(bob.id).lists == () and store.get(bob.id).name == "Bob Ode"


def test_an_undone_import_cannot_be_undone_again(store, clock, unchanged):
    record = do_import(store, "Bob Ode,4155550133,")
    undo_import(store, record.id)
    with unchanged(), pytest.raises(StoreError, match=r"Import 1 was already undone at .* by alice"):
        undo_import(store, record.id)


def test_an_unknown_import_is_not_found(store, clock):
    do_import(store, "Bob Ode,4155550133,")
    with pytest.raises(NotFound, match=r"No import 9 \(recent imports: 1\)"):
        undo_import(store, 9)


def test_undo_is_refused_to_a_user_who_may_not_delete(store, db_path, clock, unchanged):
    record = do_import(store, "Bob Ode,4155550133,")
    store.set_policy("agent", "delete", False)
    bob = Store.open(db_path, user="bob")  # an agent
    with unchanged(), pytest.raises(PermissionDenied, match="has not allowed the agent role"):
        undo_import(bob, record.id)
    assert bob.count() == 1


@pytest.mark.parametrize("fake", ["write", "fsync", "replace"])
def test_a_failed_save_undoes_nothing(store, ann, clock, db_path, monkeypatch, fake):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,")
    before = db_path.read_bytes()
    before_people = people(store)

    def failing(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, fake, failing)
        with pytest.raises(SaveFailed):
            undo_import(store, record.id)
    assert db_path.read_bytes() == before
    assert people(store) == before_people and imports(store)[0].undone is None
    assert undo_import(store, record.id).removed == 1


# -- Delete all's hint ------------------------------------------------------------------------------


def test_the_last_import_is_offered_while_its_contacts_are_there(store, ann, clock):
    assert last_import_to_offer(store) is None
    record = do_import(store, "Bob Ode,4155550133,")
    assert last_import_to_offer(store).id == record.id
    undo_import(store, record.id)
    assert last_import_to_offer(store) is None
    record = do_import(store, "Cy Young,4155550134,")
    store.delete_all()
    assert last_import_to_offer(store) is None



# -- pinned by mutation testing -------------------------------------------------------------------


def test_a_record_names_its_file_without_folders_and_reads_as_json(store, ann, clock):
    import_csv(store, CsvSource.from_text("Full Name,Phone\nAnn Leigh,4155550132\nBob Ode,4155550133\n",
                                          name="exports/2026/sales.csv"), skip_first_line=True, list_name="VIP")
    record = imports(store)[0]
    assert record.file_name == "sales.csv"
    assert record.label() == "import 1 (exports/2026/sales.csv, 2026-03-01 12:00:03 UTC, by alice)"
    assert record.counts() == "1 added, 1 changed"
    assert record.to_json() == {
        "id": 1, "at": "2026-03-01T12:00:03Z", "by": "alice", "source": "exports/2026/sales.csv", "list": "VIP",
        "created": 1, "updated": 1, "lists_created": 0, "undone": None,
    }
    assert "removes 1 contact added by sales.csv," in plan_undo(store, record.id).describe()
    undo_import(store, record.id)
    assert imports(store)[0].to_json()["undone"] == {"at": "2026-03-01T12:00:04Z", "by": "alice", "removed": 1, "restored": 1, "kept": 0}


def test_an_undo_that_keeps_everything_says_it_changes_nothing(store, clock):
    record = do_import(store, "Bob Ode,4155550133,")
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    assert plan_undo(store, record.id).describe() == (
        "Undo import 1 (sales.csv, 2026-03-01 12:00:01 UTC, by alice): changes nothing; 1 changed since is kept."
    )
    assert undo_import(store, record.id).describe() == (
        "Undid import 1 (sales.csv, 2026-03-01 12:00:01 UTC, by alice): changed nothing; 1 changed since was kept."
    )


def test_an_undo_that_removes_contacts_changed_since_says_how_many(store, clock):
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,", "Dee Ray,4155550135,")
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    store.update_contact(store.find("4155550134").id, email="cy@example.com")
    result = undo_import(store, record.id, remove_changed=True)
    assert (result.removed, result.removed_changed, result.kept) == (3, 2, 0)
    assert result.describe() == (
        "Undid import 1 (sales.csv, 2026-03-01 12:00:01 UTC, by alice): removed 3 contacts added by sales.csv; "
        "including 2 changed since."
    )


def test_two_kept_contacts_were_kept(store, ann, clock):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,")
    store.update_contact(ann.id, email="ann@other.example")
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    assert undo_import(store, record.id).describe().endswith(": changed nothing; 2 changed since were kept.")


def test_the_empty_lists_an_undo_removed_are_named(store, clock):
    record = do_import(store, "Bob Ode,4155550133,,Promo;Old", header="Full Name,Phone,Email,Lists")
    result = undo_import(store, record.id)
    assert result.lists_removed == ["Promo", "Old"]
    assert result.describe().endswith("removed 1 contact added by sales.csv; removed the empty lists it created: Promo, Old.")
    record = do_import(store, "Cy Young,4155550134,,Fresh", header="Full Name,Phone,Email,Lists")
    assert undo_import(store, record.id).describe().endswith("; removed the empty list it created: Fresh.")


def test_a_list_the_import_created_and_someone_deleted_since_is_left_alone(store, clock):
    record = do_import(store, "Bob Ode,4155550133,,Promo", header="Full Name,Phone,Email,Lists")
    store.update_contact(store.find("4155550133").id, lists=[])
    store.delete_list("Promo")
    result = undo_import(store, record.id, remove_changed=True)
    assert result.lists_removed == [] and store.count() == 0


def test_kept_contacts_are_named_for_people(store, ann, clock):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,", "Cy Young,4155550134,")
    for phone in ("4155550132", "4155550133", "4155550134"):
        store.update_contact(store.find(phone).id, email=f"p{phone}@example.com")
    plan = undo_import(store, record.id)
    assert kept_names(store, plan) == "Ann Leigh +14155550132, Bob Ode +14155550133, Cy Young +14155550134"
    assert kept_names(store, plan, limit=3) == kept_names(store, plan)
    assert kept_names(store, plan, limit=2) == "Ann Leigh +14155550132, Bob Ode +14155550133 and 1 more"
    assert kept_names(store, plan_undo(store, do_import(store, "Dee Ray,4155550135,").id)) == ""


def test_an_unknown_or_undone_import_is_refused_in_words(store, clock):
    with pytest.raises(NotFound) as caught:
        undo_import(store, 9)
    assert str(caught.value) == "No import 9 (recent imports: none recorded). `contacts imports` lists them."
    do_import(store, "Bob Ode,4155550133,")
    record = do_import(store, "Cy Young,4155550134,")
    with pytest.raises(NotFound) as caught:
        plan_undo(store, 9)
    assert str(caught.value) == "No import 9 (recent imports: 2, 1). `contacts imports` lists them."
    undo_import(store, record.id)
    with pytest.raises(StoreError) as caught:
        plan_undo(store, record.id)
    assert str(caught.value) == "Import 2 was already undone at 2026-03-01 12:00:04 UTC by alice."


def test_an_import_that_only_changed_contacts_is_offered(store, ann, clock):
    record = do_import(store, "Ann Leigh,4155550132,")
    assert last_import_to_offer(store).id == record.id
    store.delete_contact(ann.id)
    assert last_import_to_offer(store) is None


def test_the_newest_import_is_offered_by_number_not_by_spelling(store, clock):
    for n in range(10):
        record = do_import(store, f"Person {n},41555501{n:02d},")
    assert record.id == 10 and last_import_to_offer(store).id == 10
    with pytest.raises(NotFound) as caught:
        plan_undo(store, 11)
    assert str(caught.value) == "No import 11 (recent imports: 10, 9, 8, 7, 6, 5, 4, 3, 2, 1). `contacts imports` lists them."


def test_a_contact_it_changed_and_deleted_since_counts_as_already_deleted(store, ann, clock):
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,")
    store.delete_contact(ann.id)
    result = undo_import(store, record.id)
    assert (result.removed, result.restored, result.gone) == (1, 0, 1)
    assert result.describe().endswith("removed 1 contact added by sales.csv; 1 already deleted.")


def test_an_undo_that_leaves_an_opt_out_gives_the_contact_a_new_time(store, ann, clock):
    """The import renamed Ann and opted her out; the undo gives her name back but not her old
    updated_at, since the opt-out it keeps is a change."""
    record = do_import(store, "Ann Leigh,4155550132,,yes", header="Full Name,Phone,Email,Opted Out")
    undo_import(store, record.id)
    back = store.get(ann.id)
    assert back.name == "Ann Lee" and back.opted_out
    assert back.updated_at == imports(store)[0].undone["at"] != ann.updated_at


def test_an_opted_out_contact_the_undo_removes_stays_suppressed(store, clock):
    record = do_import(store, "Bob Ode,4155550133,,yes", "Cy Young,4155550134,,no", header="Full Name,Phone,Email,Opted Out")
    assert not store.is_suppressed("+14155550133")
    undo_import(store, record.id)
    assert store.count() == 0
    assert store.is_suppressed("+14155550133") and not store.is_suppressed("+14155550134")


@pytest.mark.parametrize("before", [0, 1])
def test_undoing_a_big_import_removes_and_restores_like_a_small_one(store, clock, db_path, before):
    if before:
        ann = store.add_contact("Ann Lee", "4155550132", lists=[])
        zed = store.add_contact("Zed Zu", "4155550199")  # not in the import: stays as it is
    rows = [f"Person {n},+1312555{n:04d},,{'yes' if n == 7 else 'no'}" for n in range(600)]
    if before:
        rows.append("Ann Leigh,4155550132,,no")
    record = do_import(store, *rows, header="Full Name,Phone,Email,Opted Out")
    result = undo_import(store, record.id)
    assert (result.removed, result.restored) == (600, before)
    again = Store.open(db_path, user="bob")
    if before:
        assert [(c.name, c.updated_at) for c in again.contacts()] == [("Ann Lee", ann.updated_at), ("Zed Zu", zed.updated_at)]
    else:
        assert again.count() == 0
    assert again.is_suppressed("+13125550007") and not again.is_suppressed("+13125550008")


def test_a_big_change_in_the_import_s_own_second_counts_as_a_change(store, clock):
    clock.frozen = True
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    do_import(store, "Robert Ode,4155550133,", *(f"Person {n},+1312555{n:04d}," for n in range(600)))
    result = undo_import(store, record.id)
    assert (result.removed, result.kept) == (1, 1)
    assert store.find("4155550133").name == "Robert Ode"
    assert "+14155550134" not in {c.phone for c in store.contacts()}


def test_a_contact_stored_without_an_opted_out_field_is_not_opted_out_when_removed(store, clock):
    """The file may hold a contact without the field (the schema allows it): it was never opted out."""
    record = do_import(store, "Bob Ode,4155550133,,yes", "Cy Young,4155550134,,no", header="Full Name,Phone,Email,Opted Out")
    cy = store.find("4155550134")
    with store.transaction() as tx:
        doc = dict(tx.data["contacts"][str(cy.id)])
        del doc["opted_out"]
        tx.put_contact(cy.id, doc)  # its updated_at stays the import's: not a change the undo keeps
    assert undo_import(store, record.id).removed == 2
    assert store.is_suppressed("+14155550133") and not store.is_suppressed("+14155550134")


def test_an_import_whose_contacts_are_all_gone_is_not_offered_for_others_around_them(store, ann, clock):
    record = do_import(store, "Bob Ode,4155550133,")
    cy = store.add_contact("Cy Young", "4155550134")  # the next id, after the import
    assert cy.id == store.find("4155550133").id + 1 and record.created_count == 1
    store.delete_contact(store.find("4155550133").id)
    assert last_import_to_offer(store) is None


def test_a_change_to_the_last_contact_an_import_created_in_its_own_second_counts(store, ann, clock):
    clock.frozen = True
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    store.update_contact(store.find("4155550134").id, name="Cyrus Young")
    result = undo_import(store, record.id)
    assert (result.removed, result.kept) == (1, 1)
    assert [c.name for c in store.contacts()] == ["Ann Lee", "Cyrus Young"]


def test_every_contact_deleted_since_is_counted(store, clock):
    store.add_list("VIP")
    dee = store.add_contact("Dee Ray", "4155550135")
    eve = store.add_contact("Eve Ash", "4155550136")
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,", "Di Ray,4155550135,", "Eve Ashe,4155550136,",
                       "Fay Wu,4155550137,")
    for phone in ("4155550133", "4155550134"):
        store.delete_contact(store.find(phone).id)
    for contact in (dee, eve):
        store.delete_contact(contact.id)
    store.update_contact(store.find("4155550137").id, email="fay@example.com")
    result = undo_import(store, record.id)
    assert (result.removed, result.restored, result.gone, result.kept) == (0, 0, 4, 1)
    assert result.describe().endswith(": changed nothing; 1 changed since was kept; 4 already deleted.")


def test_kept_contacts_are_named_ten_at_most(store, clock):
    rows = [f"Person {n:02d},41555501{n:02d}," for n in range(11)]
    record = do_import(store, *rows)
    for n in range(11):
        store.update_contact(store.find(f"41555501{n:02d}").id, email=f"p{n}@example.com")
    names = kept_names(store, undo_import(store, record.id))
    assert names.startswith("Person 00 +14155550100, ") and names.endswith("Person 09 +14155550109 and 1 more")


def test_an_import_record_may_leave_out_the_lists_it_has_nothing_in(store, ann, clock):
    """The schema lets a record (one written by hand, say) leave out created, updated and touched."""
    clock.frozen = True  # Ann's time, so that the record below is of her second
    with store.transaction() as tx:
        tx.put(IMPORTS, tx.new_id(IMPORTS), {"at": tx.now, "by": "alice", "source": "old.csv",
                                               "updated": {str(ann.id): {"name": "Ann Old"}}})
        tx.put(IMPORTS, tx.new_id(IMPORTS), {"at": tx.now, "by": "alice", "source": "older.csv"})
    store.add_contact("Bob Ode", "4155550133")  # in the records' second: checked against them
    assert last_import_to_offer(store) is None  # the newest changed nothing
    assert plan_undo(store, 2).describe().endswith(": changes nothing.")
    assert plan_undo(store, 1).describe().endswith(": restores 1 it changed.")
    assert undo_import(store, 1).describe() == "Undid import 1 (old.csv, 2026-03-01 12:00:02 UTC, by alice): restored 1 it changed."
    assert store.get(ann.id).name == "Ann Old"


def test_an_undone_import_whose_kept_contacts_are_still_there_is_not_offered(store, clock):
    record = do_import(store, "Bob Ode,4155550133,")
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    assert undo_import(store, record.id).kept == 1
    assert last_import_to_offer(store) is None


def test_an_undo_in_the_import_s_own_second_does_not_mark_its_record_touched(store, clock, db_path):
    clock.frozen = True
    record = do_import(store, "Bob Ode,4155550133,")
    undo_import(store, record.id)
    assert json.loads(db_path.read_bytes())[IMPORTS][str(record.id)]["touched"] == []


def test_a_contact_the_import_changed_and_that_changed_again_in_its_second_is_kept(store, ann, clock):
    clock.frozen = True
    record = do_import(store, "Ann Leigh,4155550132,", "Bob Ode,4155550133,")
    store.update_contact(ann.id, email="ann@other.example")
    result = undo_import(store, record.id)
    assert (result.removed, result.restored, result.kept) == (1, 0, 1)
    assert store.get(ann.id).name == "Ann Leigh"


def test_every_change_in_the_import_s_own_second_is_remembered(store, clock):
    clock.frozen = True
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,", "Dee Ray,4155550135,")
    store.update_contact(store.find("4155550133").id, name="Robert Ode")
    store.update_contact(store.find("4155550134").id, name="Cyrus Young")
    result = undo_import(store, record.id)
    assert (result.removed, result.kept) == (1, 2)


def test_the_plan_asked_to_remove_changed_contacts_counts_them(store, clock, unchanged):
    record = do_import(store, "Bob Ode,4155550133,", "Cy Young,4155550134,")
    store.update_contact(store.find("4155550133").id, email="bob@example.com")
    with unchanged():
        plan = plan_undo(store, record.id, remove_changed=True)
    assert (plan.removed, plan.removed_changed, plan.kept) == (2, 1, 0)


def test_a_contact_stored_with_only_name_and_phone_is_recorded_and_given_back(store, clock, db_path):
    """The schema lets a contact leave out its other fields; the import's record and its undo read
    them as their defaults (no lists, no email)."""
    store.add_list("VIP")
    with store.transaction() as tx:
        tx.put_contact(tx.new_id("contacts"), {"name": "Ann Lee", "phone": "+14155550132", "updated_at": tx.now})
    record = do_import(store, "Ann Leigh,4155550132,,yes", list_name="VIP", header="Full Name,Phone,Email,Opted Out")
    stored = json.loads(db_path.read_bytes())[IMPORTS][str(record.id)]
    assert stored["updated"] == {"1": {"name": "Ann Lee", "lists": []}}  # opted out too: its time is not given back
    undo_import(store, record.id)
    ann = store.find("4155550132")
    assert (ann.name, ann.lists, ann.email, ann.opted_out) == ("Ann Lee", (), None, True)


def test_restoring_gives_back_the_lists_a_contact_was_on(store, clock):
    store.add_list("VIP")
    store.add_list("Old")
    bob = store.add_contact("Bob Ode", "4155550133", lists=["Old"])
    record = do_import(store, "Bob Odelay,4155550133,", list_name="VIP")
    assert len(store.get(bob.id).lists) == 2
    undo_import(store, record.id)
    assert [lst.name for lst in store.lists() if lst.id in store.get(bob.id).lists] == ["Old"]


def test_the_suppression_list_says_why_an_undo_kept_a_number(store, clock, db_path):
    record = do_import(store, "Bob Ode,4155550133,,yes", header="Full Name,Phone,Email,Opted Out")
    undo_import(store, record.id)
    rows = json.loads(db_path.read_bytes())["suppression"].values()
    assert [(row["phone"], row["reason"]) for row in rows] == [
        ("+14155550133", "contact removed by undoing an import while opted out")
    ]


def test_a_record_with_several_runs_of_created_ids_removes_every_run(store, clock, db_path):
    """An import takes one block of ids, but the schema lets a record hold several runs."""
    record = do_import(store, "Bob Ode,4155550133,,yes", "Cy Young,4155550134,,no", "Dee Ray,4155550135,,yes",
                       header="Full Name,Phone,Email,Opted Out")
    bob, dee = store.find("4155550133"), store.find("4155550135")
    with store.transaction() as tx:
        doc = tx.data[IMPORTS][str(record.id)]
        tx.put(IMPORTS, record.id, dict(doc, created=[[bob.id, bob.id], [dee.id, dee.id]]))
    assert undo_import(store, record.id).removed == 2
    assert [c.name for c in store.contacts()] == ["Cy Young"]
    assert store.is_suppressed(bob.phone) and store.is_suppressed(dee.phone)


def test_an_import_records_only_the_fields_it_changed_of_a_contact_stored_without_lists(store, clock, db_path):
    """A contact may be stored without a lists field (the schema allows it): it reads as no lists,
    so an import that adds it to none changed no lists, and neither its record nor its undo writes one."""
    with store.transaction() as tx:
        tx.put_contact(tx.new_id("contacts"), {"name": "Ann Lee", "phone": "+14155550132", "updated_at": tx.now})
    before = json.loads(db_path.read_bytes())["contacts"]["1"]
    record = do_import(store, "Ann Leigh,4155550132,")
    stored = json.loads(db_path.read_bytes())
    assert "lists" not in stored["contacts"]["1"]
    assert stored[IMPORTS][str(record.id)]["updated"] == {"1": {"name": "Ann Lee", "updated_at": before["updated_at"]}}
    undo_import(store, record.id)
    assert json.loads(db_path.read_bytes())["contacts"]["1"] == before
