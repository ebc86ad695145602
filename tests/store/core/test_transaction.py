"""Transaction: the one way code changes data. Whatever method a change goes through, the store
ends up with what was put, its phone and search indexes agree with the contacts, and ids are
never handed out twice."""

from __future__ import annotations

from store import Store
from store.model import CONTACTS
from store.search import SearchIndex
from store.transfer.csv_format import CsvSource
from store.transfer.importer import import_csv

from tests.store.test_search import index_state


def indexes_match_the_contacts(store: Store) -> bool:
    return index_state(store._index) == index_state(SearchIndex.build(store._data[CONTACTS]))


def test_a_contact_put_through_the_generic_put_is_stored_and_found_by_its_new_phone(store: Store, db_path):
    cid = store.add_contact("Ann", "4155550132").id
    with store.transaction() as tx:
        tx.put(CONTACTS, cid, dict(tx.contact_doc(cid), name="Annie", phone="+14155550199"))
    assert store.get(cid).name == "Annie"
    assert store.id_for_phone("+14155550199") == cid and store.id_for_phone("+14155550132") is None
    assert store.search("annie") == [cid]
    assert Store.open(db_path, user="bob").get(cid).phone == "+14155550199"


def test_a_contact_removed_through_the_generic_remove_is_gone_and_frees_its_phone(store: Store, db_path):
    cid = store.add_contact("Ann", "4155550132").id
    with store.transaction() as tx:
        tx.remove(CONTACTS, cid)
    assert store.count() == 0 and store.id_for_phone("+14155550132") is None
    assert Store.open(db_path, user="bob").count() == 0
    assert store.add_contact("Bob", "4155550132").phone == "+14155550132"


def test_within_a_transaction_a_phone_lookup_sees_the_changes_already_made(store: Store):
    cid = store.add_contact("Ann", "4155550132").id
    with store.transaction() as tx:
        tx.put_contact(cid, dict(tx.contact_doc(cid), phone="+14155550199"))
        assert tx.id_for_phone("+14155550199") == cid
        assert tx.id_for_phone("+14155550132") is None


def test_a_contact_renamed_after_a_keys_kept_change_in_the_same_transaction_is_found_by_its_new_name(store: Store):
    cid = store.add_contact("Ann", "4155550132").id
    store.search("ann")  # the haystacks exist: they must follow
    with store.transaction() as tx:
        tx.put_contacts({str(cid): dict(tx.contact_doc(cid), opted_out=True)})
        tx.put_contact(cid, dict(tx.contact_doc(cid), name="Zed"))
    assert store.search("zed") == [cid] and store.search("ann") == []
    assert indexes_match_the_contacts(store)


def test_put_contacts_follows_an_email_added_or_removed_in_search(store: Store):
    ann = store.add_contact("Ann", "4155550132", "zebra@example.com").id
    bob = store.add_contact("Bob", "2125550100").id
    store.search("ann")
    with store.transaction() as tx:
        tx.put_contacts({
            str(ann): dict(tx.contact_doc(ann), email=None),
            str(bob): dict(tx.contact_doc(bob), email="yak@example.com"),
        })
    assert store.search("zebra") == []
    assert store.search("yak") == [bob]
    assert indexes_match_the_contacts(store)


def test_put_contacts_stores_every_change_whatever_comes_before_it(store: Store, db_path):
    ann = store.add_contact("Ann", "4155550132").id
    bob = store.add_contact("Bob", "2125550100").id
    cy = store.add_contact("Cy", "3125550101").id
    with store.transaction() as tx:
        tx.put_contacts({
            str(ann): dict(tx.contact_doc(ann)),  # unchanged
            str(bob): dict(tx.contact_doc(bob), name="Bobby"),  # a new name: through put_contact
            str(cy): dict(tx.contact_doc(cy), opted_out=True),  # keeps its keys
        })
    for opened in (store, Store.open(db_path, user="bob")):
        assert [opened.get(cid).name for cid in (ann, bob, cy)] == ["Ann", "Bobby", "Cy"]
        assert [opened.get(cid).opted_out for cid in (ann, bob, cy)] == [False, False, True]


def test_ids_of_a_deleted_list_are_not_reused_after_an_import(store: Store):
    store.add_list("VIP")
    team = store.add_list("Team")
    store.delete_list(team.id)
    import_csv(store, CsvSource.from_text("Ann,4155550132\nBob,2125550100\n"))
    assert store.add_list("Friends").id == team.id + 1
