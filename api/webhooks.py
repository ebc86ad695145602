"""Inbound SMS webhooks: the reply goes through store.consent.replies.record_reply at once, as the user
running the server, with ``via`` naming the webhook in the contact's history.

- ``POST /webhooks/twilio``: Twilio's inbound-message form (From, To, Body...), checked with
  Twilio's documented ``X-Twilio-Signature``: base64 of HMAC-SHA1, keyed with the account's auth
  token, over the full URL Twilio requested followed by every POST parameter's name and value,
  sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security). The URL is
  ``--public-url`` plus the request's path and query when the server is behind a proxy, else
  the URL the request arrived at; like Twilio's own RequestValidator, it is tried with and
  without the port. The answer is empty TwiML (Twilio's Advanced Opt-Out sends the STOP/HELP
  confirmations itself).
- ``POST /webhooks/generic``: JSON ``{"from": PHONE, "text": MESSAGE}``, with
  ``X-Signature: sha256=HEX``: hex HMAC-SHA256 of the exact body, keyed with the generic secret.

A missing secret, a missing or wrong signature: 403, and nothing is read or changed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Iterable
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web

from store import StoreError
from store.consent.replies import record_reply
from store.access.webhook_secrets import read_secret

from .errors import ApiError, json_response, parse_json
from .routes import reply_fields, reply_json
from .context import CONFIG, POOL, log

TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
TWILIO_VIA = "Twilio webhook"
GENERIC_VIA = "generic webhook"
FORM = "application/x-www-form-urlencoded"

routes = web.RouteTableDef()


def twilio_signature(token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's signature of a request: base64(HMAC-SHA1(token, url + name1 + value1 + ...)),
    names sorted, and each name's values sorted (as Twilio's RequestValidator does)."""
    values: dict[str, set[str]] = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    signed = url + "".join(name + value for name in sorted(values) for value in sorted(values[name]))
    digest = hmac.new(token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """The URL as given, with its default port written out, and without any port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = userinfo + "@" if userinfo else ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    with_port = urlunsplit(parts._replace(netloc=f"{prefix}{host}:{port}"))
    without = urlunsplit(parts._replace(netloc=f"{prefix}{host}"))
    return list(dict.fromkeys([url, with_port, without]))


def signed_url(request: web.Request) -> str:
    public = request.app[CONFIG].public_url
    if public:
        return public.rstrip("/") + request.raw_path
    return str(request.url.origin()) + request.raw_path  # the Host header the request came with


async def secret_for(request: web.Request, provider: str) -> str:
    db_path = request.app[CONFIG].db_path
    try:
        secret = await request.app[POOL].run(read_secret, db_path, provider)
    except StoreError as exc:
        log.error("contacts api: %s", exc)  # the path and the mode are for the admin, not the caller
        raise ApiError(503, "The webhook secrets file can not be used; the server's log says why") from None
    if secret is None:
        raise ApiError(403, f"No {provider} secret is set on this server (an admin runs: contacts webhook-secret {provider})")
    return secret


def _record(request: web.Request, phone: str, text: str, via: str):
    pool = request.app[POOL]
    return pool.run(lambda: record_reply(pool.home, phone, text, via=via))


@routes.post("/webhooks/twilio")
async def twilio(request: web.Request) -> web.Response:
    token = await secret_for(request, "twilio")
    if request.content_type != FORM:
        raise ApiError(400, f"Twilio posts {FORM}, not {request.content_type}", "Content-Type")
    form = await request.post()
    params = [(name, value) for name, value in form.items() if isinstance(value, str)]
    presented = request.headers.get("X-Twilio-Signature", "")
    url = signed_url(request)
    good = any(
        hmac.compare_digest(twilio_signature(token, candidate, params).encode(), presented.encode("utf-8", "replace"))
        for candidate in url_variants(url)
    )
    if not presented or not good:
        raise ApiError(403, "Missing or wrong X-Twilio-Signature; nothing was changed", "X-Twilio-Signature")
    if "From" not in form or "Body" not in form:
        raise ApiError(400, "A Twilio message needs From and Body", "From" if "From" not in form else "Body")
    await _record(request, str(form["From"]), str(form["Body"]), TWILIO_VIA)
    return web.Response(text=TWIML_EMPTY, content_type="text/xml")


@routes.post("/webhooks/generic")
async def generic(request: web.Request) -> web.Response:
    secret = await secret_for(request, "generic")
    raw = await request.read()
    scheme, _, presented = request.headers.get("X-Signature", "").partition("=")
    expected = hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    if scheme.strip().lower() != "sha256" or not hmac.compare_digest(expected.encode(), presented.strip().lower().encode("utf-8", "replace")):
        raise ApiError(403, "Missing or wrong X-Signature (sha256=HEX of the body); nothing was changed", "X-Signature")
    data: Any = parse_json(raw)
    if not isinstance(data, dict):
        raise ApiError(400, 'The body must be {"from": PHONE, "text": MESSAGE}')
    phone, text = reply_fields(data, "from", "text")
    try:
        result = await _record(request, phone, text, GENERIC_VIA)
    except StoreError as exc:
        if getattr(exc, "errors", None) and "phone" in exc.errors:
            raise ApiError(400, exc.errors["phone"], "from") from None
        raise
    return json_response(reply_json(result))


ROUTES = routes
