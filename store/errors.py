"""Errors the store raises. Every refusal is a StoreError with a message meant for people."""

from __future__ import annotations


class StoreError(Exception):
    """A change or lookup the store refused. ``str(err)`` is the message to show."""


class CorruptDataFile(StoreError):
    """The data file exists but cannot be read as a contacts file; it is left untouched."""


class SaveFailed(StoreError):
    """Writing the data file failed (disk full, permissions...); the old file is intact."""


class NotFound(StoreError):
    """No contact or list matches what was asked for."""


class PermissionDenied(StoreError):
    """The current user may not do this (see store.access.permissions)."""


class ValidationError(StoreError):
    """One or more fields are invalid. ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))

    @classmethod
    def single(cls, field: str, message: str) -> "ValidationError":
        return cls({field: message})
