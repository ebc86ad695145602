"""API figures: requests per second for lookups and for webhooks, each beside its floor.

Usage: python -m bench.bench_api [SIZE ...]     (default 100000)

The server is the real ``contacts api`` in a child process (its own interpreter, as in use), on a
copy of the generated file; the client is aiohttp on keep-alive connections, CONCURRENCY requests
in flight. Figures, each a median of RUNS rounds:

- lookup by phone (GET /contacts/phone/...): random contacts, against the floor of an aiohttp
  server in a child process that answers every GET with a fixed body of the same size (what HTTP,
  aiohttp and the client cost with no store and no token check);
- webhook HELP (POST /webhooks/twilio, signed; changes nothing, so nothing is written): against
  the same floor server answering a POST;
- webhook STOP (signed, each from another contact: each one saves the file): against the floor
  of saving the whole document once (orjson serialise and one atomic write, as a rate).

Figures, not a pass/fail test.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.common import ROOT, data_file, fresh_copy, print_table, timed

RUNS = 3
LOOKUPS = 2000
HELPS = 1000
STOPS = 20
CONCURRENCY = 8
AUTH = "bench-auth-token"

FLOOR_SERVER = """
import sys
from aiohttp import web
body = b"x" * int(sys.argv[2])
async def answer(request):
    await request.read()
    return web.Response(body=body, content_type="application/json")
app = web.Application()
app.router.add_route("*", "/{tail:.*}", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=lambda line: print("up", flush=True), access_log=None)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, env=env, start_new_session=True)
    proc.stdout.readline()  # both print one line once listening
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def twilio_signature(url: str, params: dict[str, str]) -> str:
    signed = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(AUTH.encode(), signed.encode(), hashlib.sha1).digest()).decode()


async def rate(requests: list[tuple[str, str, bytes | None, dict[str, str]]]) -> float:
    """Requests per second for ``requests`` sent CONCURRENCY at a time; every answer must be 2xx."""
    import aiohttp

    queue = list(reversed(requests))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as session:

        async def worker() -> None:
            while queue:
                method, url, body, headers = queue.pop()
                async with session.request(method, url, data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status >= 300:
                        raise SystemExit(f"{method} {url}: {resp.status} {await resp.text()}")

        start_time = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return len(requests) / (time.perf_counter() - start_time)


def median_rate(make) -> float:
    return statistics.median(asyncio.run(rate(make())) for _ in range(RUNS))


def save_floor(path: Path) -> float:
    import orjson

    from store.file.storage import write_atomically

    data = orjson.loads(path.read_bytes())
    return 1 / statistics.median(timed(lambda: write_atomically(path, orjson.dumps(data))) for _ in range(RUNS))


def bench(count: int) -> None:
    from store import Store
    from store.access.api_tokens import create_token
    from store.access.webhook_secrets import set_secret

    with tempfile.TemporaryDirectory() as tmp:
        path = fresh_copy(data_file(count), Path(tmp))
        store = Store.open(path)
        users = store.users()
        if store.role != "admin" and users:
            store = Store.open(path, user=users[0]["login"])  # the generated file's admin
        token = create_token(store, "bench")
        set_secret(store, "twilio", AUTH)
        phones = [store.get(cid).phone for cid in store.ordered_ids()]
        textable = [store.get(cid).phone for cid in random.Random(1).sample(store.ordered_ids(), 4 * STOPS * RUNS)]
        textable = [p for p in textable if not store.get(store.id_for_phone(p)).opted_out]
        from store.transfer.serialize import contact_to_json
        import json

        sample_size = len(json.dumps(contact_to_json(store, store.find(phones[0]), detail=True)))
        del store

        port = free_port()
        server = start([sys.executable, "-m", "tui", "--db", str(path), "api", "--port", str(port), "--rate-limit", "1000000000"])
        base = f"http://127.0.0.1:{port}"
        hook = base + "/webhooks/twilio"
        rng = random.Random(count)
        auth = {"Authorization": f"Bearer {token}"}
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        def lookups():
            return [("GET", f"{base}/contacts/phone/{urllib.parse.quote(rng.choice(phones))}", None, auth) for _ in range(LOOKUPS)]

        def signed(phone: str, text: str):
            params = {"From": phone, "Body": text, "To": "+15550006666"}
            return ("POST", hook, urllib.parse.urlencode(params).encode(), {**form, "X-Twilio-Signature": twilio_signature(hook, params)})

        def helps():
            return [signed(rng.choice(phones), "HELP") for _ in range(HELPS)]

        stop_phones = iter(textable)

        def stops():
            return [signed(next(stop_phones), "STOP") for _ in range(STOPS)]

        try:
            lookup_rate = median_rate(lookups)
            help_rate = median_rate(helps)
            stop_rate = median_rate(stops)
        finally:
            stop(server)

        floor_port = free_port()
        floor = start([sys.executable, "-c", FLOOR_SERVER, str(floor_port), str(sample_size)])
        floor_base = f"http://127.0.0.1:{floor_port}"
        try:
            lookup_floor = median_rate(lambda: [("GET", f"{floor_base}/contacts/phone/1", None, auth) for _ in range(LOOKUPS)])
            help_floor = median_rate(lambda: [("POST", f"{floor_base}/webhooks/twilio", b"From=%2B1&Body=HELP", form) for _ in range(HELPS)])
        finally:
            stop(floor)
        write_floor = save_floor(path)

    def fmt(value: float) -> str:
        return f"{value:9,.0f} /s"

    print_table(
        f"contacts api at {count:,} contacts (median of {RUNS}; {CONCURRENCY} in flight; higher is better)",
        [
            (f"{count:,}", "lookup by phone", fmt(lookup_rate), fmt(lookup_floor), f"{lookup_floor / lookup_rate:.2f}x"),
            (f"{count:,}", "webhook HELP (no write)", fmt(help_rate), fmt(help_floor), f"{help_floor / help_rate:.2f}x"),
            (f"{count:,}", "webhook STOP (one save each)", fmt(stop_rate), fmt(write_floor), f"{write_floor / stop_rate:.2f}x"),
        ],
    )


def main(argv: list[str]) -> None:
    for count in [int(a) for a in argv] or [100_000]:
        bench(count)


if __name__ == "__main__":
    main(sys.argv[1:])
