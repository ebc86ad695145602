"""contacts keywords [--json] | keywords add|remove KIND WORD | keywords language CODE on|off |
keywords history [--json]: the reply keywords of store.consent.keyword_settings, from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from store import Store
from store.consent.keyword_settings import (
    KIND_NAMES,
    LANGUAGES,
    add_keyword,
    clean_kind,
    describe_change,
    keyword_history,
    remove_keyword,
    set_language,
    source_name,
    stored_keywords,
)
from store.consent.reply_keywords import Keyword, ReplyKind
from store.rules.text import printable

from .output import pad, print_json

FORMATTER = argparse.RawDescriptionHelpFormatter
SWITCH = {"on": True, "off": False}
LANGUAGE_LIST = ", ".join(f"{code} ({lang.name})" for code, lang in LANGUAGES.items())

EPILOG = f"""\
examples:
  contacts keywords                          what is in force, per kind and language
  contacts keywords add opt-out REMOVE
  contacts keywords add help support line    (a keyword of several words)
  contacts keywords remove opt-out REMOVE
  contacts keywords language es on           Spanish: ALTO, PARA, BAJA, CANCELAR...
  contacts keywords history

KIND is opt-out, opt-in or help. The standard English keywords (STOP, START, HELP...) are
always in force and cannot be removed. An added opt-in word lifts an opt-out, like START: add
only words nobody sends by chance. Opt-out and help words match with or without accents
(ARRET, ARRÊT); opt-in words only as spelled. A word has one kind only. Languages: {LANGUAGE_LIST}.
Changing keywords is for admins by default (the settings action of `contacts policy`);
every change is kept in the history."""

SECTIONS = (
    ("Opt-out (opted out, consent Declined)", ReplyKind.OPT_OUT, None),
    ("Opt-in (lifts an opt-out, consent Confirmed)", ReplyKind.OPT_IN, True),
    ("Opt-in, confirms only (consent Confirmed; never lifts an opt-out)", ReplyKind.OPT_IN, False),
    ("Help (no change; a help reply is due)", ReplyKind.HELP, None),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    keywords = subparsers.add_parser(
        "keywords",
        help="show or change the reply keywords (opt-out, opt-in, help) and their languages",
        formatter_class=FORMATTER,
        epilog=EPILOG,
    )
    keywords.add_argument("--json", action="store_true")
    keywords.set_defaults(handler=cmd_keywords)
    actions = keywords.add_subparsers(dest="keywords_action", metavar="ACTION")
    for name, what, handler in (
        ("add", "add an opt-out, opt-in or help keyword", cmd_add),
        ("remove", "remove a keyword an admin added", cmd_remove),
    ):
        parser = actions.add_parser(
            name, help=f"{what} (admins only)", formatter_class=FORMATTER, description=f"{what.capitalize()}.",
            epilog=f"example:\n  contacts keywords {name} opt-out REMOVE",
        )
        parser.add_argument("kind", metavar="KIND", help="opt-out, opt-in or help")
        parser.add_argument("word", metavar="WORD", nargs="+", help="the keyword (several words are joined by spaces)")
        parser.set_defaults(handler=handler)
    language = actions.add_parser(
        "language", help="turn a language's keywords on or off (admins only)", formatter_class=FORMATTER,
        description=f"Turn a language's keywords on or off. Languages: {LANGUAGE_LIST}.",
        epilog="example:\n  contacts keywords language fr on",
    )
    language.add_argument("code", metavar="CODE", help=" or ".join(LANGUAGES))
    language.add_argument("switch", metavar="on|off", choices=SWITCH)
    language.set_defaults(handler=cmd_language)
    history = actions.add_parser(
        "history", help="every change of the keywords: when, who, what", formatter_class=FORMATTER,
        epilog="examples:\n  contacts keywords history\n  contacts keywords history --json",
    )
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=cmd_history)


def keyword_json(keyword: Keyword) -> dict[str, Any]:
    return {
        "word": keyword.word, "kind": keyword.kind.value, "source": keyword.source,
        "lifts_opt_out": keyword.kind is ReplyKind.OPT_IN and keyword.lifts,
    }


def cmd_keywords(store: Store, args: argparse.Namespace) -> int:
    keywords = store.reply_keywords().keywords
    on = stored_keywords({"settings": {"1": {"keywords": store.setting("keywords") or {}}}})["languages"]
    if args.json:
        print_json(
            {
                "languages": {code: {"name": lang.name, "on": code in on} for code, lang in LANGUAGES.items()},
                "keywords": [keyword_json(k) for k in keywords],
            }
        )
        return 0
    print("Languages: " + ", ".join(
        f"{lang.name} ({code}): {'on' if code in on else 'off'}" for code, lang in LANGUAGES.items()
    ))
    for title, kind, lifts in SECTIONS:
        print(f"{title}:")
        chosen = [k for k in keywords if k.kind is kind and (lifts is None or k.lifts is lifts)]
        for source in dict.fromkeys(k.source for k in chosen):
            words = ", ".join(k.word for k in chosen if k.source == source)
            print(printable(f"  {pad(source_name(source), 19)} {words}"))
    return 0


def _word(args: argparse.Namespace) -> str:
    return " ".join(args.word)


def cmd_add(store: Store, args: argparse.Namespace) -> int:
    kind = clean_kind(args.kind)
    word = add_keyword(store, kind, _word(args))
    print(printable(f"Added {KIND_NAMES[kind]} keyword {word}."))
    return 0


def cmd_remove(store: Store, args: argparse.Namespace) -> int:
    kind = clean_kind(args.kind)
    word = remove_keyword(store, kind, _word(args))
    print(printable(f"Removed {KIND_NAMES[kind]} keyword {word}."))
    return 0


def cmd_language(store: Store, args: argparse.Namespace) -> int:
    on = SWITCH[args.switch]
    changed = set_language(store, args.code, on)
    name = LANGUAGES[args.code.strip().lower()].name
    state = "on" if on else "off"
    print(f"{name} keywords are now {state}." if changed else f"{name} keywords were already {state}; nothing changed.")
    return 0


def cmd_history(store: Store, args: argparse.Namespace) -> int:
    history = keyword_history(store)
    if args.json:
        print_json(history)
        return 0
    if not history:
        print("No keyword changes yet.")
    for entry in history:
        print(printable(f"{entry.get('at')}  {pad(str(entry.get('by')), 16)} {describe_change(entry)}"))
    return 0
