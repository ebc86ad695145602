"""Store figures: open, save one edit, delete all, peak memory; each with its floor, same run.

Usage: python -m bench.bench_store [SIZE ...]     (default 10000 100000 500000 1000000)

Floors, measured here on the same file:
- open: reading the file and parsing it with orjson (the GC paused, as the store does);
- save one edit: serialising the whole document with orjson and one atomic write (fsync+rename);
- delete all: the same serialise+write of the emptied document;
- memory: peak RSS of a process that only parses the file (the parsed data alone), against the
  store's once it has also built what the app builds after its first paint (search haystacks and
  masks, the textable sets);
- open with the schema check (store.file.schema): the same open with the check replaced by what the
  open did before it (the phone index alone); issue 14's target is at most 1.10x at 100,000;
- the schema check alone, in-process on the parsed data, against the parse.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import DEFAULT_SIZES, data_file, fmt_seconds, fresh_copy, median_of, print_table, run_python, timed

RUNS = 5

PARSE_ONLY = """
import gc, resource, sys, time, orjson
t = time.perf_counter()
raw = open(sys.argv[1], 'rb').read()
gc.disable(); data = orjson.loads(raw); gc.enable()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

STORE_OPEN = """
import resource, sys, time
t = time.perf_counter()
from store import Store
s = Store.open(sys.argv[1], user='bench')
s.search('')
opened = time.perf_counter() - t
s.prepare_search(); s.textable_count(s.search('e'))  # what the app builds after its first paint
print(opened, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# The open as it was before store.file.schema: the check
# replaced by the phone index it also builds.
STORE_OPEN_UNCHECKED = STORE_OPEN.replace(
    "from store import Store\n",
    "import store.core.store, store.file.storage\n"
    "store.core.store.check_document = lambda data, path, **_: "
    "dict(zip([doc['phone'] for doc in data.get('contacts', {}).values()], map(int, data.get('contacts', {}))))\n"
    "from store import Store\n",
)


def child(code: str, path: Path) -> tuple[float, int]:
    seconds, rss_kb = run_python(code, str(path)).split()
    return float(seconds), int(rss_kb)


def schema_check_seconds(src: Path) -> tuple[float, float]:
    """Medians of the schema check alone and of the parse, in this process, on the file ``src``."""
    import orjson

    from store.gc_pause import gc_paused
    from store.file.schema import check_document

    raw = src.read_bytes()
    with gc_paused():
        parse = median_of(RUNS, lambda: timed(lambda: orjson.loads(raw)))
        data = orjson.loads(raw)
        check = median_of(RUNS, lambda: timed(lambda: check_document(data, src)))
    return check, parse


def bench_size(count: int) -> None:
    from store import Store
    from store.file.storage import write_atomically
    import orjson

    src = data_file(count)
    opens, unchecked = [], []
    for _ in range(RUNS):  # interleaved, so that a busy moment hits both alike
        opens.append(child(STORE_OPEN, src))
        unchecked.append(child(STORE_OPEN_UNCHECKED, src))
    opens.sort()
    unchecked_s = sorted(unchecked)[RUNS // 2][0]
    check_s, parse_in_s = schema_check_seconds(src)
    parses = sorted(child(PARSE_ONLY, src) for _ in range(RUNS))
    open_s, open_rss = opens[RUNS // 2][0], max(r for _, r in opens)
    parse_s, parse_rss = parses[RUNS // 2][0], max(r for _, r in parses)

    with tempfile.TemporaryDirectory() as tmp:
        path = fresh_copy(src, Path(tmp))
        store = Store.open(path, user="demo")  # the generator's creator: admin
        ids = store.ordered_ids()
        names = iter(range(10**9))

        def save_one() -> float:
            cid = ids[len(ids) // 2]
            return timed(lambda: store.update_contact(cid, name=f"Edited {next(names)}"))

        save = median_of(RUNS, save_one)
        data = store._data
        save_floor = median_of(RUNS, lambda: timed(lambda: write_atomically(path, orjson.dumps(data))))

        store = data = None  # one store of a million contacts at a time: they take 2 GB each
        deletes = []
        for i in range(RUNS):
            folder = Path(tmp) / f"d{i}"
            folder.mkdir()
            emptied_store = Store.open(fresh_copy(src, folder), user="demo")
            deletes.append(timed(emptied_store.delete_all))
            emptied, emptied_path = dict(emptied_store._data), emptied_store.path
            del emptied_store
        delete_all = statistics.median(deletes)
        delete_floor = median_of(RUNS, lambda: timed(lambda: write_atomically(emptied_path, orjson.dumps(emptied))))

    rows = [
        (f"{count:,}", "open (in-process, to sorted list)", fmt_seconds(open_s), fmt_seconds(parse_s), f"{open_s / parse_s:.2f}x"),
        (f"{count:,}", "open, schema check vs none", fmt_seconds(open_s), fmt_seconds(unchecked_s), f"{open_s / unchecked_s:.2f}x (target <= 1.1x)"),
        (f"{count:,}", "schema check alone vs parse", fmt_seconds(check_s), fmt_seconds(parse_in_s), f"{check_s / parse_in_s:.2f}x"),
        (f"{count:,}", "save one edit", fmt_seconds(save), fmt_seconds(save_floor), f"{save / save_floor:.2f}x (target <= 1.2x)"),
        (f"{count:,}", "delete all", fmt_seconds(delete_all), fmt_seconds(delete_floor), f"{delete_all / delete_floor:.2f}x"),
        (f"{count:,}", "peak RSS, store open", f"{open_rss / 1024:7.0f} MB", f"{parse_rss / 1024:7.0f} MB", f"{open_rss / parse_rss:.2f}x (target <= 1.3x)"),
    ]
    print_table(f"store at {count:,} contacts (median of {RUNS})", [(r[0], r[1], r[2], r[3], r[4]) for r in rows])


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(DEFAULT_SIZES)
    for count in sizes:
        bench_size(count)


if __name__ == "__main__":
    main(sys.argv[1:])
