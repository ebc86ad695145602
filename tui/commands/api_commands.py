"""contacts api | api-token create|list|revoke | webhook-secret twilio|generic.

The server and its rules live in the headless ``api`` package and in store/ (store.access.api_tokens,
store.access.webhook_secrets); these commands only parse, call them and print.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import math
import sys

from store import Store
from store.access.api_tokens import create_token, list_tokens, revoke_token
from store.rules.text import printable
from store.access.webhook_secrets import PROVIDERS, set_secret

from .output import pad, print_json
from .common import UsageError

FORMATTER = argparse.RawDescriptionHelpFormatter
MAX_RATE = 1_000_000  # requests per second per token; above it (1e308, inf) the burst can not be counted

API_EPILOG = """\
examples:
  contacts api                                   127.0.0.1:8080
  contacts api --port 9000
  contacts api --public-url https://sms.example.com/contacts   behind a proxy (Twilio signs this URL)

Every request needs a token (contacts api-token create NAME), sent as
"Authorization: Bearer TOKEN"; it acts as the admin who made it. The webhooks
(/webhooks/twilio, /webhooks/generic) need the secrets set with contacts webhook-secret.
It binds to 127.0.0.1 unless told otherwise: it speaks plain HTTP, so put a TLS proxy
in front of it (or use ssh -L) rather than opening it to a network. See README, "API and webhooks".
"""

TOKEN_EPILOG = """\
examples:
  contacts api-token create zapier       print a new token (only this once)
  contacts api-token list                names, makers, dates; never the tokens
  contacts api-token revoke zapier       requests with it get 401 from now on

Only an admin creates or revokes tokens. A token acts as the admin who created it, with
that user's permissions as they stand at each request. Only a hash is kept in the data file.
"""

SECRET_EPILOG = """\
examples:
  contacts webhook-secret twilio                 paste the auth token, then Enter (not echoed)
  printf '%s' "$TWILIO_AUTH_TOKEN" | contacts webhook-secret twilio
  openssl rand -hex 32 | tee /dev/stderr | contacts webhook-secret generic

The secret is read from standard input and never printed. It is kept in DATAFILE.secrets,
mode 0600, beside the data file (never in it: team members can read that file); only the
user who set it can read it, so that user runs contacts api. Admins only.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    api = subparsers.add_parser("api", help="serve the local HTTP JSON API and SMS webhooks", epilog=API_EPILOG, formatter_class=FORMATTER)
    api.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    api.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    api.add_argument("--public-url", metavar="URL", help="the base URL clients reach this server at, when behind a proxy")
    api.add_argument(
        "--rate-limit", type=float, default=20.0, metavar="N",
        help="requests per second per token, after a burst of twice that (default 20)",
    )
    api.set_defaults(handler=cmd_api, needs_store=False)

    token = subparsers.add_parser("api-token", help="create, list or revoke API tokens (admins)", epilog=TOKEN_EPILOG, formatter_class=FORMATTER)
    actions = token.add_subparsers(dest="token_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a token and print it once", epilog=TOKEN_EPILOG, formatter_class=FORMATTER)
    create.add_argument("name", metavar="NAME", help="what the token is for (zapier, crm...)")
    create.set_defaults(handler=cmd_token_create)
    lst = actions.add_parser(
        "list", help="the tokens, live and revoked (never the tokens themselves)", formatter_class=FORMATTER,
        epilog="examples:\n  contacts api-token list\n  contacts api-token list --json",
    )
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_token_list)
    revoke = actions.add_parser(
        "revoke", help="revoke a token", formatter_class=FORMATTER,
        epilog="example:\n  contacts api-token revoke zapier       requests with it get 401 from now on",
    )
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(handler=cmd_token_revoke)

    secret = subparsers.add_parser(
        "webhook-secret", help="set a webhook's secret, read from standard input (admins)", epilog=SECRET_EPILOG, formatter_class=FORMATTER
    )
    secret.add_argument("provider", choices=PROVIDERS, help="twilio (the account's auth token) or generic (an HMAC key)")
    secret.set_defaults(handler=cmd_webhook_secret)


