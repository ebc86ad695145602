"""contacts lists [--json] | lists add NAME | lists rename OLD NEW | lists remove NAME."""

from __future__ import annotations

import argparse

from store import Store
from store.rules.text import printable
from store.wording import noun_for, plural

from .output import pad, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    lists = subparsers.add_parser(
        "lists",
        help="show, add, rename or remove marketing lists",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='examples:\n  contacts lists\n  contacts lists add "Spring promo"\n'
        '  contacts lists rename "Spring promo" "Summer promo"\n  contacts lists remove "Summer promo"\n\n'
        "Removing a list keeps its contacts. Anyone may add a list; renaming and\n"
        "removing are for supervisors and admins, unless an admin allows others\n"
        "(see `contacts policy`).",
    )
    lists.add_argument("--json", action="store_true")
    lists.set_defaults(handler=cmd_lists)
    actions = lists.add_subparsers(dest="lists_action", metavar="ACTION")
    add = actions.add_parser(
        "add", help="create a list", description="Create a marketing list (names are unique, ignoring case).",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog='example:\n  contacts lists add "Spring promo"',
    )
    add.add_argument("name")
    add.set_defaults(handler=cmd_lists_add)
    rename = actions.add_parser(
        "rename", help="rename a list", description="Rename a list; its members stay in it.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog='example:\n  contacts lists rename "Spring promo" "Summer promo"',
    )
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(handler=cmd_lists_rename)
    remove = actions.add_parser(
        "remove", help="delete a list (its contacts stay)",
        description="Delete a list. Its contacts are kept; they just leave the list.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog='example:\n  contacts lists remove "Summer promo"',
    )
    remove.add_argument("name")
    remove.set_defaults(handler=cmd_lists_remove)


def cmd_lists(store: Store, args: argparse.Namespace) -> int:
    lists = store.lists()
    if args.json:
        print_json([{"id": lst.id, "name": lst.name, "members": lst.members} for lst in lists])
        return 0
    if not lists:
        print('No lists. Create one with: contacts lists add "NAME"')
    for lst in lists:
        print(f"{pad(printable(lst.name), 40)} {lst.members:>8,} {noun_for(lst.members, 'contact')}")
    return 0


def cmd_lists_add(store: Store, args: argparse.Namespace) -> int:
    lst = store.add_list(args.name)
    print(f"Created list {printable(lst.name)}")
    return 0


def cmd_lists_rename(store: Store, args: argparse.Namespace) -> int:
    lst = store.rename_list(args.old, args.new)
    print(f"Renamed list to {printable(lst.name)}")
    return 0


def cmd_lists_remove(store: Store, args: argparse.Namespace) -> int:
    lst = store.delete_list(args.name)
    print(f"Removed list {printable(lst.name)} ({plural(lst.members, 'contact')} kept)")
    return 0
