"""The start-up floor: a bare Textual app that reads and parses the data file, then paints.

Usage: python bench/floor_app.py DATA_FILE MARKER   (shows MARKER once the file is parsed)
"""

from __future__ import annotations

import gc
import sys

import orjson
from textual.app import App, ComposeResult
from textual.widgets import Static


class FloorApp(App[None]):
    def __init__(self, marker: str):
        super().__init__()
        self.marker = marker

    def compose(self) -> ComposeResult:
        yield Static(self.marker, markup=False)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as fh:
        raw = fh.read()
    gc.disable()
    data = orjson.loads(raw)
    gc.enable()
    FloorApp(sys.argv[2]).run()
