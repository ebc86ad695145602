"""``--public-url``: the base URL clients (Twilio) reach the server at, behind a proxy.

Twilio signs the exact URL it requests, and the server rebuilds it as this base plus the
request's path (api.webhooks.signed_url). A base without a scheme, with a query or a fragment, or
that already holds ``/webhooks/`` can never rebuild that URL: every Twilio request would get 403.
So such a base is refused at the start, saying what is wrong.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from store.rules.text import first_refused, printable

from .context import WEBHOOK_PREFIX

EXPECTED = "expected the base URL clients reach this server at, such as https://sms.example.com or https://example.com/contacts"
WEBHOOKS = (("Twilio", "twilio"), ("generic", "generic"))


def public_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as a public base URL, or None when it is fine."""
    if first_refused(url) is not None:
        return "it holds a control or invisible character"
    if any(ch.isspace() for ch in url):
        return "it holds a space"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError as exc:
        return f"it is not a URL ({exc}; a port is 1 to 65535)"
    if parts.scheme not in ("http", "https"):
        return "it does not start with https:// (or http://)"
    if not parts.hostname:
        return "it has no host name"
    if parts.query or url.rstrip("#").endswith("?"):
        return "it has a query string (?...), which Twilio's signature would not match"
    if parts.fragment or "#" in url:
        return "it has a fragment (#...)"
    if WEBHOOK_PREFIX in parts.path.rstrip("/") + "/":
        return "its path already holds /webhooks/: give the base only; the server adds /webhooks/twilio itself"
    return None


def refusal(url: str) -> str | None:
    """The whole message for a bad ``--public-url``, with the URL escaped for the terminal."""
    problem = public_url_problem(url)
    if problem is None:
        return None
    return f"--public-url '{printable(url)}': {problem}; {EXPECTED}"


def webhook_urls(base: str) -> list[tuple[str, str]]:
    """(provider, URL to give the provider) for each webhook, under the base URL ``base``."""
    return [(label, f"{base.rstrip('/')}{WEBHOOK_PREFIX}{name}") for label, name in WEBHOOKS]
