"""Retries through httpx-retries: what is retried, how long we wait, and where it stops.

The mock and the retry policy share a ManualClock; the policy's sleeps only move that clock, so
the waits asserted here are exact and cost no time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from httpx_retries import Retry, RetryTransport

from green_api_contacts import (
    AsyncWhatsAppClient,
    GreenAPIRetry,
    RateLimitedError,
    ServerError,
    TransportError,
    WhatsAppClient,
)
from green_api_contacts.mock import BackgroundServer, ManualClock, MockApp
from tests.unit.client_support import (
    KINDS,
    WA_ID,
    WA_TOKEN,
    Api,
    Recording,
    SyncASGITransport,
    fake_retry,
    make_api,
    make_app,
)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def api(kind: str, app: MockApp, clock: ManualClock) -> AsyncIterator[Api]:
    api = make_api(kind, app=app, clock=clock)
    yield api
    await api.close()


@pytest.mark.parametrize("fault", ["429", "502", "503", "504"])
async def test_retryable_statuses_are_retried_until_success(
    api: Api, app: MockApp, fault: str
) -> None:
    app.mock.instance(api.id_instance).inject(fault, times=2)
    contacts = await api.get_contacts()
    assert len(contacts) == 30
    assert len(api.transport.requests) == 3
    # Exponential backoff (0.5 * 2**n, no jitter here), never under 1 s: the API allows 1 rps.
    assert api.sleeps.seconds == [1.0, 2.0]


async def test_post_get_contact_info_is_retried(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("502", times=1, method="getContactInfo")
    info = await api.get_contact_info(api.user_chat_id)
    assert info.chat_id == api.user_chat_id
    assert [r.method for r in api.transport.requests] == ["POST", "POST"]
    assert api.transport.requests[0].content == api.transport.requests[1].content


async def test_retry_after_is_honoured(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("429; retry-after=2", times=2)
    await api.get_contacts()
    assert api.sleeps.seconds == [2.0, 2.0]


async def test_retry_after_on_503_is_honoured(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("503; retry-after=3", times=1)
    await api.get_contacts()
    assert api.sleeps.seconds == [3.0]


async def test_retry_after_zero_overrides_the_one_second_floor(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("429; retry-after=0", times=1)
    await api.get_contacts()
    assert len(api.transport.requests) == 2
    assert api.sleeps.seconds == []


async def test_the_real_rate_limit_costs_one_second(kind: str, clock: ManualClock) -> None:
    app = make_app(clock, rate_limit=True)
    api = make_api(kind, app=app, clock=clock)
    await api.get_contacts()
    await api.get_contacts()  # same second: the mock answers 429, we wait 1 s and get it
    await api.close()
    assert len(api.transport.requests) == 3
    assert api.sleeps.seconds == [1.0]
    decisions = [d.accepted for d in app.mock.limiter.history]
    assert decisions == [True, False, True]


async def test_connection_errors_are_retried(kind: str, app: MockApp) -> None:
    api = make_api(kind, app=app, fail_first=2)
    assert len(await api.get_contacts()) == 30
    await api.close()
    assert len(api.transport.requests) == 3
    assert api.sleeps.seconds == [1.0, 2.0]


async def test_timeouts_are_retried(kind: str, app: MockApp) -> None:
    api = make_api(
        kind, app=app, fail_first=1, error=lambda r: httpx.ReadTimeout("timed out", request=r)
    )
    assert await api.get_contact_info(api.user_chat_id) is not None
    await api.close()
    assert len(api.transport.requests) == 2


async def test_attempts_are_bounded(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await api.get_contacts()
    assert len(api.transport.requests) == 4  # the first attempt and max_retries=3 retries
    assert app.mock.instance(api.id_instance).pending_faults == 96


async def test_rate_limited_after_retries_carries_retry_after(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("429; retry-after=5", times=100)
    with pytest.raises(RateLimitedError) as caught:
        await api.get_contacts()
    assert caught.value.retry_after == 5.0
    assert caught.value.status_code == 429
    assert len(api.transport.requests) == 4


async def test_connection_errors_become_transport_error_without_chaining(
    kind: str, app: MockApp
) -> None:
    api = make_api(kind, app=app, fail_first=100)
    with pytest.raises(TransportError) as caught:
        await api.get_contacts()
    await api.close()
    error = caught.value
    assert len(api.transport.requests) == 4
    assert error.status_code is None
    assert error.operation == "getContacts"
    assert "ConnectError" in str(error)
    # The httpx exception holds the request, whose URL holds the token: it must not ride along.
    assert error.__cause__ is None
    assert error.__context__ is None


async def test_total_time_is_bounded(kind: str, app: MockApp, clock: ManualClock) -> None:
    api = make_api(kind, app=app, clock=clock)
    api.client._retry = fake_retry(
        clock, api.sleeps, total=100, max_retry_time=5.0, backoff_factor=1.0, max_backoff_wait=2.0
    )
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await api.get_contacts()
    await api.close()
    assert api.sleeps.seconds == [2.0, 2.0, 1.0]  # the last sleep is cut to the deadline
    assert clock() == 5.0
    assert len(api.transport.requests) == 4  # no attempt starts after the deadline


async def test_a_long_retry_after_is_cut_to_the_deadline(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api = make_api(kind, app=app, clock=clock)
    api.client._retry = fake_retry(clock, api.sleeps, total=100, max_retry_time=10.0)
    app.mock.instance(api.id_instance).inject("429; retry-after=100", times=100)
    with pytest.raises(RateLimitedError) as caught:
        await api.get_contacts()
    await api.close()
    assert api.sleeps.seconds == [10.0]
    assert caught.value.retry_after == 100.0


async def test_each_call_gets_its_own_deadline(api: Api, app: MockApp, clock: ManualClock) -> None:
    api.client._retry = fake_retry(clock, api.sleeps, total=100, max_retry_time=3.0)
    app.mock.instance(api.id_instance).inject("502", times=1)
    await api.get_contacts()
    clock.advance(100)
    app.mock.instance(api.id_instance).inject("502", times=1)
    await api.get_contacts()
    assert len(api.transport.requests) == 4


async def test_max_retries_zero_switches_retries_off(kind: str, app: MockApp) -> None:
    api = make_api(kind, app=app, retry=None, max_retries=0)
    app.mock.instance(api.id_instance).inject("429; retry-after=7", times=5)
    with pytest.raises(RateLimitedError) as caught:
        await api.get_contacts()
    assert caught.value.retry_after == 7.0
    assert len(api.transport.requests) == 1
    api.transport.failures_left = 1
    with pytest.raises(TransportError):
        await api.get_contact_info(api.user_chat_id)
    assert len(api.transport.requests) == 2
    await api.close()


def test_default_policy() -> None:
    with WhatsAppClient(id_instance=WA_ID, api_token=WA_TOKEN) as client:
        retry = client._retry
    assert isinstance(retry, GreenAPIRetry)
    assert retry.total == 3
    assert retry.max_retry_time == 60.0
    assert retry.min_backoff == 1.0
    assert retry.is_retryable_method("POST") and retry.is_retryable_method("GET")
    assert all(retry.is_retryable_status_code(code) for code in (429, 502, 503, 504))
    assert not any(retry.is_retryable_status_code(code) for code in (400, 401, 403, 404, 466, 500))


def test_jittered_backoff_stays_between_the_floor_and_the_cap() -> None:
    retry = GreenAPIRetry(total=10).for_request()
    for _ in range(8):
        retry = retry.increment()
        wait = retry.wait_seconds(httpx.Response(502))
        assert 1.0 <= wait <= 30.0
    assert retry.wait_seconds(httpx.Response(429, headers={"Retry-After": "4"})) == 4.0


def test_a_plain_httpx_retries_retry_is_accepted() -> None:
    clock = ManualClock()
    app = make_app(clock)
    app.mock.instance(WA_ID).inject("502", times=1)
    transport = Recording(SyncASGITransport(app))
    with WhatsAppClient(
        id_instance=WA_ID,
        api_token=WA_TOKEN,
        api_url="http://mock.test",
        transport=transport,
        retry=Retry(total=1, allowed_methods=["GET", "POST"]),
    ) as client:
        assert client.get_contacts()
    assert len(transport.requests) == 2


def test_an_http_client_that_already_retries_is_not_retried_twice() -> None:
    clock = ManualClock()
    app = make_app(clock)
    app.mock.instance(WA_ID).inject("502", times=100)
    inner = Recording(SyncASGITransport(app))
    own = httpx.Client(transport=RetryTransport(transport=inner, retry=Retry(total=1)))
    with (
        WhatsAppClient(
            id_instance=WA_ID, api_token=WA_TOKEN, api_url="http://mock.test", http_client=own
        ) as client,
        pytest.raises(ServerError),
    ):
        client.get_contacts()
    assert len(inner.requests) == 2  # RetryTransport's two attempts, not 2 x 4
    assert not own.is_closed  # the caller's client stays the caller's
    own.close()


async def test_a_plain_http_client_gets_our_retries(app: MockApp, clock: ManualClock) -> None:
    app.mock.instance(WA_ID).inject("429", times=1)
    inner = Recording(httpx.ASGITransport(app=app))
    own = httpx.AsyncClient(transport=inner)
    api = make_api("async-whatsapp", app=app, clock=clock)
    async with AsyncWhatsAppClient(
        id_instance=WA_ID,
        api_token=WA_TOKEN,
        api_url="http://mock.test",
        http_client=own,
        retry=api.client._retry,
    ) as client:
        assert await client.get_contacts()
    await api.close()
    assert len(inner.requests) == 2
    assert not own.is_closed
    await own.aclose()


# ---------------------------------------------------------------------------- [] opt-in


@pytest.mark.parametrize(
    ("retry_empty", "requests", "found"), [(0, 1, False), (1, 2, False), (2, 3, True), (5, 3, True)]
)
async def test_empty_answer_is_repeated_only_when_asked(
    kind: str, clock: ManualClock, retry_empty: int, requests: int, found: bool
) -> None:
    app = make_app(clock, warmup_seconds=10.0)
    # Each request happens 4 s after the previous one: [] at 4 s and 8 s, contacts at 12 s.
    api = make_api(
        kind, app=app, clock=clock, on_request=lambda r: clock.advance(4.0), retry_empty_delay=0
    )
    contacts = await api.get_contacts(retry_empty=retry_empty)
    await api.close()
    assert len(api.transport.requests) == requests
    assert bool(contacts) is found


async def test_client_wide_empty_retries_and_delay(kind: str, clock: ManualClock) -> None:
    app = make_app(clock, warmup_seconds=10.0)
    api = make_api(
        kind,
        app=app,
        clock=clock,
        on_request=lambda r: clock.advance(4.0),
        retry_empty_contacts=3,
        retry_empty_delay=0.001,
    )
    assert await api.get_contacts()
    assert len(api.transport.requests) == 3
    await api.close()


# ---------------------------------------------------------------------------- over loopback


@pytest.mark.parametrize("is_async", [False, True])
async def test_read_timeout_over_a_real_socket(is_async: bool, clock: ManualClock) -> None:
    app = make_app(clock)
    app.mock.instance(WA_ID).inject("slow; seconds=0.3", times=2)
    sleeps: list[float] = []

    async def asleep(seconds: float) -> None:
        sleeps.append(seconds)

    retry = GreenAPIRetry(total=1, clock=clock, sleep_func=sleeps.append, async_sleep_func=asleep)
    with BackgroundServer(app) as server:
        options: dict[str, Any] = {
            "id_instance": WA_ID,
            "api_token": WA_TOKEN,
            "api_url": server.url,
            "timeout": 0.05,
            "retry": retry,
        }

        async def call() -> None:
            if is_async:
                async with AsyncWhatsAppClient(**options) as aclient:
                    await aclient.get_contacts()
            else:
                with WhatsAppClient(**options) as client:
                    client.get_contacts()

        with pytest.raises(TransportError, match="ReadTimeout") as caught:
            await call()
    assert sleeps == [1.0]  # one retry, after the 1 s floor
    assert app.mock.instance(WA_ID).pending_faults == 0  # both attempts reached the server
    assert caught.value.__context__ is None
