"""Instance states (400/466) and the exact 1 request/s/method/instance rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from green_api_contacts.mock import (
    INSTANCE_STATES,
    ManualClock,
    MockApp,
    MockInstance,
    RateLimiter,
    create_app,
)

WA_CONTACTS = "/waInstance11/getContacts/wa"
WA_INFO = "/waInstance11/getContactInfo/wa"
TG_CONTACTS = "/waInstance41/getContacts/tg"
TG_INFO = "/waInstance41/getContactInfo/tg"
WA_BODY = {"chatId": "79001234567@c.us"}
TG_BODY = {"chatId": "10000000"}
STATE_MESSAGES = {
    "starting": "instance in starting process try later",
    "notAuthorized": "instance account not authorized",
    "expired": "Instance account is expired. Renew your instance from personal area",
    "deleted": "Instance is deleted",
}
INSTANCES = [
    MockInstance(11, "wa", "whatsapp", contacts=30),
    MockInstance(41, "tg", "telegram", contacts=30),
]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1000.0)


@pytest.fixture
def app(clock: ManualClock) -> MockApp:
    return create_app(INSTANCES, rate_limit=True, clock=clock)


@pytest.fixture
async def client(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        yield client


async def call(client: httpx.AsyncClient, url: str) -> httpx.Response:
    if "getContactInfo" in url:
        return await client.post(url, json=WA_BODY if "/waInstance11/" in url else TG_BODY)
    return await client.get(url)


# ------------------------------------------------------------------------------------- states


@pytest.mark.parametrize("url", [WA_CONTACTS, WA_INFO, TG_CONTACTS, TG_INFO])
@pytest.mark.parametrize("state", sorted(STATE_MESSAGES))
async def test_unusable_states_answer_400(
    app: MockApp, client: httpx.AsyncClient, url: str, state: str
) -> None:
    app.mock.instance(int(url.split("/")[1][10:])).state = state  # type: ignore[assignment]
    response = await call(client, url)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == STATE_MESSAGES[state]
    assert body["statusCode"] == 400
    assert body["path"] == url


@pytest.mark.parametrize(
    ("url", "method"),
    [(WA_CONTACTS, "getcontacts"), (WA_INFO, "getcontactinfo"), (TG_CONTACTS, "getcontacts")],
)
async def test_quota_exceeded_answers_466(
    app: MockApp, client: httpx.AsyncClient, url: str, method: str
) -> None:
    app.mock.instance(int(url.split("/")[1][10:])).state = "quotaExceeded"
    response = await call(client, url)
    assert response.status_code == 466
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"invokeStatus", "correspondentsStatus"}
    invoke = body["invokeStatus"]
    assert invoke["method"] == method
    assert invoke["used"] == invoke["total"] == 1000
    assert invoke["status"] == "QUOTE_EXCEEDED"
    assert "Monthly quota has been exceeded" in invoke["description"]
    assert body["correspondentsStatus"]["method"] == "correspondents"


async def test_the_monthly_quota_figure_is_configurable() -> None:
    """1000 calls a month is an assumption (no published page states it): it is a setting."""
    instance = MockInstance(12, "q", "max", state="quotaExceeded", monthly_quota=250)
    transport = httpx.ASGITransport(app=create_app([instance]))
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        response = await client.get("/v3/waInstance12/getContacts/q")
    assert response.status_code == 466
    assert response.json()["invokeStatus"]["used"] == response.json()["invokeStatus"]["total"]
    assert response.json()["invokeStatus"]["total"] == 250
    with pytest.raises(ValueError, match="monthly_quota"):
        MockInstance(12, "q", "max", monthly_quota=0)


async def test_the_rate_interval_is_configurable() -> None:
    """1 request per second is an assumption too: a slower limit is one argument away."""
    clock = ManualClock()
    app = create_app(
        [MockInstance(13, "r", "telegram")], rate_limit=True, rate_interval=5.0, clock=clock
    )
    transport = httpx.ASGITransport(app=app)
    statuses = []
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        for step in (0.0, 1.0, 3.5, 0.5):  # exact in binary: 0, 1, 4.5, 5
            clock.advance(step)
            statuses.append((await client.get("/waInstance13/getContacts/r")).status_code)
    assert statuses == [200, 429, 429, 200]
    assert app.mock.limiter.interval == 5.0


async def test_auth_is_checked_before_state(app: MockApp, client: httpx.AsyncClient) -> None:
    app.mock.instance(11).state = "deleted"
    assert (await client.get("/waInstance11/getContacts/nope")).status_code == 401
    assert (await client.post(WA_CONTACTS)).status_code == 404
    assert (await client.get(WA_CONTACTS)).status_code == 400


async def test_state_changes_take_effect_immediately(
    app: MockApp, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    runtime = app.mock.instance(41)
    assert runtime.state == "authorized"
    runtime.state = "starting"
    assert (await call(client, TG_CONTACTS)).status_code == 400
    runtime.state = "authorized"
    assert (await call(client, TG_CONTACTS)).status_code == 200
    with pytest.raises(ValueError, match="state must be one of"):
        runtime.state = "sleeping"  # type: ignore[assignment]
    assert set(INSTANCE_STATES) == {"authorized", *STATE_MESSAGES, "quotaExceeded"}


async def test_configured_initial_state() -> None:
    app = create_app([MockInstance(5, "t", "whatsapp", state="expired")])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        response = await client.get("/waInstance5/getContacts/t")
    assert response.json()["message"] == STATE_MESSAGES["expired"]


# --------------------------------------------------------------------------------- rate limit


async def test_second_request_within_a_second_is_429(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    assert (await call(client, WA_CONTACTS)).status_code == 200
    limited = await call(client, WA_CONTACTS)
    assert limited.status_code == 429
    assert limited.headers["content-type"].startswith("text/plain")
    assert limited.text == "Too Many Requests"
    assert "retry-after" not in limited.headers
    clock.advance(0.999)
    assert (await call(client, WA_CONTACTS)).status_code == 429
    clock.advance(0.001)  # exactly 1.0 s after the accepted request
    assert (await call(client, WA_CONTACTS)).status_code == 200
    assert (await call(client, WA_CONTACTS)).status_code == 429


async def test_rejected_requests_do_not_move_the_window(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    assert (await call(client, TG_INFO)).status_code == 200
    for _ in range(9):
        clock.advance(0.1)
        assert (await call(client, TG_INFO)).status_code == 429
    clock.advance(0.1)
    assert (await call(client, TG_INFO)).status_code == 200


async def test_limit_is_per_method_and_per_instance(client: httpx.AsyncClient) -> None:
    for url in (WA_CONTACTS, WA_INFO, TG_CONTACTS, TG_INFO):
        assert (await call(client, url)).status_code == 200, url
    for url in (WA_CONTACTS, WA_INFO, TG_CONTACTS, TG_INFO):
        assert (await call(client, url)).status_code == 429, url


async def test_method_name_case_shares_one_window(client: httpx.AsyncClient) -> None:
    assert (await client.get("/waInstance11/getContacts/wa")).status_code == 200
    assert (await client.get("/waInstance11/GetContacts/wa/")).status_code == 429


async def test_what_consumes_the_limit(
    app: MockApp, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    # Auth, routing and state failures are answered before the limiter: no budget used.
    assert (await client.get("/waInstance11/getContacts/wrong")).status_code == 401
    assert (await client.post(WA_CONTACTS)).status_code == 404
    app.mock.instance(11).state = "starting"
    assert (await call(client, WA_CONTACTS)).status_code == 400
    app.mock.instance(11).state = "authorized"
    # A validation error comes after the limiter, so it uses the second's budget.
    assert (await client.get(WA_CONTACTS, params={"count": 0})).status_code == 400
    assert (await call(client, WA_CONTACTS)).status_code == 429
    clock.advance(1.0)
    assert (await call(client, WA_CONTACTS)).status_code == 200


async def test_rate_limit_can_be_switched_off(app: MockApp, client: httpx.AsyncClient) -> None:
    app.mock.rate_limit = False
    for _ in range(5):
        assert (await call(client, WA_CONTACTS)).status_code == 200
    app.mock.rate_limit = True
    assert (await call(client, WA_CONTACTS)).status_code == 200
    assert (await call(client, WA_CONTACTS)).status_code == 429

    off = create_app(INSTANCES, rate_limit=False)
    transport = httpx.ASGITransport(app=off)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as other:
        statuses = [(await call(other, TG_INFO)).status_code for _ in range(5)]
    assert statuses == [200] * 5


async def test_decisions_are_recorded(
    app: MockApp, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    await call(client, WA_CONTACTS)
    clock.advance(0.5)
    await call(client, WA_CONTACTS)
    history = list(app.mock.limiter.history)
    assert [(d.id_instance, d.method, d.at, d.accepted) for d in history] == [
        (11, "getContacts", 1000.0, True),
        (11, "getContacts", 1000.5, False),
    ]


def test_rate_limiter_unit() -> None:
    clock = ManualClock()
    limiter = RateLimiter(clock, interval=2.0, history=3)
    assert limiter.acquire(1, "m")
    clock.advance(1.999)
    assert not limiter.acquire(1, "m")
    assert limiter.acquire(2, "m")
    assert limiter.acquire(1, "other")
    clock.advance(0.001)
    assert limiter.acquire(1, "m")
    assert len(limiter.history) == 3  # bounded
    limiter.reset()
    assert limiter.acquire(1, "m")
    assert len(limiter.history) == 1
    with pytest.raises(ValueError, match="interval"):
        RateLimiter(clock, interval=0)
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance(-1)
