"""Errors that say what to do: str() of each documented failure carries a hint after the message,
a connection error names the host it tried, and none of it holds the token. The four clients
against the mock (and synthetic answers where the mock has no such failure), fake clock."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from green_api_contacts import (
    ForbiddenError,
    GreenAPIError,
    InstanceDeletedError,
    InstanceExpiredError,
    InstanceNotAuthorizedError,
    InstanceStartingError,
    NotFoundError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from green_api_contacts.mock import ManualClock, MockApp
from tests.unit.client_support import API_URL, KINDS, TOKENS, Api, make_api


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def api(kind: str, app: MockApp, clock: ManualClock) -> AsyncIterator[Api]:
    api = make_api(kind, app=app, clock=clock)
    yield api
    await api.close()


async def failure(api: Api) -> GreenAPIError:
    with pytest.raises(GreenAPIError) as caught:
        await api.get_contacts()
    error = caught.value
    for token in TOKENS:
        assert token not in str(error)
        assert token not in repr(error)
        assert token not in (error.hint or "")
    return error


async def test_401_says_to_check_the_token(api: Api) -> None:
    api.client._token = type(api.client._token)("0" * 50)
    error = await failure(api)
    assert type(error) is UnauthorizedError
    assert str(error) == (
        f"getContacts ({api.flavour}): HTTP 401: Unauthorized; check apiTokenInstance: it must be "
        "the API token the console shows for this instance"
    )


async def test_403_says_to_check_the_instance_id_and_the_host(api: Api) -> None:
    api.client._id_instance = 1234567
    error = await failure(api)
    assert type(error) is ForbiddenError
    assert error.hint == (
        f"check idInstance, and that apiUrl ({API_URL} here) is the instance's own host as the "
        "console shows it (often https://NNNN.api.green-api.com, NNNN the first four digits of "
        "idInstance)"
    )
    assert str(error).endswith(f"HTTP 403: Forbidden; {error.hint}")


async def test_404_says_to_check_the_api_url(kind: str) -> None:
    api = make_api(
        kind,
        handler=lambda request: httpx.Response(404, text="Not Found"),
        api_url=f"{API_URL}/prefix",
    )
    error = await failure(api)
    await api.close()
    assert type(error) is NotFoundError
    # The host only: no path (the request's ends with the token).
    assert (
        error.hint == f"check apiUrl ({API_URL} here): the console's apiUrl, with no path after it"
    )


@pytest.mark.parametrize(
    ("state", "cls", "hint"),
    [
        ("starting", InstanceStartingError, "try again in a few seconds"),
        ("notAuthorized", InstanceNotAuthorizedError, "log the account in"),
        ("expired", InstanceExpiredError, "renew the instance's plan in the console"),
        ("deleted", InstanceDeletedError, "use the idInstance and token of an existing instance"),
        ("quotaExceeded", QuotaExceededError, "move the instance to a larger plan"),
    ],
)
async def test_instance_states_say_what_to_do(
    api: Api, app: MockApp, state: str, cls: type[GreenAPIError], hint: str
) -> None:
    app.mock.instance(api.id_instance).state = state  # type: ignore[assignment]
    error = await failure(api)
    assert type(error) is cls
    assert error.hint is not None
    assert hint in error.hint
    assert str(error).endswith(f"; {error.hint}")
    assert error.message not in error.hint  # the API's own message stays as it was


async def test_429_says_how_long_to_wait(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("429; retry-after=5", times=100)
    error = await failure(api)
    assert type(error) is RateLimitedError
    assert error.hint == (
        "GREEN-API answers about 1 request per second per method and instance: wait 5 s before "
        "calling again, or let the client retry longer (max_retries, max_retry_time)"
    )


async def test_429_without_retry_after_says_at_least_a_second(kind: str) -> None:
    api = make_api(kind, handler=lambda request: httpx.Response(429, text="Too Many Requests"))
    error = await failure(api)
    await api.close()
    assert error.hint is not None
    assert "wait at least 1 s before calling again" in error.hint


async def test_a_connection_error_names_the_host_it_tried(kind: str, app: MockApp) -> None:
    api = make_api(kind, app=app, fail_first=100)
    error = await failure(api)
    await api.close()
    assert type(error) is TransportError
    assert error.message == f"no answer from {API_URL} (ConnectError: connection refused)"
    assert error.hint is not None
    assert error.hint.startswith("check apiUrl")


async def test_a_timeout_says_to_raise_the_timeout(kind: str, app: MockApp) -> None:
    def slow(request: httpx.Request) -> Exception:
        return httpx.ReadTimeout("timed out", request=request)

    api = make_api(kind, app=app, fail_first=100, error=slow)
    error = await failure(api)
    await api.close()
    assert error.message == f"no answer from {API_URL} (ReadTimeout: timed out)"
    assert error.hint is not None
    assert "raise the timeout" in error.hint


async def test_errors_without_advice_have_no_hint(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("500", times=100)
    error = await failure(api)
    assert type(error) is ServerError
    assert error.hint is None
    assert not str(error).endswith("; None")


async def test_each_retry_wait_is_logged_at_info_without_the_token(
    api: Api, app: MockApp, caplog: pytest.LogCaptureFixture
) -> None:
    app.mock.instance(api.id_instance).inject("503", times=2)
    with caplog.at_level(logging.INFO, logger="green_api_contacts.retry"):
        await api.get_contacts()
    messages = [r.getMessage() for r in caplog.records if r.name == "green_api_contacts.retry"]
    assert messages == [
        "HTTP 503: waiting 1.0 s before retry 1 of 3",
        "HTTP 503: waiting 2.0 s before retry 2 of 3",
    ]
    assert all(token not in caplog.text for token in TOKENS)
