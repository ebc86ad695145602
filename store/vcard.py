"""vCard files (.vcf: 2.1, 3.0, 4.0, from phones, Google, Outlook, Apple, khard, abook) as a
contacts table: one card, one row of Full Name, Phone, Email.

The file is split into cards here (so every message can say "card 3 (line 17)"), each card is
parsed with vobject, and:
- Full Name is FN, else the parts of N joined (prefix, given, additional, family, suffix);
- Phone is the first TEL whose TYPE says CELL (or mobile; vCard 4 writes TYPE="voice,cell"), else
  the first TEL; a tel: URI is read as its number; a card with no TEL gets an empty phone, which
  the import reports like a CSV row without a phone;
- Email is the first EMAIL.

A card that cannot be read (a line that is not a property, a missing END:VCARD, text outside any
card, bad quoted-printable...) refuses the file, naming the card and the line.
"""

from __future__ import annotations

import re

from .csv_format import MAX_BYTES, MAX_ROWS, CsvSource, CsvTable
from .tables import TableError
from .text import printable

_PROPERTY = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?(;[^:]*)?:", re.ASCII)
_MOBILE = frozenset({"cell", "mobile", "iphone", "cellular"})


def read_vcards(source: CsvSource, *, max_cards: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> CsvTable:
    with source.open(max_bytes) as stream:
        data = stream.read()
    name = source.name
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(f"{name}, line {line}: byte 0x{data[exc.start]:02X} is not UTF-8 text; export the cards as UTF-8") from None
    table = CsvTable(name, ",", ("name", "phone", "email"), False, False, False, [])
    table.format_label = "vCard"
    table.unit = "card"
    table.places = {}
    for number, (first, lines) in enumerate(_cards(name, text), start=1):
        if number > max_cards:
            raise TableError(f"{name} has more than {max_cards:,} cards, the import limit; split it into smaller files")
        table.rows.append((number, _fields(name, number, first, lines)))
        table.places[number] = f"card {number} (line {first})"
    if not table.rows:
        raise TableError(f"{name} has no cards (BEGIN:VCARD ... END:VCARD)")
    return table


def _cards(name: str, text: str):
    """(first line, the card's physical lines) for each BEGIN:VCARD ... END:VCARD."""
    card: list[str] | None = None
    first = depth = count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip().upper()
        if card is None:
            if not word:
                continue
            if word != "BEGIN:VCARD":
                shown = printable(line.strip()[:60])
                raise TableError(f"{name}, line {number}: text outside a card ('{shown}'); every card starts with BEGIN:VCARD")
            card, first, depth = [line], number, 1
            count += 1
            continue
        card.append(line)
        if word == "BEGIN:VCARD":
            depth += 1  # a vCard 2.1 AGENT holds a card inside a card
        elif word == "END:VCARD":
            depth -= 1
            if depth == 0:
                yield first, card
                card = None
    if card is not None:
        raise TableError(f"{name}: card {count} (line {first}) has no END:VCARD; is the file cut short?")


def _fields(name: str, number: int, first: int, lines: list[str]) -> list[str]:
    import vobject

    for offset, line in enumerate(lines):
        if line[:1] in (" ", "\t") or not line.strip() or _PROPERTY.match(line):
            continue  # a folded continuation, a blank line, or NAME;PARAMS:value
        if offset > 0 and lines[offset - 1].rstrip().endswith("="):
            continue  # the soft line break of a quoted-printable value (vCard 2.1)
        shown = printable(line.strip()[:60])
        raise TableError(f"{name}, card {number}, line {first + offset}: '{shown}' is not a vCard property (NAME:value)")
    try:
        card = vobject.readOne("\r\n".join(lines) + "\r\n", ignoreUnreadable=False)
        full = _full_name(card)
        phone = _phone(card)
        email = card.contents["email"][0].value if card.contents.get("email") else ""
    except TableError:
        raise
    except Exception as exc:  # vobject raises ParseError, ValueError, binascii.Error... on bad cards
        reason = printable(str(exc).split("\n")[0])[:160] or type(exc).__name__
        raise TableError(f"{name}, card {number} (line {first}) cannot be read: {reason}") from None
    return [_text(full), _text(phone), _text(email)]


def _text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def _full_name(card) -> str:
    fn = card.contents.get("fn")
    if fn and _text(fn[0].value).strip():
        return _text(fn[0].value)
    n = card.contents.get("n")
    if not n:
        return ""
    value = n[0].value
    if isinstance(value, str):
        return " ".join(p for p in value.split(";") if p.strip())
    parts = (value.prefix, value.given, value.additional, value.family, value.suffix)
    return " ".join(_text(p) for p in parts if _text(p).strip())


def _phone(card) -> str:
    tels = card.contents.get("tel", [])
    if not tels:
        return ""
    for tel in tels:
        if _types(tel) & _MOBILE:
            return _number(tel)
    return _number(tels[0])


def _types(tel) -> set[str]:
    words = [str(v) for v in tel.params.get("TYPE", [])] + [str(v) for v in getattr(tel, "singletonparams", [])]
    return {w.strip().strip('"').casefold() for word in words for w in word.split(",")}


def _number(tel) -> str:
    value = _text(tel.value).strip()
    if value.casefold().startswith("tel:"):
        number, *params = value[4:].split(";")
        extension = [p[4:] for p in params if p.casefold().startswith("ext=")]
        value = number + (f" ext. {extension[0]}" if extension else "")  # an extension is refused by the phone rule
    return value
