"""Import rules of store/importer.py that mutation testing found unguarded, each named by its rule.

Equivalent mutants are listed in tests/mutation_equivalents.md.
"""

from __future__ import annotations

import pytest

from store import StoreError
from store.transfer.csv_format import CsvSource
from store.transfer.importer import ImportRefused, Problem, apply_plan, import_csv, preview

from .helpers import run_import


def test_an_opted_out_column_without_an_email_column_opts_out(store):
    run_import(store, "Full Name,Phone,Opted Out\nAnn,4155550132,y\nBob,4155550133,n\n", skip_first_line=True)
    ann, bob = store.find("4155550132"), store.find("4155550133")
    assert (ann.opted_out, bob.opted_out) == (True, False)
    assert [(h["field"], h["source"]) for h in ann.history] == [("opted_out", "import")]


def test_a_consent_or_lists_column_alone_is_read_too(store):
    run_import(store, "Full Name,Phone,Consent\nAnn,4155550132,declined\n", skip_first_line=True)
    run_import(store, "Full Name,Phone,Lists\nBob,4155550133,VIP\n", skip_first_line=True)
    assert store.find("4155550132").consent == "declined"
    assert [store.get_list(i).name for i in store.find("4155550133").lists] == ["VIP"]


def test_importing_into_a_list_twice_keeps_one_membership(store):
    store.add_list("VIP")
    first = run_import(store, "Ann,4155550132\n", list_name="VIP")
    again = run_import(store, "Ann,4155550132\n", list_name="VIP")
    assert (first.new, again.new, again.updated, again.unchanged) == (1, 0, 0, 1)
    assert len(store.find("4155550132").lists) == 1


def test_the_summary_says_how_the_file_was_read_and_what_happened(store):
    store.add_list("VIP")
    store.add_contact("Cy", "4155550134")
    plan = run_import(
        store, "Full Name,Phone,Lists\nAnn,4155550132,East\nAnn L,4155550132,\nCy,4155550134,\n",
        skip_first_line=True, list_name="VIP",
    )
    assert plan.summary() == (
        "Imported 3 rows from pasted text (comma-separated, header used): 1 new, 1 updated, 0 unchanged, "
        "1 merged duplicate; all added to list VIP; created lists East."
    )
    one = run_import(store, "Dee,4155550135\n")
    assert one.summary(done=False) == (
        "Preview of 1 row from pasted text (comma-separated, no header): 1 new, 0 updated, 0 unchanged, "
        "0 merged duplicates. Nothing written yet."
    )


def test_a_skipped_first_line_and_ignored_columns_are_mentioned(store):
    plan = run_import(store, "x,y\nAnn,4155550132\n", skip_first_line=True)
    assert "(comma-separated, no header, first line skipped)" in plan.summary()
    plan.ignored_columns = ("Notes", "")
    plan.format_label = "xlsx sheet Contacts"
    assert "(xlsx sheet Contacts, no header, first line skipped; ignored columns: Notes, (untitled))" in plan.summary()
    plan.format_label, plan.unit, plan.rows_read = "vCard", "card", 2
    assert plan.summary().startswith("Imported 2 cards from pasted text (vCard, first line skipped;")
    plan.format_label, plan.unit = "Google Contacts export", "row"
    assert "(Google Contacts export, first line skipped;" in plan.summary()
    plan.format_label, plan.header_used = "xlsx sheet Contacts, columns mapped", True
    assert "(xlsx sheet Contacts, columns mapped, first line skipped;" in plan.summary()
    plan.format_label = "ods sheet People"
    assert "(ods sheet People, header used, first line skipped;" in plan.summary()


def test_a_refusal_counts_its_problems_lists_twenty_and_gives_the_hint():
    problems = [Problem(n, "Phone", "is too short") for n in range(2, 24)]
    text = str(ImportRefused("f.csv", problems, "HINT"))
    lines = text.splitlines()
    assert lines[0] == "f.csv: 22 problems, nothing was imported:"
    assert lines[1] == "  line 2, Phone: is too short" and len(lines) == 1 + 20 + 2
    assert lines[-2:] == ["  and 2 more", "HINT"]
    assert str(ImportRefused("f.csv", problems[:1])).splitlines() == [
        "f.csv: 1 problem, nothing was imported:", "  line 2, Phone: is too short",
    ]


def test_the_header_hint_is_given_only_when_the_first_row_is_a_header_read_as_data(store):
    with pytest.raises(ImportRefused) as err:
        run_import(store, "Full Name,Phone\nAnn,4155550132\n")
    assert err.value.hint and "Skip First Line" in err.value.hint
    with pytest.raises(ImportRefused) as err:
        run_import(store, "Full Name,Phone\nAnn,4155550132\nBob,12\n", skip_first_line=True)
    assert err.value.hint is None
    with pytest.raises(ImportRefused) as err:
        run_import(store, "Ann,4155550132\nBob,12\n")
    assert err.value.hint is None


