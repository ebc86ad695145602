"""store/ is the headless core: importing it must not load textual (nor must the CLI's commands)."""

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_importing_store_does_not_import_textual():
    loaded = _modules_after("import store, store.core.store, store.file.storage, store.rules.validation, store.search")
    assert "store" in loaded
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)


def test_cli_subcommands_do_not_import_textual():
    loaded = _modules_after("from tui.cli import build_parser\nbuild_parser()")
    assert "tui.cli" in loaded
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)


def test_starting_the_app_loads_no_reader_nor_screen_it_does_not_show():
    """What start-up imports is what the first screen needs: the file readers, email-validator
    and the other screens come when first used (issue 14: start-up near the floor)."""
    loaded = _modules_after("import tui.cli, tui.app\nfrom tui.cli import build_parser\nbuild_parser()")
    for name in ("store.transfer.importer", "store.transfer.tables", "store.transfer.vcard", "python_calamine", "vobject", "email_validator",
                 "tui.screens.import_screen", "tui.screens.lists_screen", "tui.screens.settings_screen", "aiohttp"):
        assert name not in loaded, name
