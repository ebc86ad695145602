"""Every error a client sees is JSON ``{"error": message, "field": name or null}``, never a stack."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from store import ChangedMeanwhile, Conflict, NotFound, PermissionDenied, StoreError, ValidationError
from store.errors import CorruptDataFile, SaveFailed

# The store names a reply's text "reply"; the API's field is "text".
FIELD_NAMES = {"reply": "text"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.extra = extra


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # ensure_ascii: every non-ASCII character is an escape, so no stored text can drive a terminal.
    return web.Response(
        body=json.dumps(data).encode("ascii"), status=status, content_type="application/json", headers=headers
    )


def error_response(error: ApiError, headers: dict[str, str] | None = None) -> web.Response:
    return json_response({"error": error.message, "field": error.field, **error.extra}, error.status, headers)


def from_store_error(exc: StoreError) -> ApiError:
    """The HTTP status and field for a refusal of the store."""
    if isinstance(exc, ValidationError):
        errors = {FIELD_NAMES.get(k, k): v for k, v in exc.errors.items()}
        field = next(iter(errors), None)
        return ApiError(400, str(exc), field, errors=errors)
    if isinstance(exc, Conflict):
        fields = [c.field for c in exc.fields]
        return ApiError(409, str(exc), fields[0] if fields else None, theirs=exc.theirs())
    if isinstance(exc, ChangedMeanwhile):
        return ApiError(409, str(exc), exc.changes[0].field if exc.changes else None)
    if isinstance(exc, NotFound):
        return ApiError(404, str(exc))
    if isinstance(exc, PermissionDenied):
        return ApiError(403, str(exc))
    if isinstance(exc, (CorruptDataFile, SaveFailed)):
        return ApiError(503, str(exc))
    return ApiError(400, str(exc))
