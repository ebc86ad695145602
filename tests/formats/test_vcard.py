"""vCard 3.0/4.0 files (phone, Google, Outlook, Apple exports) import like CSV rows: one card is
one contact; the mobile number is chosen; broken cards are refused with the card and line."""

from __future__ import annotations

import pytest

from store import StoreError
from store.transfer.csv_format import CsvSource
from store.transfer.importer import ImportRefused, import_csv

from ..csv.helpers import stored
from .writers import vcard


def cards(tmp_path, *texts: str, name: str = "contacts.vcf"):
    path = tmp_path / name
    path.write_text("".join(texts), encoding="utf-8", newline="")
    return CsvSource.from_path(path)


def test_vcard_3_and_4_cards_choose_the_mobile_number(store, tmp_path):
    src = cards(
        tmp_path,
        vcard("Ann Lee", tels=[("+1 415 555 0100", ["HOME"]), ("+1 415 555 0132", ["CELL", "VOICE"])], emails=["ann@example.com", "a2@example.com"]),
        vcard("Bob Stone", tels=[("(415) 555-0147", ["WORK"]), ("415 555 0199", ["HOME"])], version="4.0"),
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cara Diaz\r\nTEL;VALUE=uri;TYPE=\"voice,cell\":tel:+1-415-555-0163\r\n"
        "TEL;TYPE=work:tel:+1-415-555-0164\r\nEND:VCARD\r\n",
    )
    plan = import_csv(store, src)
    assert plan.rows_read == 3 and "vCard" in plan.summary()
    assert stored(store) == [
        ("Ann Lee", "+14155550132", "ann@example.com"),
        ("Bob Stone", "+14155550147", None),
        ("Cara Diaz", "+14155550163", None),
    ]


def test_without_fn_the_name_is_joined_from_n(store, tmp_path):
    # vobject will not write a card without FN (3.0 and 4.0 require it); old phones do, so by hand.
    src = cards(tmp_path, "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Álvarez;José;;;\r\nTEL:4155550132\r\nEND:VCARD\r\n")
    import_csv(store, src)
    assert stored(store) == [("José Álvarez", "+14155550132", None)]


def test_vcard_2_1_from_old_phones(store, tmp_path):
    src = cards(
        tmp_path,
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Lee;=41nn;;;\r\n"
        "TEL;HOME:4155550100\r\nTEL;CELL:4155550132\r\nEND:VCARD\r\n",
    )
    import_csv(store, src)
    assert stored(store) == [("Ann Lee", "+14155550132", None)]


def test_a_card_without_a_number_is_a_problem_naming_the_card_and_line(store, unchanged, tmp_path):
    src = cards(tmp_path, vcard("Ann Lee", tels=[("4155550132", ["CELL"])]), vcard("Nobody Here", emails=["n@example.com"]))
    with unchanged(), pytest.raises(ImportRefused) as info:
        import_csv(store, src)
    first_line_of_second = vcard("Ann Lee", tels=[("4155550132", ["CELL"])]).count("\n") + 1
    assert f"card 2 (line {first_line_of_second}), Phone: Phone is required" in str(info.value)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nthis is not a property\r\nEND:VCARD\r\n", "card 1, line 4: "),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:4155550132\r\n", "card 1 (line 1) has no END:VCARD"),
        ("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\nhello\r\n", "line 4: text outside a card"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nN;ENCODING=QUOTED-PRINTABLE:=ZZ\r\nEND:VCARD\r\n", "card 1"),
    ],
)
def test_broken_vcards_are_refused_with_card_and_line(store, unchanged, tmp_path, text, expected):
    with unchanged(), pytest.raises(StoreError) as info:
        import_csv(store, cards(tmp_path, text, name="broken.vcf"))
    assert "broken.vcf" in str(info.value) and expected in str(info.value)


