"""Contact and list rules, checked through the Store against its real JSON file.

Every refusal is checked twice: the error says what is wrong, and the data file is left
byte-for-byte unchanged (the ``unchanged`` fixture).
"""

from __future__ import annotations

import json

import pytest

from store import NotFound, Store, ValidationError

ANN_PHONE = "+14155550132"


@pytest.fixture
def ann(store: Store):
    return store.add_contact("Ann Lee", "(415) 555-0132", "ann@example.com")


def stored_contacts(db_path) -> dict:
    return json.loads(db_path.read_bytes())["contacts"]


# -- name ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", None])
def test_name_is_required(store, unchanged, name):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact(name, "4155550132")
    assert err.value.errors == {"name": "Full Name is required"}
    assert store.count() == 0


@pytest.mark.parametrize(
    "name",
    [
        "[bold]x[/]",
        "[red]Ann[/red] <b>Lee</b>",
        "Miles O'Brien \"Chief\"",
        "张伟",
        "Zoë Ångström-Ñúñez",
        "محمد علي",
        "Δημήτρης (Jim) {work}",
        "a\\b",
    ],
)
def test_names_are_kept_exactly(store, db_path, name):
    contact = store.add_contact(name, "4155550132")
    assert contact.name == name
    assert stored_contacts(db_path)[str(contact.id)]["name"] == name
    assert Store.open(db_path, user="bob").get(contact.id).name == name


def test_outer_spaces_are_trimmed_inner_spaces_kept(store):
    assert store.add_contact("  Ann   Lee  ", "4155550132").name == "Ann   Lee"


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("\x1b[31mAnn", "control character (U+001B) at position 1"),
        ("Ann\u202eeeL", "bidirectional override (U+202E) at position 4"),
        ("Ann\u2066Lee", "bidirectional override (U+2066) at position 4"),
        ("Ann\x00Lee", "control character (U+0000)"),
        ("Ann\x9bLee", "control character (U+009B)"),
        ("Ann\x7fLee", "control character (U+007F)"),
        ("Ann\nLee", "control character (U+000A)"),
        # Python's str.strip() treats these as white space: they must be refused, not trimmed away.
        ("Ann Lee\n", "control character (U+000A)"),
        ("\tAnn Lee", "control character (U+0009)"),
        ("Ann Lee\x1f", "control character (U+001F)"),
        ("\x1cAnn Lee", "control character (U+001C)"),
    ],
)
def test_control_characters_in_names_are_refused_not_stripped(store, unchanged, name, what):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact(name, "4155550132")
    assert set(err.value.errors) == {"name"}
    assert what in err.value.errors["name"]
    assert err.value.errors["name"].startswith("Full Name contains ")


def test_name_too_long_is_refused(store, unchanged):
    with unchanged(), pytest.raises(ValidationError, match="longer than 200"):
        store.add_contact("x" * 201, "4155550132")


def test_name_must_be_text(store, unchanged):
    with unchanged(), pytest.raises(ValidationError, match="must be text"):
        store.add_contact(42, "4155550132")  # type: ignore[arg-type]


# -- phone --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["4155550132", "415-555-0132", "(415) 555-0132", "+1 415 555 0132", "1 (415) 555-0132", "415.555.0132", " 415 555 0132 "],
)
def test_phones_are_stored_as_e164(store, db_path, typed):
    contact = store.add_contact("Ann", typed)
    assert contact.phone == ANN_PHONE
    assert stored_contacts(db_path)[str(contact.id)]["phone"] == ANN_PHONE


@pytest.mark.parametrize("phone", ["", "  ", None])
def test_phone_is_required(store, unchanged, phone):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact("Ann", phone)
    assert err.value.errors == {"phone": "Phone is required"}


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("12", "too short"),
        ("hello", "is not a phone number"),
        ("+999 123 4567", "unknown country code"),
        ("415555013299999", "too long"),
        ("555 0132", "area code"),
        ("(000) 555-0132", "not a valid number in US"),
        ("415 555 0132 ext 12", "extension"),
        ("415\x1b555\x1b0132", "control character"),
    ],
)
def test_invalid_phones_are_refused_with_a_reason(store, unchanged, phone, reason):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact("Ann", phone)
    assert set(err.value.errors) == {"phone"}
    assert reason in err.value.errors["phone"]


def test_default_region_setting_is_us_and_can_change(store):
    assert store.default_region == "US"
    assert store.add_contact("Ann", "415 555 0132").phone == ANN_PHONE
    store.set_default_region("gb")
    assert store.default_region == "GB"
    assert store.add_contact("Bob", "020 7946 0958").phone == "+442079460958"
    # Numbers with a country code are unaffected by the region.
    assert store.add_contact("Cy", "+1 415 555 0133").phone == "+14155550133"
    assert Store.open(store.path, user="bob").default_region == "GB"


def test_unknown_region_is_refused(store, unchanged):
    with unchanged(), pytest.raises(ValidationError, match="'XX' is not a region"):
        store.set_default_region("XX")


