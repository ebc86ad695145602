"""One read-modify-write of the data file, as seen by code that changes data.

A ``Transaction`` is handed out by ``Store.transaction()`` while the store holds the file lock
and has the newest data loaded. Code changes data only through its methods, which keep the
in-memory indexes in step. Validate first, then change: if the block raises after a change, the
store throws the in-memory changes away and reloads the untouched file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import NotFound
from .model import CONTACTS, META, SCHEMA_VERSION

if TYPE_CHECKING:
    from .store import Store


class Transaction:
    def __init__(self, store: "Store", now: str):
        self.store = store
        self.data: dict[str, dict[str, Any]] = store._data
        self.now = now
        self.user = store.user
        self.changed_contacts: set[int] = set()
        self.rebuild_all = False
        self.dirty = False

    # -- generic tables --------------------------------------------------------------------------

    def table(self, name: str) -> dict[str, Any]:
        table = self.data.get(name)
        if table is None:
            table = self.data[name] = {}
        return table

    def new_id(self, table: str) -> int:
        """A fresh id for ``table``: never reused, even after deletes, and never colliding."""
        meta = self.table(META).setdefault("1", {"schema_version": SCHEMA_VERSION})
        counters = meta.setdefault("next_ids", {})
        existing = self.table(table)
        next_id = counters.get(table) or (max(map(int, existing), default=0) + 1)
        while str(next_id) in existing:
            next_id += 1
        counters[table] = next_id + 1
        self.dirty = True
        return next_id

    def put(self, table: str, doc_id: int, doc: dict[str, Any]) -> None:
        """Store ``doc`` as ``doc_id`` of ``table``; storing what is already there changes nothing."""
        if table == CONTACTS:
            self.put_contact(doc_id, doc)
            return
        target = self.table(table)
        if target.get(str(doc_id)) == doc:
            return  # a no-op (same list name, same region...) must not rewrite the file
        target[str(doc_id)] = doc
        self.dirty = True

    def remove(self, table: str, doc_id: int) -> None:
        if table == CONTACTS:
            self.remove_contact(doc_id)
            return
        self.table(table).pop(str(doc_id), None)
        self.dirty = True

    # -- contacts --------------------------------------------------------------------------------

    @property
    def contacts(self) -> dict[str, dict[str, Any]]:
        return self.table(CONTACTS)

    def contact_doc(self, contact_id: int) -> dict[str, Any]:
        doc = self.contacts.get(str(contact_id))
        if doc is None:
            raise NotFound(f"No contact with id {contact_id} (it may have been deleted by someone else)")
        return doc

    def id_for_phone(self, phone: str) -> int | None:
        return self.store._id_by_phone.get(phone)

    def put_contact(self, contact_id: int, doc: dict[str, Any]) -> None:
        """Store ``doc`` (a new dict, never one already stored) as contact ``contact_id``."""
        key = str(contact_id)
        old = self.contacts.get(key)
        if old == doc:
            return
        phones = self.store._id_by_phone
        if old is not None and old["phone"] != doc["phone"] and phones.get(old["phone"]) == contact_id:
            del phones[old["phone"]]
        phones[doc["phone"]] = contact_id
        self.contacts[key] = doc
        self.changed_contacts.add(contact_id)
        self.dirty = True

    def remove_contact(self, contact_id: int) -> dict[str, Any] | None:
        old = self.contacts.pop(str(contact_id), None)
        if old is not None:
            if self.store._id_by_phone.get(old["phone"]) == contact_id:
                del self.store._id_by_phone[old["phone"]]
            self.changed_contacts.add(contact_id)
            self.dirty = True
        return old

    def replace_all_contacts(self, contacts: dict[str, dict[str, Any]]) -> None:
        """Swap in a whole new contacts table (bulk import, delete all): one index rebuild."""
        self.data[CONTACTS] = contacts
        self.store._id_by_phone = {doc["phone"]: int(cid) for cid, doc in contacts.items()}
        self.rebuild_all = True
        self.dirty = True
