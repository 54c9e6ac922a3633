"""Injected faults: per request (X-Mock-Fault header) and queued per instance."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from green_api_contacts.mock import (
    FAULT_KINDS,
    BackgroundServer,
    Fault,
    ManualClock,
    MockApp,
    MockInstance,
    create_app,
)

CONTACTS = "/waInstance11/getContacts/wa"
INFO = "/waInstance11/getContactInfo/wa"
TG_CONTACTS = "/waInstance41/getContacts/tg"
INFO_BODY = {"chatId": "79001234567@c.us"}
NGINX_502 = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
    "</center><hr><center>nginx</center></body></html>"
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app(clock: ManualClock) -> MockApp:
    instances = [
        MockInstance(11, "wa", "whatsapp", contacts=40),
        MockInstance(41, "tg", "telegram", contacts=40),
    ]
    return create_app(instances, rate_limit=True, clock=clock)


@pytest.fixture
async def client(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        yield client


def fault(value: str) -> dict[str, str]:
    return {"X-Mock-Fault": value}


# ---------------------------------------------------------------------------- header faults


async def test_429_without_and_with_retry_after(client: httpx.AsyncClient) -> None:
    plain = await client.get(CONTACTS, headers=fault("429"))
    assert plain.status_code == 429
    assert plain.text == "Too Many Requests"
    assert plain.headers["content-type"].startswith("text/plain")
    assert "retry-after" not in plain.headers
    timed = await client.get(CONTACTS, headers=fault("429; retry-after=2"))
    assert timed.status_code == 429
    assert timed.headers["retry-after"] == "2"


async def test_502_is_nginx_html(client: httpx.AsyncClient) -> None:
    response = await client.post(INFO, json=INFO_BODY, headers=fault("502"))
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == NGINX_502


@pytest.mark.parametrize(
    ("kind", "title"),
    [("503", "503 Service Temporarily Unavailable"), ("504", "504 Gateway Time-out")],
)
async def test_503_and_504_are_nginx_html(client: httpx.AsyncClient, kind: str, title: str) -> None:
    response = await client.get(CONTACTS, headers=fault(kind))
    assert response.status_code == int(kind)
    assert f"<title>{title}</title>" in response.text
    assert response.headers["content-type"].startswith("text/html")
    retry = await client.get(CONTACTS, headers=fault("503; retry-after=30"))
    assert retry.headers["retry-after"] == "30"


async def test_500_is_the_api_json_error(client: httpx.AsyncClient) -> None:
    response = await client.get(CONTACTS, headers=fault("500"))
    assert response.status_code == 500
    assert response.json()["message"] == "Internal Server Error"
    assert response.json()["statusCode"] == 500


async def test_slow_answers_normally_after_the_delay() -> None:
    """The delay goes through the injected sleep: counted, not timed."""
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    app = create_app([MockInstance(11, "wa", "whatsapp", contacts=40)], sleep=fake_sleep)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        normal = await client.get(CONTACTS)
        slow = await client.get(CONTACTS, headers=fault("slow; seconds=2.5"))
        app.mock.instance(11).inject("slow; seconds=0.25")
        queued = await client.get(CONTACTS)
    assert slow.status_code == queued.status_code == 200
    assert slow.content == queued.content == normal.content
    assert slept == [2.5, 0.25]


async def test_truncate_cuts_the_body_but_keeps_http_valid(client: httpx.AsyncClient) -> None:
    full = await client.get(TG_CONTACTS, headers=fault("slow; seconds=0"))
    cut = await client.get(TG_CONTACTS, headers=fault("truncate"))
    assert cut.status_code == 200
    assert cut.headers["content-type"] == "application/json"
    assert int(cut.headers["content-length"]) == len(cut.content)
    assert len(cut.content) == len(full.content) // 2
    assert full.content.startswith(cut.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    tiny = await client.post(INFO, json={"chatId": "1@g.us"}, headers=fault("truncate"))
    assert tiny.status_code == 200
    assert tiny.content == b"nu"


async def test_invalid_fault_header_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.get(CONTACTS, headers=fault("teapot"))
    assert response.status_code == 400
    assert response.json()["message"].startswith("X-Mock-Fault: unknown fault 'teapot'")


async def test_faults_do_not_hide_auth_errors(client: httpx.AsyncClient) -> None:
    assert (
        await client.get("/waInstance11/getContacts/x", headers=fault("502"))
    ).status_code == 401
    assert (
        await client.get("/waInstance99/getContacts/x", headers=fault("502"))
    ).status_code == 403
    assert (await client.post(CONTACTS, headers=fault("502"))).status_code == 404


async def test_faults_come_before_the_state(app: MockApp, client: httpx.AsyncClient) -> None:
    app.mock.instance(11).state = "starting"
    assert (await client.get(CONTACTS, headers=fault("502"))).status_code == 502
    assert (await client.get(CONTACTS, headers=fault("slow; seconds=0"))).status_code == 400


async def test_faults_bypass_the_rate_limiter(client: httpx.AsyncClient) -> None:
    # Faulted requests neither consume nor respect the 1 request/s budget.
    assert (await client.get(CONTACTS, headers=fault("502"))).status_code == 502
    assert (await client.get(CONTACTS)).status_code == 200
    assert (await client.get(CONTACTS)).status_code == 429
    assert (await client.get(CONTACTS, headers=fault("slow; seconds=0"))).status_code == 200
    assert (await client.get(CONTACTS, headers=fault("truncate"))).status_code == 200


# ----------------------------------------------------------------------------- queued faults


async def test_queued_faults_hit_the_next_requests(
    app: MockApp, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    runtime = app.mock.instance(11)
    runtime.inject(Fault("502"), times=2)
    runtime.inject("429; retry-after=1")
    assert runtime.pending_faults == 3
    statuses = []
    for _ in range(3):
        statuses.append((await client.get(CONTACTS)).status_code)
    assert statuses == [502, 502, 429]
    assert runtime.pending_faults == 0
    assert (await client.get(CONTACTS)).status_code == 200
    # Queues are per instance.
    assert (await client.get(TG_CONTACTS)).status_code == 200


async def test_queued_faults_can_target_one_method(app: MockApp, client: httpx.AsyncClient) -> None:
    runtime = app.mock.instance(11)
    runtime.inject("503", method="GetContactInfo")
    assert (await client.get(CONTACTS)).status_code == 200
    assert (await client.post(INFO, json=INFO_BODY)).status_code == 503
    assert (await client.post(INFO, json=INFO_BODY)).status_code == 200


async def test_header_wins_over_queue_and_does_not_consume_it(
    app: MockApp, client: httpx.AsyncClient
) -> None:
    runtime = app.mock.instance(11)
    runtime.inject("504")
    assert (await client.get(CONTACTS, headers=fault("500"))).status_code == 500
    assert runtime.pending_faults == 1
    assert (await client.get(CONTACTS)).status_code == 504
    runtime.inject("504", times=5)
    runtime.clear_faults()
    assert runtime.pending_faults == 0


def test_inject_rejects_nonsense(app: MockApp) -> None:
    runtime = app.mock.instance(11)
    with pytest.raises(ValueError, match="unknown method"):
        runtime.inject("502", method="sendMessage")
    with pytest.raises(ValueError, match="times"):
        runtime.inject("502", times=0)
    with pytest.raises(ValueError, match="unknown fault"):
        runtime.inject("404")


# --------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("429", Fault("429")),
        (" 429 ; Retry-After = 5 ", Fault("429", retry_after=5)),
        ("SLOW; seconds=0.25", Fault("slow", seconds=0.25)),
        ("truncate", Fault("truncate")),
        ("503; retry-after=0", Fault("503", retry_after=0)),
        ("502;", Fault("502")),
    ],
)
def test_fault_parse(text: str, expected: Fault) -> None:
    assert Fault.parse(text) == expected
    assert Fault.parse(str(expected)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "418",
        "429; retry-after=soon",
        "429; retry-after=-1",
        "429; retry-after=99999999",
        "502; retry-after=1",
        "slow; seconds=31",
        "slow; seconds=nan",
        "slow; seconds",
        "slow; speed=1",
    ],
)
def test_fault_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - every message differs; any ValueError is right
        Fault.parse(text)


def test_fault_statuses() -> None:
    assert {kind: Fault(kind).status for kind in FAULT_KINDS} == {
        "429": 429,
        "500": 500,
        "502": 502,
        "503": 503,
        "504": 504,
        "slow": None,
        "truncate": None,
        "reset": None,
    }


def test_reset_drops_the_connection_halfway_through_the_body() -> None:
    """Over real HTTP the server closes the socket after half the announced body."""
    app = create_app([MockInstance(11, "wa", "whatsapp", contacts=40)], rate_limit=False)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        full = client.get(CONTACTS)
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(CONTACTS, headers=fault("reset"))
        again = client.get(CONTACTS)  # the client reconnects; the server still answers
    assert full.status_code == again.status_code == 200
    assert again.content == full.content


def test_random_faults_are_seeded_and_hit_at_the_rate() -> None:
    """Same seed, same draws; over 2,000 draws a 10% rate hits 10% +- 2 points."""

    def draws(seed: int) -> list[str | None]:
        app = create_app([MockInstance(11, "wa", "whatsapp", contacts=1)])
        runtime = app.mock.instance(11)
        runtime.inject("502", times=2)  # the queue goes first
        runtime.inject_random(["500", "429", "reset", "slow; seconds=0"], rate=0.1, seed=seed)
        taken = [runtime.faults.take("getContacts") for _ in range(2002)]
        return [None if f is None else str(f) for f in taken]

    first = draws(7)
    assert first == draws(7)
    assert first != draws(8)
    assert first[:2] == ["502", "502"]
    hits = [f for f in first[2:] if f is not None]
    assert 160 <= len(hits) <= 240
    assert set(hits) == {"500", "429", "reset", "slow; seconds=0"}


@pytest.mark.parametrize("rate", [0.0, -0.1, 1.5, float("nan")])
def test_random_faults_reject_a_rate_outside_0_1(rate: float) -> None:
    app = create_app([MockInstance(11, "wa", "whatsapp", contacts=1)])
    with pytest.raises(ValueError, match="rate"):
        app.mock.instance(11).inject_random(["500"], rate=rate)
