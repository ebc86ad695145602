"""A dialog whose write runs in a worker closes only once that worker has ended.

Dismissing the dialog from inside the worker (through call_from_thread) removed the screen
while its worker was still running, so Textual cancelled it: the write was done, but the
worker said it never completed. These tests fail on that, every time.
"""

from __future__ import annotations

from textual.widgets import Input
from textual.worker import WorkerState

from tests.tui.test_tui_wording import open_db
from tui.app import ContactsApp


async def _finished_worker(app, pilot, worker=None):
    worker = worker or next(iter(app.workers))
    for _ in range(200):
        await pilot.pause(0.01)
        if worker.is_finished:
            break
    return worker


async def test_delete_all_worker_completes_and_the_dialog_reports(db_path):
    from tui.screens.delete_all_screen import DeleteAllScreen

    store = open_db(db_path, contacts=[("Ann Lee", "+14155550132", None)])
    app = ContactsApp(store)
    results = []
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = DeleteAllScreen(store)
        await app.push_screen(dialog, results.append)
        dialog.query_one(Input).value = "DELETE"
        await pilot.pause()
        dialog.start()
        worker = await _finished_worker(app, pilot)
        await pilot.pause()
        assert worker.state == WorkerState.SUCCESS
        assert results == [1] and store.count() == 0
        assert app.screen is not dialog


async def test_name_prompt_worker_completes_and_dismisses_with_the_result(db_path):
    from tui.screens.name_prompt import NamePrompt

    store = open_db(db_path, contacts=[])
    app = ContactsApp(store)
    results = []
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = NamePrompt("New list", lambda name: f"saved {name}")
        await app.push_screen(prompt, results.append)
        await pilot.pause()
        prompt.query_one("#prompt-input", Input).value = "VIP"
        prompt.action_submit()
        worker = await _finished_worker(app, pilot)
        await pilot.pause()
        assert worker.state == WorkerState.SUCCESS
        assert results == ["saved VIP"]


async def test_reply_worker_completes_and_dismisses_with_the_message(db_path):
    from tui.screens.reply_screen import ReplyScreen

    store = open_db(db_path, contacts=[("Ann Lee", "+14155550132", None)])
    contact = store.contacts()[0]
    app = ContactsApp(store)
    results = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ReplyScreen(store, contact.id)
        await app.push_screen(screen, results.append)
        await pilot.pause()
        worker = screen._write("STOP")  # what Record runs, held here so its end state can be read
        worker = await _finished_worker(app, pilot, worker)
        await pilot.pause()
        assert worker.state == WorkerState.SUCCESS
        assert len(results) == 1 and "opted out" in results[0].lower(), results
        assert store.get(contact.id).opted_out
