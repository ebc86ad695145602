"""Every length limit lets in exactly its maximum and refuses one more, naming the field.

(Mutation testing showed ``>`` could become ``>=`` on each of them unnoticed.)
"""

from __future__ import annotations

import pytest

from store import ValidationError
from store.rules.validation import (
    MAX_LIST_NAME_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PHONE_INPUT_LENGTH,
    clean_email,
    clean_list_name,
    clean_name,
    clean_phone,
)


def refusal(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        call(*args, **kwargs)
    return err.value.errors


def test_a_name_of_the_maximum_length_is_kept_and_one_more_is_refused():
    assert clean_name("n" * MAX_NAME_LENGTH) == "n" * MAX_NAME_LENGTH
    assert refusal(clean_name, "n" * (MAX_NAME_LENGTH + 1)) == {"name": f"Full Name is longer than {MAX_NAME_LENGTH} characters"}


def test_a_list_name_of_the_maximum_length_is_kept_and_one_more_is_refused():
    assert clean_list_name("l" * MAX_LIST_NAME_LENGTH) == "l" * MAX_LIST_NAME_LENGTH
    assert refusal(clean_list_name, "l" * (MAX_LIST_NAME_LENGTH + 1)) == {
        "list": f"List name is longer than {MAX_LIST_NAME_LENGTH} characters"
    }


def test_the_limit_counts_the_trimmed_text():
    assert clean_name("  " + "n" * MAX_NAME_LENGTH + "  ") == "n" * MAX_NAME_LENGTH


def test_phone_input_of_the_maximum_length_is_read_and_one_more_is_refused():
    padded = "+1" + " " * (MAX_PHONE_INPUT_LENGTH - 16) + "(415) 555-0132"
    assert len(padded) == MAX_PHONE_INPUT_LENGTH
    assert clean_phone(padded, "US") == "+14155550132"
    longer = "+1" + " " * (MAX_PHONE_INPUT_LENGTH - 15) + "(415) 555-0132"
    assert refusal(clean_phone, longer, "US") == {"phone": f"Phone is longer than {MAX_PHONE_INPUT_LENGTH} characters"}


def test_an_email_of_320_characters_is_checked_and_one_more_is_refused():
    local = "a" * 64
    domain = ".".join(["d" * 63, "d" * 63, "d" * 63, "d" * 59]) + ".com"  # 255 characters
    address = f"{local}@{domain}"
    assert len(address) == 320
    # 320 is let through to email-validator, which refuses it for its own reason (too long for mail)
    assert refusal(clean_email, address)["email"].startswith(f"Email '{address}' is not valid: ")
    assert refusal(clean_email, address + "m") == {"email": "Email is longer than 320 characters"}


# -- regions and how a number is shown (also found by mutation testing) ---------------------------


def test_a_region_is_an_upper_case_code_phonenumbers_knows():
    from store.rules.validation import clean_region

    assert clean_region(" gb ") == "GB"
    assert refusal(clean_region, "XX") == {"region": "'XX' is not a region phonenumbers knows (use a code such as US, GB, DE)"}
    assert refusal(clean_region, None) == {"region": "'None' is not a region phonenumbers knows (use a code such as US, GB, DE)"}


def test_a_number_is_shown_nationally_in_the_default_region_and_internationally_elsewhere():
    from store.rules.validation import display_phone

    assert display_phone("+14155550132", "US") == "(415) 555-0132"
    assert display_phone("+442079460958", "GB") == "020 7946 0958"
    assert display_phone("+442079460958", "US") == "+44 20 7946 0958"
    assert display_phone("not a number", "US") == "not a number"  # a stored value is never hidden


def test_a_field_without_a_label_is_named_by_its_key():
    from store.rules.validation import character_problem, clean_text

    assert character_problem("note", "a\x1bb") == "note contains a control character (U+001B) at position 2"
    assert refusal(clean_text, "note", " ", required=True, max_length=5) == {"note": "note is required"}
    assert refusal(clean_text, "note", "toolong", required=True, max_length=5) == {"note": "note is longer than 5 characters"}


def test_a_value_that_is_not_text_is_refused_naming_the_field():
    assert refusal(clean_name, 5) == {"name": "Full Name must be text"}
    assert refusal(clean_email, ["a@b.c"]) == {"email": "Email must be text"}
