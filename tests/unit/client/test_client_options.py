"""with_options: per-call options on a client of the same class, sharing the connection pool.

Each of the four clients against the mock in-process (see client_support), with a fake clock:
the options reach the requests (timeouts, attempts, waits), the httpx client and the token holder
are shared, closing is one-way (derived -> nothing; original -> both), options are checked as the
constructor checks them, and the token stays out of reprs and errors.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from httpx_retries import Retry

from green_api_contacts import ClientClosedError, ConfigurationError, GreenAPIRetry, ServerError
from green_api_contacts.mock import ManualClock, MockApp
from tests.unit.client_support import KINDS, Api, client_class, make_api


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def api(kind: str, app: MockApp, clock: ManualClock) -> AsyncIterator[Api]:
    api = make_api(kind, app=app, clock=clock)
    yield api
    await api.close()


def derived_api(api: Api, **options: Any) -> Api:
    """The same test face over api.client.with_options(**options)."""
    return Api(api.kind, api.client.with_options(**options), api.transport, api.clock, api.sleeps)


async def test_same_class_same_pool_same_token_holder(api: Api) -> None:
    derived = api.client.with_options(timeout=5)
    assert type(derived) is type(api.client)
    assert derived._http is api.client._http  # one httpx client: one pool, one transport
    assert derived._http._transport is api.client._http._transport
    assert derived._token is api.client._token
    assert (derived.id_instance, derived.api_url, derived.flavour) == (
        api.client.id_instance,
        api.client.api_url,
        api.client.flavour,
    )


async def test_timeout_reaches_each_request_and_not_the_original(api: Api) -> None:
    derived = derived_api(api, timeout=2.5)
    await derived.get_contacts()
    await api.get_contacts()
    first, second = api.transport.requests
    assert first.extensions["timeout"] == dict.fromkeys(("connect", "read", "write", "pool"), 2.5)
    assert second.extensions["timeout"]["read"] == 60.0  # the original keeps its default
    fine = httpx.Timeout(9.0, connect=1.0)
    await derived_api(api, timeout=fine).get_contacts()
    assert api.transport.requests[-1].extensions["timeout"] == fine.as_dict()


async def test_max_retries_applies_to_the_derived_client_only(api: Api, app: MockApp) -> None:
    instance = app.mock.instance(api.id_instance)
    instance.inject("503", times=100)
    with pytest.raises(ServerError):
        await derived_api(api, max_retries=0).get_contacts()
    assert len(api.transport.requests) == 1  # no retry
    with pytest.raises(ServerError):
        await derived_api(api, max_retries=1).get_contacts()
    assert len(api.transport.requests) == 3
    with pytest.raises(ServerError):
        await api.get_contacts()
    assert len(api.transport.requests) == 7  # the original: first attempt and 3 retries


async def test_retry_settings_other_than_the_bounds_are_carried_over(api: Api) -> None:
    original = api.client._retry
    derived = api.client.with_options(max_retries=1, max_retry_time=7.0)._retry
    assert isinstance(original, GreenAPIRetry)
    assert isinstance(derived, GreenAPIRetry)
    assert (derived.total, derived.max_retry_time) == (1, 7.0)
    assert (original.total, original.max_retry_time) == (3, 60.0)
    # The fake clock and sleeps of the test, the backoff: the same as the original's.
    assert derived.clock is original.clock
    assert derived.sleep_func is original.sleep_func
    assert derived.async_sleep_func is original.async_sleep_func
    assert (derived.backoff_factor, derived.backoff_jitter) == (0.5, 0.0)
    # Nothing given: the very same policy.
    assert api.client.with_options()._retry is original


async def test_max_retry_time_bounds_the_derived_calls(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("502", times=100)
    with pytest.raises(ServerError):
        await derived_api(api, max_retries=100, max_retry_time=2.5).get_contacts()
    # Waits of 1 s then 2 s: the second would reach t=3 >= 2.5, so no third attempt.
    assert api.sleeps.seconds == [1.0]
    assert len(api.transport.requests) == 2


async def test_retry_empty_contacts(kind: str, clock: ManualClock) -> None:
    from tests.unit.client_support import make_app

    app = make_app(clock, warmup_seconds=3.0)
    api = make_api(kind, app=app, clock=clock)
    contacts = await derived_api(api, retry_empty_contacts=2, retry_empty_delay=2.0).get_contacts()
    await api.close()
    assert len(contacts) == 30
    assert api.sleeps.seconds == [2.0, 2.0]  # [] at t=0 and t=2, contacts at t=4


async def test_closing_the_derived_client_leaves_the_pool_open(api: Api) -> None:
    derived = derived_api(api, timeout=5)
    await derived.close()
    assert not api.client._http.is_closed
    assert len(await api.get_contacts()) == 30
    with pytest.raises(ClientClosedError, match="the client is closed"):
        await derived.get_contacts()
    assert len(api.transport.requests) == 1  # nothing sent for the closed one


async def test_derived_client_as_context_manager(kind: str, app: MockApp) -> None:
    api = make_api(kind, app=app)
    derived = api.client.with_options(max_retries=0)
    if api.is_async:
        async with derived as client:
            assert len(await client.get_contacts()) == 30
    else:
        with derived as client:
            assert len(client.get_contacts()) == 30
    assert not api.client._http.is_closed
    assert len(await api.get_contacts()) == 30
    await api.close()


async def test_closing_the_original_closes_the_pool_for_both(api: Api) -> None:
    derived = derived_api(api, timeout=5)
    await api.close()
    assert api.client._http.is_closed
    with pytest.raises(
        ClientClosedError, match=r"derived from \(with_options\) is closed: that client"
    ):
        await derived.get_contacts()
    with pytest.raises(ClientClosedError, match="with_options needs an open client"):
        api.client.with_options(timeout=5)


async def test_a_derived_client_can_derive_again(api: Api) -> None:
    twice = api.client.with_options(timeout=5).with_options(max_retries=0)
    assert twice._http is api.client._http
    assert twice._timeout == 5.0
    assert twice._retry.total == 0


def _constructor_error(kind: str, **option: Any) -> str:
    with pytest.raises(ConfigurationError) as caught:
        client_class(kind)(id_instance=1101000001, api_token="a" * 50, **option)
    return str(caught.value)


@pytest.mark.parametrize(
    "option",
    [
        {"timeout": 0},
        {"timeout": -1.0},
        {"timeout": math.inf},
        {"timeout": math.nan},
        {"timeout": "5"},
        {"timeout": True},
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"max_retry_time": 0},
        {"max_retry_time": "60"},
        {"retry_empty_contacts": -1},
        {"retry_empty_delay": -0.5},
    ],
    ids=repr,
)
async def test_options_are_checked_as_the_constructor_checks_them(
    api: Api, option: dict[str, Any]
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        api.client.with_options(**option)
    name = next(iter(option))
    assert str(caught.value).startswith(f"{name} must be")
    assert str(caught.value) == _constructor_error(api.kind, **option)


async def test_timeout_none_is_refused_with_what_to_pass_instead(api: Api) -> None:
    with pytest.raises(ConfigurationError, match=r"httpx.Timeout\(None\) for no timeout"):
        api.client.with_options(timeout=None)


async def test_max_retries_on_a_callers_retry_policy(kind: str, app: MockApp) -> None:
    # A plain httpx_retries.Retry: max_retries applies; max_retry_time is GreenAPIRetry's only.
    api = make_api(kind, app=app, retry=Retry(total=4, backoff_factor=0.0))
    derived = api.client.with_options(max_retries=0, max_retry_time=5.0)._retry
    assert isinstance(derived, Retry)
    assert not isinstance(derived, GreenAPIRetry)
    assert derived.total == 0
    assert api.client.with_options(max_retry_time=5.0)._retry is api.client._retry
    await api.close()


async def test_repr_and_errors_of_a_derived_client_hold_no_token(api: Api, app: MockApp) -> None:
    derived = derived_api(api, timeout=5, max_retries=0)
    assert repr(derived.client) == repr(api.client)
    assert api.token not in repr(derived.client)
    assert api.token not in repr(vars(derived.client))
    app.mock.instance(api.id_instance).inject("500", times=1)
    with pytest.raises(ServerError) as caught:
        await derived.get_contacts()
    assert api.token not in str(caught.value)
    assert api.token not in repr(caught.value)