def test_progress_ends_with_the_total_when_checking_and_applying(store):
    calls = []
    run_import(store, "".join(f"P{i},+1415555{i:04d}\n" for i in range(1500)), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1000, 1500), (1500, 1500), (1500, 1500)]


def test_unknown_import_options_are_refused_by_name(store):
    with pytest.raises(TypeError, match=r"^import_csv\(\) got unexpected options: colour, size$"):
        import_csv(store, CsvSource.from_text("Ann,4155550132\n"), colour="red", size=1)


def test_a_region_changed_while_checking_is_refused_saying_both(store):
    plan = preview(store, CsvSource.from_text("Ann,4155550132\n"))
    store.set_default_region("GB")
    with pytest.raises(StoreError) as err:
        apply_plan(store, plan)
    assert str(err.value) == (
        "The default region changed to GB while the file was being checked (it was US); run the import again"
    )


def test_a_preview_counts_new_lists_without_creating_them(store, unchanged):
    with unchanged():
        plan = preview(store, CsvSource.from_text("Full Name,Phone,Lists\nAnn,4155550132,A;B\nBob,4155550133,B\n"), skip_first_line=True)
    assert plan.lists_created == ["A", "B"]
    assert [row["lists"] for row in plan.preview_rows] == [["A", "B"], ["B"]]
    assert store.lists() == []


def test_a_preview_passes_every_option_on_and_applies_as_shown(store, tmp_path):
    from store.transfer.mapping import parse_map

    from ..formats.writers import write_xlsx

    calls = []
    source = CsvSource.from_text("Full Name,Phone,Consent\nAnn,4155550132,confirmed\n")
    plan = preview(store, source, skip_first_line=True, keep_confirmed=True, progress=lambda d, t: calls.append((d, t)))
    assert (plan.keep_confirmed, calls) == (True, [(1, 1)])
    apply_plan(store, plan)
    assert store.find("4155550132").consent == "confirmed"
    mapped = preview(store, CsvSource.from_text("Cell,Given\n4155550133,Bob\n"), mapping=parse_map(["Cell=phone", "Given=name"]))
    assert [(row["name"], row["phone"]) for row in mapped.preview_rows] == [("Bob", "+14155550133")]
    book = write_xlsx(tmp_path / "book.xlsx", {"First": [["Full Name", "Phone"], ["Cy", "4155550134"]],
                                               "Second": [["Full Name", "Phone"], ["Dee", "4155550135"]]})
    second = preview(store, CsvSource.from_path(book), sheet="Second", skip_first_line=True)
    assert [row["name"] for row in second.preview_rows] == ["Dee"]


def test_a_preview_shows_new_and_existing_lists_each_by_its_own_name(store, unchanged):
    store.add_list("VIP")
    text = "Full Name,Phone,Lists\nBob,4155550133,East\nAnn,4155550132,VIP\nCy,4155550134,East;VIP\n"
    with unchanged():
        plan = preview(store, CsvSource.from_text(text), skip_first_line=True)
    assert [row["lists"] for row in plan.preview_rows] == [["East"], ["VIP"], ["East", "VIP"]]
    assert plan.lists_created == ["East"]


def test_the_counts_add_up_over_several_updated_and_unchanged_contacts(store):
    for name, phone in [("Ann", "4155550132"), ("Bob", "4155550133"), ("Cy", "4155550134"), ("Dee", "4155550135")]:
        store.add_contact(name, phone)
    plan = run_import(store, "Ann,4155550132\nBob B,4155550133\nCy,4155550134\nDee D,4155550135\nEd,4155550136\n")
    assert (plan.new, plan.updated, plan.unchanged) == (1, 2, 2)
    assert "1 new, 2 updated, 2 unchanged" in plan.summary()


def test_a_preview_shows_the_first_ten_rows_only(store):
    plan = preview(store, CsvSource.from_text("".join(f"P{i},+1415555{i:04d}\n" for i in range(1, 13))))
    assert [row["line"] for row in plan.preview_rows] == list(range(1, 11))


def test_a_list_created_by_an_import_records_when_it_was_created(ticking_store, db_path):
    import json

    run_import(ticking_store, "Full Name,Phone,Lists\nAnn,4155550132,East\n", skip_first_line=True)
    ann, east = ticking_store.find("4155550132"), ticking_store.get_list("East")
    stored = json.loads(db_path.read_bytes())["lists"][str(east.id)]
    assert stored == {"name": "East", "created_at": ann.created_at}
    assert ann.created_at.startswith("2030-01-01T00:00")


