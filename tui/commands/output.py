"""Printing for subcommands: JSON for scripts, aligned text for people, never raw control codes."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from rich.cells import cell_len

from store import Contact, Store
from store.model import CONSENT_LABELS
from store.transfer.serialize import contact_to_json
from store.rules.text import escape_refused, printable
from store.rules.validation import display_phone

from ..text import history_change, history_reason


def _json_escape(ch: str) -> str:
    """``\\u202e``; beyond the BMP, the UTF-16 surrogate pair JSON uses: ``\\udb40\\udc41``."""
    units = ch.encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2))


def print_json(value: Any) -> None:
    # json.dumps escapes C0 controls but, with ensure_ascii=False, leaves DEL, C1 controls, bidi
    # overrides and other refused characters raw, which can drive or reorder a terminal. In JSON
    # they can only sit inside strings, where a \uXXXX escape decodes to the same value.
    # (json.dumps has escaped every line break inside strings: those left are the layout's.)
    lines = json.dumps(value, ensure_ascii=False, indent=2).split("\n")
    sys.stdout.write("\n".join(escape_refused(line, _json_escape) for line in lines) + "\n")


_LINE_BREAK = re.compile("(\r\n|\n)")


def shown_lines(text: str) -> str:
    """``text`` for a terminal: refused characters escaped by ``printable``, each line break (LF or
    CRLF) shown as a new line."""
    return "".join("\n" if part in ("\n", "\r\n") else printable(part) for part in _LINE_BREAK.split(text))


def pad(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` terminal cells (李 and 👩‍💻 take two); longer text is kept whole."""
    return text + " " * max(0, width - cell_len(text))


def contact_line(store: Store, contact: Contact) -> str:
    flags = []
    if contact.opted_out:
        flags.append("OPTED OUT")
    flags.append(f"consent: {CONSENT_LABELS.get(contact.consent, contact.consent)}")
    phone = display_phone(contact.phone, store.default_region)
    email = contact.email or "-"
    # Every stored value may come from a hand-edited file: the whole line is escaped.
    return printable(f"{pad(printable(contact.name), 30)} {pad(printable(phone), 20)} {pad(printable(email), 30)} {', '.join(flags)}")


def history_line(entry: dict[str, Any]) -> str:
    """One change: ``2024-05-01T14:03:00Z  Opted out: no -> yes  (reply 'STOP', recorded by ann)``."""
    return printable(f"{entry.get('at')}  {history_change(entry)}  ({history_reason(entry)})")


def describe_contact(store: Store, contact: Contact) -> str:
    data = contact_to_json(store, contact, detail=True)
    lines = [
        f"Name:       {printable(contact.name)}",
        f"Phone:      {contact.phone}  ({display_phone(contact.phone, store.default_region)})",
        f"Email:      {printable(contact.email or '-')}",
        f"Opted out:  {'yes' if contact.opted_out else 'no'}",
        f"Consent:    {CONSENT_LABELS.get(contact.consent, contact.consent)}"
        + (f" (since {contact.consent_changed_at})" if contact.consent_changed_at else ""),
        f"Lists:      {printable(', '.join(data['lists'])) or '-'}",
        f"Created:    {contact.created_at}",
        f"Updated:    {contact.updated_at}",
    ]
    for entry in contact.history:
        lines.append(f"History:    {history_line(entry)}")
    for item in contact.review:
        # The store keeps the decision as a value ("opted_out by reply", "dismissed"): say it in words.
        decision = str(item.get("resolution") or "decided").replace("opted_out", "opted out")
        state = (
            f"decided by {item.get('resolved_by')}: {decision}"
            if item.get("resolved_at")
            else "waiting for review: contacts review --resolve"
        )
        lines.append(f"Review:     {item.get('at')} {printable(repr(item.get('text', '')))} ({state})")
    # Every stored value may come from a hand-edited file: each line is escaped as a whole.
    return "\n".join(printable(line) for line in lines)
