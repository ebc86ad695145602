"""Refusal messages quote what was typed; control characters in them never reach the terminal."""

from tui.cli import main


def test_refusal_message_escapes_control_characters(tmp_path, capsys):
    db = str(tmp_path / "c.json")
    assert main(["--db", db, "region", "X\x1b[2J\x07"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b" in err


def test_multi_line_messages_keep_their_lines(tmp_path, capsys):
    db = str(tmp_path / "c.json")
    bad = tmp_path / "bad.csv"
    bad.write_text("Ann,12\nBob,34\n", encoding="utf-8")
    assert main(["--db", db, "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 1" in err.lower() and "line 2" in err.lower()
    assert len(err.strip().splitlines()) >= 2
