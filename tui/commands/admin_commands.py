"""contacts delete-all | whoami | users | role | policy (policies) | region.

Every check lives in the store: these commands only parse, call it, and print. A refusal
(PermissionDenied, ValidationError) reaches cli.main, which prints it and exits 1.
"""

from __future__ import annotations

import argparse

from store import Store
from store.access.permissions import ACTION_LABELS, ACTIONS, ROLES, Rule, actions_in_words
from store.rules.text import printable
from store.wording import plural

from .output import pad, print_json
from .common import UsageError

FORMATTER = argparse.RawDescriptionHelpFormatter
VERDICTS = {"allow": True, "deny": False}
ACTION_NOTES = {"lists": " (adding a list is open to all)", "settings": " (the default region, reply keywords)"}


def register(subparsers: argparse._SubParsersAction) -> None:
    delete_all = subparsers.add_parser(
        "delete-all",
        help="delete every contact (cannot be undone)",
        formatter_class=FORMATTER,
        epilog="example:\n  contacts delete-all --yes\n\n"
        "This CANNOT BE UNDONE. Lists, settings and users stay. Numbers that opted out stay on the\n"
        "opt-out (suppression) list, so adding them again never opts them back in.\n"
        "Allowed by default for supervisors and admins; see `contacts policy`.",
    )
    delete_all.add_argument("--yes", action="store_true", required=True, help="confirm: delete every contact")
    delete_all.set_defaults(handler=cmd_delete_all)

    whoami = subparsers.add_parser(
        "whoami",
        help="show your user name, role and what you may do",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts whoami\n  contacts whoami --json",
    )
    whoami.add_argument("--json", action="store_true")
    whoami.set_defaults(handler=cmd_whoami)

    users = subparsers.add_parser(
        "users",
        help="list the users this data file knows, with their roles",
        formatter_class=FORMATTER,
        epilog="example:\n  contacts users\n\nAnyone not listed is an agent.",
    )
    users.add_argument("--json", action="store_true")
    users.set_defaults(handler=cmd_users)

    role = subparsers.add_parser(
        "role",
        help="give a user a role: admin, supervisor or agent (admins only)",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts role bob supervisor\n  contacts role carol admin\n\n"
        "The user is a login name on this computer. The only admin cannot stop being one:\n"
        "make someone else admin first.",
    )
    role.add_argument("user", metavar="USER", help="login name")
    role.add_argument("role", metavar="ROLE", choices=ROLES, help="admin, supervisor or agent")
    role.set_defaults(handler=cmd_role)

    policy_help = "allow or deny an action for a role or a user (admins only); no arguments lists the rules"
    policy_epilog = (
        "examples:\n  contacts policy                          list the rules in force\n"
        "  contacts policy agent delete deny        agents may no longer delete contacts\n"
        "  contacts policy supervisor delete-all deny\n"
        "  contacts policy bob delete-all allow     bob may delete all, whatever his role\n"
        "  contacts policy agent lists allow        agents may rename and remove lists\n"
        "  contacts policy carol settings allow     carol may change the default region\n"
        "  contacts policy user:agent delete deny   a user whose login is 'agent'\n\n"
        "ACTION is one of:\n"
        + "".join(f"  {action:<11} {ACTION_LABELS[action]}{ACTION_NOTES.get(action, '')}\n" for action in ACTIONS)
        + "\nROLE is admin, supervisor or agent; anything else is a user's login name.\n"
        "A user's own rule wins over their role's rule, which wins over the default\n"
        "(agents: delete; supervisors: delete, delete-all, lists; admins: all four)."
    )
    policy = subparsers.add_parser(
        "policy", aliases=["policies"], help=policy_help, formatter_class=FORMATTER, epilog=policy_epilog
    )
    policy.add_argument("subject", metavar="ROLE|USER", nargs="?")
    policy.add_argument("action", metavar="ACTION", nargs="?", help=actions_in_words())
    policy.add_argument("verdict", metavar="allow|deny", nargs="?")
    policy.add_argument("--json", action="store_true", help="list the rules as JSON")
    policy.set_defaults(handler=cmd_policy)

    region = subparsers.add_parser(
        "region",
        help="show or set the default region for phone numbers",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts region          show it\n  contacts region GB       numbers without +44 are read as British\n\n"
        "Numbers typed without a country code are read as numbers of this region (ISO code such as\n"
        "US, GB, DE). Numbers already stored keep their country. Changing it is for admins by\n"
        "default (the settings action of `contacts policy`).",
    )
    region.add_argument("code", metavar="CODE", nargs="?")
    region.set_defaults(handler=cmd_region)


