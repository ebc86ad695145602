"""Transaction.put_contacts: many contacts in one go; those that keep their name, email and phone
cost no index work, the others go through put_contact. Either way the indexes equal rebuilt ones."""

from __future__ import annotations

from store import Store
from store.search import SearchIndex

from tests.store.test_search import index_state


def test_put_contacts_keeps_the_indexes_right(store: Store, db_path):
    ids = [store.add_contact(name, phone).id for name, phone in (("Ann", "4155550132"), ("Bob", "2125550100"), ("Cy", "3125550101"))]
    store.search("bob")  # the haystacks exist: they must follow too
    with store.transaction() as tx:
        docs = {str(cid): dict(tx.contact_doc(cid)) for cid in ids}
        docs[str(ids[0])]["opted_out"] = True  # keeps its keys
        docs[str(ids[1])]["name"] = "Zed"  # a new name: moves in the order
        docs[str(ids[2])]["phone"] = "+13125550199"  # a new phone: the phone index follows
        tx.put_contacts(docs)
        assert tx.keys_kept == {ids[0]}
    assert store.search("zed") == [ids[1]] and store.search("bob") == []
    assert store.id_for_phone("+13125550199") == ids[2] and store.id_for_phone("+13125550101") is None
    assert store.get(ids[0]).opted_out
    assert index_state(store._index) == index_state(SearchIndex.build(store._data["contacts"]))
    again = Store.open(db_path, user="bob")
    assert [again.get(cid).name for cid in again.ordered_ids()] == ["Ann", "Cy", "Zed"]


def test_put_contacts_of_unchanged_documents_writes_nothing(store: Store, unchanged):
    cid = store.add_contact("Ann", "4155550132").id
    with unchanged(), store.transaction() as tx:
        tx.put_contacts({str(cid): dict(tx.contact_doc(cid))})
        assert not tx.dirty
