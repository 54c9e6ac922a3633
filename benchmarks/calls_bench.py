"""Many small calls: GetContactInfo rows of `make bench` (the mock in its own process, loopback).

1. 2,000 concurrent get_contact_info through a default AsyncWhatsAppClient (the [aiohttp] extra
   installed, as in the dev lock) and through raw httpx on httpx-aiohttp's transport, against
   raw aiohttp with the same connection limit (100), which also reads and json.loads every body.
2. The alternatives, at 500 concurrent calls (httpx's own pool needs tens of seconds for 2,000):
   httpx.AsyncClient with its default pool, with a tuned pool (100 keep-alive connections), with
   in-flight requests bounded by a semaphore (100), and the client on httpx's own transport (what
   you get without the extra); each against raw aiohttp at 500. httpx clients get a 120 s timeout
   (the 5 s default pool timeout fails them). HTTP/2 is not measured: uvicorn, the mock's server,
   speaks HTTP/1.1 only, and httpx over h2 needs a server that multiplexes.
3. 200 sequential get_contact_info through WhatsAppClient against httpx.Client + json.loads.

Clients are built once per section and warmed (connections open); each round is one batch.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Final

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from benchmarks._procs import ID_INSTANCE, TOKEN, MockProcess
from benchmarks.bench import Row, interleaved
from green_api_contacts import AsyncWhatsAppClient, WhatsAppClient
from green_api_contacts.mock import ContactBook

BOOK: Final = 10_000
CALLS: Final = 2_000
SLOW_CALLS: Final = 500
SEQUENTIAL: Final = 200
LIMIT: Final = 100
HTTPX_TIMEOUT: Final = 120.0
KEEPALIVE: Final = 3.0
TARGETS: Final = {"calls_2000_default_async_max_ratio": 2.0, "sync_sequential_max_ratio": 1.2}
BASELINE: Final = "raw aiohttp, same connection limit"


def chat_ids(count: int) -> list[str]:
    """Users of the mock instance's book (the mock seeds it with the instance id)."""
    items = json.loads(ContactBook("whatsapp", BOOK, ID_INSTANCE, ID_INSTANCE).contacts_json())
    users = [item["id"] for item in items if item["id"].endswith("@c.us")]
    return (users * (count // len(users) + 1))[:count]


Batch = Callable[[list[str]], Awaitable[object]]


def _gather(one: Callable[[str], Awaitable[object]]) -> Batch:
    async def batch(ids: list[str]) -> object:
        return await asyncio.gather(*(one(chat_id) for chat_id in ids))

    return batch


async def _clients(url: str, stack: list[Any]) -> dict[str, Batch]:
    """Every way to make the calls, each built in the running loop (aiohttp needs one)."""
    path = f"{url}/waInstance{ID_INSTANCE}/getContactInfo/{TOKEN}"
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them.
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=LIMIT, keepalive_timeout=KEEPALIVE)
    )
    stack.append(session.close)

    async def raw_aiohttp(chat_id: str) -> object:
        async with session.post(path, json={"chatId": chat_id}) as answer:
            return json.loads(await answer.read())

    def httpx_batch(http: httpx.AsyncClient, bound: asyncio.Semaphore | None = None) -> Batch:
        stack.append(http.aclose)

        async def one(chat_id: str) -> object:
            if bound is None:
                return json.loads((await http.post(path, json={"chatId": chat_id})).content)
            async with bound:
                return json.loads((await http.post(path, json={"chatId": chat_id})).content)

        return _gather(one)

    def client(**options: Any) -> Batch:
        made = AsyncWhatsAppClient(id_instance=ID_INSTANCE, api_token=TOKEN, api_url=url, **options)
        stack.append(made.aclose)
        return _gather(made.get_contact_info)

    tuned = httpx.Limits(max_connections=LIMIT, max_keepalive_connections=LIMIT)
    return {
        "raw aiohttp": _gather(raw_aiohttp),
        "default AsyncWhatsAppClient (aiohttp transport)": client(),
        "raw httpx on httpx-aiohttp's transport": httpx_batch(
            httpx.AsyncClient(
                transport=AiohttpTransport(
                    limits=httpx.Limits(max_connections=LIMIT, keepalive_expiry=KEEPALIVE)
                ),
                timeout=HTTPX_TIMEOUT,
            )
        ),
        "httpx.AsyncClient, default pool": httpx_batch(httpx.AsyncClient(timeout=HTTPX_TIMEOUT)),
        "httpx.AsyncClient, 100 keep-alive connections": httpx_batch(
            httpx.AsyncClient(limits=tuned, timeout=HTTPX_TIMEOUT)
        ),
        "httpx.AsyncClient, 100 in flight (semaphore)": httpx_batch(
            httpx.AsyncClient(timeout=HTTPX_TIMEOUT), asyncio.Semaphore(LIMIT)
        ),
        "AsyncWhatsAppClient on httpx's own transport (no extra)": client(
            transport=httpx.AsyncHTTPTransport(), timeout=HTTPX_TIMEOUT
        ),
    }


