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
import threading
import unicodedata
from bisect import bisect_left
from operator import itemgetter
from typing import Any, Iterable, Mapping

from .gc_pause import gc_paused

_PHONE_LIKE = re.compile(r"[\d\s\-().+/]+")
_NON_DIGITS = re.compile(r"\D")
REBUILD_THRESHOLD = 2000  # above this many changed contacts, rebuilding is cheaper than patching

_FOLDED_WORDS: dict[str, str] = {}
_FOLDED_WORDS_MAX = 200_000


def _fold_word(word: str) -> str:
    folded = _FOLDED_WORDS.get(word)
    if folded is None:
        decomposed = unicodedata.normalize("NFKD", word)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if len(_FOLDED_WORDS) >= _FOLDED_WORDS_MAX:
            _FOLDED_WORDS.clear()
        _FOLDED_WORDS[word] = folded
    return folded


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for sorting and matching ("É" -> "e").

    Folding is exact word by word (decomposition, case folding and dropping combining marks never
    cross a space), and names share words ("Maria", "García"), so non-ASCII words are cached: at
    100,000 contacts that halves the time to build the list order.
    """
    folded = text.casefold()
    if folded.isascii():
        return folded
    return " ".join(word if word.isascii() else _fold_word(word) for word in folded.split(" "))


def haystack(doc: Mapping[str, Any]) -> str:
    """Folded name and email and the phone's digits, joined by NULs (which no query contains)."""
    return haystack_from(fold(doc["name"]), doc)


def haystack_from(folded_name: str, doc: Mapping[str, Any]) -> str:
    email = doc.get("email")
    return f"{folded_name}\x00{fold(email) if email else ''}\x00{doc['phone'][1:]}"


def needle_for(query: str) -> str:
    """What to look for in haystacks: digits for a phone-like query, folded text otherwise."""
    query = query.replace("\x00", "").strip()  # a NUL would match across fields
    if _PHONE_LIKE.fullmatch(query):
        digits = _NON_DIGITS.sub("", query).lstrip("0")  # a leading 0 is a trunk prefix
        if digits:
            return digits
    return fold(query)


class SearchIndex:
    """Contact ids in list order, with search over them.

    Only the order is built up front (what the first screen needs). The haystacks and the
    id -> sort key map are built on first use, from the contacts table the index was built on;
    the store never changes a table in place, so that snapshot stays valid.
    """

    __slots__ = ("order", "_keys", "_contacts", "_hay", "_key_of", "_lazy_lock", "_last")

    def __init__(
        self,
        order: list[int],
        keys: list[str],
        contacts: Mapping[str, Mapping[str, Any]],
        hay: list[str] | None = None,
        key_of: dict[int, str] | None = None,
    ):
        self.order = order  # contact ids, sorted by (folded name, id)
        self._keys = keys  # folded name of order[i]
        self._contacts = contacts
        self._hay = hay
        self._key_of = key_of
        self._lazy_lock = threading.Lock()
        # The last search (needle, allowed set, matching positions): a query that contains the
        # previous one (the usual case while typing) only needs to look at what that one matched.
        self._last: tuple[str, set[int] | None, list[int]] | None = None

    @classmethod
    def empty(cls) -> "SearchIndex":
        return cls([], [], {}, [], {})

    @classmethod
    def build(cls, contacts: Mapping[str, Mapping[str, Any]]) -> "SearchIndex":
        with gc_paused():
            ids = list(map(int, contacts))
            folded = list(map(fold, map(itemgetter("name"), contacts.values())))
            perm = sorted(range(len(ids)), key=ids.__getitem__)  # by id first (usually a no-op)...
            perm.sort(key=folded.__getitem__)  # ...then a stable sort by name keeps ties in id order
            return cls([ids[i] for i in perm], [folded[i] for i in perm], contacts)

    def __len__(self) -> int:
        return len(self.order)

    @property
    def hay(self) -> list[str]:
        """Haystack of order[i]: built on first search (or by prepare())."""
        hay = self._hay
        if hay is None:
            with self._lazy_lock:
                if self._hay is None:
                    contacts = self._contacts
                    with gc_paused():
                        self._hay = [
                            haystack_from(key, contacts[str(cid)]) for cid, key in zip(self.order, self._keys)
                        ]
                hay = self._hay
        return hay

    def _keys_by_id(self) -> dict[int, str]:
        key_of = self._key_of
        if key_of is None:
            with self._lazy_lock:
                if self._key_of is None:
                    self._key_of = dict(zip(self.order, self._keys))
                key_of = self._key_of
        return key_of

    def prepare(self) -> None:
        """Build what search needs now (call from a worker thread after the first paint)."""
        self.hay
        self._keys_by_id()

    def _find(self, keys: list[str], order: list[int], key: str, contact_id: int) -> int:
        pos = bisect_left(keys, key)
        while order[pos] != contact_id:  # ties on the name are in id order
            pos += 1
        return pos

    def position(self, contact_id: int) -> int | None:
        key = self._keys_by_id().get(contact_id)
        if key is None:
            return None
        return self._find(self._keys, self.order, key, contact_id)

    def with_changes(
        self,
        contacts: Mapping[str, Mapping[str, Any]],
        changed: Iterable[int],
    ) -> "SearchIndex":
        """A new index after the contacts in ``changed`` were added, edited or removed."""
        changed = set(changed)
        if not changed:
            if contacts is self._contacts:
                return self
            # Only contacts that kept their name, email and phone changed: same order, same hay.
            return SearchIndex(self.order, self._keys, contacts, self._hay, self._key_of)
        if len(changed) > REBUILD_THRESHOLD:
            return SearchIndex.build(contacts)
        old_key_of = self._keys_by_id()
        order, keys, key_of = list(self.order), list(self._keys), dict(old_key_of)
        hay = list(self._hay) if self._hay is not None else None
        for cid in changed:
            old = key_of.pop(cid, None)
            if old is not None:
                pos = self._find(keys, order, old, cid)
                del order[pos], keys[pos]
                if hay is not None:
                    del hay[pos]
            doc = contacts.get(str(cid))
            if doc is not None:
                key = fold(doc["name"])
                pos = bisect_left(keys, key)
                while pos < len(keys) and keys[pos] == key and order[pos] < cid:
                    pos += 1
                keys.insert(pos, key)
                order.insert(pos, cid)
                if hay is not None:
                    hay.insert(pos, haystack_from(key, doc))
                key_of[cid] = key
        return SearchIndex(order, keys, contacts, hay, key_of)

    def search(self, query: str, allowed: set[int] | None = None) -> list[int]:
        """Ids matching ``query`` (all when empty), in list order; only ``allowed`` ids if given."""
        needle = needle_for(query)
        if not needle:
            if allowed is None:
                return self.order
            return [cid for cid in self.order if cid in allowed]
        hay, order = self.hay, self.order
        last = self._last
        if last is not None and last[1] is allowed and last[0] in needle:
            positions = [pos for pos in last[2] if needle in hay[pos]]
        elif allowed is None:
            positions = [pos for pos, h in enumerate(hay) if needle in h]
        else:
            positions = [pos for pos, h in enumerate(hay) if needle in h and order[pos] in allowed]
        self._last = (needle, allowed, positions)
        return [order[pos] for pos in positions]
