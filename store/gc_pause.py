"""Pausing Python's cyclic garbage collector around bulk work.

Loading the file, building indexes, importing and saving create hundreds of thousands of small
acyclic objects; with the GC running, each full collection walks the whole heap (the parsed file
included), roughly doubling those times. Refcounting still frees everything.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
