"""Reply keywords an admin sets: added words per kind, language sets, and their history.

Stored in the data file's settings (record 1), beside the default region::

    "keywords": {"opt_out": ["REMOVE", "TD"], "opt_in": [], "help": [], "languages": ["es"]},
    "keyword_history": [{"at": ..., "by": "alice", "change": "added", "kind": "opt_out", "word": "REMOVE"},
                        {"at": ..., "by": "alice", "change": "turned on", "kind": "language", "word": "es"}]

The standard English keywords (store.consent.reply_keywords) are always in force and cannot be removed.
A language set adds its words while it is on; its words are not removed one by one. A word an
admin adds is kept in one normalised form (``normalize_reply``, upper case), and one word is in
one kind only, compared without accents. An added opt-in word lifts an opt-out, like START: add
only words nobody sends by chance. Changing any of it needs the ``settings`` permission (admins by
default); every change appends to ``keyword_history`` with who and when.

The language sets follow carrier and provider guidance (checked 2025):

- AWS End User Messaging SMS, required opt-out keywords, including French ARRET next to STOP,
  CANCEL, END, OPT-OUT, OPTOUT, QUIT, REMOVE, TD, UNSUBSCRIBE; keywords are 1 to 30 characters:
  https://docs.aws.amazon.com/sms-voice/latest/userguide/opt-out-list-keywords.html
  https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords.html
- Twilio treats ARRET, ARRETE and ARRETT as opt-outs next to the English ones:
  https://www.twilio.com/docs/proxy/opt-out-keywords
- Twilio Advanced Opt-Out: add keywords per kind and other languages (e.g. Spanish); STOP, HELP
  and START cannot be removed:
  https://support.twilio.com/hc/en-us/articles/360034798533-Getting-Started-with-Advanced-Opt-Out-for-Messaging-Services
  https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out
- CTIA and the FCC: consent may be revoked by any reasonable means, which is why a message that
  merely holds an opt-out word of any language turned on goes to review (as summarised in
  https://solutionsbytext.com/opt-out-policy/ and https://optinfix.com/glossary/opt-out).

No provider publishes a Spanish or French opt-IN list, so those are kept to one clear verb each
(COMENZAR, COMMENCER); the words for "yes" (SI, SÍ, OUI) confirm consent like YES and never lift
an opt-out. ALTA is left out on purpose: one letter from ALTO, a typo must not re-subscribe.

Length (over 300 lines): a tenth is the sourced lists above; the rest is one admin setting read,
checked, changed and recorded in its history, steps that share the stored form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from store.errors import NotFound, ValidationError
from store.model import SETTINGS
from store.consent.reply_keywords import (
    REVOCATION_PHRASES,
    Keyword,
    KeywordSet,
    ReplyKind,
    fold_accents,
    normalize_reply,
    reply_words,
    standard_keywords,
)
from store.rules.text import describe, first_refused

if TYPE_CHECKING:
    from store.core.store import Store

MAX_KEYWORD_LENGTH = 30  # AWS's limit for a keyword (see the module doc)
KINDS = {"opt_out": ReplyKind.OPT_OUT, "opt_in": ReplyKind.OPT_IN, "help": ReplyKind.HELP}
KIND_NAMES = {"opt_out": "opt-out", "opt_in": "opt-in", "help": "help"}
KIND_OF = {kind: key for key, kind in KINDS.items()}
_WHOLE_WORD = re.compile(r"[^\W_]+")  # letters and digits: what reply_words finds


@dataclass(frozen=True)
class Language:
    name: str
    opt_out: tuple[str, ...]
    opt_in: tuple[str, ...]  # lift an opt-out, like START
    confirm: tuple[str, ...]  # confirm consent, like YES; never lift an opt-out
    help: tuple[str, ...]
    phrases: tuple[str, ...] = ()  # plain revocations without a keyword, for the review


LANGUAGES = {
    "es": Language(
        "Spanish",
        opt_out=("ALTO", "PARA", "PARAR", "DETENER", "BAJA", "CANCELAR", "DAR DE BAJA"),
        opt_in=("COMENZAR",),
        confirm=("SI", "SÍ"),
        help=("AYUDA", "INFORMACIÓN"),
        phrases=("no me escriban", "no me envien", "no mas mensajes", "eliminenme"),
    ),
    "fr": Language(
        "French",
        opt_out=("ARRET", "ARRÊT", "ARRETE", "ARRÊTE", "ARRETEZ", "ARRÊTEZ", "ARRETT", "DESABONNER", "DÉSABONNER",
                 "DESINSCRIRE", "DÉSINSCRIRE"),
        opt_in=("COMMENCER",),
        confirm=("OUI",),
        help=("AIDE",),
        phrases=("ne mecrivez plus", "ne menvoyez plus", "plus de messages", "retirez moi"),
    ),
}


# -- reading the stored settings --------------------------------------------------------------------


def stored_keywords(data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``keywords`` object of a loaded document (empty lists when none is stored)."""
    stored = (data.get(SETTINGS) or {}).get("1", {}).get("keywords") or {}
    return {key: list(stored.get(key, ())) for key in (*KINDS, "languages")}


