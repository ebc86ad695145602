"""The phone fast path agrees with phonenumbers on every number: same E.164, or it steps aside.

``store.rules.phone_fast.e164`` may only ever answer with exactly what the full phonenumbers path
(``validation._e164`` without its cache) returns; when it answers None, ``clean_phone`` runs that
full path, so rejections and their messages are phonenumbers' own. These tests compare the two on
a large deterministic sample (valid and invalid numbers in many formats and regions) and with
Hypothesis, and check that the common formats really take the fast path.
"""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat

from store.rules import phone_fast
from store.errors import ValidationError
from store.rules.validation import _e164, clean_phone

REGIONS = ("US", "CA", "GB", "DE", "FR", "AU", "IT", "BR", "AR", "MX", "JP", "IN", "RU", "KZ", "AG", "PR", "NZ", "SG")
SEPARATORS = ("", " ", "-", ".", "  ", " - ", "(", ")", "..", "-.")
NANP_AREAS = ("212", "415", "555", "011", "000", "100", "199", "211", "411", "911", "800", "888", "900", "268",
              "416", "604", "787", "876", "242", "340", "671", "684", "809", "829", "849", "123", "999")
FORMAT_TEMPLATES = ("({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "+1 {a} {e} {l}", "{a}{e}{l}", "1 {a} {e} {l}",
                    "1-{a}-{e}-{l}", "+1 ({a}) {e}-{l}", "+1{a}{e}{l}", "1{a}{e}{l}", "1 ({a}) {e}.{l}")
JUNK = ("", "+", "++1 212 555 0123", "+-1", "()", "1", "12", "123", "abc", "212-555-CALL", "1-800-FLOWERS",
        "212 555 0123 x12", "212 555 0123 ext. 7", "212-555-0123#", "212-555-0123 ;ext=5", "tel:+12125550123",
        "+1 212 555 0123;phone-context=+1", "(212) 555-0123)", "212-555-0123-", "--212-555-0123", ".212.555.0123",
        "+(1) 212 555 0123", "(+1) 212 555 0123", "+1 (212) 555 0123 / x2", "２１２５５５０１２３", "٢١٢٥٥٥٠١٢٣",
        "212 555 0123,,5", "00 1 212 555 0123", "011 44 7911 123456", "0044 7911 123456", "+0 212 555 0123",
        "+999 1234567", "+800 1234 5678", "+882 1234 5678", "+1 1234567890", "+44 07911 123456", "07911 123456",
        "+39 06 1234 5678", "06 1234 5678", "+39 312 345 6789", "+54 9 11 1234 5678", "+7 701 123 4567",
        "8 701 123 4567", "+1 268 464 1234", "268 464 1234", "+1 212 555 01234", "212 555 012", "555 0123",
        "+12125550123 ", " +12125550123", "1 212 555 0123 1", "+1-", "1+212 555 0123", "212+5550123")


@pytest.fixture(autouse=True, scope="module")
def _rules_built_afresh():
    """The fast path compiles the metadata once per calling code and region and keeps it: start
    these tests from nothing, so they check the rules the code builds now, not ones that an
    earlier test (or an earlier run in the same process, as in mutation testing) left behind."""
    phone_fast._HOMES.clear()
    phone_fast._RULES.clear()
    yield


def reference(text: str, region: str) -> str:
    """The full phonenumbers path as clean_phone runs it: E.164, or the rejection message."""
    try:
        return _e164.__wrapped__(text, region)
    except ValidationError as exc:
        return "refused: " + exc.errors["phone"]


def through_clean_phone(text: str, region: str) -> str:
    try:
        return clean_phone(text, region)
    except ValidationError as exc:
        return "refused: " + exc.errors["phone"]


def check(text: str, region: str) -> bool:
    """Assert agreement for one number; True when the fast path answered."""
    fast = phone_fast.e164(text, region)
    expected = reference(text, region)
    if fast is not None:
        assert fast == expected, f"fast path gave {fast} for {text!r} in {region}; phonenumbers: {expected}"
    stripped = text.strip()
    if stripped and len(stripped) <= 50 and stripped.isprintable():
        assert through_clean_phone(text, region) == reference(stripped, region), (text, region)
    return fast is not None


