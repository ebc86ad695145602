"""The Store's consent views: suppressed numbers, who may be texted now (store.consent.sendable),
and the reply keywords in force. Recording replies is store.consent.replies."""

from __future__ import annotations

from typing import Iterable

from store.consent.keyword_settings import compile_keywords
from store.consent.reply_keywords import KeywordSet
from store.consent.sendable import StatusIndex
from store.core.state import StoreState
from store.gc_pause import gc_paused
from store.model import CONTACTS, SUPPRESSION


class ConsentViewsPart(StoreState):
    def suppressed_phones(self) -> set[str]:
        """Numbers that opted out and must stay opted out, even after their contact was deleted."""
        cache = self._suppressed_cache
        if cache is None:
            cache = {doc.get("phone") for doc in self._data[SUPPRESSION].values()}
            self._suppressed_cache = cache
        return cache

    def is_suppressed(self, phone: str) -> bool:
        return phone in self.suppressed_phones()

    def status_index(self) -> StatusIndex:
        """Ids by status (may not be texted, opted out, needs review), kept up to date."""
        status = self._status
        if status is None:
            with self._lock:  # not while a change commits: it would be built on the data before it
                status = self._status
                if status is None:
                    with gc_paused():
                        status = self._status = StatusIndex.build(self._data[CONTACTS], self.suppressed_phones())
        return status

    @property
    def status_ready(self) -> bool:
        """Is ``status_index`` built (so counts are instant)? The app builds it after its first paint."""
        return self._status is not None

    def textable_count(self, ids: Iterable[int] | None = None) -> int:
        """How many of ``ids`` (all contacts when None) may be texted now (store.consent.sendable)."""
        status = self.status_index()
        if ids is None or ids is self._index.order:
            return self.count() - len(status.untextable)
        seq = ids if isinstance(ids, (list, tuple)) else list(ids)
        return len(seq) - status.count_untextable(seq)

    def reply_keywords(self) -> KeywordSet:
        """The reply keywords in force (store.consent.keyword_settings), compiled once per settings change."""
        stored = self.setting("keywords")
        cached = self._keywords
        if cached is None or not (cached[0] is stored or cached[0] == stored):
            cached = self._keywords = (stored, compile_keywords(stored))
        return cached[1]
