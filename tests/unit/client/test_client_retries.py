"""Retries through httpx-retries: what is retried, how long we wait, and where it stops.

The mock and the retry policy share a ManualClock; the policy's sleeps only move that clock, so
the waits asserted here are exact and cost no time, and `sent_at` records when each request
started.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from httpx_retries import Retry, RetryTransport

from green_api_contacts import (
    AsyncWhatsAppClient,
    ConfigurationError,
    GreenAPIRetry,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    WhatsAppClient,
)
from green_api_contacts.client import RetryAbandoned
from green_api_contacts.mock import BackgroundServer, ManualClock, MockApp
from green_api_contacts.testing import MockTransport
from tests.unit.client_support import (
    KINDS,
    TG_ID,
    WA_ID,
    WA_TOKEN,
    Api,
    Recording,
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


def timed_api(kind: str, app: MockApp, clock: ManualClock, **retry: Any) -> tuple[Api, list[float]]:
    """A client whose GreenAPIRetry has `retry` options, and the clock time of each request."""
    sent_at: list[float] = []
    api = make_api(kind, app=app, clock=clock, on_request=lambda r: sent_at.append(clock()))
    api.client._retry = fake_retry(clock, api.sleeps, **retry)
    return api, sent_at


async def test_total_time_is_bounded(kind: str, app: MockApp, clock: ManualClock) -> None:
    api, sent_at = timed_api(
        kind, app, clock, total=100, max_retry_time=5.0, backoff_factor=1.0, max_backoff_wait=2.0
    )
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await api.get_contacts()
    await api.close()
    # A third 2 s wait would send at t=6 >= the deadline (5): no cut-down wait, no late attempt.
    assert sent_at == [0.0, 2.0, 4.0]
    assert api.sleeps.seconds == [2.0, 2.0]
    assert clock() == 4.0


async def test_an_attempt_that_would_start_at_the_deadline_is_not_made(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(
        kind, app, clock, total=100, max_retry_time=4.0, backoff_factor=1.0, max_backoff_wait=2.0
    )
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0, 2.0]  # the next one would start at exactly 4.0
    assert all(at < 4.0 for at in sent_at)


async def test_a_long_retry_after_ends_the_call_at_once(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(kind, app, clock, total=100, max_retry_time=10.0)
    app.mock.instance(api.id_instance).inject("429; retry-after=100", times=100)
    with pytest.raises(RateLimitedError) as caught:
        await api.get_contacts()
    await api.close()
    # Sending before 100 s is sending a request the server said it would refuse.
    assert sent_at == [0.0]
    assert api.sleeps.seconds == []
    assert caught.value.retry_after == 100.0
    assert caught.value.status_code == 429


async def test_a_retry_after_reaching_the_deadline_ends_the_call(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(kind, app, clock, total=100, max_retry_time=4.0)
    app.mock.instance(api.id_instance).inject("429; retry-after=2", times=100)
    with pytest.raises(RateLimitedError) as caught:
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0, 2.0]  # the third would start at the deadline, 4.0
    assert api.sleeps.seconds == [2.0]
    assert caught.value.retry_after == 2.0


async def test_a_retry_after_over_max_backoff_wait_ends_the_call(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(kind, app, clock, max_backoff_wait=5.0)
    app.mock.instance(api.id_instance).inject("503; retry-after=6", times=100)
    with pytest.raises(ServerError) as caught:
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0]
    assert api.sleeps.seconds == []
    assert caught.value.status_code == 503


async def test_a_backoff_floor_over_max_backoff_wait_ends_the_call(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(kind, app, clock, max_backoff_wait=0.5)  # under the 1 s floor
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0]


async def test_a_retry_after_over_the_sleep_budget_ends_the_call(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(kind, app, clock, total_timeout=5.0)
    app.mock.instance(api.id_instance).inject("429; retry-after=3", times=100)
    with pytest.raises(RateLimitedError):
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0, 3.0]  # 3 s more would be 6 s of sleep, over total_timeout
    assert api.sleeps.seconds == [3.0]


async def test_connection_errors_stop_before_the_deadline(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    sent_at: list[float] = []
    api = make_api(
        kind, app=app, clock=clock, fail_first=100, on_request=lambda r: sent_at.append(clock())
    )
    api.client._retry = fake_retry(
        clock, api.sleeps, total=100, max_retry_time=3.5, backoff_factor=1.0
    )
    with pytest.raises(TransportError, match="ConnectError") as caught:
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0, 2.0]  # then a 4 s backoff: past the deadline
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


async def test_a_sleep_that_overruns_the_deadline_sends_nothing_more(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    api, sent_at = timed_api(kind, app, clock, total=100, max_retry_time=3.0)

    def oversleep(wait: float) -> None:
        api.sleeps(wait + 5.0)  # a sleep that returns late (a loaded machine)

    async def aoversleep(wait: float) -> None:
        oversleep(wait)

    api.client._retry.sleep_func = oversleep
    api.client._retry.async_sleep_func = aoversleep
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await api.get_contacts()
    await api.close()
    assert sent_at == [0.0]
    assert api.sleeps.seconds == [6.0]


def test_the_policy_gives_up_in_sleep_the_way_the_loop_ends_when_exhausted() -> None:
    """httpx-retries calls is_exhausted(), then increment() and sleep(), then sends: sleep()
    re-raises the last error, or raises RetryAbandoned with the last response."""
    clock = ManualClock()
    retry = GreenAPIRetry(max_retry_time=2.0, clock=clock, sleep_func=clock.advance).for_request()
    limited = httpx.Response(429, headers={"Retry-After": "5"})
    assert not retry.is_exhausted()
    retry = retry.increment()
    with pytest.raises(RetryAbandoned) as caught:
        retry.sleep(limited)
    assert caught.value.response is limited
    assert clock() == 0.0
    refused = httpx.ConnectError("refused")
    with pytest.raises(httpx.ConnectError) as raised:
        GreenAPIRetry(max_backoff_wait=0.5).for_request().increment().sleep(refused)
    assert raised.value is refused


def test_a_retry_transport_with_green_api_retry_stops_at_a_long_retry_after() -> None:
    """Run by httpx-retries' RetryTransport in the caller's http_client: our clients turn the
    abandoned attempt back into the last answer; plain httpx users see RetryAbandoned."""
    clock = ManualClock()
    app = make_app(clock)
    app.mock.instance(WA_ID).inject("429; retry-after=100", times=100)
    inner = Recording(MockTransport(app))
    retry = GreenAPIRetry(clock=clock, sleep_func=clock.advance)
    own = httpx.Client(transport=RetryTransport(transport=inner, retry=retry))
    with (
        WhatsAppClient(
            id_instance=WA_ID, api_token=WA_TOKEN, api_url="http://mock.test", http_client=own
        ) as client,
        pytest.raises(RateLimitedError) as caught,
    ):
        client.get_contacts()
    assert caught.value.retry_after == 100.0
    assert len(inner.requests) == 1
    with pytest.raises(RetryAbandoned) as abandoned:
        own.get(f"http://mock.test/waInstance{WA_ID}/getContacts/{WA_TOKEN}")
    assert abandoned.value.response.status_code == 429
    assert WA_TOKEN not in str(abandoned.value)
    assert len(inner.requests) == 2
    own.close()


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
        assert retry.give_up_reason(wait) is None  # a capped backoff never ends the retries
    assert retry.wait_seconds(httpx.Response(429, headers={"Retry-After": "4"})) == 4.0
    assert retry.wait_seconds(httpx.Response(429, headers={"Retry-After": "40"})) == 40.0
    assert retry.give_up_reason(40.0) == (
        "the next attempt would have to wait 40 s, over max_backoff_wait"
    )


def test_a_plain_httpx_retries_retry_is_accepted() -> None:
    clock = ManualClock()
    app = make_app(clock)
    app.mock.instance(WA_ID).inject("502", times=1)
    transport = Recording(MockTransport(app))
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
    inner = Recording(MockTransport(app))
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


@pytest.mark.parametrize("is_async", [False, True])
async def test_an_http_client_that_retries_through_mounts_is_not_retried_twice(
    is_async: bool,
) -> None:
    """httpx_retries' helpers refuse a client with a RetryTransport anywhere (main transport or
    a mount): we detect it the same way and leave the retrying to it."""
    clock = ManualClock()
    app = make_app(clock)
    app.mock.instance(WA_ID).inject("502", times=100)
    inner = Recording(httpx.ASGITransport(app=app) if is_async else MockTransport(app))
    mounts = {"http://": RetryTransport(transport=inner, retry=Retry(total=1))}
    options: dict[str, Any] = {"id_instance": WA_ID, "api_token": WA_TOKEN}
    options["api_url"] = "http://mock.test"
    if is_async:
        aown = httpx.AsyncClient(mounts=mounts)
        async with AsyncWhatsAppClient(**options, http_client=aown) as aclient:
            assert aclient._retry is None
            with pytest.raises(ServerError):
                await aclient.get_contacts()
        await aown.aclose()
    else:
        own = httpx.Client(mounts=mounts)
        with WhatsAppClient(**options, http_client=own) as client:
            assert client._retry is None
            with pytest.raises(ServerError):
                client.get_contacts()
        own.close()
    assert len(inner.requests) == 2  # RetryTransport's two attempts, not 2 x 4


@pytest.mark.parametrize("is_async", [False, True])
async def test_a_double_retry_refused_by_httpx_retries_is_a_configuration_error(
    is_async: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should our detection ever miss what httpx_retries detects, its ValueError still becomes a
    ConfigurationError (nothing was sent)."""
    monkeypatch.setattr("green_api_contacts.client._config.retries_by_itself", lambda http: False)
    inner = Recording(httpx.MockTransport(lambda r: httpx.Response(200, json=[])))
    retrying = RetryTransport(transport=inner)
    options: dict[str, Any] = {"id_instance": WA_ID, "api_token": WA_TOKEN}
    options["api_url"] = "http://mock.test"
    if is_async:
        async with httpx.AsyncClient(transport=retrying) as aown:
            aclient = AsyncWhatsAppClient(**options, http_client=aown)
            with pytest.raises(ConfigurationError, match="retries by itself") as caught:
                await aclient.get_contacts()
    else:
        with httpx.Client(transport=retrying) as own:
            client = WhatsAppClient(**options, http_client=own)
            with pytest.raises(ConfigurationError, match="retries by itself") as caught:
                client.get_contacts()
    assert caught.value.__context__ is None
    assert caught.value.operation == "getContacts"
    assert inner.requests == []


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
    assert api.sleeps.seconds == [0.001, 0.001]  # the policy's fake sleeps: nothing really waited
    await api.close()


