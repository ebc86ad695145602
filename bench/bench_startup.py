"""Start-up: from process start to the first screen showing contacts, through a real pty.

Usage: python -m bench.bench_startup [SIZE ...]     (default 10000 100000 500000 1000000)

Figure: `contacts --db FILE` (the installed command's code, run as `python -m tui`) until the first
contact's name is drawn. Floor: bench/floor_app.py, a bare Textual app that reads and parses the
same file with orjson before its first paint. Median of RUNS runs each, interleaved.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from bench.common import DEFAULT_SIZES, ROOT, data_file, fmt_seconds, print_table
from bench.pty_run import time_until_text

RUNS = 5
TARGETS = {100_000: (1.3, None), 500_000: (1.3, None), 1_000_000: (1.5, 3.0)}  # issue 14: ratio, seconds


def first_name(path: Path) -> str:
    from store import Store

    store = Store.open(path, user="demo")
    return store.get(store.ordered_ids()[0]).name


def bench_size(count: int) -> tuple[str, str, str, str, str]:
    path = data_file(count)
    name = first_name(path)
    app_cmd = [sys.executable, "-m", "tui", "--db", str(path)]
    marker = f"FLOOR {name}"
    floor_cmd = [sys.executable, str(ROOT / "bench" / "floor_app.py"), str(path), marker]
    env = {"PYTHONPATH": str(ROOT)}
    apps, floors = [], []
    for _ in range(RUNS):
        floors.append(time_until_text(floor_cmd, marker, env=env))
        apps.append(time_until_text(app_cmd, name, env=env))
    app, floor = statistics.median(apps), statistics.median(floors)
    target = TARGETS.get(count)
    aim = f" (target <= {target[0]}x{', < %.0f s' % target[1] if target[1] else ''})" if target else ""
    return (f"{count:,}", "startup to first contacts", fmt_seconds(app), fmt_seconds(floor), f"{app / floor:.2f}x{aim}")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(DEFAULT_SIZES)
    print_table(f"startup through a pty at 80x24 (median of {RUNS})",
                [bench_size(count) for count in sizes])


if __name__ == "__main__":
    main(sys.argv[1:])