def test_the_history_of_an_import_names_the_user_the_file_and_its_row(store, tmp_path):
    from ..formats.writers import write_xlsx

    book = write_xlsx(tmp_path / "people.xlsx", {"S": [["Full Name", "Phone", "Opted Out"], ["Ann", "4155550132", "yes"]]})
    import_csv(store, CsvSource.from_path(book), skip_first_line=True)
    [entry] = store.find("4155550132").history
    assert (entry["by"], entry["detail"]) == ("alice", f"Opted Out = yes in {book}, row 2")


def test_a_refused_import_names_the_file_it_read(store, unchanged, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("Ann,12\n", encoding="utf-8")
    with unchanged(), pytest.raises(ImportRefused) as err:
        import_csv(store, CsvSource.from_path(path))
    assert err.value.source == str(path)
    assert str(err.value).startswith(f"{path}: 1 problem, nothing was imported:\n")


def test_a_refusal_lists_number_cells_that_lost_digits_and_the_other_rows_problems_too(store, unchanged, tmp_path):
    from ..formats.writers import write_xlsx

    book = write_xlsx(tmp_path / "mixed.xlsx", {"S": [["Full Name", "Phone", "Email"], ["Ann", 4155550132.5, None],
                                                      ["Bob", "4155550133", "not-an-email"], ["Cy", 1.5, None]]})
    with unchanged(), pytest.raises(ImportRefused) as err:
        import_csv(store, CsvSource.from_path(book), skip_first_line=True)
    assert [(p.line, p.field) for p in err.value.problems] == [(2, "column B (Phone)"), (3, "column C (Email)"), (4, "column B (Phone)")]
    assert str(err.value.problems[0]) == (
        "sheet S, row 2, column B (Phone): Phone 4155550132.5 is a number with decimals, not a phone number: "
        "format the column as Text in the spreadsheet"
    )


def test_a_bad_list_name_is_reported_under_the_lists_column_like_any_other_field(store, unchanged, tmp_path):
    from ..formats.writers import write_xlsx

    long = "x" * 101
    with unchanged(), pytest.raises(ImportRefused) as err:
        run_import(store, f"Full Name,Phone,Lists\nAnn,4155550132,VIP;{long}\n", skip_first_line=True)
    assert [str(p) for p in err.value.problems] == ["line 2, Lists: List name is longer than 100 characters"]
    book = write_xlsx(tmp_path / "lists.xlsx", {"S": [["Phone", "Name", "Groups"], ["4155550132", "Ann", long]]})
    with unchanged(), pytest.raises(ImportRefused) as err:
        import_csv(store, CsvSource.from_path(book), mapping={"Phone": "phone", "Name": "name", "Groups": "lists"})
    assert [str(p) for p in err.value.problems] == [
        "sheet S, row 2, column C (Lists): List name is longer than 100 characters"
    ]


def test_no_header_hint_when_the_header_was_read_or_skipped_and_the_first_row_is_bad(store, unchanged):
    for text in ("Full Name,Phone\nBob,12\n", "Who,Number\nBob,12\n"):
        with unchanged(), pytest.raises(ImportRefused) as err:
            run_import(store, text, skip_first_line=True)
        assert err.value.hint is None and [p.line for p in err.value.problems] == [2]


def test_a_preview_shows_a_confirmed_consent_as_sent_unless_told_to_keep_it(store):
    source = CsvSource.from_text("Full Name,Phone,Consent\nAnn,4155550132,confirmed\n")
    plan = preview(store, source, skip_first_line=True)
    assert (plan.keep_confirmed, plan.preview_rows[0]["consent"]) == (False, "sent")
    kept = preview(store, CsvSource.from_text("Full Name,Phone,Consent\nAnn,4155550132,confirmed\n"), skip_first_line=True, keep_confirmed=True)
    assert kept.preview_rows[0]["consent"] == "confirmed"


def test_a_refusal_of_exactly_twenty_problems_lists_them_all_and_no_more_line():
    problems = [Problem(n, "Phone", "is too short") for n in range(2, 22)]
    lines = str(ImportRefused("f.csv", problems)).splitlines()
    assert lines[0] == "f.csv: 20 problems, nothing was imported:"
    assert len(lines) == 21 and lines[-1] == "  line 21, Phone: is too short"


def test_the_summary_lists_every_list_it_created(store):
    plan = run_import(store, "Full Name,Phone,Lists\nAnn,4155550132,East;West\n", skip_first_line=True)
    assert plan.summary().endswith("; created lists East, West.")
