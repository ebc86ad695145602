"""Helpers shared by the benchmark scripts: data files, medians, child processes, tables."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from store.demo_data import write_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 500_000, 1_000_000)


def data_file(count: int, folder: Path | None = None) -> Path:
    """A data file with ``count`` generated contacts, cached between runs in the temp folder."""
    folder = folder or Path(tempfile.gettempdir()) / "sms-contacts-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"contacts-{count}.json"
    if not path.exists():
        write_document(path, count, seed=count)
    return path


def fresh_copy(path: Path, folder: Path) -> Path:
    copy = folder / path.name
    copy.write_bytes(path.read_bytes())
    copy.chmod(0o600)
    return copy


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_python(code: str, *args: str) -> str:
    """Run ``code`` in a fresh interpreter (for start-up and memory figures) and return stdout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, env=env
    ).stdout


def fmt_seconds(value: float) -> str:
    return f"{value * 1000:8.1f} ms" if value < 10 else f"{value:8.2f} s "


def print_table(title: str, rows: list[tuple[str, str, str, str, str]]) -> None:
    print(f"\n{title}")
    header = ("size", "figure", "measured", "floor", "ratio")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
    sys.stdout.flush()
