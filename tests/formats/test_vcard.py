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
