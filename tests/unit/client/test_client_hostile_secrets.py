"""The new failures keep the token out of every text, tracebacks with locals included: errors
raised by the bounded reader inside httpx-retries' loop are re-raised without those frames."""

from __future__ import annotations

import httpx
import pytest

from green_api_contacts import (
    FlavourMismatchError,
    GreenAPIError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ResponseValidationError,
)
from tests.unit.client.hostile_support import DribbleServer, SteppedClock, streamed
from tests.unit.client_support import KINDS, TOKENS, Api, make_api
from tests.unit.test_client_secrets import exception_texts


def _assert_clean(error: BaseException) -> None:
    assert error.__context__ is None and error.__cause__ is None
    for text in exception_texts(error):
        for token in TOKENS:
            assert token not in text


async def _raised(api: Api) -> GreenAPIError:
    with pytest.raises(GreenAPIError) as caught:
        await api.get_contacts()
    await api.close()
    return caught.value


@pytest.mark.parametrize("kind", KINDS)
async def test_a_body_over_the_cap(kind: str) -> None:
    is_async = kind.startswith("async")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=streamed(10**9, is_async=is_async, pulled=[]))

    error = await _raised(make_api(kind, handler=handler, max_response_size=1000))
    assert isinstance(error, ResponseTooLargeError)
    _assert_clean(error)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_body_that_does_not_inflate(kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        chunks = [b"definitely not gzip"]
        content = (
            streamed(19, is_async=True, pulled=[], piece=chunks[0])
            if kind.startswith("async")
            else iter(chunks)
        )
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=content)

    error = await _raised(make_api(kind, handler=handler))
    assert isinstance(error, ResponseValidationError)
    _assert_clean(error)


@pytest.mark.parametrize("kind", KINDS)
async def test_an_attempt_past_its_deadline(kind: str) -> None:
    clock = SteppedClock()
    with DribbleServer(clock) as server:
        api = make_api(kind, api_url=server.url, timeout=3, retry=None, max_retries=0)
        api.client._retry.clock = clock  # the default policy, on the server's fake clock
        api.transport.inner = (
            httpx.AsyncHTTPTransport() if kind.startswith("async") else httpx.HTTPTransport()
        )
        error = await _raised(api)
    assert isinstance(error, RequestTimeoutError)
    _assert_clean(error)


@pytest.mark.parametrize("kind", KINDS)
async def test_an_answer_of_the_other_flavour(kind: str) -> None:
    body = (
        [{"id": "79001234567@c.us", "type": "user"}]
        if kind.endswith("telegram")
        else [{"chatId": "1", "phoneNumber": 0}]
    )
    error = await _raised(make_api(kind, handler=lambda r: httpx.Response(200, json=body)))
    assert isinstance(error, FlavourMismatchError)
    _assert_clean(error)
