"""Demo data: realistic, valid, fictional, and never the user's own file."""

from __future__ import annotations

from pathlib import Path

import phonenumbers

from store import Store
from store.demo_data import csv_text, people, write_document
from store.file.paths import default_db_path
from store.rules.validation import clean_phone
from tui.demo import DEMO_CONTACTS, demo_store


def test_people_have_distinct_valid_numbers_in_the_formats_people_type():
    crowd = list(people(3000, seed=7, international_share=0.3))
    assert len({p.phone_e164 for p in crowd}) == 3000
    for person in crowd:
        assert phonenumbers.is_valid_number(phonenumbers.parse(person.phone_e164))
        assert clean_phone(person.phone_typed, "US") == person.phone_e164
    assert any(not p.name.isascii() for p in crowd)
    assert any(p.email is None for p in crowd) and any(p.email for p in crowd)
    assert len({p.phone_typed[:1] for p in crowd}) > 2  # several formats


def test_fictional_numbers_are_555_01xx_only():
    for person in people(500, seed=3, fictional=True):
        national = person.phone_e164[2:]
        assert person.phone_e164.startswith("+1")
        assert national[3:6] == "555" and national[6:8] == "01"


def test_written_document_opens_as_a_store(tmp_path: Path):
    path = tmp_path / "bench.json"
    write_document(path, 1000, seed=5)
    store = Store.open(path, user="demo")
    assert store.count() == 1000
    assert len(store.lists()) >= 3
    assert any(store.get(cid).opted_out for cid in store.ordered_ids())
    # Ids continue after the generated ones.
    assert store.id_for_phone("+12125550100") is None
    added = store.add_contact("New Person", "+1 212 555 0100")
    assert added.id == 1001


def test_csv_text_has_header_and_rows():
    text = csv_text(10, seed=1)
    lines = text.splitlines()
    assert lines[0] == "Full Name,Phone,Email"
    assert len(lines) == 11


def test_demo_store_is_temporary_and_leaves_the_default_file_alone():
    with demo_store() as store:
        folder = store.path.parent
        assert store.count() == DEMO_CONTACTS
        assert store.role == "admin"  # the demo user may try everything
        consents = {store.get(cid).consent for cid in store.ordered_ids()}
        assert {"not_sent", "confirmed", "declined"} <= consents
        assert store.path != default_db_path()
    assert not folder.exists()
    assert not default_db_path().exists()


def test_demo_folders_of_dead_processes_are_removed_at_the_next_start(tmp_path: Path):
    import subprocess
    import sys

    from tui.demo import PREFIX, remove_abandoned_demos

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned, alive, unknown = tmp_path / f"{PREFIX}old", tmp_path / f"{PREFIX}live", tmp_path / f"{PREFIX}x"
    for folder in (abandoned, alive, unknown):
        folder.mkdir()
    (abandoned / "pid").write_text(str(dead.pid))
    (alive / "pid").write_text(str(__import__("os").getpid()))
    remove_abandoned_demos(tmp_path)
    assert not abandoned.exists()
    assert alive.exists() and unknown.exists()
