"""Field rules shared by every way in: the editor, the command line and CSV import.

Each ``clean_*`` function returns the value to store or raises ``ValidationError`` naming the
field and saying why. Text is kept exactly as typed apart from surrounding white space; control
characters, bidirectional overrides and invisible layout characters are refused (never silently
stripped), because they can hide what a name really says and can drive a terminal. Which ones is
decided in one place, ``store.rules.text``, which also escapes them wherever text is shown.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat
from phonenumbers.phonenumberutil import ValidationResult

from store.rules import email_fast, phone_fast
from store.errors import ValidationError
from store.rules.text import refusal

MAX_NAME_LENGTH = 200
MAX_LIST_NAME_LENGTH = 100
MAX_PHONE_INPUT_LENGTH = 50

FIELD_LABELS = {"name": "Full Name", "phone": "Phone", "email": "Email", "list": "List name"}


def character_problem(field: str, text: str) -> str | None:
    """``Full Name contains a control character (U+001B) at position 4``, or None when ``text``
    holds no refused character. Every way in says it with these words: the command line, import,
    and the editor as the user types or pastes."""
    bad = refusal(text)
    return f"{FIELD_LABELS.get(field, field)} contains {bad}" if bad else None


def clean_text(field: str, value: object, *, required: bool, max_length: int) -> str:
    label = FIELD_LABELS.get(field, field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError.single(field, f"{label} must be text")
    # Checked before trimming: str.strip() also removes tabs, newlines and \x1c-\x1f, which must be
    # refused like any other control character, not silently dropped.
    if not value.isprintable():  # printable text holds no refused character (store.rules.text); checked inline for speed
        problem = character_problem(field, value)
        if problem:
            raise ValidationError.single(field, problem)
    text = value.strip()
    if not text:
        if required:
            raise ValidationError.single(field, f"{label} is required")
        return ""
    if len(text) > max_length:
        raise ValidationError.single(field, f"{label} is longer than {max_length} characters")
    return text


def clean_name(value: object) -> str:
    return clean_text("name", value, required=True, max_length=MAX_NAME_LENGTH)


def clean_list_name(value: object) -> str:
    return clean_text("list", value, required=True, max_length=MAX_LIST_NAME_LENGTH)


_POSSIBLE_REASONS = {
    ValidationResult.TOO_SHORT: "is too short",
    ValidationResult.TOO_LONG: "is too long",
    ValidationResult.INVALID_COUNTRY_CODE: "has an unknown country code",
    ValidationResult.INVALID_LENGTH: "has the wrong number of digits",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "is missing its area code",
}


def clean_phone(value: object, region: str) -> str:
    """Parse a phone number typed in any common format; return it as E.164 (``+14155550132``)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError.single("phone", "Phone must be text")
    if not value.isprintable():
        problem = character_problem("phone", value)
        if problem:
            raise ValidationError.single("phone", problem)
    text = value.strip()
    if not text:
        raise ValidationError.single("phone", "Phone is required")
    if len(text) > MAX_PHONE_INPUT_LENGTH:
        raise ValidationError.single("phone", f"Phone is longer than {MAX_PHONE_INPUT_LENGTH} characters")
    # The common formats are answered by a verified fast path (same E.164 as phonenumbers); it never
    # refuses, so everything else, and every rejection message, comes from phonenumbers itself.
    return phone_fast.e164(text, region) or _e164(text, region)


# How a spreadsheet writes a number that has lost digits (1.41555E+10), as CSV or as text.
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")


@lru_cache(maxsize=4096)
def _e164(text: str, region: str) -> str:
    shown = f"'{text}'"
    if _SCIENTIFIC.fullmatch(text):
        raise ValidationError.single(
            "phone",
            f"Phone {shown} is in scientific notation, so its last digits were lost: format the column "
            "as Text in the spreadsheet and type the numbers again",
        )
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            reason = (
                f"has no country code: start it with + and the country code, "
                f"or set the default region (now {region})"
                if not text.startswith("+")
                else "has an unknown country code"
            )
        else:
            reason = "is not a phone number"
        raise ValidationError.single("phone", f"Phone {shown} {reason}") from None
    where = phonenumbers.region_code_for_country_code(number.country_code)
    if where in ("ZZ", "001"):
        where = f"+{number.country_code}"
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in _POSSIBLE_REASONS:
        raise ValidationError.single(
            "phone", f"Phone {shown} {_POSSIBLE_REASONS[possible]} for a number in {where}"
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError.single(
            "phone", f"Phone {shown} is not a valid number in {where} (no such area or range)"
        )
    if number.extension:
        # E.164 has no extensions: storing the number without it would silently lose it, and an
        # extension cannot receive a text anyway.
        raise ValidationError.single(
            "phone", f"Phone {shown} has an extension ({number.extension}); a text cannot reach an extension"
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def clean_email(value: object) -> str | None:
    """Check an email's syntax (no network). Empty means none.

    Returns the address as typed (outer spaces trimmed), not email-validator's normalised form:
    like names, emails are kept exactly as the user wrote them. Lookups ignore case anyway.
    """
    text = clean_text("email", value, required=False, max_length=320)
    if not text:
        return None
    if email_fast.known_valid(text):
        return text  # email-validator's own verdict, worked out once per domain (see store.rules.email_fast)
    from email_validator import EmailNotValidError, validate_email  # on first use: 14 ms at start-up

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError.single("email", f"Email '{text}' is not valid: {exc}") from None
    return text


def clean_region(value: object) -> str:
    region = str(value or "").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError.single(
            "region", f"'{value}' is not a region phonenumbers knows (use a code such as US, GB, DE)"
        )
    return region


def display_phone(e164: str, region: str) -> str:
    """National format for numbers in the default region, international for the rest."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
