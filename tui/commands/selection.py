"""The options that choose which contacts `list` and `export` give: --sendable, --consent."""

from __future__ import annotations

import argparse
from typing import Any

from store.model import CONSENT_STATUSES

from .common import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sendable",
        action="store_true",
        help="only contacts that may be texted now: not opted out, number not suppressed, consent not declined",
    )
    parser.add_argument("--consent", choices=CONSENT_STATUSES, help="only contacts with this consent status")


def chosen(args: argparse.Namespace) -> dict[str, Any]:
    """The keywords for store.consent.sendable.select_contacts (and the exporter); a contradiction is a
    usage error (exit status 2)."""
    if args.sendable and args.consent == "declined":
        raise UsageError("--sendable --consent declined: contacts who declined are never sendable")
    return {"sendable": args.sendable, "consent": args.consent}
