"""The shortcuts that make a CSV import fast change no verdict.

- ``store.rules.email_fast`` answers "valid" for an address only when email-validator accepts it, so
  ``clean_email`` returns what it returned before and refuses with email-validator's message.
- ``store.rules.text.refusal`` skips its character scan for printable text; it still reports the same
  first forbidden character as the full scan.
- The importer's per-row fast path gives the same entries and the same problems as checking
  each row field by field (``import_rules.entry_from_row``).

(The phone fast path has its own tests in tests/store/rules/test_phone_fast.py.)
"""

from __future__ import annotations

import csv
import random

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from store.rules import email_fast
from store.transfer.csv_format import CsvSource, read_csv
from store.demo_data import csv_text
from store.errors import ValidationError
from store.transfer.import_rules import entry_from_row
from store.transfer.importer import ImportRefused, _validate
from store.rules.text import describe, refusal, refused_positions
from store.rules.validation import clean_email, clean_text

ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"
DOMAINS = (
    "example.com", "mail.example.net", "EXAMPLE.ORG", "exemple.fr", "gmail.com", "a.co", "x.y.z.museum",
    "localhost", "com", "example", "-bad.com", "bad-.com", "a..b.com", ".a.com", "a.com.", "1.2.3.4", "a.123",
    "example.invalid", "host.local", "test", "a.test", "onion.onion", "xn--bcher-kva.de", "xn--x.com", "b_c.com",
    "a" * 63 + ".com", "a" * 64 + ".com", ("b" * 60 + ".") * 4 + "com", "ex ample.com", "bücher.de", "[1.2.3.4]",
    "exa\u0301mple.com", "example.com>", "", "@example.com",
)


def reference_email(value: str) -> str | None:
    """clean_email as it was: email-validator on every address."""
    text = clean_text("email", value, required=False, max_length=320)
    if not text:
        return None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError.single("email", f"Email '{text}' is not valid: {exc}") from None
    return text


def verdict(fn, value: str) -> str | None:
    try:
        return fn(value)
    except ValidationError as exc:
        return "refused: " + exc.errors["email"]


def _local(rng: random.Random) -> str:
    size = rng.choice((1, 2, 5, 10, 30, 63, 64, 65, 70, rng.randint(1, 80)))
    chars = "".join(rng.choice(ATEXT if rng.random() < 0.97 else ".") for _ in range(size))
    return rng.choice((chars, chars, "." + chars, chars + ".", chars.replace("a", ".."), '"' + chars + '"',
                       chars + " ", "José" + chars, chars + "@x"))


def generated_emails(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        domain = rng.choice(DOMAINS) if rng.random() < 0.7 else ".".join(
            "".join(rng.choice("abcxyz019-") for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 4)))
        local = _local(rng)
        text = f"{local}@{domain}"
        if rng.random() < 0.05:
            text = rng.choice((f"Ann <{text}>", text.replace("@", ""), text + "@", text.upper(), "@" + domain,
                               f"{local}＠{domain}", text + " (work)"))
        found.append(text)
    return found


def test_generated_emails_get_email_validators_verdict():
    emails = generated_emails(60_000)
    shortcut = valid = 0
    for text in emails:
        expected = verdict(reference_email, text)
        assert verdict(clean_email, text) == expected, text
        valid += expected is not None and not expected.startswith("refused")
        if email_fast.known_valid(text.strip()):
            assert expected == text.strip(), text
            shortcut += 1
    assert valid > 5_000 and shortcut > 0.5 * valid  # the shortcut really carries the plain addresses


def test_length_limits_are_kept():
    # 254 is email-validator's limit on the whole address; only the local part's length matters here
    domain = "b" * 60 + ".example.com"
    for size in range(170, 200):
        text = "a.b" + "c" * size + "@" + domain
        assert verdict(clean_email, text) == verdict(reference_email, text), size


