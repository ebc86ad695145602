"""store.demo_data: the made-up people and data files demos and benchmarks use are realistic in the
ways they promise (number formats, ranges, shares, emails, lists, consent, history) and
deterministic for a seed. Pinned by mutation testing; tests/test_demo.py has the demo store's own
tests."""

from __future__ import annotations

import csv
import io
import re
import stat
from collections import Counter
from pathlib import Path

import orjson
import pytest

from store import Store
from store.demo_data import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    INTERNATIONAL,
    LAST_NAMES,
    LIST_NAMES,
    US_AREA_CODES,
    csv_text,
    people,
    write_document,
)

US_FORMATS = {
    r"\((\d{3})\) (\d{3})-(\d{4})": "(415) 555-0132",
    r"(\d{3})-(\d{3})-(\d{4})": "415-555-0132",
    r"(\d{3})\.(\d{3})\.(\d{4})": "415.555.0132",
    r"\+1 (\d{3}) (\d{3}) (\d{4})": "+1 415 555 0132",
    r"(\d{3})(\d{3})(\d{4})": "4155550132",
}


def us_format(person) -> str:
    """Which of the five ways people type a US number ``person`` uses (the digits must match)."""
    for pattern, example in US_FORMATS.items():
        match = re.fullmatch(pattern, person.phone_typed)
        if match:
            assert "+1" + "".join(match.groups()) == person.phone_e164
            return example
    raise AssertionError(f"{person.phone_typed!r} is in no known format")


# -- write_document --------------------------------------------------------------------------------


def written(tmp_path: Path, count: int = 1000, **options) -> dict:
    path = tmp_path / "nested" / "folder" / "demo.json"
    write_document(path, count, **options)
    return orjson.loads(path.read_bytes())


def test_a_written_document_holds_the_people_by_id_with_their_e164_numbers(tmp_path):
    doc = written(tmp_path, 200, seed=5, fictional=True)
    crowd = list(people(200, seed=5, fictional=True))
    assert list(doc["contacts"]) == [str(i) for i in range(1, 201)]
    assert [(c["name"], c["phone"], c["email"]) for c in doc["contacts"].values()] == [
        (p.name, p.phone_e164, p.email) for p in crowd
    ]
    assert all(c["review"] == [] for c in doc["contacts"].values())


def test_a_written_document_has_the_five_lists_and_about_a_quarter_of_contacts_in_each(tmp_path):
    doc = written(tmp_path)
    assert doc["lists"] == {
        str(i): {"name": name, "created_at": "2026-01-01T09:00:00Z"} for i, name in enumerate(LIST_NAMES, start=1)
    }
    members = Counter(lid for c in doc["contacts"].values() for lid in c["lists"])
    assert set(members) == {1, 2, 3, 4, 5}
    assert all(150 < n < 350 for n in members.values())
    assert all(c["lists"] == sorted(set(c["lists"])) for c in doc["contacts"].values())
    assert doc["_meta"]["1"]["next_ids"]["lists"] == 6


def test_a_document_written_without_lists_has_none(tmp_path):
    doc = written(tmp_path, 100, lists=False)
    assert doc["lists"] == {}
    assert all(c["lists"] == [] for c in doc["contacts"].values())
    assert doc["_meta"]["1"]["next_ids"]["lists"] == 1


def test_consent_states_vary_and_a_declined_contact_is_always_opted_out(tmp_path):
    contacts = written(tmp_path)["contacts"].values()
    consents = Counter(c["consent"] for c in contacts)
    assert set(consents) == {"not_sent", "sent", "confirmed", "declined"}
    assert consents["not_sent"] > consents["sent"] and consents["confirmed"] > consents["sent"]
    assert all(c["opted_out"] for c in contacts if c["consent"] == "declined")
    also_out = sum(c["opted_out"] for c in contacts if c["consent"] != "declined")
    assert 0 < also_out < 60  # about 3 % of the others
    for c in contacts:
        assert c["consent_changed_at"] == (None if c["consent"] == "not_sent" else c["created_at"])


