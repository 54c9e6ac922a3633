"""`make bench` rows for the mock under a test suite's load (issue 15, item 4).

1. Requests per second of the mock against a bare Starlette app that answers the same bytes
   at the same paths (no auth, no checks, no book): in process through httpx's ASGI transport,
   and over loopback through uvicorn. GetContacts (count=100 from a 100k book, cached bytes)
   and GetContactInfo (a known user, built per request). The ratio is ours / bare in seconds
   for the same bounded number of requests, so 1.5 means the mock serves 1/1.5 of the bare rate.
2. Memory per 100k-contact instance and for ten of them, against the eager book (every contact
   a dict plus an id index, the previous design) measured in the same process.

Every timed figure is a median of interleaved rounds; counts are bounded.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from benchmarks._procs import ID_INSTANCE, TOKEN
from green_api_contacts.mock import BackgroundServer, MockInstance, create_app
from green_api_contacts.mock._book import BODIES, SHAPES, ContactBook

SIZE = 100_000
REQUESTS = 400  # per case and round
INSTANCES = 10

Times = dict[tuple[str, str], float]  # (case, "mock" | "bare") -> median seconds


def _bare_app(contacts: bytes, info: bytes) -> Starlette:
    """The baseline: the same bytes at the same paths, and nothing else."""

    async def get_contacts(request: Request) -> Response:
        return Response(contacts, media_type="application/json")

    async def get_info(request: Request) -> Response:
        await request.body()
        return Response(info, media_type="application/json")

    prefix = f"/waInstance{ID_INSTANCE}"
    return Starlette(
        routes=[
            Route(f"{prefix}/getContacts/{TOKEN}", get_contacts, methods=["GET"]),
            Route(f"{prefix}/getContactInfo/{TOKEN}", get_info, methods=["POST"]),
        ]
    )


def _calls(chat_id: str) -> dict[str, Callable[[Any], Any]]:
    """One request per case, on a sync or async httpx client (same arguments)."""
    prefix = f"/waInstance{ID_INSTANCE}"
    return {
        "GetContacts count=100": lambda c: c.get(
            f"{prefix}/getContacts/{TOKEN}", params={"count": "100"}
        ),
        "GetContactInfo": lambda c: c.post(
            f"{prefix}/getContactInfo/{TOKEN}", json={"chatId": chat_id}
        ),
    }


def _median_pairs(run: Callable[[str, str], float], cases: list[str], rounds: int) -> Times:
    """Median seconds per (case, app), apps interleaved and alternating which goes first."""
    samples: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        for case in cases:
            apps = ("mock", "bare") if round_ % 2 == 0 else ("bare", "mock")
            for app in apps:
                gc.collect()
                samples.setdefault((case, app), []).append(run(case, app))
    return {key: statistics.median(values) for key, values in samples.items()}


def bench_mock(rounds: int, row: Callable[..., Any]) -> list[Any]:
    """Section "mock": requests per second (in process, loopback) and memory per instance."""
    rounds = max(3, min(rounds, 9))
    app = create_app(
        [MockInstance(ID_INSTANCE, TOKEN, "whatsapp", contacts=SIZE)], rate_limit=False
    )
    app.mock.prepare()
    book = app.mock.instance(ID_INSTANCE).book
    chat_id = next(str(i["id"]) for i in book.items if i["type"] == "user")
    calls = _calls(chat_id)
    bare = _bare_app(book.contacts_json(100), json.dumps(book.info(chat_id)).encode())
    apps: dict[str, ASGIApp] = {"mock": app, "bare": bare}
    rows = []

    def in_process(case: str, which: str) -> float:
        async def go() -> float:
            transport = httpx.ASGITransport(app=apps[which])
            async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
                await calls[case](client)
                started = time.perf_counter()
                for _ in range(REQUESTS):
                    (await calls[case](client)).raise_for_status()
                return time.perf_counter() - started

        return anyio.run(go)

    times = _median_pairs(in_process, list(calls), rounds)
    rows += _rps_rows("in process (ASGI transport)", times, row)

    with BackgroundServer(app) as mock_server, BackgroundServer(bare) as bare_server:
        clients = {
            name: httpx.Client(base_url=server.url, timeout=30)
            for name, server in (("mock", mock_server), ("bare", bare_server))
        }

        def loopback(case: str, which: str) -> float:
            client = clients[which]
            calls[case](client).raise_for_status()
            started = time.perf_counter()
            for _ in range(REQUESTS):
                calls[case](client).raise_for_status()
            return time.perf_counter() - started

        try:
            times = _median_pairs(loopback, list(calls), rounds)
        finally:
            for client in clients.values():
                client.close()
    rows += _rps_rows("over loopback (uvicorn)", times, row)
    return rows + _memory_rows(row)


def _rps_rows(where: str, times: Times, row: Callable[..., Any]) -> list[Any]:
    rows = []
    for case in sorted({case for case, _ in times}):
        ours, base = times[(case, "mock")], times[(case, "bare")]
        rows.append(
            row(
                "mock",
                f"{case} {where}: {REQUESTS / ours:,.0f} req/s vs {REQUESTS / base:,.0f}",
                ours / base,
                "bare Starlette app, same bytes",
                ours,
                base,
                None,
                {"requests": REQUESTS, "rps": REQUESTS / ours, "baseline_rps": REQUESTS / base},
            )
        )
    return rows


def _eager(book: ContactBook) -> object:
    """The previous design: every contact a dict, an id index, and the encoded answer."""
    items = list(book.items)
    key = SHAPES[book.flavour].id_key
    index = {str(item[key]): position for position, item in enumerate(items)}
    return items, index, book.contacts_json()


def _retained(make: Callable[[], object]) -> tuple[int, float]:
    """Traced bytes still held by what ``make`` built, and how long it took (traced)."""
    BODIES.clear()
    gc.collect()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        kept = make()
        seconds = time.perf_counter() - started
        gc.collect()
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    BODIES.clear()
    return current, seconds


def _memory_rows(row: Callable[..., Any]) -> list[Any]:
    def lazy(instances: int) -> Callable[[], object]:
        def make() -> object:
            books = [
                ContactBook("whatsapp", SIZE, ID_INSTANCE + n, ID_INSTANCE + n)
                for n in range(instances)
            ]
            for book in books:
                book.contacts_json()  # every instance has answered GetContacts once
            return books

        return make

    def eager() -> object:
        return _eager(ContactBook("whatsapp", SIZE, ID_INSTANCE, ID_INSTANCE))

    base, base_seconds = _retained(eager)
    rows = []
    for instances in (1, INSTANCES):
        ours, seconds = _retained(lazy(instances))
        rows.append(
            row(
                "mock",
                f"memory of {instances} x 100,000-contact WhatsApp instance(s), each answered "
                f"GetContacts: {ours / 2**20:.1f} MiB vs {base / 2**20:.1f} MiB",
                ours / base,
                "one eager book (dicts + id index + answer)",
                seconds,
                base_seconds,
                ours / base,
                {"instances": instances, "bytes": ours, "baseline_bytes": base},
            )
        )
    return rows
