"""What every part of the Store shares: the loaded data, its indexes and caches, and the lock.

The parts (store.core.finding, contacts, lists, admin, consent_views, bulk) are mixins of one
class, ``store.Store``; this base only declares the state they read, set up by ``Store.__init__``,
so each part can be read (and type-checked) on its own.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.consent.reply_keywords import KeywordSet
    from store.consent.sendable import StatusIndex
    from store.core.transaction import Transaction
    from store.file.storage import AtomicJSONStorage
    from store.search import SearchIndex


class StoreState:
    path: Path
    user: str
    _storage: AtomicJSONStorage
    _lock: threading.RLock
    _data: dict[str, dict[str, Any]]
    _id_by_phone: dict[str, int]
    _index: SearchIndex
    _list_members_cache: dict[int, set[int]] | None
    _suppressed_cache: set[str] | None
    _status: StatusIndex | None  # built on first use, then patched by each change
    _allowed: dict[tuple[int | None, str], frozenset[int] | set[int]]
    _keywords: tuple[Any, KeywordSet] | None  # (stored settings, compiled from them)

    if TYPE_CHECKING:
        def transaction(self) -> AbstractContextManager[Transaction]: ...
