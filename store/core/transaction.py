"""One read-modify-write of the data file, as seen by code that changes data.

A ``Transaction`` is handed out by ``Store.transaction()`` while the store holds the file lock
and has the newest data loaded. Code changes data only through its methods, which keep the
in-memory indexes in step. Validate first, then change.

Changes are made to copies: the first time a table (or the phone index) is asked for, the
transaction takes a shallow copy of it, and documents are always replaced, never edited in
place. The store adopts the copies only after the file was written. So other threads reading
the store (the app reads while a worker saves) never see a half-made change, and a change that
raises or fails to save has nothing to undo: the store still holds exactly what the file holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.errors import NotFound
from store.model import CONTACTS, META, SCHEMA_VERSION

if TYPE_CHECKING:
    from store.core.store import Store


class Transaction:
    def __init__(self, store: "Store", now: str):
        self.store = store
        # The table map is copied now; each table when first used (see table()).
        self.data: dict[str, dict[str, Any]] = dict(store._data)
        self._copied: set[str] = set()
        self._phones: dict[str, int] | None = None
        self.now = now
        self.user = store.user
        self.changed_contacts: set[int] = set()
        # Changed contacts whose name, email and phone stayed: the search index keeps them as is.
        self.keys_kept: set[int] = set()
        self.rebuild_all = False
        self.dirty = False

    # -- generic tables --------------------------------------------------------------------------

    def table(self, name: str) -> dict[str, Any]:
        """This transaction's own copy of table ``name`` (made on first use), to read and change."""
        if name not in self._copied:
            self.data[name] = dict(self.data.get(name) or {})
            self._copied.add(name)
        return self.data[name]

    @property
    def phones(self) -> dict[str, int]:
        """This transaction's copy of the store's phone -> contact id index."""
        if self._phones is None:
            self._phones = dict(self.store._id_by_phone)
        return self._phones

    @property
    def phones_changed(self) -> dict[str, int] | None:
        """The new phone index, or None when no change touched it."""
        return self._phones

    def new_id(self, table: str) -> int:
        """A fresh id for ``table``: never reused, even after deletes, and never colliding."""
        metas = self.table(META)
        meta = dict(metas.get("1") or {"schema_version": SCHEMA_VERSION})
        counters = dict(meta.get("next_ids") or {})
        existing = self.data.get(table) or {}
        next_id = counters.get(table) or (max(map(int, existing), default=0) + 1)
        while str(next_id) in existing:
            next_id += 1
        counters[table] = next_id + 1
        meta["next_ids"] = counters
        metas["1"] = meta
        self.dirty = True
        return next_id

    def new_ids(self, table: str, count: int) -> list[int]:
        """``count`` fresh ids for ``table`` at once (bulk inserts: one counter update)."""
        if count <= 0:
            return []
        first = self.new_id(table)
        existing = self.data.get(table) or {}
        block = range(first, first + count)
        if any(str(i) in existing for i in block):
            return [first] + [self.new_id(table) for _ in range(count - 1)]
        metas = self.table(META)
        meta = dict(metas["1"])
        meta["next_ids"] = dict(meta["next_ids"], **{table: first + count})
        metas["1"] = meta
        return list(block)

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
        if str(doc_id) in (self.data.get(table) or {}):
            del self.table(table)[str(doc_id)]
            self.dirty = True

    # -- contacts --------------------------------------------------------------------------------

    @property
    def contacts(self) -> dict[str, dict[str, Any]]:
        return self.table(CONTACTS)

    def contact_doc(self, contact_id: int) -> dict[str, Any]:
        """The stored document (read it; to change it, put_contact a changed copy)."""
        doc = self.data[CONTACTS].get(str(contact_id))
        if doc is None:
            raise NotFound(f"No contact with id {contact_id} (it may have been deleted by someone else)")
        return doc

    def id_for_phone(self, phone: str) -> int | None:
        phones = self._phones if self._phones is not None else self.store._id_by_phone
        return phones.get(phone)

    def put_contact(self, contact_id: int, doc: dict[str, Any]) -> None:
        """Store ``doc`` (a new dict, never one already stored) as contact ``contact_id``."""
        key = str(contact_id)
        old = self.data[CONTACTS].get(key)
        if old == doc:
            return
        phones = self.phones
        if old is not None and old["phone"] != doc["phone"] and phones.get(old["phone"]) == contact_id:
            del phones[old["phone"]]
        phones[doc["phone"]] = contact_id
        self.contacts[key] = doc
        self.changed_contacts.add(contact_id)
        self.keys_kept.discard(contact_id)
        self.dirty = True

    def put_contacts(self, changes: dict[str, dict[str, Any]]) -> None:
        """``put_contact`` for many contacts at once (bulk opt-outs): those that keep their name,
        email and phone cost no index work (neither the phone index nor the search index)."""
        table = self.contacts
        stored = self.data[CONTACTS]
        for key, doc in changes.items():
            old = stored.get(key)
            if old is None or old["phone"] != doc["phone"] or old["name"] != doc["name"] or old.get("email") != doc.get("email"):
                self.put_contact(int(key), doc)
                continue
            if old == doc:
                continue
            table[key] = doc
            self.changed_contacts.add(int(key))
            self.keys_kept.add(int(key))
            self.dirty = True

    def remove_contact(self, contact_id: int) -> dict[str, Any] | None:
        if str(contact_id) not in self.data[CONTACTS]:
            return None
        old = self.contacts.pop(str(contact_id))
        if old is not None:
            if self.phones.get(old["phone"]) == contact_id:
                del self.phones[old["phone"]]
            self.changed_contacts.add(contact_id)
            self.dirty = True
        return old

    def replace_all_contacts(self, contacts: dict[str, dict[str, Any]]) -> None:
        """Swap in a whole new contacts table (bulk import, delete all): one index rebuild."""
        self.data[CONTACTS] = contacts
        self._copied.add(CONTACTS)
        self._phones = {doc["phone"]: int(cid) for cid, doc in contacts.items()}
        self.rebuild_all = True
        self.dirty = True