def _separated(rng: random.Random, groups: list[str]) -> str:
    return "".join(g + (rng.choice(SEPARATORS) if i < len(groups) - 1 else "") for i, g in enumerate(groups))


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _random_grouping(rng: random.Random, digits: str) -> list[str]:
    groups, i = [], 0
    while i < len(digits):
        size = rng.randint(1, 4)
        groups.append(digits[i:i + size])
        i += size
    return groups


def _nanp(rng: random.Random) -> str:
    area = rng.choice(NANP_AREAS) if rng.random() < 0.5 else _digits(rng, 3)
    exchange = rng.choice(("555", "211", "911", "011", "100", "199", _digits(rng, 3), _digits(rng, 3)))
    line = _digits(rng, 4) if rng.random() < 0.9 else _digits(rng, rng.choice((2, 3, 5, 6)))
    return rng.choice(FORMAT_TEMPLATES).format(a=area, e=exchange, l=line)


def _example_numbers() -> list[tuple[str, str]]:
    """phonenumbers' own example numbers for every region and type, in E.164, international and
    national format, plus their neighbours (last digit changed, one digit more or less)."""
    found = []
    kinds = [getattr(phonenumbers.PhoneNumberType, k) for k in (
        "FIXED_LINE", "MOBILE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER",
        "UAN", "VOICEMAIL")]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in kinds:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
            for text in (e164, international, e164[:-1], e164 + "5", e164[:-1] + str((int(e164[-1]) + 3) % 10)):
                found.append((text, "US"))
                found.append((text, region))
            found.append((national, region))
            found.append((national, "US"))
    return found


def generated_numbers(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    numbers = [(j, r) for j in JUNK for r in ("US", "GB", "IT", "AR")] + _example_numbers()
    while len(numbers) < count:
        pick = rng.random()
        region = "US" if rng.random() < 0.6 else rng.choice(REGIONS)
        if pick < 0.45:
            text = _nanp(rng)
        elif pick < 0.65:  # international: + a real calling code and a random national number
            text = "+" + str(rng.choice(codes)) + rng.choice(("", " ")) + _separated(
                rng, _random_grouping(rng, _digits(rng, rng.randint(4, 13))))
        elif pick < 0.80:  # random digit strings of any length, with or without + and separators
            digits = _digits(rng, rng.randint(1, 19))
            text = rng.choice(("", "+", "(", "1 ", "+1 ", "0", "00", "011 ")) + _separated(rng, _random_grouping(rng, digits))
        elif pick < 0.90:  # a valid-looking number with something odd added
            base = _nanp(rng)
            text = rng.choice((
                base + " x" + _digits(rng, 3), base + " ext " + _digits(rng, 2), base + "#", base + " ",
                " " + base, base.replace("5", "S"), base + rng.choice(("a", "/", "\\", ",", ";", "*")),
                rng.choice(("tel:", "Tel. ", "#", "*", "~", "x")) + base, base[:-1], base + base[-1],
            ))
        else:  # national numbers of the chosen region, with their trunk prefix when it has one
            digits = _digits(rng, rng.randint(6, 12))
            text = rng.choice(("0", "", "8", "1", "00", "0 ")) + _separated(rng, _random_grouping(rng, digits))
        numbers.append((text, region))
    return numbers


def test_common_formats_take_the_fast_path_and_agree():
    """Valid US numbers in the usual formats are answered by the fast path, identically."""
    rng = random.Random(3)
    for _ in range(3000):
        area = rng.choice(("212", "415", "617", "702", "917", "416", "787"))
        exchange, line = str(rng.randint(200, 999)), f"{rng.randint(0, 9999):04d}"
        text = rng.choice(FORMAT_TEMPLATES).format(a=area, e=exchange, l=line)
        expected = reference(text, "US")
        assert not expected.startswith("refused"), text
        assert phone_fast.e164(text, "US") == expected


def test_international_numbers_take_the_fast_path():
    for text, e164 in (("+44 7911 123456", "+447911123456"), ("+49 1512 3456789", "+4915123456789"),
                       ("+33 6 12 34 56 78", "+33612345678"), ("+61 412 345 678", "+61412345678"),
                       ("+81 90 1234 5678", "+819012345678"), ("+52 55 1234 5678", "+525512345678")):
        assert reference(text, "US") == e164
        assert phone_fast.e164(text, "US") == e164


def test_fast_path_steps_aside_for_what_it_does_not_model():
    # trunk prefixes, IDD prefixes, extensions, letters, non-geographic codes, wide digits
    for text, region in (("07911 123456", "GB"), ("011 44 7911 123456", "US"), ("212 555 0123 x12", "US"),
                         ("1-800-FLOWERS", "US"), ("+800 1234 5678", "US"), ("２１２５５５０１２３", "US"),
                         ("+39 06 1234 5678", "US"), ("tel:+12125550123", "US")):
        assert phone_fast.e164(text, region) is None


def test_invalid_numbers_are_refused_with_phonenumbers_messages():
    for text in ("(212) 555-012", "(012) 555-0123", "(212) 123-4567", "+1 212 555 01234", "+999 1234567"):
        assert phone_fast.e164(text, "US") is None
        with pytest.raises(ValidationError) as refused:
            clean_phone(text, "US")
        assert "refused: " + refused.value.errors["phone"] == reference(text, "US")


def test_large_generated_sample_agrees_with_phonenumbers():
    """200,000 generated numbers (valid and invalid, many regions and formats): whenever the fast
    path answers it gives phonenumbers' E.164; clean_phone gives phonenumbers' verdict."""
    numbers = generated_numbers(200_000)
    valid = answered = 0
    for i, (text, region) in enumerate(numbers):
        expected = reference(text, region)
        fast = phone_fast.e164(text, region)
        if fast is not None:
            assert fast == expected, f"fast path gave {fast} for {text!r} in {region}; phonenumbers: {expected}"
            answered += 1
        if not expected.startswith("refused"):
            valid += 1
        if i % 10 == 0 and text == text.strip() and text.isprintable() and 0 < len(text) <= 50:
            assert through_clean_phone(text, region) == expected, (text, region)
    # Not a timing check: the sample holds many valid numbers, and the fast path carries most.
    assert valid > 25_000
    assert answered > 0.8 * valid

@settings(max_examples=3000, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("0123456789 ().-+x#*/,;eEtT"), min_size=0, max_size=24),
    region=st.sampled_from(REGIONS),
)
def test_any_string_of_phone_characters_agrees(text, region):
    check(text, region)


