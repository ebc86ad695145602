"""vCard files (.vcf: 2.1, 3.0, 4.0, from phones, Google, Outlook, Apple, khard, abook) as a
contacts table: one card, one row of Full Name, Phone, Email.

The file is split into cards here (so every message can say "card 3 (line 17)"), each card's
lines are unfolded and parsed with vobject's content-line parser (whole cards with vobject when
their values are encoded), and:
- Full Name is FN, else the parts of N joined (prefix, given, additional, family, suffix);
- Phone is the first TEL whose TYPE says CELL (or mobile; vCard 4 writes TYPE="voice,cell"), else
  the first TEL; a tel: URI is read as its number; a card with no TEL gets an empty phone, which
  the import reports like a CSV row without a phone;
- Email is the first EMAIL.

A card that cannot be read (a line that is not a property, a missing END:VCARD, text outside any
card, bad quoted-printable...) refuses the file, naming the card and the line.
"""

from __future__ import annotations

import io

from store.transfer.csv_format import MAX_BYTES, MAX_ROWS, CsvSource, CsvTable
from store.transfer.tables import TableError
from store.rules.text import printable
from store.wording import plural

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
            raise TableError(f"{name} has more than {plural(max_cards, 'card')}, the import limit; split it into smaller files")
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
    """[Full Name, Phone, Email] of one card. Lines are unfolded and split into name, parameters
    and value by vobject's own content-line parser; a card with encoded values (vCard 2.1
    quoted-printable or base64) is read by vobject in full, which decodes them (about ten times
    slower, so not for every card)."""
    from vobject import base

    properties = []
    depth = 0
    try:
        for line, offset in base.getLogicalLines(io.StringIO("\r\n".join(lines) + "\r\n")):
            try:
                prop, params, value, _group = base.parseLine(line, offset)
            except base.ParseError:
                shown = printable(line.strip()[:60])
                raise TableError(
                    f"{name}, card {number}, line {first + offset - 1}: '{shown}' is not a vCard property (NAME:value)"
                ) from None
            prop = prop.upper()
            if prop in ("BEGIN", "END"):
                depth += 1 if prop == "BEGIN" else -1
                continue
            if depth != 1:
                continue  # a card inside the card (vCard 2.1 AGENT): not this contact's
            if any(p[0].upper() == "ENCODING" for p in params if p):
                return _fields_in_full(name, number, first, lines)
            properties.append((prop, params, value))
    except TableError:
        raise
    except Exception as exc:  # vobject's parser raises ParseError and others on broken input
        raise TableError(f"{name}, card {number} (line {first}) cannot be read: {_reason(exc)}") from None
    full = next((_unescaped(v) for p, _, v in properties if p == "FN" and v.strip()), "")
    if not full:
        parts = next((splitFields(v) for p, _, v in properties if p == "N"), [])
        order = (3, 1, 2, 0, 4)  # N is family;given;additional;prefix;suffix
        full = " ".join(_unescaped(parts[i]).replace(",", " ") for i in order if i < len(parts) and parts[i].strip())
    tels = [(params, value) for p, params, value in properties if p == "TEL"]
    mobile = [value for params, value in tels if _param_types(params) & _MOBILE]
    phone = _tel_number(_unescaped(mobile[0] if mobile else tels[0][1])) if tels else ""
    email = next((_unescaped(v) for p, _, v in properties if p == "EMAIL"), "")
    return [" ".join(full.split(" ")).strip(), phone, email]


def _reason(exc: BaseException) -> str:
    return printable(str(exc).split("\n")[0])[:160] or type(exc).__name__


def _unescaped(value: str) -> str:
    from vobject.vcard import stringToTextValues

    return ",".join(stringToTextValues(value)) if "\\" in value or "," in value else value


def splitFields(value: str) -> list[str]:
    from vobject.vcard import splitFields as split

    # vobject gives a part with several values (N:Lee;Ann,Beth) as a list: as text, comma-separated
    return [",".join(part) if isinstance(part, list) else part for part in split(value)]


def _param_types(params: list[list[str]]) -> set[str]:
    words = []
    for param in params:
        if len(param) == 1:
            words.append(param[0])  # vCard 2.1: TEL;CELL:...
        elif param[0].upper() == "TYPE":
            words += param[1:]
    return {w.strip().strip('"').casefold() for word in words for w in word.split(",")}


def _tel_number(value: str) -> str:
    value = value.strip()
    if value.casefold().startswith("tel:"):
        number, *params = value[4:].split(";")
        extension = [p[4:] for p in params if p.casefold().startswith("ext=")]
        value = number + (f" ext. {extension[0]}" if extension else "")  # an extension is refused by the phone rule
    return value


def _fields_in_full(name: str, number: int, first: int, lines: list[str]) -> list[str]:
    import vobject

    try:
        card = vobject.readOne("\r\n".join(lines) + "\r\n", ignoreUnreadable=False)
        full = _full_name(card)
        phone = _phone(card)
        email = card.contents["email"][0].value if card.contents.get("email") else ""
    except Exception as exc:  # vobject raises ParseError, ValueError, binascii.Error... on bad cards
        raise TableError(f"{name}, card {number} (line {first}) cannot be read: {_reason(exc)}") from None
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
    return _tel_number(_text(tel.value))
