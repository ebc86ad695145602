"""Realistic made-up contacts, for demo mode and for benchmarks.

Names mix accents and non-Latin scripts, phones come in the formats people really type (with the
US as default region plus a share of international numbers), some contacts have emails, some are
opted out, consent states vary and contacts belong to a few lists. Everything is deterministic for
a given seed. Nothing here is fast-pathed past validation: ``people()`` yields what a person would
type, and the store or the importer validates it as usual. ``write_document()`` is the exception:
it writes a data file directly (for benchmarks at 100,000+ contacts) with numbers built in E.164.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator, NamedTuple

import orjson

from store.model import CONTACTS, LISTS, META, empty_document

FIRST_NAMES = (
    "Ann", "José", "Zoë", "Chloé", "Mohammed", "Wei", "Aiko", "Olga", "Björn", "Siobhán", "Priya",
    "Łukasz", "Noah", "Emma", "Liam", "Sofía", "Mateo", "Amélie", "Jürgen", "Fatima", "Kwame",
    "Ngozi", "Dmitri", "Ingrid", "Hiroshi", "Maria", "David", "Sarah", "Omar", "Leila", "Chen",
    "Ana", "Pedro", "Grace", "Tomás", "Eleni", "Giorgos", "Nadia", "Ravi", "Yuki",
    "Александр", "Мария", "李", "王", "山田", "Δημήτρης", "محمد", "שרה", "김", "Nguyễn",
)
LAST_NAMES = (
    "Lee", "García", "Müller", "O'Brien", "Smith", "Nakamura", "Kowalski", "Øster", "Dubois",
    "Rossi", "Nguyen", "Patel", "Okafor", "Johnson", "Brown", "Fernández", "Schäfer", "Ivanova",
    "Haddad", "Cohen", "Kim", "Singh", "Andersson", "Papadopoulos", "Mensah", "López", "Wójcik",
    "Smith-Jones", "de la Cruz", "van der Berg", "Иванов", "Петрова", "张", "伟", "太郎",
    "Παπαδόπουλος", "علي", "כהן", "민준", "Văn An",
)
US_AREA_CODES = (201, 202, 206, 212, 213, 303, 305, 312, 404, 415, 503, 512, 614, 617, 646, 702, 713, 718, 805, 917)
# (E.164 country prefix, national number template: each X becomes a random digit)
INTERNATIONAL = (
    ("+44", "7911XXXXXX"),
    ("+49", "1512XXXXXXX"),
    ("+33", "612XXXXXX"),
    ("+61", "412XXXXXX"),
    ("+81", "90XXXXXXXX"),
    ("+52", "55XXXXXXXX"),
)
EMAIL_DOMAINS = ("example.com", "example.org", "mail.example.net", "exemple.fr")
LIST_NAMES = ("Newsletter", "VIP customers", "Spring promo", "Clinic reminders", "Staff")


class Person(NamedTuple):
    name: str
    phone_typed: str  # as a person would type it
    phone_e164: str
    email: str | None


def _us_number(rng: random.Random, fictional: bool = False) -> tuple[str, str, str]:
    area = rng.choice(US_AREA_CODES)
    if fictional:  # 555-0100..0199 is reserved for fiction in every US area code
        exchange, line = 555, rng.randint(100, 199)
    else:
        exchange, line = rng.randint(200, 999), rng.randint(0, 9999)
    e164 = f"+1{area}{exchange}{line:04d}"
    style = rng.randrange(5)
    typed = (
        f"({area}) {exchange}-{line:04d}",
        f"{area}-{exchange}-{line:04d}",
        f"{area}.{exchange}.{line:04d}",
        f"+1 {area} {exchange} {line:04d}",
        f"{area}{exchange}{line:04d}",
    )[style]
    return typed, e164, f"{area}{exchange}{line:04d}"


def _international_number(rng: random.Random) -> tuple[str, str, str]:
    import phonenumbers

    prefix, template = rng.choice(INTERNATIONAL)
    while True:  # numbering plans have gaps: draw until phonenumbers calls it valid
        digits = "".join(str(rng.randrange(10)) if ch == "X" else ch for ch in template)
        e164 = prefix + digits
        if phonenumbers.is_valid_number(phonenumbers.parse(e164)):
            break
    typed = f"{prefix} {digits[:4]} {digits[4:]}" if rng.random() < 0.5 else e164
    return typed, e164, digits


def people(count: int, seed: int = 1, international_share: float = 0.1, fictional: bool = False) -> Iterator[Person]:
    """``count`` people with distinct phone numbers.

    ``fictional`` uses only US 555-01XX numbers, which belong to nobody (for demos: at most 2,000).
    """
    if fictional and count > 100 * len(US_AREA_CODES):
        raise ValueError(f"only {100 * len(US_AREA_CODES)} fictional numbers exist")
    rng = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < count:
        if not fictional and rng.random() < international_share:
            typed, e164, _ = _international_number(rng)
        else:
            typed, e164, _ = _us_number(rng, fictional)
        if e164 in seen:
            continue
        seen.add(e164)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        email = None
        if rng.random() < 0.6:
            local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
            email = f"{local.strip('.') or 'contact'}{len(seen)}@{rng.choice(EMAIL_DOMAINS)}"
        yield Person(name, typed, e164, email)


def csv_text(count: int, seed: int = 1, header: bool = True) -> str:
    """A CSV file of ``count`` contacts as a spreadsheet would export it."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(["Full Name", "Phone", "Email"])
    for person in people(count, seed):
        writer.writerow([person.name, person.phone_typed, person.email or ""])
    return out.getvalue()


def write_document(
    path: Path, count: int, *, seed: int = 1, creator: str = "demo", lists: bool = True, fictional: bool = False
) -> None:
    """Write a data file with ``count`` contacts directly (fast; for benchmarks and demos)."""
    rng = random.Random(seed + 1)
    doc = empty_document(creator)
    list_ids = list(range(1, len(LIST_NAMES) + 1)) if lists else []
    for lid, name in zip(list_ids, LIST_NAMES):
        doc[LISTS][str(lid)] = {"name": name, "created_at": "2026-01-01T09:00:00Z"}
    consent_choices = ("not_sent", "not_sent", "sent", "confirmed", "confirmed", "declined")
    contacts = doc[CONTACTS]
    for cid, person in enumerate(people(count, seed, fictional=fictional), start=1):
        consent = rng.choice(consent_choices)
        opted_out = consent == "declined" or rng.random() < 0.03
        member_of = [lid for lid in list_ids if rng.random() < 0.25]
        stamp = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 18):02d}:00:00Z"
        history = []
        if opted_out:
            history.append({"at": stamp, "field": "opted_out", "from": False, "to": True, "source": "reply",
                            "by": creator, "detail": "reply: STOP"})
        contacts[str(cid)] = {
            "name": person.name,
            "phone": person.phone_e164,
            "email": person.email,
            "opted_out": opted_out,
            "consent": consent,
            "consent_changed_at": None if consent == "not_sent" else stamp,
            "lists": member_of,
            "history": history,
            "review": [],
            "created_at": stamp,
            "updated_at": stamp,
        }
    doc[META]["1"]["next_ids"].update({CONTACTS: count + 1, LISTS: len(list_ids) + 1})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(doc))
    path.chmod(0o600)
