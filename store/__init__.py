"""The headless core of sms-contacts: models, rules and storage. Never imports textual."""

from store.core.conflicts import ChangedMeanwhile, Conflict, ContactDeleted, base_of
from store.errors import (
    CorruptDataFile,
    NotFound,
    PermissionDenied,
    SaveFailed,
    StoreError,
    ValidationError,
)
from store.model import CONSENT_LABELS, CONSENT_STATUSES, Contact, ContactList
from store.file.paths import default_db_path, resolve_db_path
from store.core.store import Store

__all__ = [
    "CONSENT_LABELS",
    "CONSENT_STATUSES",
    "ChangedMeanwhile",
    "Conflict",
    "Contact",
    "ContactDeleted",
    "ContactList",
    "CorruptDataFile",
    "NotFound",
    "PermissionDenied",
    "SaveFailed",
    "Store",
    "StoreError",
    "ValidationError",
    "base_of",
    "default_db_path",
    "resolve_db_path",
]
