"""Bounded concurrent load over loopback: correct answers, no 5xx, and an exact rate limiter."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import anyio
import httpx

from green_api_contacts.mock import (
    BackgroundServer,
    ManualClock,
    MockApp,
    MockInstance,
    RateLimiter,
    create_app,
)

CLIENTS = 50
TOTAL_REQUESTS = 2000
# Fake seconds per answer: 1,000 answers span 10 fake seconds, whatever the machine's speed.
HAMMER_REQUESTS = 1000
TICK = 0.01
DEADLINE_SECONDS = 120.0

INSTANCES = [
    MockInstance(11, "wa", "whatsapp", contacts=300),
    MockInstance(41, "tg", "telegram", contacts=300),
]


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    expected: int
    params: dict[str, str] | None = None
    body: dict[str, object] | None = None
    check: Callable[[httpx.Response], bool] = lambda response: True


def plan(app: MockApp) -> list[Case]:
    wa_book = app.mock.instance(11).book
    tg_book = app.mock.instance(41).book
    wa_user = next(str(i["id"]) for i in wa_book.items if i["type"] == "user")
    tg_user = next(str(i["chatId"]) for i in tg_book.items if i["type"] == "user")
    wa_groups = sum(1 for i in wa_book.items if i["type"] == "group")
    cases = [
        Case("GET", "/waInstance11/getContacts/wa", 200, check=lambda r: len(r.json()) == 300),
        Case(
            "GET",
            "/waInstance11/GetContacts/wa/",
            200,
            params={"group": "true"},
            check=lambda r: len(r.json()) == wa_groups,
        ),
        Case(
            "GET",
            "/waInstance41/getContacts/tg",
            200,
            params={"count": "7"},
            check=lambda r: len(r.json()) == 7,
        ),
        Case(
            "POST",
            "/waInstance11/getContactInfo/wa",
            200,
            body={"chatId": wa_user},
            check=lambda r: r.json()["chatId"] == wa_user,
        ),
        Case(
            "POST",
            "/waInstance11/getContactInfo/wa",
            200,
            body={"chatId": "120363000000000001@g.us"},
            check=lambda r: r.content == b"null",
        ),
        Case(
            "POST",
            "/waInstance41/getContactInfo/tg",
            200,
            body={"chatId": tg_user},
            check=lambda r: r.json()["chatId"] == tg_user,
        ),
        Case("POST", "/waInstance41/getContactInfo/tg", 400, body={"chatId": "-1001"}),
        Case(
            "GET", "/waInstance11/getContacts/wrong", 401, check=lambda r: r.text == "Unauthorized"
        ),
        Case("GET", "/waInstance99/getContacts/wa", 403),
        Case("GET", "/waInstance11/getContacts/wa", 400, params={"count": "0"}),
        Case("PUT", "/waInstance41/getContacts/tg", 404),
    ]
    return list(itertools.islice(itertools.cycle(cases), TOTAL_REQUESTS))


async def test_fifty_concurrent_clients_get_correct_answers() -> None:
    app = create_app(INSTANCES, rate_limit=False)
    app.mock.prepare()
    cases = plan(app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    pending = iter(enumerate(cases))

    async def worker(base_url: str) -> None:
        # One client (one keep-alive connection) per worker: 50 independent clients.
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            for index, case in pending:  # the shared iterator hands out each case once
                response = await client.request(
                    case.method, case.url, params=case.params, json=case.body
                )
                statuses[response.status_code] += 1
                if response.status_code != case.expected or not case.check(response):
                    failures.append(f"#{index} {case.method} {case.url}: {response.status_code}")

    with BackgroundServer(app) as server, anyio.fail_after(DEADLINE_SECONDS):
        async with anyio.create_task_group() as group:
            for _ in range(CLIENTS):
                group.start_soon(worker, server.url)

    assert failures == []
    assert sum(statuses.values()) == TOTAL_REQUESTS
    assert not [status for status in statuses if status >= 500]


async def test_rate_limit_is_exact_under_concurrent_hammering() -> None:
    """50 clients hammer two (instance, method) keys while a fake clock moves per answer.

    The clock advances by TICK after every answer a client receives, so the run spans at most
    HAMMER_REQUESTS * TICK fake seconds however slow or loaded the machine is: the assertions
    count events, never wall-clock time.
    """
    clock = ManualClock()
    app = create_app(INSTANCES, rate_limit=True, clock=clock)
    app.mock.prepare()
    targets = {
        (11, "getContacts"): ("GET", "/waInstance11/getContacts/wa", None),
        (41, "getContactInfo"): ("POST", "/waInstance41/getContactInfo/tg", {"chatId": "10000000"}),
    }
    keys = list(targets)
    seen: dict[tuple[int, str], Counter[int]] = {key: Counter() for key in keys}
    sent = itertools.count()

    async def worker(base_url: str, key: tuple[int, str]) -> None:
        method, url, body = targets[key]
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            while next(sent) < HAMMER_REQUESTS:
                response = await client.request(method, url, json=body)
                clock.advance(TICK)
                seen[key][response.status_code] += 1
                if response.status_code == 429:
                    assert response.text == "Too Many Requests"

    with BackgroundServer(app) as server, anyio.fail_after(DEADLINE_SECONDS):
        async with anyio.create_task_group() as group:
            for index in range(CLIENTS):
                group.start_soon(worker, server.url, keys[index % 2])

    history = list(app.mock.limiter.history)
    assert len(history) == HAMMER_REQUESTS
    span = HAMMER_REQUESTS * TICK
    for key in keys:
        decisions = [d for d in history if (d.id_instance, d.method) == key]
        accepted = [d.at for d in decisions if d.accepted]
        # What clients saw is exactly what the limiter decided: nothing else answered.
        assert set(seen[key]) <= {200, 429}
        assert seen[key][200] == len(accepted)
        assert seen[key][429] == len(decisions) - len(accepted)
        # Never two accepted within a second...
        assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(accepted))
        # ...and never a refusal once a second had passed since the last accepted one.
        last_accepted: float | None = None
        for decision in decisions:
            if decision.accepted:
                last_accepted = decision.at
            else:
                assert last_accepted is not None
                assert decision.at - last_accepted < 1.0
        # The decisions span at most `span` fake seconds: at most one accepted per second of
        # it plus the first, and a 429 for every other request.
        assert 1 <= len(accepted) <= int(span) + 1
        assert seen[key][429] > 50


def test_manual_clock_drives_the_limiter_exactly() -> None:
    """The limiter itself, clock in hand: acceptance exactly at the interval boundary."""
    clock = ManualClock()
    limiter = RateLimiter(clock)
    assert limiter.acquire(1, "getContacts")
    clock.advance(0.5)
    assert not limiter.acquire(1, "getContacts")
    assert limiter.acquire(2, "getContacts")  # another instance has its own window
    clock.advance(0.5)
    assert limiter.acquire(1, "getContacts")
    assert [d.accepted for d in limiter.history] == [True, False, True, True]
    assert [d.at for d in limiter.history] == [0.0, 0.5, 0.5, 1.0]