def test_an_opted_out_contact_has_the_stop_reply_in_its_history(tmp_path):
    contacts = written(tmp_path, creator="maria")["contacts"].values()
    for c in contacts:
        if c["opted_out"]:
            assert c["history"] == [{"at": c["created_at"], "field": "opted_out", "from": False, "to": True,
                                     "source": "reply", "by": "maria", "detail": "reply: STOP"}]
        else:
            assert c["history"] == []


def test_stamps_fall_in_january_to_october_on_days_1_to_28_in_office_hours(tmp_path):
    contacts = written(tmp_path)["contacts"].values()
    stamps = [c["created_at"] for c in contacts]
    assert all(c["updated_at"] == c["created_at"] for c in contacts)
    parts = [re.fullmatch(r"2026-(\d\d)-(\d\d)T(\d\d):00:00Z", s).groups() for s in stamps]
    months, days, hours = ({int(p[i]) for p in parts} for i in range(3))
    assert months == set(range(1, 11))
    assert days == set(range(1, 29))
    assert hours == set(range(8, 19))


def test_the_creator_is_the_admin_and_ids_go_on_after_the_written_ones(tmp_path):
    doc = written(tmp_path, 30, creator="maria")
    assert doc["users"] == {"1": {"login": "maria", "role": "admin"}}
    assert doc["_meta"]["1"]["next_ids"] == {"users": 2, "contacts": 31, "lists": 6}
    store = Store.open(tmp_path / "nested" / "folder" / "demo.json", user="maria")
    assert store.role == "admin"
    assert store.add_list("Another").id == 6


