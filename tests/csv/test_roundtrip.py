"""Export, then import the export into a fresh file: the same contacts come back, whatever their
names (any Unicode a person may type, including names a spreadsheet would run as formulas)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store
from store.transfer.csv_format import CsvSource
from store.transfer.exporter import HEADER, export_to_path, write_csv
from store.transfer.importer import import_csv
from store.model import CONSENT_STATUSES, CONTACTS, LISTS, new_contact_doc
from store.rules.text import refusal
from store.rules.validation import clean_list_name



def _clean_text(text: str) -> bool:
    return bool(text) and text == text.strip() and refusal(text) is None


names = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "\"", ","]),
    st.text(min_size=1, max_size=30),
).filter(_clean_text)
list_names = st.text(min_size=1, max_size=15).filter(lambda t: _clean_text(t) and ";" not in t)
emails = st.none() | st.from_regex(r"[a-z0-9]{1,6}(\.[a-z0-9]{1,6})?@[a-z]{1,10}\.(com|org|fr)", fullmatch=True)
contacts = st.lists(
    st.tuples(names, emails, st.booleans(), st.sampled_from(CONSENT_STATUSES), st.sets(st.integers(0, 2))),
    max_size=12,
)


def phone(i: int) -> str:
    return f"+1415555{i:04d}" if i < 100 else f"+4420794600{i % 100:02d}"


def snapshot(store: Store) -> list[tuple]:
    names_by_id = {lst.id: lst.name for lst in store.lists()}
    return sorted(
        (c.phone, c.name, c.email, c.opted_out, c.consent, sorted(names_by_id[lid] for lid in c.lists))
        for c in store.contacts()
    )


def fill(store: Store, people, lists: list[str]) -> None:
    """Store validated contacts in any state (as the consent rules could have left them), in one
    write: one fsync per example keeps the test fast."""
    with store.transaction() as tx:
        list_ids = []
        for name in lists:
            list_ids.append(tx.new_id(LISTS))
            tx.put(LISTS, list_ids[-1], {"name": clean_list_name(name), "created_at": tx.now})
        for i, (name, email, opted_out, consent, memberships) in enumerate(people):
            fields = store.validate(name=name, phone=phone(i * 7), email=email)
            member_of = [list_ids[m] for m in sorted(memberships) if m < len(list_ids)]
            doc = new_contact_doc(fields["name"], fields["phone"], fields["email"], member_of, tx.now)
            doc.update(consent=consent, opted_out=opted_out)
            tx.put_contact(tx.new_id(CONTACTS), doc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=contacts, lists=st.lists(list_names, max_size=3, unique_by=str.casefold))
def test_export_then_import_into_a_fresh_file_gives_the_same_contacts(people, lists):
    with tempfile.TemporaryDirectory() as folder:
        original = Store.open(Path(folder) / "a.json", user="alice")
        fill(original, people, lists)
        out = io.StringIO(newline="")
        write_csv(original, out)
        text = out.getvalue()
        for line in text.splitlines()[1:]:
            assert line[:1] not in "=+-@", "a cell starting a line would run as a formula"
        copy = Store.open(Path(folder) / "b.json", user="alice")
        if people:
            import_csv(copy, CsvSource.from_text(text), skip_first_line=True, keep_confirmed=True)
        expected = snapshot(original)
        # Lists nobody belongs to are not in the export, so they are not recreated.
        assert snapshot(copy) == expected


def test_export_file_round_trip_through_the_file_system(tmp_path, store):
    store.add_list("VIP")
    store.add_contact("=cmd|' /C calc'!A0", "+14155550132", "a@example.com", lists=["VIP"])
    store.add_contact("Zoë Ünal", "+442079460018")
    path = tmp_path / "export.csv"
    assert export_to_path(store, path) == 2
    raw = path.read_bytes()
    assert raw.startswith((",".join(HEADER) + "\r\n").encode())
    assert b"'=cmd|" in raw and b"'+14155550132" in raw
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    copy = Store.open(tmp_path / "copy.json", user="alice")
    import_csv(copy, CsvSource.from_path(path), skip_first_line=True)
    assert snapshot(copy) == snapshot(store)


def test_export_of_one_list_only(store):
    store.add_list("VIP")
    store.add_contact("Ann", "+14155550132", lists=["VIP"])
    store.add_contact("Bob", "+14155550147")
    out = io.StringIO(newline="")
    assert write_csv(store, out, "vip") == 1
    assert "Ann" in out.getvalue() and "Bob" not in out.getvalue()


# -- pinned by mutation testing -------------------------------------------------------------------


def _exported_names(path: Path) -> list[str]:
    return [line.split(",")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def test_an_export_can_hold_only_who_may_be_texted_or_one_consent_status(tmp_path, store):
    from store.consent.replies import record_reply

    store.add_contact("Ann", "+14155550132")
    store.add_contact("Bob", "+14155550133")
    store.add_contact("Cy", "+14155550134")
    record_reply(store, "+14155550133", "STOP")
    assert export_to_path(store, tmp_path / "all.csv") == 3
    assert export_to_path(store, tmp_path / "sendable.csv", sendable=True) == 2
    assert _exported_names(tmp_path / "sendable.csv") == ["Ann", "Cy"]
    assert export_to_path(store, tmp_path / "declined.csv", consent="declined") == 1
    assert _exported_names(tmp_path / "declined.csv") == ["Bob"]
    out = io.StringIO(newline="")
    assert write_csv(store, out, sendable=True) == 2 and "Bob" not in out.getvalue()
    out = io.StringIO(newline="")
    assert write_csv(store, out, consent="declined") == 1 and "Ann" not in out.getvalue()


def test_refused_export_targets_are_told_apart_in_one_sentence(tmp_path, store, db_path):
    import os

    from store.errors import SaveFailed
    from store.transfer.exporter import ExportTargetExists

    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "notes.txt").write_text("mine")
    cases = [
        (db_path, True, SaveFailed,
         f"Cannot export to {db_path}: it is the data file {db_path} itself. Nothing was written; choose another file name."),
        (tmp_path / "pipe", True, SaveFailed,
         f"Cannot export to {tmp_path / 'pipe'}: it is a named pipe (FIFO), not a regular file. Nothing was written."),
        (tmp_path / "notes.txt", False, ExportTargetExists,
         f"Cannot export to {tmp_path / 'notes.txt'}: it already exists. Nothing was written."),
        (tmp_path / "notes.txt" / "x.csv", False, SaveFailed, f"Cannot write {tmp_path / 'notes.txt' / 'x.csv'}: Not a directory"),
        (tmp_path / "nowhere" / "x.csv", False, SaveFailed, f"Cannot write {tmp_path / 'nowhere' / 'x.csv'}: No such file or directory"),
    ]
    for path, overwrite, error, message in cases:
        with pytest.raises(error) as caught:
            export_to_path(store, path, overwrite=overwrite)
        assert str(caught.value) == message
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_failed_export_writes_nothing_and_leaves_no_temporary_file(tmp_path, store, monkeypatch, overwrite):
    import errno
    import os

    from store.errors import SaveFailed

    store.add_contact("Ann", "+14155550132")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.csv"
    if overwrite:
        target.write_text("old")

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(SaveFailed) as caught:
        export_to_path(store, target, overwrite=overwrite)
    assert str(caught.value) == f"Cannot write {target}: No space left on device"
    assert sorted(p.name for p in folder.iterdir()) == (["export.csv"] if overwrite else [])
    if overwrite:
        assert target.read_text() == "old"


def test_a_file_that_appears_while_exporting_is_not_replaced(tmp_path, store, monkeypatch):
    import os

    from store.transfer.exporter import ExportTargetExists

    store.add_contact("Ann", "+14155550132")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.csv"
    real_link = os.link

    def someone_else_first(src, dst):
        Path(dst).write_text("theirs")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_first)
    with pytest.raises(ExportTargetExists) as caught:
        export_to_path(store, target)
    assert str(caught.value) == f"Cannot export to {target}: it already exists. Nothing was written."
    assert target.read_text() == "theirs"
    assert [p.name for p in folder.iterdir()] == ["export.csv"]


def test_an_export_still_works_when_the_data_file_was_removed_meanwhile(tmp_path, store, db_path):
    store.add_contact("Ann", "+14155550132")
    db_path.unlink()
    target = tmp_path / "export.csv"
    target.write_text("old")
    assert export_to_path(store, target, overwrite=True) == 1
    assert _exported_names(target) == ["Ann"]


def test_the_export_writes_each_contact_as_documented(tmp_path, store):
    from store.consent.replies import record_reply
    from store.transfer.exporter import export_rows

    store.add_list("VIP")
    store.add_contact("Ann", "+14155550132", "ann@example.com", lists=["VIP"])
    store.add_contact("Bob", "+14155550133")
    record_reply(store, "+14155550133", "STOP")
    expected = [
        HEADER,
        ["Ann", "'+14155550132", "ann@example.com", "no", "not_sent", "VIP"],
        ["Bob", "'+14155550133", "", "yes", "declined", ""],
    ]
    assert list(export_rows(store)) == expected  # everyone, unless asked otherwise
    assert export_to_path(store, tmp_path / "all.csv") == 2
    assert (tmp_path / "all.csv").read_bytes() == "".join(",".join(row) + "\r\n" for row in expected).encode()
    assert export_to_path(store, tmp_path / "vip.csv", "vip") == 1
    assert _exported_names(tmp_path / "vip.csv") == ["Ann"]


def test_the_export_is_written_beside_its_target_under_a_hidden_temporary_name(tmp_path, store, monkeypatch):
    """Written in the target's folder (so that putting it in place is one rename on one file
    system) under a hidden name, so that nobody takes a half-written file for the export."""
    import os

    store.add_contact("Ann", "+14155550132")
    folder = tmp_path / "out"
    folder.mkdir()
    seen = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (seen.append(sorted(p.name for p in folder.iterdir())), real_fsync(fd)))
    export_to_path(store, folder / "export.csv")
    [names] = seen
    assert len(names) == 1 and names[0].startswith(".export.csv.") and names[0].endswith(".tmp")
    assert [p.name for p in folder.iterdir()] == ["export.csv"]


def test_the_export_is_utf8_whatever_the_locale(tmp_path, store, db_path):
    import os
    import subprocess
    import sys

    import store as store_package

    store.add_contact("Zoë Ünal", "+442079460018")
    code = (
        "import sys; from store import Store; from store.transfer.exporter import export_to_path; "
        "export_to_path(Store.open(sys.argv[1], user='alice'), sys.argv[2])"
    )
    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0",
               PYTHONPATH=str(Path(store_package.__file__).parent.parent))
    target = tmp_path / "export.csv"
    result = subprocess.run([sys.executable, "-c", code, str(db_path), str(target)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Zoë Ünal" in target.read_bytes().decode("utf-8")


def test_a_dangling_link_as_export_target_is_refused_as_existing_before_anything_is_read(tmp_path, store):
    """A link to nowhere is a name already taken: refused at once, like an existing file, before the
    list is looked up or a temporary file made (so an unknown list is not the complaint)."""
    import os

    from store.transfer.exporter import ExportTargetExists

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.csv"
    os.symlink(folder / "nowhere.csv", target)
    with pytest.raises(ExportTargetExists) as caught:
        export_to_path(store, target, "no such list")
    assert str(caught.value) == f"Cannot export to {target}: it already exists. Nothing was written."
    assert [p.name for p in folder.iterdir()] == ["export.csv"] and target.is_symlink()
