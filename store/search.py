"""The contact list's order and its search, kept in memory for instant filtering.

Contacts are ordered by name, ignoring case and accents ("Émile" sorts with "Emile"), then by id.
Each contact has one haystack string: its folded name, email and phone digits. A query that looks
like a phone number (digits, spaces, ``+-().``) is matched on digits, so ``4155550132``,
``415-555`` and ``+1 415`` all find ``+14155550132``; any other query is matched against name
and email, ignoring case and accents.

Search works in C-level passes: each letter, digit and common pair has a mask (a byte per
contact), a query starts from the contacts its masks allow or from an answer it extends, and a
one-mask answer is a view (``MaskedIds``), not a copy of up to a million ids.

Indexes are immutable snapshots: a change builds a new one, so a reader on another thread never
sees a half-updated list.

Length (over 300 lines): ``SearchIndex`` and its views (``MaskedIds``, ``_Found``) share one
private layout (order, masks, positions); they are kept together so that layout is read in one place.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate, compress, repeat
from operator import contains, itemgetter, lt
from typing import Any, Iterable, Iterator, Mapping, Sequence, overload

from store.gc_pause import gc_paused

_PHONE_LIKE = re.compile(r"[\d\s\-().+/]+")
_NON_DIGITS = re.compile(r"\D")
RECENT_SEARCHES = 6  # kept per index (36 bytes a match: 22 MB for a letter matching 60 % of a million)
REBUILD_THRESHOLD = 2000
# Characters with a mask (see SearchIndex._masks): the letters and digits most queries start with.
MASKED = "abcdefghijklmnopqrstuvwxyz0123456789"
PAIRS = 48  # the most common pairs of masked characters also get a mask ("an", "ar", "e@"...)
PAIR_SAMPLE = 5_000  # haystacks read to find them
MASK_CHUNK = 50_000
MASKS_FROM = 20_000  # below this many contacts a full pass is already well within a frame
MASK_PATCH_LIMIT = 50  # more changed contacts than this: the new index builds its masks again  # above this many changed contacts, rebuilding is cheaper than patching

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

    Only the order is built up front (what the first screen needs). The haystacks are built on
    first use, and with the character masks by prepare() (a worker after the first paint), from
    the contacts table the index was built on; a contact's sort key is read back from that table
    too. The store never changes a table in place, so that snapshot stays valid.
    """

    __slots__ = ("order", "_keys", "_contacts", "_hay", "_masks", "_lazy_lock", "_recent")

    def __init__(
        self,
        order: list[int],
        keys: list[str],
        contacts: Mapping[str, Mapping[str, Any]],
        hay: list[str] | None = None,
        masks: dict[str, bytearray] | None = None,
    ):
        self.order = order  # contact ids, sorted by (folded name, id)
        self._keys = keys  # folded name of order[i]
        self._contacts = contacts
        self._hay = hay
        # For each common character (MASKED), one byte per contact in list order: 1 when its
        # haystack holds the character. Built by prepare(); a search for one character is then
        # a C-level compress of the order, and a longer one starts from its rarest character.
        self._masks = masks
        self._lazy_lock = threading.Lock()
        # The last searches (needle, allowed set, matching positions): a query that contains one
        # of them (the usual case while typing) only needs to look at what that one matched, and
        # Backspace back to one of them needs no search at all.
        self._recent: list[_Found] = []

    @classmethod
    def empty(cls) -> "SearchIndex":
        return cls([], [], {}, [])

    @classmethod
    def build(cls, contacts: Mapping[str, Mapping[str, Any]]) -> "SearchIndex":
        with gc_paused():
            ids = list(map(int, contacts))
            folded = list(map(fold, map(itemgetter("name"), contacts.values())))
            if all(map(lt, ids, ids[1:])):  # the file lists contacts by id (the store writes them so)
                perm = list(range(len(ids)))
            else:
                perm = sorted(range(len(ids)), key=ids.__getitem__)  # by id first...
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

    def forget_searches(self) -> None:
        """Drop the remembered answers, so that the next search starts from scratch (benchmarks)."""
        self._recent = []

    def masks(self) -> dict[str, bytes] | None:
        """The character masks (None until prepare() built them): for tests and benchmarks."""
        return None if self._masks is None else {char: bytes(mask) for char, mask in self._masks.items()}

    def _key_of(self, contact_id: int) -> str | None:
        """The sort key of a contact in this index: its folded name in the table the index was
        built on (the store never changes a table in place, and builds a new index when a name
        changes), so no id -> key map has to be copied on every change."""
        doc = self._contacts.get(str(contact_id))
        return None if doc is None else fold(doc["name"])

    def prepare(self) -> None:
        """Build what search needs now (call from a worker thread after the first paint)."""
        hay = self.hay
        if self._masks is None and len(hay) >= MASKS_FROM:
            self._masks = {part: _mask(hay, part) for part in [*MASKED, *common_pairs(hay)]}

    def _find(self, keys: list[str], order: list[int], key: str, contact_id: int) -> int:
        # Ties on the name are in id order: a second bisect among them (many share a name).
        pos = bisect_left(order, contact_id, bisect_left(keys, key), bisect_right(keys, key))
        if order[pos] != contact_id:
            raise LookupError(f"contact {contact_id} is not where its name sorts")  # a broken invariant
        return pos

    def position(self, contact_id: int) -> int | None:
        key = self._key_of(contact_id)
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
            return SearchIndex(self.order, self._keys, contacts, self._hay, self._masks)
        if len(changed) > REBUILD_THRESHOLD:
            return SearchIndex.build(contacts)
        order, keys = list(self.order), list(self._keys)
        hay = list(self._hay) if self._hay is not None else None
        masks = None
        if hay is not None and self._masks is not None and len(changed) <= MASK_PATCH_LIMIT:
            masks = {char: bytearray(mask) for char, mask in self._masks.items()}
        for cid in changed:
            old = self._key_of(cid)
            if old is not None:
                pos = self._find(keys, order, old, cid)
                del order[pos], keys[pos]
                if hay is not None:
                    del hay[pos]
                if masks is not None:
                    for mask in masks.values():
                        del mask[pos]
            doc = contacts.get(str(cid))
            if doc is not None:
                key = fold(doc["name"])
                pos = bisect_left(order, cid, bisect_left(keys, key), bisect_right(keys, key))
                keys.insert(pos, key)
                order.insert(pos, cid)
                if hay is not None:
                    hay.insert(pos, haystack_from(key, doc))
                    if masks is not None:
                        for char, mask in masks.items():
                            mask.insert(pos, char in hay[pos])
        return SearchIndex(order, keys, contacts, hay, masks)

    def search(self, query: str, allowed: set[int] | None = None) -> Sequence[int]:
        """Ids matching ``query`` (all when empty), in list order; only ``allowed`` ids if given.

        Every pass is C-level (``compress`` over ``map(contains, ...)``): no Python code runs
        per contact, which keeps a first letter typed at a million contacts within a frame.
        """
        needle = needle_for(query)
        if not needle:
            if allowed is None:
                return self.order
            return list(filter(allowed.__contains__, self.order))
        known = [found for found in self._recent if found.allowed is allowed and found.needle in needle]
        closest = max(known, key=lambda found: len(found.needle), default=None)
        if closest is not None and closest.needle == needle:  # the same query again (Backspace)
            found = closest
        else:
            found = self._find_matches(needle, allowed, closest)
        recent = [seen for seen in self._recent if seen.needle != needle or seen.allowed is not allowed]
        self._recent = [*recent[-(RECENT_SEARCHES - 1):], found]
        return found.ids

    def _find_matches(self, needle: str, allowed: set[int] | None, closest: "_Found | None") -> "_Found":
        hay, order = self.hay, self.order
        chars = self._chars_mask(needle)  # contacts holding every masked character of the needle
        if chars is not None and needle in (self._masks or ()) and allowed is None:
            return _Found(needle, allowed, None, MaskedIds(order, chars), chars)
        # Look only at the contacts that a query this one extends matched (typing on), or at
        # those holding all its masked characters, whichever are fewer; else at every contact.
        from_closest = closest is not None and (chars is None or closest.count <= chars.count(1))
        if from_closest:
            candidates = closest.positions_in(len(hay))  # already within ``allowed``
        elif chars is not None:
            candidates = list(compress(range(len(hay)), chars))
        else:
            candidates = None
        if candidates is None:
            positions = list(compress(range(len(hay)), map(contains, hay, repeat(needle))))
        else:
            positions = list(compress(candidates, map(contains, map(hay.__getitem__, candidates), repeat(needle))))
        if allowed is not None and not from_closest:
            positions = list(compress(positions, map(allowed.__contains__, map(order.__getitem__, positions))))
        return _Found(needle, allowed, positions, list(map(order.__getitem__, positions)), None)

    def _chars_mask(self, needle: str) -> bytes | bytearray | None:
        """One byte per contact, 1 where its haystack holds every masked character and pair of
        characters of ``needle`` (None when none has a mask): the masks ANDed as big integers, in C.
        A mask of the needle itself (one character, or a common pair) is its exact answer."""
        masks = self._masks
        if masks is None:
            return None
        parts = set(needle) | {needle[i : i + 2] for i in range(len(needle) - 1)}
        chosen = [masks[part] for part in parts if part in masks]
        if len(chosen) <= 1:
            return chosen[0] if chosen else None
        both = int.from_bytes(chosen[0], "little")
        for mask in chosen[1:]:
            both &= int.from_bytes(mask, "little")
        return both.to_bytes(len(chosen[0]), "little")