@pytest.mark.parametrize("again", ["4155550132", "+1 (415) 555-0132", "415.555.0132", "+14155550132"])
def test_a_phone_belongs_to_one_contact_whatever_the_format(store, ann, unchanged, again):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact("Someone Else", again)
    assert err.value.errors == {"phone": f"Phone {ANN_PHONE} already belongs to Ann Lee"}
    assert store.count() == 1


def test_editing_a_phone_to_another_contacts_number_is_refused(store, ann, unchanged):
    bob = store.add_contact("Bob", "4155550133")
    with unchanged(), pytest.raises(ValidationError, match="already belongs to Ann Lee"):
        store.update_contact(bob.id, phone="415 555 0132")
    assert store.get(bob.id).phone == "+14155550133"


def test_a_contact_may_keep_its_own_phone_in_another_format(store, ann):
    assert store.update_contact(ann.id, phone="415-555-0132", name="Ann B. Lee").name == "Ann B. Lee"


def test_a_freed_phone_can_be_reused(store, ann):
    store.update_contact(ann.id, phone="4155550199")
    assert store.add_contact("Bob", "4155550132").phone == ANN_PHONE
    assert store.find("4155550199").id == ann.id


def test_every_invalid_field_is_reported_at_once(store, unchanged):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact("", "12", "not-an-email")
    assert set(err.value.errors) == {"name", "phone", "email"}


def test_the_message_of_several_invalid_fields_shows_each_problem_separated_by_semicolons(store):
    with pytest.raises(ValidationError) as err:
        store.add_contact("", "4155550132", "not-an-email")
    problems = err.value.errors
    assert str(err.value) == f"{problems['name']}; {problems['email']}"
    assert str(err.value).startswith("Full Name is required; Email 'not-an-email' is not valid")


# -- email --------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", [None, "", "   "])
def test_email_is_optional(store, db_path, email):
    contact = store.add_contact("Ann", "4155550132", email)
    assert contact.email is None
    assert stored_contacts(db_path)[str(contact.id)]["email"] is None


@pytest.mark.parametrize("email", ["ann@example.com", "Ann.Lee+sms@Example.COM", "josé@bücher.de", "x@sub.domain.io"])
def test_valid_emails_are_kept_as_typed(store, email):
    assert store.add_contact("Ann", "4155550132", f" {email} ").email == email


@pytest.mark.parametrize(
    "email",
    ["ann", "ann@", "@example.com", "ann@@example.com", "ann lee@example.com", "ann@localhost", "ann@exa mple.com"],
)
def test_invalid_emails_are_refused(store, unchanged, email):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact("Ann", "4155550132", email)
    assert set(err.value.errors) == {"email"}
    assert err.value.errors["email"].startswith(f"Email '{email}' is not valid")


@pytest.mark.parametrize("email", ["ann\x1b@example.com", "ann@exa\u202emple.com", "ann@example.com\n"])
def test_control_characters_in_emails_are_refused(store, unchanged, email):
    with unchanged(), pytest.raises(ValidationError) as err:
        store.add_contact("Ann", "4155550132", email)
    assert err.value.errors["email"].startswith("Email contains ")


def test_an_email_can_be_removed(store, ann):
    assert store.update_contact(ann.id, email="").email is None


def test_find_by_phone_in_any_format_or_email(store, ann):
    assert store.find("(415) 555-0132").id == ann.id
    assert store.find("ANN@EXAMPLE.COM").id == ann.id
    with pytest.raises(NotFound):
        store.find("4155550100")
    with pytest.raises(NotFound):
        store.find("nobody@example.com")


# -- edits --------------------------------------------------------------------------------------


def test_an_edit_changes_fields_and_updated_at_only(store, ann, db_path):
    edited = store.update_contact(ann.id, name="Ann Lee-Smith", email="ann@smith.example")
    assert (edited.name, edited.email, edited.phone) == ("Ann Lee-Smith", "ann@smith.example", ANN_PHONE)
    assert edited.created_at == ann.created_at
    assert stored_contacts(db_path)[str(ann.id)]["name"] == "Ann Lee-Smith"


def test_a_refused_edit_changes_nothing(store, ann, unchanged):
    with unchanged(), pytest.raises(ValidationError):
        store.update_contact(ann.id, name="Ann Lee-Smith", email="bad@")
    assert store.get(ann.id) == ann


def test_editing_a_missing_contact_is_refused(store, unchanged):
    with unchanged(), pytest.raises(NotFound, match="No contact with id 99"):
        store.update_contact(99, name="X")


# -- opt-out ------------------------------------------------------------------------------------


def test_an_opt_out_cannot_be_cleared_by_an_edit(store, ann, unchanged):
    store.opt_out(ann.id)
    with unchanged(), pytest.raises(ValidationError) as err:
        store.update_contact(ann.id, opted_out=False)
    assert "Only their own reply" in err.value.errors["opted_out"]
    with unchanged(), pytest.raises(ValidationError):
        store.update_contact(ann.id, name="Ann", opted_out=False)
    assert store.get(ann.id).opted_out


