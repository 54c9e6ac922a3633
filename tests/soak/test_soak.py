"""A bounded fault soak: many calls through the public clients against a misbehaving mock.

`make test-soak` runs it (not `make test`: it takes a minute or two). The mock runs on 127.0.0.1
and gives 10% of the requests a fault (500, 429, a connection reset halfway through the body,
a slow answer). Two phases:

- 200 concurrent async calls (both flavours, both methods) with the default retry policy made
  fast (GreenAPIRetry with millisecond backoff);
- 2,000 sequential client lifecycles (construct, call, close; sync and async alternating,
  retries off so that every fault reaches the caller).

Every call must end in a result or a GreenAPIError subclass; open sockets and file descriptors
are counted before and after (no leak); RSS growth over the sequential phase is reported and
bounded. Figures go to build/soak/results.json and the terminal. Loops are bounded in count and
each phase by a deadline; no assertion depends on how fast the machine is.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from green_api_contacts import (
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    GreenAPIError,
    GreenAPIRetry,
    TelegramClient,
    WhatsAppClient,
)
from green_api_contacts.mock import BackgroundServer, MockApp, MockInstance, create_app

pytestmark = pytest.mark.soak

CONCURRENT = 200
LIFECYCLES = 2000
WARMUP_LIFECYCLES = 100
FAULT_RATE = 0.1
FAULTS = ["500", "429", "reset", "slow; seconds=0.05"]
# Bounds: a leak of 2,000 clients (sockets, buffers, contact lists) would far exceed this.
RSS_GROWTH_LIMIT_MIB = 48
PHASE_DEADLINE_SECONDS = 300.0
SETTLE_SECONDS = 10.0
WA_ID, TG_ID = 1101000777, 4100000777
WA_TOKEN, TG_TOKEN = "a" * 50, "b" * 50
RESULTS = Path(__file__).resolve().parents[2] / "build" / "soak" / "results.json"
_STATUS_RE = re.compile(r"-> (\d{3})$")


class Statuses(logging.Handler):
    """Counts the mock's answers by status code, from its own debug log line."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: Counter[int] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        found = _STATUS_RE.search(record.getMessage())
        if found:
            self.counts[int(found.group(1))] += 1


def open_fds() -> Counter[str]:
    """This process's open file descriptors by kind (socket, pipe, anon_inode, file)."""
    kinds: Counter[str] = Counter()
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # closed between listdir and readlink (the listdir fd itself)
            continue
        kinds[target.split(":", 1)[0] if ":" in target else "file"] += 1
    return kinds


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def settled_fds(baseline: Counter[str]) -> Counter[str]:
    """Open fds once the server has noticed closed connections (bounded wait, then as they are)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    current = open_fds()
    while current["socket"] > baseline["socket"] and time.monotonic() < deadline:
        time.sleep(0.05)
        current = open_fds()
    return current


def record(phase: str, figures: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[phase] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"\nsoak {phase}: {json.dumps(figures, sort_keys=True)}")


@pytest.fixture
def mock() -> Iterator[tuple[MockApp, str, Statuses]]:
    app = create_app(
        [
            MockInstance(WA_ID, WA_TOKEN, "whatsapp", contacts=50),
            MockInstance(TG_ID, TG_TOKEN, "telegram", contacts=50),
        ],
        rate_limit=False,
    )
    for seed, runtime in enumerate(app.mock.instances):
        runtime.inject_random(FAULTS, rate=FAULT_RATE, seed=seed)
    app.mock.prepare()
    statuses = Statuses()
    mock_logger = logging.getLogger("green_api_contacts.mock")
    saved_level = mock_logger.level
    mock_logger.addHandler(statuses)
    mock_logger.setLevel(logging.DEBUG)
    try:
        with BackgroundServer(app) as server:
            yield app, server.url, statuses
    finally:
        mock_logger.removeHandler(statuses)
        mock_logger.setLevel(saved_level)


def fast_retry() -> GreenAPIRetry:
    """The default policy's decisions with millisecond waits, so the soak stays short."""
    return GreenAPIRetry(
        total=3, backoff_factor=0.001, min_backoff=0.001, max_backoff_wait=0.01, backoff_jitter=0
    )


def outcome_of(error: BaseException | None) -> str:
    if error is None:
        return "result"
    if isinstance(error, GreenAPIError):
        return type(error).__name__
    return f"UNTYPED {type(error).__name__}: {error}"


async def settle(call: Callable[[], Awaitable[Any]]) -> str:
    try:
        await call()
    except Exception as exc:  # every exception is classified; untyped ones fail the test
        return outcome_of(exc)
    return outcome_of(None)


