"""The Store's changes to every contact at once (delete all). Importing many is
store.transfer.importer, which runs its rows through one ``Store.transaction``."""

from __future__ import annotations

from store.consent.suppression import suppress_many
from store.core.state import StoreState


class BulkPart(StoreState):
    def delete_all(self) -> int:
        """Delete every contact in one write. Opted-out numbers stay suppressed. Returns the count."""
        with self.transaction() as tx:
            self._require_in(tx, "delete-all")
            contacts = tx.contacts
            opted_out = [doc["phone"] for doc in contacts.values() if doc.get("opted_out")]
            suppress_many(tx, opted_out, "all contacts deleted while opted out")
            count = len(contacts)
            if count:
                tx.replace_all_contacts({})
        return count
