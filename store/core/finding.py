"""The Store's reading of contacts: their order, search, and lookup by id, phone or email."""

from __future__ import annotations

from typing import Sequence

from store.core.state import StoreState
from store.errors import NotFound, StoreError, ValidationError
from store.model import CONTACTS, Contact
from store.rules.validation import clean_phone


class FindingPart(StoreState):
    def count(self) -> int:
        return len(self._index)

    def ordered_ids(self) -> list[int]:
        """All contact ids in list order (by name). Do not mutate the returned list."""
        return self._index.order

    def search(self, query: str = "", list_id: int | None = None, status: str | None = None) -> Sequence[int]:
        """Ids matching ``query`` in list order; only members of ``list_id``, and only contacts
        with ``status`` (store.consent.sendable: ``textable``, ``opted_out``, ``needs_review``), if given."""
        if status is None:
            allowed = self.members(list_id) if list_id is not None else None
        else:
            allowed = self._allowed.get((list_id, status))
            if allowed is None:
                allowed = self.status_index().members(status, self._index.order)
                if list_id is not None:
                    allowed = allowed & self.members(list_id)
                self._allowed[(list_id, status)] = allowed
        return self._index.search(query, allowed)

    def prepare_search(self) -> None:
        """Build what search needs (haystacks, character masks) now rather than on the first
        keystroke: call from a worker thread after the first paint and after a reload."""
        self._index.prepare()

    def forget_searches(self) -> None:
        """Make the next search start from scratch (benchmarks measure that case)."""
        self._index.forget_searches()

    def position(self, contact_id: int) -> int | None:
        return self._index.position(contact_id)

    def get(self, contact_id: int) -> Contact:
        doc = self._data[CONTACTS].get(str(contact_id))
        if doc is None:
            raise NotFound(f"No contact with id {contact_id}")
        return Contact.from_doc(contact_id, doc)

    def contacts(self, list_id: int | None = None) -> list[Contact]:
        return [self.get(cid) for cid in self.search("", list_id)]

    def id_for_phone(self, phone: str) -> int | None:
        return self._id_by_phone.get(phone)

    def find(self, key: str) -> Contact:
        """The contact with this phone (any format) or email. Refuses ambiguous emails."""
        key = key.strip()
        if "@" in key:
            email = key.casefold()
            hits = [
                int(cid)
                for cid, doc in self._data[CONTACTS].items()
                if (doc.get("email") or "").casefold() == email
            ]
            if not hits:
                raise NotFound(f"No contact has the email {key}")
            if len(hits) > 1:
                names = ", ".join(f"{self.get(h).name} ({self.get(h).phone})" for h in hits[:5])
                raise StoreError(f"{len(hits)} contacts have the email {key}: {names}. Use the phone.")
            return self.get(hits[0])
        try:
            phone = clean_phone(key, self.default_region)
        except ValidationError as exc:
            raise NotFound(f"No contact found for {key!r}: {exc}") from None
        contact_id = self._id_by_phone.get(phone)
        if contact_id is None:
            raise NotFound(f"No contact has the phone {phone}")
        return self.get(contact_id)