def test_control_characters_in_a_card_are_refused_like_any_import(store, unchanged, tmp_path):
    src = cards(tmp_path, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\\n\x1b[31mLee\r\nTEL:4155550132\r\nEND:VCARD\r\n")
    with unchanged(), pytest.raises(StoreError, match="card 1 \\(line 1\\), Full Name: Full Name contains"):
        import_csv(store, src)


def test_too_many_cards_are_refused(tmp_path):
    from store.transfer.vcard import read_vcards

    src = cards(tmp_path, *(vcard(f"P{n}", tels=[(f"415555{n:04}", [])]) for n in range(5)))
    assert len(read_vcards(src, max_cards=5).rows) == 5
    with pytest.raises(StoreError, match="more than 4 cards"):
        read_vcards(src, max_cards=4)


# What the reader hands the import: one row (Full Name, Phone, Email) per card, and where each card starts.


def table(text: str | bytes):
    from store.transfer.vcard import read_vcards

    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return read_vcards(CsvSource.from_bytes(data, "c.vcf"))


def rows(text: str | bytes) -> list[list[str]]:
    return [fields for _number, fields in table(text).rows]


def refusal(text: str | bytes) -> str:
    with pytest.raises(StoreError) as info:
        table(text)
    return str(info.value)


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def test_a_file_that_is_not_utf8_is_refused_naming_the_line_and_the_byte():
    text = card("FN:Ann") + card("FN:José")
    assert refusal(text.encode("latin-1")) == "c.vcf, line 7: byte 0xE9 is not UTF-8 text; export the cards as UTF-8"


def test_a_byte_order_mark_before_the_first_card_is_not_text_outside_a_card():
    assert rows("\ufeff" + card("FN:Ann Lee", "TEL:4155550132")) == [["Ann Lee", "4155550132", ""]]


@pytest.mark.parametrize("text", ["", "\r\n  \r\n"])
def test_a_file_without_cards_is_refused(text):
    assert refusal(text) == "c.vcf has no cards (BEGIN:VCARD ... END:VCARD)"


def test_too_many_cards_are_refused_with_the_limit_and_what_to_do():
    from store.transfer.vcard import read_vcards

    src = CsvSource.from_bytes((card("FN:Ann") * 3).encode(), "c.vcf")
    with pytest.raises(StoreError) as info:
        read_vcards(src, max_cards=2)
    assert str(info.value) == "c.vcf has more than 2 cards, the import limit; split it into smaller files"


def test_blank_lines_around_cards_are_skipped_and_each_card_is_placed_at_its_first_line():
    read = table("\r\n" + card("FN:Ann") + "\r\n\r\n" + card("FN:Bob"))
    assert read.rows == [(1, ["Ann", "", ""]), (2, ["Bob", "", ""])]
    assert read.places == {1: "card 1 (line 2)", 2: "card 2 (line 8)"}
    assert (read.format_label, read.unit) == ("vCard", "card")


def test_a_cut_short_card_is_named_by_its_own_number_and_first_line():
    message = refusal(card("FN:Ann") + "BEGIN:VCARD\r\nFN:Bob\r\n")
    assert message == "c.vcf: card 2 (line 5) has no END:VCARD; is the file cut short?"


def test_text_outside_a_card_is_refused_showing_the_text():
    message = refusal(card("FN:Ann") + "  hello there  \r\n")
    assert message == "c.vcf, line 5: text outside a card ('hello there'); every card starts with BEGIN:VCARD"


def test_a_line_that_is_not_a_property_is_refused_showing_the_line():
    message = refusal(card("FN:Ann", "this is not a property"))
    assert message == "c.vcf, card 1, line 4: 'this is not a property' is not a vCard property (NAME:value)"


def test_lowercase_keywords_and_types_are_read_like_uppercase_ones():
    text = "begin:vcard\r\nversion:3.0\r\nfn:Ann Lee\r\ntel;type=home:4155550100\r\ntel;type=Cell:4155550132\r\nemail:ann@example.com\r\nend:vcard\r\n"
    assert rows(text) == [["Ann Lee", "4155550132", "ann@example.com"]]


def test_a_card_inside_a_card_is_not_the_contact_and_does_not_end_it():
    # vCard 2.1 AGENT: the agent's own card is nested in the contact's.
    text = card(
        "N:Lee;Ann", "AGENT:", "BEGIN:VCARD", "VERSION:2.1", "FN:Agent Smith", "TEL;CELL:4155550199",
        "EMAIL:agent@example.com", "END:VCARD", "TEL;HOME:4155550100", version="2.1",
    )
    read = table(text + card("FN:Bob"))
    assert read.rows == [(1, ["Ann Lee", "4155550100", ""]), (2, ["Bob", "", ""])]
    assert read.places[2] == "card 2 (line 13)"


def test_a_blank_fn_falls_back_to_n_in_reading_order():
    # N is family;given;additional;prefix;suffix
    assert rows(card("FN:  ", "N:Lee;Ann;Marie;Dr.;Jr.")) == [["Dr. Ann Marie Lee Jr.", "", ""]]


def test_several_given_names_in_n_are_all_kept():
    # A comma separates several values of one part of N (RFC 6350 6.2.2).
    assert rows(card("N:Lee;Ann,Beth;;;", "TEL:4155550132")) == [["Ann Beth Lee", "4155550132", ""]]


def test_an_escaped_comma_in_a_part_of_n_separates_names_too():
    assert rows(card("N:Lee;Ann\\,Beth;;;", "TEL:4155550132")) == [["Ann Beth Lee", "4155550132", ""]]
    encoded = card("N;ENCODING=QUOTED-PRINTABLE:Lee;Ann,Beth;;;", "TEL:4155550132", version="2.1")
    assert rows(encoded) == [["Ann Beth Lee", "4155550132", ""]]


def test_a_card_without_fn_or_n_has_an_empty_name_for_the_import_to_report():
    assert rows(card("TEL:4155550132")) == [["", "4155550132", ""]]


def test_escaped_text_is_unescaped_and_the_first_email_and_first_mobile_are_taken():
    text = card(
        "FN:Lee\\, Ann", "EMAIL:ann@example.com", "EMAIL:other@example.com", "TEL;TYPE=home:4155550100",
        "TEL;TYPE=cell:4155550132", "TEL;TYPE=cell:4155550133",
    )
    assert rows(text) == [["Lee, Ann", "4155550132", "ann@example.com"]]


def test_without_a_mobile_the_first_number_is_taken():
    assert rows(card("FN:Ann", "TEL;TYPE=home:4155550100", "TEL;TYPE=work:4155550101")) == [["Ann", "4155550100", ""]]


def test_a_tel_uri_is_read_as_its_number_keeping_an_extension_for_the_phone_rule_to_refuse():
    assert rows(card("FN:Ann", "TEL:  tel:+1-415-555-0163;phone-context=example.com  ")) == [["Ann", "+1-415-555-0163", ""]]
    assert rows(card("FN:Ann", "TEL;VALUE=uri:TEL:+1-415-555-0163;ext=12")) == [["Ann", "+1-415-555-0163 ext. 12", ""]]


def test_an_encoded_card_is_decoded_and_read_by_the_same_rules():
    text = card(
        "FN;ENCODING=QUOTED-PRINTABLE:Ann=20Lee", "TEL;HOME:4155550100", "TEL;CELL:tel:+1-415-555-0132;ext=7",
        "EMAIL:ann@example.com", "EMAIL:other@example.com", version="2.1",
    )
    assert rows(text) == [["Ann Lee", "+1-415-555-0132 ext. 7", "ann@example.com"]]


def test_an_encoded_card_without_fn_joins_n_in_reading_order_and_takes_the_first_number():
    text = card("N;ENCODING=QUOTED-PRINTABLE:Lee;Ann;M;Dr.;Jr.", "TEL;TYPE=HOME:4155550100", "TEL;TYPE=WORK:4155550101")
    assert rows(text) == [["Dr. Ann M Lee Jr.", "4155550100", ""]]


def test_an_encoded_card_with_a_mobile_type_takes_the_mobile():
    text = card("FN;ENCODING=QUOTED-PRINTABLE:Ann", "TEL;TYPE=HOME:4155550100", "TEL;TYPE=\"voice,Cell\":4155550132")
    assert rows(text) == [["Ann", "4155550132", ""]]


def test_an_encoded_card_with_no_name_number_or_email_gives_empty_fields():
    assert rows(card("NOTE;ENCODING=QUOTED-PRINTABLE:hello")) == [["", "", ""]]


@pytest.mark.parametrize(
    "line,reason",
    [
        ("FN;ENCODING=B:QQ", "decoding with 'base64' codec failed (Error: Incorrect padding)"),
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=NOPE:abc", "unknown encoding: NOPE"),
    ],
)
def test_an_encoded_card_that_cannot_be_decoded_is_refused_with_the_reason(line, reason):
    assert refusal(card(line, version="2.1")) == f"c.vcf, card 1 (line 1) cannot be read: {reason}"


def test_long_text_outside_a_card_or_a_long_broken_line_is_shown_cut_to_60_characters():
    long = "x" * 59 + "yz"
    assert f"text outside a card ('{long[:60]}')" in refusal(card("FN:Ann") + long + "\r\n")
    assert f"line 4: '{long[:60]}' is not a vCard property" in refusal(card("FN:Ann", long))


def test_a_broken_line_after_typed_properties_is_still_named_by_its_line():
    message = refusal(card("FN;LANGUAGE=en:Ann", "TEL;TYPE=cell:4155550132", "this is not a property"))
    assert message == "c.vcf, card 1, line 5: 'this is not a property' is not a vCard property (NAME:value)"


def test_a_broken_line_after_an_encoded_one_refuses_the_card():
    message = refusal(card("FN;ENCODING=QUOTED-PRINTABLE:Ann", "this is not a property", version="2.1"))
    assert message.startswith("c.vcf, card 1 (line 1) cannot be read: ") and "this is not a property" in message


def test_a_long_reason_is_cut_to_160_characters():
    message = refusal(card("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=" + "N" * 200 + ":Ann", version="2.1"))
    assert message == "c.vcf, card 1 (line 1) cannot be read: " + ("unknown encoding: " + "N" * 200)[:160]


@pytest.mark.parametrize(
    "line",
    ["TEL;TYPE=CELL;TYPE=VOICE:4155550132", 'TEL;TYPE="voice,cell":4155550132', 'TEL;TYPE=voice,"cell":4155550132', "TEL;CELL:4155550132"],
)
@pytest.mark.parametrize("encoded", [False, True])
def test_the_mobile_is_found_in_every_way_of_writing_its_type(line, encoded):
    fn = "FN;ENCODING=QUOTED-PRINTABLE:Ann" if encoded else "FN:Ann"
    assert rows(card(fn, "TEL;HOME:4155550100", line, version="2.1")) == [["Ann", "4155550132", ""]]


def test_an_escaped_semicolon_in_a_value_is_unescaped():
    assert rows(card("FN:Lee\\; Ann", "TEL:4155550132")) == [["Lee; Ann", "4155550132", ""]]


def test_several_values_in_fn_are_kept_as_written():
    assert rows(card("FN:Ann,Beth", "TEL:4155550132")) == [["Ann,Beth", "4155550132", ""]]


def test_a_vcard_import_is_summed_up_as_a_vcard_and_a_bad_first_card_gets_no_header_hint(store, unchanged, tmp_path):
    plan = import_csv(store, cards(tmp_path, card("FN:Ann Lee", "TEL:4155550132")))
    assert "contacts.vcf (vCard): 1 new," in plan.summary()
    with unchanged(), pytest.raises(ImportRefused) as info:
        import_csv(store, cards(tmp_path, card("FN:Bob"), card("FN:Cara", "TEL:4155550133")))
    assert "card 1 (line 1), Phone: Phone is required" in str(info.value)
    assert "Skip First Line" not in str(info.value)


@pytest.mark.parametrize("encoded", [False, True])
def test_a_trailing_unescaped_comma_ends_a_value_as_vobject_reads_it(encoded):
    """A comma separates values (a text list): one at the end closes an empty last value, which is
    dropped, whether the card is read line by line or decoded in full by vobject."""
    fn = "FN;ENCODING=QUOTED-PRINTABLE:Ann Lee," if encoded else "FN:Ann Lee,"
    text = card(fn, "TEL:4155550132,", "EMAIL:ann@example.com,", version="2.1")
    assert rows(text) == [["Ann Lee", "4155550132", "ann@example.com"]]
