"""Every error a client sees is JSON ``{"error": message, "field": name or null}``, never a stack."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from store import ChangedMeanwhile, Conflict, NotFound, PermissionDenied, StoreError, ValidationError
from store.errors import CorruptDataFile, SaveFailed
from store.rules.text import printable

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
    # Messages quote what the caller sent (an email, a list name): escaped as the CLI escapes them,
    # so a client that prints the message shows \x1b, not an escape sequence.
    extra = dict(error.extra)
    if isinstance(extra.get("errors"), dict):
        extra["errors"] = {k: printable(v) if isinstance(v, str) else v for k, v in extra["errors"].items()}
    return json_response({"error": printable(error.message), "field": error.field, **extra}, error.status, headers)


def parse_json(raw: bytes) -> Any:
    """The JSON of a body; ApiError 400 when it is not JSON or nests deeper than the decoder can."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ApiError(400, "The body's JSON is nested too deeply; send the documented flat object") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The body is not JSON ({exc})") from None


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