def test_a_written_document_is_private_to_its_owner_and_opens_as_a_store(tmp_path):
    path = tmp_path / "new" / "demo.json"
    write_document(path, 50, seed=2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store = Store.open(path, user="demo")
    assert store.count() == 50


def test_a_document_is_the_same_for_a_seed_and_differs_between_seeds(tmp_path):
    write_document(tmp_path / "a.json", 100, seed=3)
    write_document(tmp_path / "b.json", 100, seed=3)
    write_document(tmp_path / "c.json", 100, seed=4)
    write_document(tmp_path / "d.json", 100)
    write_document(tmp_path / "e.json", 100, seed=1)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.json").read_bytes() != (tmp_path / "c.json").read_bytes()
    assert (tmp_path / "d.json").read_bytes() == (tmp_path / "e.json").read_bytes()
    doc = orjson.loads((tmp_path / "d.json").read_bytes())
    assert doc["users"]["1"]["login"] == "demo"
    assert [c["phone"] for c in doc["contacts"].values()] == [p.phone_e164 for p in people(100, seed=1)]


# -- csv_text --------------------------------------------------------------------------------------


def test_csv_text_is_a_spreadsheet_export_of_the_same_people():
    text = csv_text(20, seed=3)
    assert text.startswith("Full Name,Phone,Email\r\n") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Full Name", "Phone", "Email"]
    assert rows[1:] == [[p.name, p.phone_typed, p.email or ""] for p in people(20, seed=3)]
    assert any(row[2] == "" for row in rows[1:])


def test_csv_text_may_leave_out_the_header_and_defaults_to_seed_one():
    assert csv_text(5, seed=1, header=False) == csv_text(5, seed=1).split("\r\n", 1)[1]
    assert csv_text(5) == csv_text(5, seed=1)


# -- people ----------------------------------------------------------------------------------------


def test_us_numbers_use_real_area_codes_exchanges_200_to_999_and_every_line_number():
    crowd = list(people(20000, seed=5, international_share=0))
    assert all(p.phone_e164.startswith("+1") and len(p.phone_e164) == 12 for p in crowd)
    areas = {int(p.phone_e164[2:5]) for p in crowd}
    exchanges = [int(p.phone_e164[5:8]) for p in crowd]
    lines = [int(p.phone_e164[8:]) for p in crowd]
    assert areas == set(US_AREA_CODES)
    assert (min(exchanges), max(exchanges)) == (200, 999)
    assert (min(lines), max(lines)) == (0, 9999)


def test_us_numbers_are_typed_in_all_five_formats_with_their_own_digits():
    crowd = list(people(500, seed=4, international_share=0))
    assert {us_format(p) for p in crowd} == set(US_FORMATS.values())


def test_every_fictional_number_can_be_drawn_and_no_more_than_exist():
    crowd = list(people(2000, seed=1, fictional=True))
    assert {p.phone_e164 for p in crowd} == {f"+1{area}5550{line}" for area in US_AREA_CODES for line in range(100, 200)}
    assert {us_format(p) for p in crowd} == set(US_FORMATS.values())
    with pytest.raises(ValueError) as err:
        next(people(2001, fictional=True))
    assert str(err.value) == "only 2000 fictional numbers exist"


def test_international_numbers_follow_their_country_template_and_two_ways_of_typing():
    crowd = list(people(300, seed=6, international_share=1))
    prefixes = Counter()
    typed_ways = set()
    for person in crowd:
        [(prefix, template)] = [(p, t) for p, t in INTERNATIONAL if person.phone_e164.startswith(p)]
        prefixes[prefix] += 1
        national = person.phone_e164[len(prefix):]
        assert len(national) == len(template) and national.isdigit()
        assert all(t == "X" or t == d for t, d in zip(template, national))
        if person.phone_typed == person.phone_e164:
            typed_ways.add("E.164")
        else:
            assert person.phone_typed == f"{prefix} {national[:4]} {national[4:]}"
            typed_ways.add("grouped")
    assert set(prefixes) == {p for p, _ in INTERNATIONAL}
    assert typed_ways == {"E.164", "grouped"}


def test_the_share_of_international_numbers_is_kept_and_fictional_ones_are_all_us():
    assert not any(p.phone_e164.startswith("+1") for p in people(100, seed=1, international_share=1))
    assert all(p.phone_e164.startswith("+1") for p in people(300, seed=1, international_share=0))
    assert all(p.phone_e164.startswith("+1") for p in people(300, seed=1, international_share=1, fictional=True))
    share = sum(not p.phone_e164.startswith("+1") for p in people(1000, seed=1)) / 1000  # default 10 %
    assert 0.06 < share < 0.14


def test_names_are_a_first_and_a_last_name_from_the_lists():
    for person in people(500, seed=8, international_share=0):
        first, last = person.name.split(" ", 1)
        assert first in FIRST_NAMES and last in LAST_NAMES


def test_emails_are_made_from_the_ascii_letters_of_the_name_and_the_persons_number():
    crowd = list(people(2000, seed=1, international_share=0))
    with_email = [p for p in crowd if p.email]
    assert 0.55 < len(with_email) / len(crowd) < 0.65
    assert all(p.email is None for p in crowd if p not in with_email)  # no email is None, not ""
    for number, person in enumerate(crowd, start=1):
        if person.email:
            local, domain = person.email.split("@")
            assert domain in EMAIL_DOMAINS
            assert local.endswith(str(number)) and re.fullmatch(r"[a-z0-9][a-z0-9.]*", local)
    emails = {p.name: p.email.split("@")[0].rstrip("0123456789") for p in with_email}
    assert emails["Giorgos van der Berg"] == "giorgos.vanderberg"  # spaces left out
    assert emails["Jürgen Fernández"] == "jrgen.fernndez"  # letters that are not ASCII left out
    assert emails["Chloé O'Brien"] == "chlo.obrien"
    assert emails["محمد García"] == "garca"  # no dot left at either end
    assert emails["Δημήτρης Smith-Jones"] == "smithjones"
    assert emails["Мария 太郎"] == "contact"  # nothing ASCII in the name at all
    assert {p.email.split("@")[1] for p in with_email} == set(EMAIL_DOMAINS)


def test_people_are_the_same_for_a_seed_and_differ_between_seeds():
    assert list(people(50, seed=3)) == list(people(50, seed=3))
    assert list(people(50, seed=3)) != list(people(50, seed=4))
    assert list(people(50)) == list(people(50, seed=1))
