"""The async clients' default transport (the [aiohttp] extra, green_api_contacts.client._transport).

With httpx-aiohttp installed (the dev lock installs it), async clients built without an
http_client or transport send through aiohttp's pool; these tests hold that choice, its
precedence, and what must not change with it: typed errors (with httpx's exception class for
the failure), retries, timeouts and an absent token. Real sockets on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from green_api_contacts import (
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    GreenAPIRetry,
    RequestTimeoutError,
    TransportError,
    WhatsAppClient,
)
from green_api_contacts.client import _transport
from green_api_contacts.mock import BackgroundServer, ManualClock
from tests.unit.client_support import (
    TG_ID,
    TG_TOKEN,
    WA_ID,
    WA_TOKEN,
    WA_USER,
    Sleeps,
    fake_retry,
    make_app,
)
from tests.unit.test_client_secrets import exception_texts


@pytest.fixture
def served() -> Iterator[tuple[str, ManualClock, object]]:
    clock = ManualClock()
    app = make_app(clock)
    with BackgroundServer(app) as server:
        yield server.url, clock, app


NOT_HTTP = b"HTTP/1.1 200 OK\r\nContent-Length: not-a-number\r\n\r\n{}"
CUT_SHORT = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"


@pytest.fixture
async def raw_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A loopback server that answers every request with `request.param`, then hangs up."""
    reply: bytes = request.param

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.close()
        await server.wait_closed()


def test_the_dev_environment_has_the_extra() -> None:
    # The lock installs it, so the async tests here run on aiohttp: a missing extra must show.
    assert _transport.aiohttp_available()


async def test_default_async_client_sends_through_aiohttp(
    served: tuple[str, ManualClock, object],
) -> None:
    url = served[0]
    async with AsyncWhatsAppClient(id_instance=WA_ID, api_token=WA_TOKEN, api_url=url) as client:
        assert type(client._http._transport).__name__ == "SafeAiohttpTransport"
        info = await client.get_contact_info(WA_USER)
        assert info is not None and info.chat_id == WA_USER
        contacts = await client.get_contacts(3)
        assert len(contacts) == 3


async def test_an_explicit_transport_or_http_client_wins() -> None:
    mine = httpx.AsyncHTTPTransport()
    async with AsyncTelegramClient(id_instance=TG_ID, api_token=TG_TOKEN, transport=mine) as a:
        assert a._http._transport is mine
    async with (
        httpx.AsyncClient() as http,
        AsyncTelegramClient(id_instance=TG_ID, api_token=TG_TOKEN, http_client=http) as b,
    ):
        assert b._http is http
        assert type(http._transport).__name__ == "AsyncHTTPTransport"
    with WhatsAppClient(id_instance=WA_ID, api_token=WA_TOKEN) as sync:
        assert isinstance(sync._http._transport, httpx.HTTPTransport)


async def test_without_the_extra_httpx_pool_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_transport, "aiohttp_available", lambda: False)
    assert _transport.default_async_transport() is None
    async with AsyncWhatsAppClient(id_instance=WA_ID, api_token=WA_TOKEN) as client:
        assert isinstance(client._http._transport, httpx.AsyncHTTPTransport)


async def test_a_refused_connection_is_a_connect_error() -> None:
    async with AsyncWhatsAppClient(
        id_instance=WA_ID, api_token=WA_TOKEN, api_url="http://127.0.0.1:9", max_retries=0
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.get_contacts()
    # httpx-aiohttp alone reports a refused connection as a ConnectTimeout.
    assert "ConnectError" in str(caught.value)
    assert "ConnectTimeout" not in str(caught.value)


@pytest.mark.parametrize("raw_url", [NOT_HTTP, CUT_SHORT], indirect=True, ids=["not-http", "cut"])
async def test_a_broken_answer_is_a_typed_error_without_the_token(
    raw_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with AsyncWhatsAppClient(
        id_instance=WA_ID, api_token=WA_TOKEN, api_url=raw_url, max_retries=0
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.get_contact_info(WA_USER)
    texts = exception_texts(caught.value)
    assert "RemoteProtocolError" in str(caught.value)  # what httpx's own transport raises
    assert caught.value.__cause__ is None
    assert not any(WA_TOKEN in text for text in texts)
    assert WA_TOKEN not in caplog.text


async def test_retries_and_retry_after_hold(served: tuple[str, ManualClock, object]) -> None:
    url, clock, app = served
    sleeps = Sleeps(clock)
    runtime = app.mock.instance(WA_ID)  # type: ignore[attr-defined]
    runtime.inject("429; retry-after=3", times=1, method="getContactInfo")
    runtime.inject("503", times=1, method="getContactInfo")
    async with AsyncWhatsAppClient(
        id_instance=WA_ID, api_token=WA_TOKEN, api_url=url, retry=fake_retry(clock, sleeps)
    ) as client:
        assert type(client._http._transport).__name__ == "SafeAiohttpTransport"
        info = await client.get_contact_info(WA_USER)
    assert info is not None and info.chat_id == WA_USER
    assert sleeps.seconds[0] == 3.0  # the server's Retry-After
    assert len(sleeps.seconds) == 2  # one wait per retried answer


async def test_a_read_timeout_is_a_typed_timeout(served: tuple[str, ManualClock, object]) -> None:
    url, _, app = served
    app.mock.instance(WA_ID).inject("slow; seconds=2", times=1, method="getContacts")  # type: ignore[attr-defined]
    async with AsyncWhatsAppClient(
        id_instance=WA_ID,
        api_token=WA_TOKEN,
        api_url=url,
        retry=GreenAPIRetry(total=0),
        timeout=0.2,
    ) as client:
        with pytest.raises(RequestTimeoutError):  # a TransportError
            await client.get_contacts()