def keywords_of(stored: Mapping[str, Any]) -> list[Keyword]:
    """Every keyword in force for a ``keywords`` object: English, the languages on, the added words."""
    found = standard_keywords()
    for code in LANGUAGES:
        if code in stored.get("languages", ()):
            lang = LANGUAGES[code]
            found += [Keyword(w, ReplyKind.OPT_OUT, source=code) for w in lang.opt_out]
            found += [Keyword(w, ReplyKind.OPT_IN, True, code) for w in lang.opt_in]
            found += [Keyword(w, ReplyKind.OPT_IN, False, code) for w in lang.confirm]
            found += [Keyword(w, ReplyKind.HELP, source=code) for w in lang.help]
    for key, kind in KINDS.items():
        found += [Keyword(w, kind, kind is ReplyKind.OPT_IN, "admin") for w in stored.get(key, ())]
    return found


def compile_keywords(stored: Mapping[str, Any] | None) -> KeywordSet:
    """The classifier for a stored ``keywords`` object (None: the standard English set)."""
    if not stored:
        return KeywordSet.standard()
    return KeywordSet(keywords_of(stored), phrases_in_force(stored))


def phrases_in_force(stored: Mapping[str, Any]) -> list[str]:
    """The plain revocation phrases: English and those of every language turned on."""
    phrases = list(REVOCATION_PHRASES)
    for code in stored.get("languages", ()):
        if code in LANGUAGES:
            phrases += LANGUAGES[code].phrases
    return phrases


def keywords_in_force(store: "Store") -> list[Keyword]:
    return list(store.reply_keywords().keywords)


def keyword_history(store: "Store") -> list[dict[str, Any]]:
    """Every change of the keywords, oldest first: at, by, change, kind, word."""
    return [dict(entry) for entry in store.setting("keyword_history", ())]


def source_name(source: str) -> str:
    if source == "en":
        return "standard English"
    if source == "admin":
        return "added by an admin"
    return LANGUAGES[source].name


# -- validation -------------------------------------------------------------------------------------


def clean_kind(value: object) -> str:
    """``opt-out``, ``opt-in`` or ``help`` (also with an underscore) -> the stored key."""
    key = str(value or "").strip().lower().replace("-", "_")
    if key not in KINDS:
        raise ValidationError.single("kind", f"Unknown keyword kind {value!r}; use opt-out, opt-in or help")
    return key


def clean_language(value: object) -> str:
    code = str(value or "").strip().lower()
    if code not in LANGUAGES:
        known = " or ".join(LANGUAGES)
        raise ValidationError.single("language", f"Unknown language {value!r}; use {known}")
    return code