def _mask(hay: list[str], part: str) -> bytearray:
    """1 for each haystack holding ``part``: C-level passes of MASK_CHUNK haystacks, so that the
    worker building masks lets the UI thread run between them (a few ms each)."""
    mask = bytearray()
    for start in range(0, len(hay), MASK_CHUNK):
        mask += bytes(map(contains, hay[start : start + MASK_CHUNK], repeat(part)))
    return mask


def common_pairs(hay: list[str]) -> list[str]:
    """The PAIRS pairs of masked characters found in most haystacks of an even sample of ``hay``
    (those present in at least 1 % of it): a query holding one starts from far fewer contacts
    than its single characters' masks allow ("lee" from those with "le", not those with "l")."""
    step = max(len(hay) // PAIR_SAMPLE, 1)
    counts: dict[str, int] = {}
    masked = frozenset(MASKED)
    for text in hay[::step]:
        for pair in {text[i : i + 2] for i in range(len(text) - 1)}:
            if pair[0] in masked and pair[1] in masked:
                counts[pair] = counts.get(pair, 0) + 1
    least = len(hay[::step]) // 100
    return [pair for pair, count in sorted(counts.items(), key=lambda item: -item[1])[:PAIRS] if count >= least]


class MaskedIds(Sequence[int]):
    """The ids ``order[i]`` where ``mask[i]`` is 1, in order, without building their list.

    A letter typed at a million contacts matches 800,000 of them: copying their ids takes longer
    than a frame, while the list shows twenty. Length is one C-level count; row ``i`` is found
    through the number of matches before each block of the mask (a bisect), then one C-level
    pass over that block; iterating is ``compress`` (C-level).
    """

    BLOCK = 8192

    def __init__(self, order: list[int], mask: bytes | bytearray):
        self._order, self._mask = order, mask
        size, block = len(mask), self.BLOCK
        self._before = list(accumulate((mask.count(1, start, start + block) for start in range(0, size, block)), initial=0))
        self._len = self._before[-1]
        self._cached: tuple[int, list[int]] = (-1, [])

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[int]:
        return compress(self._order, self._mask)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, MaskedIds)):
            return len(other) == self._len and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MaskedIds({list(self)!r})"

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("MaskedIds index out of range")
        block = bisect_right(self._before, index) - 1
        cached_block, positions = self._cached
        if cached_block != block:
            start = block * self.BLOCK
            positions = list(compress(range(start, start + self.BLOCK), self._mask[start : start + self.BLOCK]))
            self._cached = (block, positions)
        return self._order[positions[index - self._before[block]]]


class _Found:
    """One search's answer, remembered for the next: the positions (in list order) and ids of
    the contacts that matched. A one-character search keeps its mask instead of positions (its
    ids come straight from the mask); positions are made from it only if a later query needs them."""

    __slots__ = ("needle", "allowed", "positions", "ids", "mask")

    def __init__(self, needle: str, allowed: set[int] | None, positions: list[int] | None, ids: Sequence[int],
                 mask: bytes | bytearray | None):
        self.needle, self.allowed, self.positions, self.ids, self.mask = needle, allowed, positions, ids, mask

    @property
    def count(self) -> int:
        return len(self.ids)

    def positions_in(self, size: int) -> list[int]:
        if self.positions is None:
            assert self.mask is not None
            self.positions = list(compress(range(size), self.mask))
        return self.positions