FAST: Final = (
    "default AsyncWhatsAppClient (aiohttp transport)",
    "raw httpx on httpx-aiohttp's transport",
)
SLOW: Final = (
    "httpx.AsyncClient, default pool",
    "httpx.AsyncClient, 100 keep-alive connections",
    "httpx.AsyncClient, 100 in flight (semaphore)",
    "AsyncWhatsAppClient on httpx's own transport (no extra)",
)


def _rows(times: dict[str, float], calls: int) -> list[Row]:
    base = times["raw aiohttp"]
    return [
        Row(
            "many calls",
            f"{calls:,} concurrent get_contact_info: {name}",
            seconds / base,
            BASELINE,
            seconds,
            base,
            extra={"calls": calls, "case": name},
        )
        for name, seconds in times.items()
        if name != "raw aiohttp"
    ]


def _runner(loop: asyncio.AbstractEventLoop, batch: Batch, ids: list[str]) -> Callable[[], object]:
    return lambda: loop.run_until_complete(batch(ids))


def bench_async(rounds: int, slow_rounds: int) -> list[Row]:
    """Sections 1 and 2: concurrent calls, each batch in one persistent event loop."""
    loop = asyncio.new_event_loop()
    closers: list[Any] = []
    rows: list[Row] = []
    try:
        with MockProcess([f"{ID_INSTANCE}:{TOKEN}:whatsapp:{BOOK}"]) as mock:
            batches = loop.run_until_complete(_clients(mock.url, closers))
            for names, calls, count in (
                (FAST, CALLS, rounds),
                (SLOW, SLOW_CALLS, slow_rounds),
            ):
                ids = chat_ids(calls)
                cases = {
                    name: _runner(loop, batches[name], ids) for name in ("raw aiohttp", *names)
                }
                for case in cases.values():  # warm: connections open, pools full
                    case()
                rows += _rows(interleaved(cases, count), calls)
                print(f"many calls: {calls:,} calls done", file=sys.stderr, flush=True)
            for close in closers:
                loop.run_until_complete(close())
    finally:
        loop.close()
    return rows


def bench_sync(rounds: int) -> list[Row]:
    """Section 3: sequential blocking calls, against httpx.Client + json.loads."""
    ids = chat_ids(SEQUENTIAL)
    with MockProcess([f"{ID_INSTANCE}:{TOKEN}:whatsapp:{BOOK}"]) as mock:
        path = f"{mock.url}/waInstance{ID_INSTANCE}/getContactInfo/{TOKEN}"
        with (
            httpx.Client(timeout=HTTPX_TIMEOUT) as plain,
            WhatsAppClient(id_instance=ID_INSTANCE, api_token=TOKEN, api_url=mock.url) as client,
        ):

            def raw() -> None:
                for chat_id in ids:
                    json.loads(plain.post(path, json={"chatId": chat_id}).content)

            def ours() -> None:
                for chat_id in ids:
                    client.get_contact_info(chat_id)

            raw()
            ours()
            times = interleaved({"raw": raw, "ours": ours}, rounds)
    return [
        Row(
            "many calls",
            f"{SEQUENTIAL} sequential get_contact_info: WhatsAppClient",
            times["ours"] / times["raw"],
            "httpx.Client + json.loads",
            times["ours"],
            times["raw"],
            extra={"calls": SEQUENTIAL, "case": "sync sequential"},
        )
    ]


def verdicts(rows: list[Row]) -> dict[str, dict[str, Any]]:
    """The issue's targets for many calls: default async client and sequential sync calls."""
    picks = {
        "calls_2000_default_async_max_ratio": FAST[0],
        "sync_sequential_max_ratio": "sync sequential",
    }
    found: dict[str, dict[str, Any]] = {}
    for target, case in picks.items():
        ratios = [r.ratio for r in rows if r.extra.get("case") == case]
        if ratios:
            worst, limit = max(ratios), TARGETS[target]
            found[target] = {"measured": worst, "target": limit, "holds": worst <= limit}
    return found
