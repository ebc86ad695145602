"""contacts imports | undo-import: the recorded imports, and undoing one (store.transfer.import_log)."""

from __future__ import annotations

import argparse

from store import Store
from store.transfer.import_log import KEEP_IMPORTS, imports, kept_names, plan_undo, shown_time, undo_import
from store.rules.text import printable

from .output import pad, print_json

FORMATTER = argparse.RawDescriptionHelpFormatter

UNDO_EPILOG = f"""\
examples:
  contacts imports                       find the import's ID
  contacts undo-import 3                 say what undoing import 3 would do; change nothing
  contacts undo-import 3 --yes           undo it
  contacts undo-import 3 --yes --remove-changed

Removes the contacts the import created and gives the contacts it changed their values from
before (name, email, lists), in one atomic write. A contact changed since the import (edited,
replied, put on a list, changed by a later import) is kept and named, unless --remove-changed
(which removes those it created; those it changed keep their values from now). Opt-outs, consent
and the opt-out list are never undone: a STOP recorded since stays, and a removed contact that
had opted out leaves its number on the opt-out list. Lists the import created are deleted when
no contact is left on them. Needs the right to delete contacts (see `contacts policy`).
The last {KEEP_IMPORTS} imports are kept.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "imports",
        help="list the recent imports, newest first (to undo one)",
        formatter_class=FORMATTER,
        epilog=f"examples:\n  contacts imports\n  contacts imports --json\n\nThe last {KEEP_IMPORTS} imports that "
        "changed something are kept.",
    )
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    listing.set_defaults(handler=cmd_imports)

    undo = subparsers.add_parser(
        "undo-import",
        help="undo an import: remove the contacts it added, restore the ones it changed",
        formatter_class=FORMATTER,
        epilog=UNDO_EPILOG,
    )
    undo.add_argument("id", metavar="ID", type=int, help="the import's ID (see `contacts imports`)")
    undo.add_argument("--yes", action="store_true", help="do it (without: only say what it would do)")
    undo.add_argument(
        "--remove-changed", action="store_true", help="also remove contacts it added that were changed since"
    )
    undo.set_defaults(handler=cmd_undo_import)


def cmd_imports(store: Store, args: argparse.Namespace) -> int:
    records = imports(store)
    if args.json:
        print_json([record.to_json() for record in records])
        return 0
    if not records:
        print("No imports recorded yet.")
        return 0
    print(f"{'ID':<4} {'WHEN':<23} {pad('BY', 12)} {pad('SOURCE', 24)} {pad('LIST', 12)} CONTACTS")
    for record in records:
        source = record.file_name
        state = f"  (undone {shown_time(record.undone['at'])})" if record.undone else ""
        print(
            f"{record.id:<4} {shown_time(record.at):<23} {pad(printable(record.by), 12)} "
            f"{pad(printable(source), 24)} {pad(printable(record.list_name or '-'), 12)} {record.counts()}{state}"
        )
    return 0


def cmd_undo_import(store: Store, args: argparse.Namespace) -> int:
    if not args.yes:
        plan = plan_undo(store, args.id, remove_changed=args.remove_changed)
        print(plan.describe())
        print("Nothing was changed: add --yes to undo it.")
        return 0
    plan = undo_import(store, args.id, remove_changed=args.remove_changed)
    print(plan.describe())
    if plan.kept_ids:
        print(f"Kept (changed since the import; --remove-changed removes them): {kept_names(store, plan)}")
    return 0
