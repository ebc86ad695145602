"""Every ``contacts`` command's ``--help``, from the installed command, shows examples.

The commands are found by walking the real argument parser, so a new command is checked too.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import pytest

from tui.cli import build_parser

# Nested commands known to lack examples (remove an entry once its --help has them).
WITHOUT_EXAMPLES_YET: set[tuple[str, ...]] = set()


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths.append(prefix + (name,))
                paths.extend(command_paths(sub, prefix + (name,)))
    return paths


def cases() -> list:
    params = [pytest.param((), id="contacts")]
    for path in command_paths(build_parser()):
        marks = []
        if path in WITHOUT_EXAMPLES_YET:
            marks.append(pytest.mark.xfail(strict=True, reason="this subcommand's --help has no examples yet"))
        params.append(pytest.param(path, id=" ".join(path), marks=marks))
    return params


@pytest.mark.parametrize("path", cases())
def test_help_has_examples(path: tuple[str, ...], contacts_command: Path, tmp_path: Path):
    done = subprocess.run(
        [str(contacts_command), "--db", str(tmp_path / "unused.json"), *path, "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: contacts"), done.stdout
    assert "example" in done.stdout.lower(), f"contacts {' '.join(path)} --help has no examples:\n{done.stdout}"
    assert not (tmp_path / "unused.json").exists(), "--help must not create the data file"


def test_there_are_commands_to_check():
    assert len(command_paths(build_parser())) >= 10
