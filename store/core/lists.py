"""The Store's marketing lists: reading them and their members, adding, renaming, deleting."""

from __future__ import annotations

from typing import Iterable

from store.core.state import StoreState
from store.errors import NotFound, ValidationError
from store.model import CONTACTS, LISTS, Contact, ContactList
from store.rules.validation import clean_list_name


class ListsPart(StoreState):
    def lists(self, *, counts: bool = True) -> list[ContactList]:
        """All lists, by name. ``counts=False`` skips member counts (a pass over every contact)."""
        members = self._members_by_list() if counts else {}
        found = [
            ContactList(int(lid), doc["name"], len(members.get(int(lid), ())))
            for lid, doc in self._data[LISTS].items()
        ]
        return sorted(found, key=lambda lst: (lst.name.casefold(), lst.id))

    def get_list(self, key: int | str) -> ContactList:
        """A list by id, or by name (case-insensitive)."""
        for lst in self.lists():
            if lst.id == key or (isinstance(key, str) and lst.name.casefold() == key.strip().casefold()):
                return lst
        known = ", ".join(lst.name for lst in self.lists()) or "none yet"
        raise NotFound(f"No list named {key!r} (lists: {known})")

    def members(self, list_id: int) -> set[int]:
        return self._members_by_list().get(list_id, set())

    def _members_by_list(self) -> dict[int, set[int]]:
        cache = self._list_members_cache
        if cache is None:
            cache = {}
            for cid, doc in self._data[CONTACTS].items():
                for lid in doc.get("lists", ()):
                    cache.setdefault(lid, set()).add(int(cid))
            self._list_members_cache = cache
        return cache

    def _list_ids(self, lists: Iterable[int | str]) -> list[int]:
        ids: list[int] = []
        for key in lists:
            lst = self.get_list(key)
            if lst.id not in ids:
                ids.append(lst.id)
        return ids

    def _check_list_name_free(self, name: str, except_id: int | None = None) -> None:
        for lid, doc in self._data[LISTS].items():
            if doc["name"].casefold() == name.casefold() and int(lid) != except_id:
                raise ValidationError.single("list", f"A list named {doc['name']!r} already exists")

    def add_list(self, name: str) -> ContactList:
        with self.transaction() as tx:
            name = clean_list_name(name)
            self._check_list_name_free(name)
            list_id = tx.new_id(LISTS)
            tx.put(LISTS, list_id, {"name": name, "created_at": tx.now})
        return self.get_list(list_id)

    def rename_list(self, key: int | str, new_name: str) -> ContactList:
        with self.transaction() as tx:
            self._require_in(tx, "lists")
            lst = self.get_list(key)
            new_name = clean_list_name(new_name)
            self._check_list_name_free(new_name, except_id=lst.id)
            doc = dict(tx.table(LISTS)[str(lst.id)], name=new_name)
            tx.put(LISTS, lst.id, doc)
        return self.get_list(lst.id)

    def delete_list(self, key: int | str) -> ContactList:
        """Delete a list; its contacts stay, they just leave the list."""
        with self.transaction() as tx:
            self._require_in(tx, "lists")
            lst = self.get_list(key)
            for cid in sorted(self.members(lst.id)):
                doc = dict(tx.contact_doc(cid))
                doc["lists"] = [lid for lid in doc.get("lists", ()) if lid != lst.id]
                tx.put_contact(cid, doc)
            tx.remove(LISTS, lst.id)
        return lst

    def set_memberships(self, contact_id: int, list_keys: Iterable[int | str]) -> Contact:
        return self.update_contact(contact_id, lists=list(list_keys))
