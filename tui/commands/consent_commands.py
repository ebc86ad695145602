"""contacts reply | mark-sent | review: the consent rules of store.consent.replies, from the command line."""

from __future__ import annotations

import argparse

from store import Store
from store.consent.replies import mark_consent_sent, pending_reviews, record_reply, resolve_review
from store.model import CONSENT_LABELS
from store.consent.reply_keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS
from store.rules.text import printable

from .output import pad, print_json
from .common import UsageError

FORMATTER = argparse.RawDescriptionHelpFormatter

REPLY_EPILOG = f"""\
examples:
  contacts reply 4155550132 STOP
  contacts reply "+1 415 555 0132" please stop texting me
  contacts reply 4155550132 -- "-stop"        (use -- before text that starts with -)

The whole message is matched after trimming, case-folding, dropping trailing punctuation and
turning each run of spaces/hyphens into one space ("Stop!", "stop-all", "Opt out" all match).
  opt-out:  {", ".join(OPT_OUT_KEYWORDS)}  -> opted out, consent Declined
  opt-in:   {", ".join(OPT_IN_KEYWORDS)}  -> consent Confirmed; all but YES also lift an opt-out
  help:     {", ".join(HELP_KEYWORDS)}  -> no change; a help reply is due
Admins add keywords and turn on Spanish or French ones: see `contacts keywords`.
Text that contains an opt-out word among others is flagged for review (contacts review).
A number with no contact that opts out is suppressed: adding it later creates it opted out.
Exit status 0 whatever the reply was; 1 for an invalid phone."""


def register(subparsers: argparse._SubParsersAction) -> None:
    reply = subparsers.add_parser(
        "reply",
        help="record a contact's SMS reply (STOP, START, HELP...) and apply the consent rules",
        formatter_class=FORMATTER,
        epilog=REPLY_EPILOG,
    )
    reply.add_argument("phone", metavar="PHONE", help="the number that replied, in any format")
    reply.add_argument("text", metavar="TEXT", nargs="+", help="the reply (several words are joined by spaces)")
    reply.set_defaults(handler=cmd_reply)

    sent = subparsers.add_parser(
        "mark-sent",
        help="record that the consent message was sent to a contact",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts mark-sent 4155550132\n  contacts mark-sent ann@example.com\n\n"
        "Consent goes from Not sent to Sent. Refused when the contact already replied (Confirmed or\n"
        "Declined: it would undo their answer) or is opted out (they must not be texted).",
    )
    sent.add_argument("key", metavar="PHONE|EMAIL")
    sent.set_defaults(handler=cmd_mark_sent)

    review = subparsers.add_parser(
        "review",
        help="list replies that may revoke consent, or decide one",
        formatter_class=FORMATTER,
        epilog="examples:\n  contacts review\n  contacts review --json\n"
        "  contacts review --resolve 4155550132 --opt-out     it was a revocation: opt them out\n"
        "  contacts review --resolve 4155550132 --dismiss     it was not: keep them as they are\n\n"
        "Resolving decides every pending item of that contact; the items stay on the contact\n"
        "(contacts show) with who decided what and when.",
    )
    review.add_argument("--json", action="store_true", help="print a JSON array of pending items")
    review.add_argument("--resolve", metavar="PHONE|EMAIL", help="decide the pending replies of this contact")
    decision = review.add_mutually_exclusive_group()
    decision.add_argument("--opt-out", action="store_true", help="with --resolve: it was a revocation; opt out")
    decision.add_argument("--dismiss", action="store_true", help="with --resolve: it was not a revocation")
    review.set_defaults(handler=cmd_review)


def cmd_reply(store: Store, args: argparse.Namespace) -> int:
    result = record_reply(store, args.phone, " ".join(args.text))
    print(printable(result.message))
    return 0


def cmd_mark_sent(store: Store, args: argparse.Namespace) -> int:
    contact = store.find(args.key)
    before = contact.consent
    updated = mark_consent_sent(store, contact.id)
    who = f"{printable(updated.name)} {updated.phone}"
    if before == updated.consent:
        print(f"No change: consent message for {who} was already marked sent ({updated.consent_changed_at})")
    else:
        print(f"Marked sent: consent message for {who} (consent {CONSENT_LABELS['sent']})")
    return 0


def cmd_review(store: Store, args: argparse.Namespace) -> int:
    if args.resolve is None:
        if args.opt_out or args.dismiss:
            raise UsageError("review: --opt-out and --dismiss need --resolve PHONE")
        return _list_reviews(store, args.json)
    if not (args.opt_out or args.dismiss):
        raise UsageError("review --resolve: say --opt-out (it was a revocation) or --dismiss (it was not)")
    contact = store.find(args.resolve)
    updated = resolve_review(store, contact.id, opt_out=args.opt_out)
    who = f"{printable(updated.name)} {updated.phone}"
    if args.opt_out:
        print(f"Opted out: {who} (consent {CONSENT_LABELS[updated.consent]}); review resolved")
    else:
        print(f"Dismissed: {who} stays as they were; review resolved")
    return 0


def _list_reviews(store: Store, as_json: bool) -> int:
    items = pending_reviews(store)
    if as_json:
        print_json(
            [
                {"contact_id": r.contact_id, "name": r.name, "phone": r.phone, "at": r.at, "text": r.text, "by": r.by}
                for r in items
            ]
        )
        return 0
    if not items:
        print("No replies waiting for review.")
        return 0
    for r in items:
        print(f"{printable(str(r.at))}  {pad(printable(r.name), 30)} {pad(printable(r.phone), 16)} {printable(repr(r.text))}  (recorded by {printable(r.by)})")
    print("\nDecide each with: contacts review --resolve PHONE --opt-out|--dismiss")
    return 0
