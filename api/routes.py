"""The JSON endpoints. Contacts have the shape of ``contacts show --json`` (one) and of
``contacts list --json`` (a page of a list): both come from store.transfer.serialize.

    GET    /contacts?list=&sendable=&consent=&offset=&limit=   {"contacts": [...], "total", "offset", "limit"}
    POST   /contacts                 {"name", "phone", "email"?, "lists"?, "opted_out"?}  -> 201
    GET    /contacts/{id}  |  /contacts/phone/{phone}  |  /contacts/email/{email}
    PATCH  /contacts/{id}            {"changes": {field: value}, "base": {field: value last seen}}
    DELETE /contacts/{id}            -> {"deleted": contact}
    POST   /replies                  {"phone", "text"}: the rules of ``contacts reply``
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from store import NotFound, Store, ValidationError
from store.consent.replies import ReplyResult, record_reply
from store.model import CONSENT_STATUSES
from store.consent.sendable import select_ids
from store.transfer.serialize import contact_to_json
from store.rules.validation import clean_phone

from .errors import ApiError, json_response, parse_json
from .context import POOL, TOKEN, acting_store

MAX_PAGE = 1000
DEFAULT_PAGE = 100
CREATE_FIELDS = ("name", "phone", "email", "lists", "opted_out")
UPDATE_FIELDS = ("name", "phone", "email", "lists", "opted_out")
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")

routes = web.RouteTableDef()


async def json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()  # over the limit: 413, from aiohttp
    data = parse_json(raw or b"null")
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object")
    return data


def _text(data: dict[str, Any], field: str, *, null: bool = False, shown: str | None = None) -> Any:
    value = data[field]
    if isinstance(value, str) or (null and value is None):
        return value
    raise ApiError(400, f"{shown or field} must be {'text or null' if null else 'text'}", shown or field)


def check_fields(data: dict[str, Any], allowed: tuple[str, ...], where: str = "") -> dict[str, Any]:
    """Type-check the fields of a create or an update (the store checks the values)."""
    fields: dict[str, Any] = {}
    for field, value in data.items():
        name = where + field
        if field not in allowed:
            raise ApiError(400, f"Unknown field {field!r}; known: {', '.join(allowed)}", name)
        if field in ("name", "phone"):
            fields[field] = _text(data, field, shown=name)
        elif field == "email":
            fields[field] = _text(data, field, null=True, shown=name)
        elif field == "opted_out":
            if not isinstance(value, bool):
                raise ApiError(400, f"{name} must be true or false", name)
            fields[field] = value
        elif field == "lists":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ApiError(400, f"{name} must be a list of list names", name)
            fields[field] = value
    return fields


def is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²", "１" and "٣" (int() reads the last two)."""
    return text.isascii() and text.isdigit()


def contact_id_of(request: web.Request) -> int:
    text = request.match_info["id"]
    if not is_number(text) or len(text) > 16:
        raise ApiError(404, f"No contact with id {text!r} (ids are digits 0-9)")
    return int(text)


def _page_param(request: web.Request, name: str, default: int, low: int, high: int | None) -> int:
    text = request.query.get(name)
    if text is None:
        return default
    if not is_number(text) or len(text) > 16 or int(text) < low or (high is not None and int(text) > high):
        upper = f" to {high}" if high is not None else " or more"
        raise ApiError(400, f"{name} must be a whole number from {low}{upper} in digits 0-9, not {text!r}", name)
    return int(text)