def clean_keyword(value: object) -> str:
    """A keyword as stored: printable, letters and digits in words, at most 30 characters, in
    upper case with single spaces ("  take-me off " -> "TAKE ME OFF")."""
    if not isinstance(value, str):
        raise ValidationError.single("keyword", "A keyword must be text")
    text = value.strip()
    if not text:
        raise ValidationError.single("keyword", "A keyword is required")
    bad = first_refused(text)
    if bad is not None:
        raise ValidationError.single("keyword", f"A keyword may not hold {describe(text[bad])}")
    form = normalize_reply(text)
    words = reply_words(form)
    if not words:
        raise ValidationError.single("keyword", f"Keyword {text!r} has no letters or digits")
    if not all(_WHOLE_WORD.fullmatch(piece) for piece in form.split(" ")):
        raise ValidationError.single(
            "keyword", f"Keyword {text!r} may hold only letters and digits, its words separated by spaces or dashes"
        )
    if len(form) > MAX_KEYWORD_LENGTH:
        raise ValidationError.single("keyword", f"Keyword {text!r} is longer than {MAX_KEYWORD_LENGTH} characters")
    shown = form.upper()
    return shown if normalize_reply(shown) == form else form


def _label(keyword: Keyword) -> str:
    return f"{keyword.word}, {source_name(keyword.source)}"


def kind_phrase(key: str) -> str:
    """ "an opt-out keyword", "a help keyword"."""
    name = KIND_NAMES[key]
    return f"{'an' if name.startswith('o') else 'a'} {name} keyword"


# What a reply holding a keyword of each kind (other than opt-out) does, for the clash message.
_DOES = {ReplyKind.OPT_IN: "opt in", ReplyKind.HELP: "ask for help"}


def clash(stored: Mapping[str, Any]) -> str | None:
    """Why these settings would make a word ambiguous, or None: one (accent-folded) word in two
    kinds, or an opt-in or help keyword that holds an opt-out word (it would read as a revocation)."""
    keywords = keywords_of(stored)
    by_form: dict[str, Keyword] = {}
    for keyword in keywords:
        form = fold_accents(normalize_reply(keyword.word))
        first = by_form.setdefault(form, keyword)
        if first.kind is not keyword.kind:
            return (
                f"{keyword.word} would be both {kind_phrase(KIND_OF[first.kind])} ({_label(first)}) and "
                f"{kind_phrase(KIND_OF[keyword.kind])} ({source_name(keyword.source)}); a word has one kind only"
            )
    only_out = KeywordSet([k for k in keywords if k.kind is ReplyKind.OPT_OUT], phrases=())
    return _holding_revocation(keywords, only_out, "opt-out word")


def phrase_clash(stored: Mapping[str, Any]) -> str | None:
    """An opt-in or help keyword holding a revocation phrase ("REMOVE ME"), refused when keywords
    change. (A file that already holds one still opens: the reply reads as a possible revocation.)"""
    return _holding_revocation(keywords_of(stored), KeywordSet([], phrases_in_force(stored)), "revocation phrase")


def _holding_revocation(keywords: list[Keyword], reader: KeywordSet, what: str) -> str | None:
    """Why the first opt-in or help keyword that ``reader`` reads as a revocation is refused."""
    for keyword in keywords:
        if keyword.kind is not ReplyKind.OPT_OUT:
            found = reader.revocation_word(normalize_reply(keyword.word))
            if found is not None:
                return (
                    f"The {KIND_NAMES[KIND_OF[keyword.kind]]} keyword {keyword.word} ({source_name(keyword.source)}) "
                    f"contains the {what} {found.upper()}: a reply holding it would both "
                    f"{_DOES[keyword.kind]} and look like a revocation"
                )
    return None


# -- changes ----------------------------------------------------------------------------------------


