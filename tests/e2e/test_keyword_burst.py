"""Two keywords typed in ONE read in Settings (word Enter word Enter, as a slow SSH link delivers
them) must add exactly the two words typed. Today the first letters of the second word are lost
(typed while the first add is saved, then the field is cleared): ZXCVBN is added as VBN."""

from __future__ import annotations

import json

from tests.e2e.conftest import Cli
from tests.e2e.test_key_bursts import keys


def test_two_keywords_in_one_burst_are_added_as_typed(start_app, cli: Cli):
    cli.add("Ann Lee", "415 555 0132")
    t = start_app()
    t.wait_all("Ann Lee", "1 contact")
    t.send(",")
    t.wait_for(lambda s: "Keywords" in s, what="Settings with its Keywords section")
    t.send("k")
    t.send(*keys("QWERTY"), "Enter", *keys("ZXCVBN"), "Enter")
    t.wait_for(lambda s: "QWERTY" in s and "VBN (added by an admin)" in s, what="both adds done")
    out = json.loads(cli.run("keywords", "--json").stdout)
    added = sorted(k["word"] for k in out["keywords"] if k["source"] == "admin")
    assert added == ["QWERTY", "ZXCVBN"]