@routes.get("/contacts")
async def list_contacts(request: web.Request) -> web.Response:
    unknown = set(request.query) - {"list", "sendable", "consent", "offset", "limit"}
    if unknown:
        name = sorted(unknown)[0]
        raise ApiError(400, f"Unknown parameter {name!r}; known: list, sendable, consent, offset, limit", name)
    for name in dict.fromkeys(request.query):
        if len(request.query.getall(name)) > 1:
            raise ApiError(400, f"Give {name} once; it was given {len(request.query.getall(name))} times", name)
    offset = _page_param(request, "offset", 0, 0, None)
    limit = _page_param(request, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
    sendable = request.query.get("sendable", "false").strip().lower()
    if sendable not in TRUE + FALSE:
        raise ApiError(400, f"sendable must be true or false, not {sendable!r}", "sendable")
    consent = request.query.get("consent")
    if consent is not None and consent not in CONSENT_STATUSES:
        raise ApiError(400, f"consent must be one of {', '.join(CONSENT_STATUSES)}", "consent")
    list_key = request.query.get("list")

    def work() -> dict[str, Any]:
        store = acting_store(request)
        if list_key is not None:
            try:
                store.get_list(list_key)
            except NotFound as exc:
                raise ApiError(404, str(exc), "list") from None
        ids = select_ids(store, list_key, sendable=sendable in TRUE, consent=consent)
        names = {lst.id: lst.name for lst in store.lists(counts=False)}
        page = [contact_to_json(store, store.get(cid), names=names) for cid in ids[offset:offset + limit]]
        return {"contacts": page, "total": len(ids), "offset": offset, "limit": limit}

    return json_response(await request.app[POOL].run(work))


async def _one(request: web.Request, find) -> web.Response:
    def work() -> dict[str, Any]:
        store = acting_store(request)
        return contact_to_json(store, find(store), detail=True)

    return json_response(await request.app[POOL].run(work))


@routes.get("/contacts/phone/{phone}")
async def by_phone(request: web.Request) -> web.Response:
    phone = request.match_info["phone"]
    if "@" in phone:
        raise ApiError(404, "Not a phone number; look emails up at /contacts/email/EMAIL")
    return await _one(request, lambda store: store.find(phone))


@routes.get("/contacts/email/{email}")
async def by_email(request: web.Request) -> web.Response:
    email = request.match_info["email"]
    if "@" not in email:
        raise ApiError(404, "Not an email address; look phones up at /contacts/phone/PHONE")
    return await _one(request, lambda store: store.find(email))


@routes.get("/contacts/{id}")
async def by_id(request: web.Request) -> web.Response:
    contact_id = contact_id_of(request)
    return await _one(request, lambda store: store.get(contact_id))


@routes.post("/contacts")
async def create(request: web.Request) -> web.Response:
    fields = check_fields(await json_body(request), CREATE_FIELDS)

    def work() -> dict[str, Any]:
        store = acting_store(request)
        check_lists(store, fields.get("lists"))
        contact = store.add_contact(
            fields.get("name", ""), fields.get("phone", ""), fields.get("email"),
            lists=fields.get("lists", ()), opted_out=fields.get("opted_out", False),
        )
        return contact_to_json(store, contact, detail=True)

    return json_response(await request.app[POOL].run(work), status=201)


def check_lists(store: Store, names: Any) -> None:
    """(Worker thread only.) Each list name of a body names a list: else 400 in field "lists"."""
    for name in names or ():
        try:
            store.get_list(name)
        except NotFound as exc:
            raise ApiError(400, str(exc), "lists") from None


def _base_for(store: Store, base: dict[str, Any]) -> dict[str, Any]:
    """The base as store.core.conflicts compares it: a phone in E.164, lists as ids."""
    out = dict(base)
    if "phone" in out:
        try:
            out["phone"] = clean_phone(out["phone"], store.default_region)
        except ValidationError as exc:
            raise ApiError(400, f"base.phone: {exc}", "base.phone") from None
    if "lists" in out:
        ids = []
        for name in out["lists"]:
            try:
                ids.append(store.get_list(name).id)
            except NotFound:
                raise ApiError(409, f"The list {name!r} you saw no longer exists; load the contact again", "lists") from None
        out["lists"] = sorted(ids)
    return out


@routes.patch("/contacts/{id}")
async def update(request: web.Request) -> web.Response:
    contact_id = contact_id_of(request)
    body = await json_body(request)
    extra = set(body) - {"changes", "base"}
    if extra:
        raise ApiError(400, f"Unknown key {sorted(extra)[0]!r}; send {{\"changes\": {{...}}, \"base\": {{...}}}}", sorted(extra)[0])
    changes, base = body.get("changes"), body.get("base", {})
    if not isinstance(changes, dict) or not changes:
        raise ApiError(400, "changes must be an object of the fields to change", "changes")
    if not isinstance(base, dict):
        raise ApiError(400, "base must be an object: each changed field's value as you last saw it", "base")
    changes = check_fields(changes, UPDATE_FIELDS)
    for field in changes:
        if field not in base:
            raise ApiError(400, f"base.{field} is required: the value of {field} you last saw (409 if it changed since)", f"base.{field}")
    base = check_fields({k: base[k] for k in changes}, UPDATE_FIELDS, "base.")

    def work() -> dict[str, Any]:
        store = acting_store(request)
        store.get(contact_id)  # not there now: 404 "No contact with id N", not "deleted since you loaded it"
        check_lists(store, changes.get("lists"))
        contact = store.update_contact(contact_id, **changes, base=_base_for(store, base))
        return contact_to_json(store, contact, detail=True)

    return json_response(await request.app[POOL].run(work))


@routes.delete("/contacts/{id}")
async def delete(request: web.Request) -> web.Response:
    contact_id = contact_id_of(request)

    def work() -> dict[str, Any]:
        store = acting_store(request)
        names = {lst.id: lst.name for lst in store.lists(counts=False)}
        return {"deleted": contact_to_json(store, store.delete_contact(contact_id), detail=True, names=names)}

    return json_response(await request.app[POOL].run(work))


def reply_json(result: ReplyResult) -> dict[str, Any]:
    return {
        "kind": result.kind.value,
        "contact_id": result.contact_id,
        "phone": result.phone,
        "message": result.message,
        "opted_out_changed": result.opted_out_changed,
        "consent_changed": result.consent_changed,
        "suppression_changed": result.suppression_changed,
        "flagged_for_review": result.flagged_for_review,
        "help_due": result.help_due,
    }


def reply_fields(data: dict[str, Any], phone_key: str, text_key: str) -> tuple[str, str]:
    unknown = set(data) - {phone_key, text_key}
    if unknown:
        name = sorted(unknown)[0]
        raise ApiError(400, f"Unknown field {name!r}; send {phone_key} and {text_key}", name)
    for key in (phone_key, text_key):
        if key not in data:
            raise ApiError(400, f"{key} is required", key)
        _text(data, key)
    return data[phone_key], data[text_key]


@routes.post("/replies")
async def reply(request: web.Request) -> web.Response:
    phone, text = reply_fields(await json_body(request), "phone", "text")
    via = f"API token {request[TOKEN].name}"

    def work() -> dict[str, Any]:
        return reply_json(record_reply(acting_store(request), phone, text, via=via))

    return json_response(await request.app[POOL].run(work))


ROUTES = routes
