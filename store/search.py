"""The contact list's order and its search, kept in memory for instant filtering.

Contacts are ordered by name, ignoring case and accents ("Émile" sorts with "Emile"), then by id.
Each contact has one haystack string: its folded name, email and phone digits. A query that looks
like a phone number (digits, spaces, ``+-().``) is matched on digits, so ``4155550132``,
``415-555`` and ``+1 415`` all find ``+14155550132``; any other query is matched against name
and email, ignoring case and accents.

Indexes are immutable snapshots: a change builds a new one, so a reader on another thread never
sees a half-updated list.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Any, Iterable, Mapping

_PHONE_LIKE = re.compile(r"[\d\s\-().+/]+")
_NON_DIGITS = re.compile(r"\D")
REBUILD_THRESHOLD = 2000  # above this many changed contacts, rebuilding is cheaper than patching

SortKey = tuple[str, int]


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for sorting and matching."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def haystack(doc: Mapping[str, Any]) -> str:
    """Folded name and email and the phone's digits, joined by NULs (which no query contains)."""
    email = doc.get("email") or ""
    return f"{fold(doc['name'])}\x00{fold(email)}\x00{doc['phone'][1:]}"


def needle_for(query: str) -> str:
    """What to look for in haystacks: digits for a phone-like query, folded text otherwise."""
    query = query.replace("\x00", "").strip()  # a NUL would match across fields
    if _PHONE_LIKE.fullmatch(query):
        digits = _NON_DIGITS.sub("", query).lstrip("0")  # a leading 0 is a trunk prefix
        if digits:
            return digits
    return fold(query)


class SearchIndex:
    __slots__ = ("order", "hay", "_keys", "_key_of")

    def __init__(self, order: list[int], hay: list[str], keys: list[SortKey], key_of: dict[int, SortKey]):
        self.order = order  # contact ids, sorted
        self.hay = hay  # haystack of order[i]
        self._keys = keys  # sort key of order[i]
        self._key_of = key_of

    @classmethod
    def build(cls, contacts: Mapping[str, Mapping[str, Any]]) -> "SearchIndex":
        rows = sorted(
            ((fold(doc["name"]), int(cid)), haystack(doc)) for cid, doc in contacts.items()
        )
        keys = [key for key, _ in rows]
        return cls([key[1] for key in keys], [hay for _, hay in rows], keys, dict((k[1], k) for k in keys))

    def __len__(self) -> int:
        return len(self.order)

    def position(self, contact_id: int) -> int | None:
        key = self._key_of.get(contact_id)
        if key is None:
            return None
        return bisect_left(self._keys, key)

    def with_changes(
        self,
        contacts: Mapping[str, Mapping[str, Any]],
        changed: Iterable[int],
    ) -> "SearchIndex":
        """A new index after the contacts in ``changed`` were added, edited or removed."""
        changed = set(changed)
        if not changed:
            return self
        if len(changed) > REBUILD_THRESHOLD:
            return SearchIndex.build(contacts)
        order, hay, keys, key_of = list(self.order), list(self.hay), list(self._keys), dict(self._key_of)
        for cid in changed:
            old = key_of.pop(cid, None)
            if old is not None:
                pos = bisect_left(keys, old)
                del order[pos], hay[pos], keys[pos]
            doc = contacts.get(str(cid))
            if doc is not None:
                key = (fold(doc["name"]), cid)
                pos = bisect_left(keys, key)
                keys.insert(pos, key)
                order.insert(pos, cid)
                hay.insert(pos, haystack(doc))
                key_of[cid] = key
        return SearchIndex(order, hay, keys, key_of)

    def search(self, query: str, allowed: set[int] | None = None) -> list[int]:
        """Ids matching ``query`` (all when empty), in list order; only ``allowed`` ids if given."""
        needle = needle_for(query)
        if not needle:
            if allowed is None:
                return self.order
            return [cid for cid in self.order if cid in allowed]
        if allowed is None:
            return [cid for cid, h in zip(self.order, self.hay) if needle in h]
        return [cid for cid, h in zip(self.order, self.hay) if needle in h and cid in allowed]

