"""The installed command in a terminal: an opt-out list from the command line, then the app's
"N contacts · M textable" line and its status filter (f), at 80x24 and 60x20."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Cli


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20)])
def test_opt_out_list_then_textable_in_the_app(start_app, cli: Cli, tmp_path: Path, width: int, height: int):
    cli.add("Ann Lee", "415 555 0132")
    cli.add("Bob Stone", "212 555 0188")
    cli.add("Cy Young", "312 555 0101")
    optouts = tmp_path / "old-provider.csv"
    optouts.write_text("Phone Number\n(212) 555-0188\n+1 646 555 0100\n")
    done = cli.run("import-optouts", str(optouts))
    assert done.returncode == 0 and "1 contact opted out" in done.stdout, done.stderr
    assert [c["name"] for c in cli.contacts() if c["opted_out"]] == ["Bob Stone"]

    t = start_app(width=width, height=height)
    t.wait_all("3 contacts · 2 textable", "All statuses")
    t.send("f")
    screen = t.wait_all("Textable", "2 of 3 · 2 textable")
    assert "Bob Stone" not in screen
    t.send("f")
    # The count changes with the list; the editor follows the new highlighted contact just after.
    t.wait_for(
        lambda s: "Opted out" in s and "1 of 3 · 0 textable" in s and "Bob Stone" in s and "Ann Lee" not in s,
        what="only Bob Stone, listed and in the editor, 1 of 3",
    )
