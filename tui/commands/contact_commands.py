"""contacts add | list | show | edit | delete."""

from __future__ import annotations

import argparse
import sys

from store import Store
from store.transfer.serialize import contact_to_json
from store.rules.text import printable

from store.consent.sendable import select_contacts

from . import selection
from .output import contact_line, describe_contact, print_json
from .common import UsageError

FORMATTER = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    add = subparsers.add_parser(
        "add",
        help="add a contact",
        formatter_class=FORMATTER,
        epilog='example:\n  contacts add --name "Ann Lee" --phone "(415) 555-0132" --email ann@example.com --list VIP',
    )
    add.add_argument("--name", required=True, help="full name (required)")
    add.add_argument("--phone", required=True, help="phone in any format; stored as E.164")
    add.add_argument("--email", help="email: a secondary identifier for integrations, not used for messaging")
    add.add_argument("--list", action="append", default=[], metavar="LIST", help="add to this existing list (repeatable)")
    add.add_argument("--opt-out", action="store_true", help="add the contact already opted out")
    add.set_defaults(handler=cmd_add)

    lst = subparsers.add_parser(
        "list",
        help="list contacts, sorted by name",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts list\n  contacts list --list VIP --json\n  contacts list --sendable --consent confirmed",
    )
    lst.add_argument("--list", metavar="LIST", help="only members of this list")
    lst.add_argument("--json", action="store_true", help="print a JSON array (see README for the keys)")
    selection.add_arguments(lst)
    lst.set_defaults(handler=cmd_list)

    show = subparsers.add_parser(
        "show",
        help="show one contact, with its consent history",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts show 415-555-0132\n  contacts show ann@example.com --json",
    )
    show.add_argument("key", metavar="PHONE|EMAIL")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    edit = subparsers.add_parser(
        "edit",
        help="change a contact's name, phone or email, or opt it out",
        formatter_class=FORMATTER,
        epilog='examples:\n  contacts edit 4155550132 --name "Ann Lee-Smith"\n  contacts edit ann@example.com --opt-out\n\n'
        "Nothing here can clear an opt-out: only the contact's own reply (contacts reply) can.",
    )
    edit.add_argument("key", metavar="PHONE|EMAIL")
    edit.add_argument("--name")
    edit.add_argument("--phone")
    edit.add_argument("--email", help='new email; "" removes it')
    edit.add_argument("--opt-out", action="store_true", help="opt the contact out by hand")
    edit.set_defaults(handler=cmd_edit)

    delete = subparsers.add_parser(
        "delete",
        help="delete one contact",
        formatter_class=FORMATTER,
        epilog="example:\n  contacts delete 4155550132 --yes\n\nAn opted-out number stays suppressed after deletion.",
    )
    delete.add_argument("key", metavar="PHONE|EMAIL")
    delete.add_argument("--yes", action="store_true", required=True, help="confirm the deletion")
    delete.set_defaults(handler=cmd_delete)


def cmd_add(store: Store, args: argparse.Namespace) -> int:
    contact = store.add_contact(args.name, args.phone, args.email, lists=args.list, opted_out=args.opt_out)
    note = " (opted out: this number opted out before)" if contact.opted_out and not args.opt_out else ""
    print(f"Added {printable(contact.name)} {contact.phone}{note}")
    return 0


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    which = selection.chosen(args)
    contacts = select_contacts(store, args.list, **which)
    if args.json:
        names = {lst.id: lst.name for lst in store.lists()}
        print_json([contact_to_json(store, c, names=names) for c in contacts])
        return 0
    if not contacts:
        what = "No contacts may be texted now" if args.sendable else "No contacts"
        if args.consent:
            what += f" with consent {args.consent}"
        print(f"{what}." if args.list is None else f"{what} in {printable(args.list)}.", file=sys.stderr)
        return 0
    for contact in contacts:
        print(contact_line(store, contact))
    return 0


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    contact = store.find(args.key)
    if args.json:
        print_json(contact_to_json(store, contact, detail=True))
    else:
        print(describe_contact(store, contact))
    return 0


def cmd_edit(store: Store, args: argparse.Namespace) -> int:
    contact = store.find(args.key)
    changes = {k: getattr(args, k) for k in ("name", "phone", "email") if getattr(args, k) is not None}
    if args.opt_out:
        changes["opted_out"] = True
    if not changes:
        raise UsageError("edit: give at least one of --name, --phone, --email, --opt-out")
    updated = store.update_contact(contact.id, **changes)
    print(f"Updated {printable(updated.name)} {updated.phone}" + (" (opted out)" if updated.opted_out else ""))
    return 0


def cmd_delete(store: Store, args: argparse.Namespace) -> int:
    contact = store.find(args.key)
    store.delete_contact(contact.id)
    print(f"Deleted {printable(contact.name)} {contact.phone}")
    return 0