@settings(max_examples=3000, deadline=None)
@given(local=st.text(alphabet=st.sampled_from(ATEXT + ".\"@ é"), min_size=0, max_size=70),
       domain=st.one_of(st.sampled_from(DOMAINS), st.text(alphabet=st.sampled_from("abz09.-_ "), max_size=30)))
def test_any_address_gets_email_validators_verdict(local, domain):
    text = f"{local}@{domain}"
    assert verdict(clean_email, text) == verdict(reference_email, text)


def _full_scan(text: str) -> str | None:
    for position in refused_positions(text):
        return f"{describe(text[position])} at position {position + 1}"
    return None


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("\t\x1b\u202e\u2066 \u00a0\u200b\u2028\U000e0041\U0001f3f4"))))
def test_refusal_reports_the_same_as_a_full_scan(text):
    assert refusal(text) == _full_scan(text)


# -- the importer's row loop ---------------------------------------------------------------------


def _slow_rows(table, region):
    """Every row through entry_from_row: entries, or the (line, field, message) problems."""
    entries, problems = [], []
    for line, fields in table.rows:
        try:
            entries.append(entry_from_row(line, dict(zip(table.columns, fields)), region))
        except ValidationError as exc:
            problems += [(line, f, m) for f, m in exc.errors.items()]
    return entries, problems


@pytest.mark.parametrize("header", [
    "Full Name,Phone,Email",
    "Phone,Email,Full Name,Lists,Opted Out,Consent",
])
def test_row_loop_matches_field_by_field_checks(header):
    rng = random.Random(5)
    good = csv_text(3000, seed=9).splitlines()[1:]
    lines = []
    for row in good:
        name, phone, email = next(csv.reader([row]))
        if rng.random() < 0.1:
            phone = rng.choice(("(212) 555-012", "+999 1", "call me", "212 555 0123 x5", "", "(012) 555-0123"))
        if rng.random() < 0.05:
            email = rng.choice(("nope", "a@b", "a..b@example.com", "x@localhost"))
        if rng.random() < 0.03:
            name = rng.choice(("", "  ", "Ann\x1b[31m"))
        cells = {"Full Name": name, "Phone": phone, "Email": email,
                 "Lists": rng.choice(("", "VIP", "VIP;Staff", " ; ")), "Opted Out": rng.choice(("", "yes", "no", "maybe")),
                 "Consent": rng.choice(("", "sent", "Confirmed", "declined", "bogus"))}
        lines.append(",".join('"' + cells[c].replace('"', '""') + '"' for c in header.split(",")))
    source = CsvSource.from_text(header + "\n" + "\n".join(lines) + "\n")
    table = read_csv(source, skip_first_line=True)
    entries, problems = _slow_rows(table, "US")
    assert problems  # the sample has bad rows
    with pytest.raises(ImportRefused) as refused:
        _validate(table, "US", None, False, None)
    assert [(p.line, p.field, p.message) for p in refused.value.problems] == [
        (line, {"name": "Full Name", "phone": "Phone", "email": "Email", "lists": "Lists",
                "opted_out": "Opted Out", "consent": "Consent"}[f], m) for line, f, m in problems
    ]
    # Without the bad rows, the entries are the same too.
    bad_lines = {line for line, _, _ in problems}
    clean = [row for row, (line, _) in zip(lines, table.rows) if line not in bad_lines]
    table = read_csv(CsvSource.from_text(header + "\n" + "\n".join(clean) + "\n"), skip_first_line=True)
    entries, problems = _slow_rows(table, "US")
    assert not problems
    plan = _validate(table, "US", None, False, None)
    by_phone = {}
    for entry in entries:
        by_phone.setdefault(entry.phone, []).append(entry)
    assert len(plan.entries) == len(by_phone)
    assert {e.phone: (e.name, e.email, e.opted_out, e.consent, e.lists) for e in plan.entries if len(by_phone[e.phone]) == 1} == {
        p: (es[0].name, es[0].email, es[0].opted_out, es[0].consent, es[0].lists) for p, es in by_phone.items() if len(es) == 1
    }