@settings(max_examples=3000, deadline=None)
@given(
    area=st.integers(0, 999),
    exchange=st.integers(0, 999),
    line=st.integers(0, 9999),
    template=st.sampled_from(FORMAT_TEMPLATES),
    region=st.sampled_from(("US", "CA", "PR", "AG", "GB")),
)
def test_any_nanp_shaped_number_agrees(area, exchange, line, template, region):
    check(template.format(a=f"{area:03d}", e=f"{exchange:03d}", l=f"{line:04d}"), region)


@settings(max_examples=2000, deadline=None)
@given(code=st.sampled_from(sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)), rest=st.text("0123456789", min_size=1, max_size=15))
def test_any_international_number_agrees(code, rest):
    check(f"+{code}{rest}", "US")
    check(f"+{code} {rest}", "DE")


def test_a_national_prefix_typed_after_the_calling_code_is_left_to_phonenumbers():
    """phonenumbers strips a national prefix even after +code when what is left still fits the
    country (Belarus: 8). So +375 810 810 8074, which as typed looks like a valid Belarusian
    number, is refused there: the fast path must step aside rather than accept it."""
    for text in ("+375 810 810 8074", "+3758109351220"):
        assert phone_fast.e164(text, "US") is None
        with pytest.raises(ValidationError):
            clean_phone(text, "US")
        assert check(text, "BY") is False


def test_calling_codes_of_two_and_three_digits_take_the_fast_path_also_with_a_0_in_them():
    """The calling code is the first 1-3 digits naming one: +20 (a 0 after the first digit) and
    +353 or +852 (three digits) are answered by the fast path too, as phonenumbers would."""
    for text, e164 in (("+20 10 01234567", "+201001234567"), ("+30 691 234 5678", "+306912345678"),
                       ("+40 712 034 567", "+40712034567"), ("+90 501 234 56 78", "+905012345678"),
                       ("+353 85 012 3456", "+353850123456"), ("+852 5123 4567", "+85251234567"),
                       ("+375 29 491-19-11", "+375294911911")):
        assert reference(text, "US") == e164
        assert phone_fast.e164(text, "US") == e164