def _change(store: "Store", apply: Any) -> Any:
    """Run ``apply(stored, tx)`` in a transaction by someone allowed to change settings; write the
    new keywords unless they clash, with one history entry. ``apply`` returns (result, entry)."""
    with store.transaction() as tx:
        store._require_in(tx, "settings")
        stored = stored_keywords(tx.data)
        result, entry = apply(stored, tx)
        if entry is None:
            return result
        problem = clash(stored) or phrase_clash(stored)
        if problem:
            raise ValidationError.single("keyword", problem)
        settings = dict(tx.table(SETTINGS).get("1", {}))
        settings["keywords"] = stored
        settings["keyword_history"] = list(settings.get("keyword_history", ())) + [
            {"at": tx.now, "by": tx.user, **entry}
        ]
        tx.put(SETTINGS, 1, settings)
    return result


def add_keyword(store: "Store", kind: str, word: object) -> str:
    """Add an opt-out, opt-in or help word; returns it as stored. Refuses a word already in force."""
    key = clean_kind(kind)
    shown = clean_keyword(word)

    def apply(stored: dict[str, Any], tx: Any) -> tuple[str, dict[str, Any]]:
        # One word per spelling without accents: ARRET beside ARRÊT would be one word twice (the
        # schema check refuses such a file, so it must never be written).
        form = fold_accents(normalize_reply(shown))
        for keyword in keywords_of(stored):
            if keyword.kind is KINDS[key] and fold_accents(normalize_reply(keyword.word)) == form:
                same = "" if keyword.word == shown else f" as {keyword.word} (the same word without accents)"
                raise ValidationError.single(
                    "keyword", f"{shown} is already {kind_phrase(key)}{same} ({source_name(keyword.source)})"
                )
        stored[key].append(shown)
        return shown, {"change": "added", "kind": key, "word": shown}

    return _change(store, apply)


def remove_keyword(store: "Store", kind: str, word: object) -> str:
    """Remove a word an admin added. Standard English and language words are refused, by name."""
    key = clean_kind(kind)
    shown = clean_keyword(word)

    def apply(stored: dict[str, Any], tx: Any) -> tuple[str, dict[str, Any]]:
        form = normalize_reply(shown)
        added = [w for w in stored[key] if normalize_reply(w) == form]
        if added:
            stored[key] = [w for w in stored[key] if normalize_reply(w) != form]
            return added[0], {"change": "removed", "kind": key, "word": added[0]}
        for keyword in keywords_of(stored):
            if keyword.kind is KINDS[key] and normalize_reply(keyword.word) == form:
                if keyword.source == "en":
                    raise ValidationError.single(
                        "keyword", f"{keyword.word} is a standard English {KIND_NAMES[key]} keyword and cannot be removed"
                    )
                name = LANGUAGES[keyword.source].name
                raise ValidationError.single(
                    "keyword",
                    f"{keyword.word} comes with the {name} keywords; to stop it, turn {name} off "
                    f"(contacts keywords language {keyword.source} off)",
                )
        raise NotFound(f"{shown} is not {kind_phrase(key)} an admin added, so there is nothing to remove")

    return _change(store, apply)


def set_language(store: "Store", code: object, on: bool) -> bool:
    """Turn a language's keywords on or off. Returns True when that changed anything."""
    code = clean_language(code)

    def apply(stored: dict[str, Any], tx: Any) -> tuple[bool, dict[str, Any] | None]:
        if (code in stored["languages"]) == bool(on):
            return False, None
        languages = [c for c in stored["languages"] if c != code] + ([code] if on else [])
        stored["languages"] = [c for c in LANGUAGES if c in languages]
        return True, {"change": "turned on" if on else "turned off", "kind": "language", "word": code}

    return _change(store, apply)


def describe_change(entry: Mapping[str, Any]) -> str:
    """``added opt-out keyword REMOVE`` / ``turned on Spanish (es)``, for people."""
    kind, word = entry.get("kind"), str(entry.get("word", ""))
    if kind == "language":
        name = LANGUAGES[word].name if word in LANGUAGES else word
        return f"{entry.get('change')} {name} ({word})"
    return f"{entry.get('change')} {KIND_NAMES.get(str(kind), kind)} keyword {word}"