def test_opting_out_records_why(store, ann):
    out = store.opt_out(ann.id)
    assert out.opted_out
    assert out.history[-1]["field"] == "opted_out" and out.history[-1]["to"] is True


def test_a_deleted_opted_out_number_is_added_back_opted_out(store, ann):
    store.opt_out(ann.id)
    store.delete_contact(ann.id)
    again = store.add_contact("Ann Again", "415-555-0132")
    assert again.opted_out
    assert again.history[-1]["source"] == "suppression"


def test_changing_an_opted_out_contacts_phone_keeps_the_old_number_opted_out(store, ann):
    store.opt_out(ann.id)
    moved = store.update_contact(ann.id, phone="4155550199")
    assert moved.opted_out
    # The number that opted out must not be opted back in by being added to someone else.
    assert store.add_contact("New Owner", "4155550132").opted_out


def test_moving_a_contact_to_a_suppressed_number_opts_it_out(store, ann):
    store.opt_out(ann.id)
    store.delete_contact(ann.id)
    bob = store.add_contact("Bob", "4155550133")
    assert store.update_contact(bob.id, phone="4155550132").opted_out


def test_delete_all_keeps_opt_outs(store, ann):
    store.opt_out(ann.id)
    store.add_contact("Bob", "4155550133")
    assert store.delete_all() == 2
    assert store.count() == 0
    assert store.add_contact("Ann", "4155550132").opted_out
    assert not store.add_contact("Bob", "4155550133").opted_out


# -- ids ----------------------------------------------------------------------------------------


def test_ids_are_never_reused(store):
    first = store.add_contact("A", "4155550101")
    store.delete_contact(first.id)
    second = store.add_contact("B", "4155550102")
    assert second.id != first.id
    reopened = Store.open(store.path, user="bob")
    assert reopened.add_contact("C", "4155550103").id not in (first.id, second.id)


# -- lists --------------------------------------------------------------------------------------


def test_list_names_are_unique_ignoring_case(store, unchanged):
    store.add_list("VIP")
    for clash in ("vip", " Vip ", "VIP"):
        with unchanged(), pytest.raises(ValidationError, match="A list named 'VIP' already exists"):
            store.add_list(clash)
    assert [lst.name for lst in store.lists()] == ["VIP"]


def test_list_name_rules(store, unchanged):
    for bad in ("", "  ", "a\x1bb", "x" * 101):
        with unchanged(), pytest.raises(ValidationError):
            store.add_list(bad)
    assert store.add_list("[Spring] \"promo\" 春").name == "[Spring] \"promo\" 春"


def test_rename_list(store, unchanged):
    vip = store.add_list("VIP")
    store.add_list("Promo")
    assert store.rename_list("vip", "Very Important").name == "Very Important"
    assert store.rename_list(vip.id, "very important").name == "very important"  # its own name, new case
    with unchanged(), pytest.raises(ValidationError, match="already exists"):
        store.rename_list(vip.id, "PROMO")
    with unchanged(), pytest.raises(NotFound, match="No list named 'Nope'"):
        store.rename_list("Nope", "Other")


def test_deleting_a_list_keeps_its_contacts(store, db_path):
    vip = store.add_list("VIP")
    promo = store.add_list("Promo")
    ann = store.add_contact("Ann", "4155550132", lists=["vip", "Promo"])
    bob = store.add_contact("Bob", "4155550133", lists=[vip.id])
    assert store.get_list("VIP").members == 2
    store.delete_list("VIP")
    assert store.count() == 2
    assert store.get(ann.id).lists == (promo.id,)
    assert store.get(bob.id).lists == ()
    assert [lst.name for lst in store.lists()] == ["Promo"]
    on_disk = json.loads(db_path.read_bytes())
    assert list(on_disk["lists"]) == [str(promo.id)]
    assert {doc["name"] for doc in on_disk["contacts"].values()} == {"Ann", "Bob"}


def test_adding_to_a_missing_list_is_refused(store, unchanged):
    with unchanged(), pytest.raises(NotFound, match="No list named 'VIP'"):
        store.add_contact("Ann", "4155550132", lists=["VIP"])
    assert store.count() == 0


def test_memberships(store):
    vip = store.add_list("VIP")
    ann = store.add_contact("Ann", "4155550132")
    store.set_memberships(ann.id, ["VIP", "vip"])
    assert store.get(ann.id).lists == (vip.id,)
    assert store.contacts(vip.id) == [store.get(ann.id)]
    store.set_memberships(ann.id, [])
    assert store.contacts(vip.id) == []


def test_a_phone_that_is_not_text_or_holds_a_control_character_is_refused_on_the_phone_field():
    from store.rules.validation import clean_phone

    for value, says in (
        (4155550132, "Phone must be text"),
        ("415\x1b555 0132", "Phone contains a control character (U+001B) at position 4"),
    ):
        with pytest.raises(ValidationError) as refused:
            clean_phone(value, "US")
        assert refused.value.errors == {"phone": says}