async def test_200_concurrent_async_calls_end_in_a_result_or_a_typed_error(
    mock: tuple[MockApp, str, Statuses],
) -> None:
    app, url, statuses = mock
    baseline = open_fds()
    outcomes: Counter[str] = Counter()
    wa_user = next(str(c["id"]) for c in app.mock.instance(WA_ID).book.items)
    tg_user = next(str(c["chatId"]) for c in app.mock.instance(TG_ID).book.items)
    with anyio.fail_after(PHASE_DEADLINE_SECONDS):
        async with (
            AsyncWhatsAppClient(
                id_instance=WA_ID, api_token=WA_TOKEN, api_url=url, retry=fast_retry(), timeout=30
            ) as wa,
            AsyncTelegramClient(
                id_instance=TG_ID, api_token=TG_TOKEN, api_url=url, retry=fast_retry(), timeout=30
            ) as tg,
        ):
            calls: list[Callable[[], Awaitable[Any]]] = [
                lambda: wa.get_contacts(count=10),
                lambda: wa.get_contact_info(wa_user),
                lambda: tg.get_contacts(count=10),
                lambda: tg.get_contact_info(tg_user),
            ]

            async def one(index: int) -> None:
                outcomes[await settle(calls[index % len(calls)])] += 1

            async with anyio.create_task_group() as group:
                for index in range(CONCURRENT):
                    group.start_soon(one, index)
    after = settled_fds(baseline)
    record(
        "concurrent",
        {
            "calls": CONCURRENT,
            "outcomes": dict(outcomes),
            "mock_statuses": {str(k): v for k, v in sorted(statuses.counts.items())},
            "fds_before": dict(baseline),
            "fds_after": dict(after),
        },
    )
    assert sum(outcomes.values()) == CONCURRENT
    assert not [kind for kind in outcomes if kind.startswith("UNTYPED")], outcomes
    assert outcomes["result"] > 0
    # Faults were really served (and retried): 500s and 429s reached the clients.
    assert statuses.counts[500] + statuses.counts[429] > 0
    assert after["socket"] <= baseline["socket"], (baseline, after)
    assert sum(after.values()) <= sum(baseline.values()), (baseline, after)


def lifecycle(index: int, url: str, wa_user: str, tg_user: str) -> str:
    """One client from construction to close; even indexes sync, odd async; retries off."""
    whatsapp = index % 4 < 2
    options: dict[str, Any] = {"api_url": url, "max_retries": 0, "timeout": 30}
    if whatsapp:
        options.update(id_instance=WA_ID, api_token=WA_TOKEN)
    else:
        options.update(id_instance=TG_ID, api_token=TG_TOKEN)
    user = wa_user if whatsapp else tg_user
    if index % 2 == 0:
        sync_class = WhatsAppClient if whatsapp else TelegramClient
        try:
            with sync_class(**options) as client:
                client.get_contacts(count=5)
                client.get_contact_info(user)
        except Exception as exc:  # classified below; untyped ones fail the test
            return outcome_of(exc)
        return outcome_of(None)
    async_class = AsyncWhatsAppClient if whatsapp else AsyncTelegramClient

    async def run() -> str:
        async def both() -> None:
            async with async_class(**options) as client:
                await client.get_contacts(count=5)
                await client.get_contact_info(user)

        return await settle(both)

    return anyio.run(run)


def test_2000_sequential_client_lifecycles_leak_nothing(
    mock: tuple[MockApp, str, Statuses],
) -> None:
    app, url, statuses = mock
    wa_user = next(str(c["id"]) for c in app.mock.instance(WA_ID).book.items)
    tg_user = next(str(c["chatId"]) for c in app.mock.instance(TG_ID).book.items)
    for index in range(WARMUP_LIFECYCLES):  # first-use caches, imports, pools reach steady state
        lifecycle(index, url, wa_user, tg_user)
    gc.collect()
    baseline, rss_before = settled_fds(open_fds()), rss_mib()
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + PHASE_DEADLINE_SECONDS
    for index in range(LIFECYCLES):
        assert time.monotonic() < deadline, f"soak bound reached after {index} lifecycles"
        outcomes[lifecycle(index, url, wa_user, tg_user)] += 1
    gc.collect()
    after, rss_after = settled_fds(baseline), rss_mib()
    growth = rss_after - rss_before
    record(
        "sequential",
        {
            "lifecycles": LIFECYCLES,
            "outcomes": dict(outcomes),
            "mock_statuses": {str(k): v for k, v in sorted(statuses.counts.items())},
            "fds_before": dict(baseline),
            "fds_after": dict(after),
            "rss_before_mib": round(rss_before, 1),
            "rss_after_mib": round(rss_after, 1),
            "rss_growth_mib": round(growth, 1),
            "rss_growth_limit_mib": RSS_GROWTH_LIMIT_MIB,
        },
    )
    assert sum(outcomes.values()) == LIFECYCLES
    assert not [kind for kind in outcomes if kind.startswith("UNTYPED")], outcomes
    assert outcomes["result"] > LIFECYCLES // 2
    # With retries off, each kind of fault reaches the caller as its typed error.
    assert {"ServerError", "RateLimitedError"} <= set(outcomes), outcomes
    assert after["socket"] <= baseline["socket"], (baseline, after)
    assert sum(after.values()) <= sum(baseline.values()), (baseline, after)
    assert growth < RSS_GROWTH_LIMIT_MIB, f"RSS grew {growth:.1f} MiB"