async def test_empty_answer_waits_run_on_the_policys_clock(kind: str, clock: ManualClock) -> None:
    """Only the waits move the clock here: three 4 s waits take the mock past its 10 s warm-up."""
    app = make_app(clock, warmup_seconds=10.0)
    api = make_api(kind, app=app, clock=clock, retry_empty_contacts=5, retry_empty_delay=4.0)
    assert await api.get_contacts()
    await api.close()
    assert api.sleeps.seconds == [4.0, 4.0, 4.0]
    assert len(api.transport.requests) == 4
    assert clock() == 12.0


async def test_retries_and_empty_waits_share_one_clock(kind: str, clock: ManualClock) -> None:
    """A 503 retried after the 1 s floor, then [] waited out: one sequence of fake sleeps."""
    app = make_app(clock, warmup_seconds=3.0)
    app.mock.instance(WA_ID).inject("503", times=1)
    app.mock.instance(TG_ID).inject("503", times=1)
    api = make_api(kind, app=app, clock=clock, retry_empty_delay=2.5)
    assert await api.get_contacts(retry_empty=2)
    await api.close()
    # 0 s: 503; 1 s (floor): []; 3.5 s: contacts.
    assert api.sleeps.seconds == [1.0, 2.5]
    assert len(api.transport.requests) == 3


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

        with pytest.raises(RequestTimeoutError, match="no answer from") as caught:
            await call()
        # Both attempts reach the server, but on a loaded machine the second may be handled
        # after the client gave up on it: wait for that event (bounded), do not race it.
        runtime = app.mock.instance(WA_ID)
        waited_until = time.monotonic() + 30
        while runtime.pending_faults and time.monotonic() < waited_until:
            time.sleep(0.01)
    assert isinstance(caught.value, TransportError)
    assert sleeps == [1.0]  # one retry, after the 1 s floor
    assert runtime.pending_faults == 0  # both attempts reached the server
    assert caught.value.__context__ is None