def host_warning(host: str) -> str | None:
    """A warning for any address but the loopback one; None for localhost."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        f"contacts api: warning: listening on {host}, not only on this machine. The API speaks plain HTTP: "
        "tokens and contacts cross the network readable by anyone on the way. Prefer 127.0.0.1 behind a TLS "
        "proxy (then give --public-url), or ssh -L."
    )


def cmd_api(_store: None, args: argparse.Namespace) -> int:
    from aiohttp import web

    from api.public_url import refusal, webhook_urls
    from api.server import ApiConfig, build_app, check_can_start
    from store import resolve_db_path

    if not math.isfinite(args.rate_limit) or not 0 < args.rate_limit <= MAX_RATE:
        raise UsageError(f"api: --rate-limit must be a number above 0 and at most {MAX_RATE:,} (requests per second), not {args.rate_limit}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"api: --port must be from 0 to 65535 (0 picks a free port), not {args.port}")
    if args.public_url is not None and (problem := refusal(args.public_url)):
        raise UsageError(f"api: {problem}")
    config = ApiConfig(
        db_path=resolve_db_path(args.db), host=args.host, port=args.port, public_url=args.public_url,
        rate=args.rate_limit, burst=max(1, int(args.rate_limit * 2)),
    )
    check_can_start(config)
    warning = host_warning(args.host)
    if warning:
        print(warning, file=sys.stderr)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host

    local = f"http://{shown_host}:{args.port}"

    def listening(_aiohttp_line: str) -> None:  # run_app calls it once the port is open
        lines = [f"Serving the sms-contacts API on {local} (ctrl+c to stop)"]
        base = args.public_url or local
        lines += [f"  {label} webhook URL (give it to the provider): {url}" for label, url in webhook_urls(base)]
        print("\n".join(printable(line) for line in lines), flush=True)

    try:
        web.run_app(build_app(config), host=args.host, port=args.port, print=listening, access_log=None)
    except OSError as exc:
        print(f"contacts api: cannot listen on {shown_host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def cmd_token_create(store: Store, args: argparse.Namespace) -> int:
    token = create_token(store, args.name)
    print(token)
    print(
        f"This is the only time the token {printable(args.name.strip())!r} is shown: keep it in your integration's "
        f"secrets. It acts as {printable(store.user)}. Revoke it with: contacts api-token revoke NAME",
        file=sys.stderr,
    )
    return 0


def cmd_token_list(store: Store, args: argparse.Namespace) -> int:
    tokens = list_tokens(store)
    if args.json:
        print_json([
            {"name": t.name, "created_by": t.created_by, "created_at": t.created_at, "revoked_at": t.revoked_at, "revoked_by": t.revoked_by}
            for t in tokens
        ])
        return 0
    if not tokens:
        print("No API tokens. An admin makes one with: contacts api-token create NAME")
    for t in tokens:
        state = f"revoked {t.revoked_at} by {t.revoked_by}" if t.revoked_at else "live"
        print(printable(f"{pad(printable(t.name), 24)} made by {pad(printable(t.created_by), 16)} {t.created_at}  {state}"))
    return 0


def cmd_token_revoke(store: Store, args: argparse.Namespace) -> int:
    token = revoke_token(store, args.name)
    print(f"Revoked the API token {printable(token.name)!r}; requests with it now get 401.")
    return 0


def cmd_webhook_secret(store: Store, args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        secret = getpass.getpass(f"{args.provider} secret (not shown): ")
    else:
        secret = sys.stdin.read()
    path = set_secret(store, args.provider, secret)
    print(f"Set the {args.provider} webhook secret in {printable(str(path))} (mode 0600; not shown).")
    return 0