def _usage(message: str) -> Exception:
    return UsageError(message)


def cmd_delete_all(store: Store, args: argparse.Namespace) -> int:
    kept_before = len(store.suppressed_phones())
    count = store.delete_all()
    kept = len(store.suppressed_phones())
    print(f"Deleted {plural(count, 'contact')} from {printable(str(store.path))}.")
    if kept:
        stay = "stays" if kept == 1 else "stay"
        print(f"{plural(kept, 'opted-out number')} {stay} on the opt-out list ({kept - kept_before:,} added now).")
    return 0


def cmd_whoami(store: Store, args: argparse.Namespace) -> int:
    decisions = {action: store.can(action) for action in ACTIONS}
    if args.json:
        print_json(
            {
                "user": store.user,
                "role": store.role,
                "data_file": str(store.path),
                "may": {action: d.allowed for action, d in decisions.items()},
            }
        )
        return 0
    print(f"{printable(store.user)} ({store.role}) on {printable(str(store.path))}")
    for action, decision in decisions.items():
        verdict = "yes" if decision.allowed else "no"
        print(f"  may {ACTION_LABELS[action]}: {verdict}  ({printable(decision.reason)})")
    return 0


def cmd_users(store: Store, args: argparse.Namespace) -> int:
    users = store.users()
    if args.json:
        print_json(users)
        return 0
    for user in users:
        print(f"{pad(printable(user['login']), 24)} {printable(str(user['role']))}")
    print("Anyone else who opens this file is an agent.")
    return 0


def cmd_role(store: Store, args: argparse.Namespace) -> int:
    store.set_role(args.user, args.role)
    print(f"{printable(args.user.strip())} is now {args.role}.")
    return 0


def cmd_policy(store: Store, args: argparse.Namespace) -> int:
    given = [args.subject, args.action, args.verdict]
    if not any(given):
        return _print_rules(store, args.json)
    if not all(given):
        raise _usage("policy: give ROLE|USER ACTION allow|deny, or nothing to list the rules")
    verdict = args.verdict.strip().lower()
    if verdict not in VERDICTS:
        raise _usage(f"policy: the last argument must be allow or deny, not {printable(args.verdict)!r}")
    subject = store.set_policy(args.subject, args.action, VERDICTS[verdict])
    kind, _, name = subject.partition(":")
    who = f"the {name} role" if kind == "role" else f"user {printable(name)}"
    action = args.action.strip().lower()
    print(f"{'Allowed' if VERDICTS[verdict] else 'Denied'}: {ACTION_LABELS[action]} for {who}.")
    if kind == "user" and name not in {u["login"] for u in store.users()}:
        print(f"(No user {printable(name)} has a role here yet: they count as an agent.)")
    return 0


def _print_rules(store: Store, as_json: bool) -> int:
    rules = store.rules()
    if as_json:
        print_json([_rule_json(rule) for rule in rules])
        return 0
    print("Rules in force (a user's rule wins over their role's):")
    for rule in rules:
        source = "default" if rule.default else "set by an admin"
        verdict = "allow" if rule.allow else "deny"
        print(f"  {pad(printable(rule.who), 28)} {rule.action:<11} {verdict:<6} ({source})")
    return 0


def _rule_json(rule: Rule) -> dict[str, object]:
    kind, _, name = rule.subject.partition(":")
    return {kind: name, "action": rule.action, "allow": rule.allow, "default": rule.default}


def cmd_region(store: Store, args: argparse.Namespace) -> int:
    if args.code is None:
        print(store.default_region)
        return 0
    region = store.set_default_region(args.code)
    print(f"Default region is now {region}.")
    return 0
