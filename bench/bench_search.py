"""Search: from one keystroke in the search box to the repainted list, in the real app (headless).

Usage: python -m bench.bench_search [SIZE ...]     (default 10000 100000 500000 1000000)

For each size two queries are picked from the data: one matching about 60 % of the contacts and
one about 3 %. Figures, medians of RUNS keystrokes:

- app work: what the keystroke makes the app do, timed inside it: filter (store search, list
  update) and render every visible row of the list. Each search starts from scratch (the
  remembered answers are forgotten first), with the haystacks and masks built as the app builds
  them after its first paint: the query typed into an empty box at once (a paste), and its
  first letter alone (the first keystroke);
- keystroke round trip through Pilot: the last character pressed in the real app until Pilot sees
  it idle, against the same round trip for a key typed into a bare Textual app's Input (the
  floor: Pilot's and Textual's own fixed costs, the same for any app).

Target (issue 14): <= 33 ms (one frame at 30 fps) for the app's share, at every size.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from bench.common import DEFAULT_SIZES, data_file, fmt_seconds, print_table

RUNS = 15
CANDIDATES = ("a", "e", "an", "ar", "ma", "li", "er", "on", "ch", "ol", "ki", "mo", "ri", "sa", "ta",
              "el", "ne", "ng", "ja", "ul", "pa", "ov", "ez", "ss", "ha", "ro", "gar", "lee", "mül", "smi")


def pick_queries(store) -> dict[str, str]:
    total = store.count()
    shares = {q: len(store.search(q)) / total for q in CANDIDATES}
    return {
        "~60 %": min(shares, key=lambda q: abs(shares[q] - 0.60)),
        "~3 %": min(shares, key=lambda q: abs(shares[q] - 0.03)),
    }


async def bare_keystroke_times() -> list[float]:
    from textual.app import App
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self):
            yield Input()

    app = Bare()
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(RUNS):
            start = time.perf_counter()
            await pilot.press("a")
            await pilot.pause()
            times.append(time.perf_counter() - start)
            await pilot.press("backspace")
            await pilot.pause()
    return times


async def app_work_times(store, query: str) -> list[float]:
    """Filter + render the visible rows, timed inside the running app."""
    from textual.widgets import Input

    from tui.app import ContactsApp

    app = ContactsApp(store)
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.main
        box = main.query_one("#search", Input)
        rows = main.contact_list.size.height
        for i in range(RUNS):
            with box.prevent(Input.Changed):
                box.value = query if i % 2 == 0 else ""
            store.forget_searches()
            start = time.perf_counter()
            main.apply_filter()
            for y in range(rows):
                main.contact_list.render_line(y)
            times.append(time.perf_counter() - start)
            await pilot.pause()
    return times[::2]


async def keystroke_times(store, query: str) -> list[float]:
    from textual.widgets import Input

    from tui.app import ContactsApp

    app = ContactsApp(store)
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.main.query_one("#search", Input)
        app.screen.set_focus(box)
        box.value = query[:-1]
        await pilot.pause()
        key = query[-1]
        for _ in range(RUNS):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - start)
            await pilot.press("backspace")
            await pilot.pause()
    return times


def bench_size(count: int) -> list[tuple[str, str, str, str, str]]:
    from store import Store

    store = Store.open(data_file(count), user="demo")
    store.prepare_search()  # haystacks and masks, as the app builds them after its first paint
    rows = []
    bare = statistics.median(asyncio.run(bare_keystroke_times()))
    target = 0.033
    for label, query in pick_queries(store).items():
        matched = len(store.search(query))
        for typed, what in ((query, f"{query!r} ({label}: {matched:,})"), (query[0], f"  its first letter {query[0]!r}")):
            work = statistics.median(asyncio.run(app_work_times(store, typed)))
            rows.append((f"{count:,}", f"search {what}: app work", fmt_seconds(work), "-",
                         f"{'meets' if work <= target else 'MISSES'} {target * 1000:.0f} ms"))
        trip = statistics.median(asyncio.run(keystroke_times(store, query)))
        rows.append((f"{count:,}", "  keystroke round trip via Pilot", fmt_seconds(trip), fmt_seconds(bare),
                     f"{trip / bare:.2f}x"))
    return rows


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(DEFAULT_SIZES)
    rows = [row for count in sizes for row in bench_size(count)]
    print_table(f"search, keystroke to repainted list (median of {RUNS})", rows)


if __name__ == "__main__":
    main(sys.argv[1:])
