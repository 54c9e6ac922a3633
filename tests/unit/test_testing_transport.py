"""green_api_contacts.testing.MockTransport: one transport, sync and async, plain httpx too."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from green_api_contacts import (
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    ServerError,
    TelegramClient,
    TransportError,
    WhatsAppClient,
)
from green_api_contacts.mock import MockApp, MockInstance, create_app
from green_api_contacts.testing import MockTransport

WA_ID, TG_ID = 1101000001, 4100000000
WA_TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182"
TG_TOKEN = "f0e1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a59687786"
THREAD = "green-api-contacts MockTransport"


@pytest.fixture
def app() -> MockApp:
    return create_app(
        [
            MockInstance(WA_ID, WA_TOKEN, "whatsapp", contacts=7),
            MockInstance(TG_ID, TG_TOKEN, "telegram", contacts=5),
        ]
    )


def loop_threads() -> int:
    return sum(thread.name == THREAD for thread in threading.enumerate())


def test_one_transport_serves_sync_async_and_plain_httpx_even_after_close(app: MockApp) -> None:
    transport = MockTransport(app)
    with WhatsAppClient(id_instance=WA_ID, api_token=WA_TOKEN, transport=transport) as client:
        assert len(client.get_contacts()) == 7
        info = client.get_contact_info("79001234567@c.us")  # a POST: the body gets through
        assert info is not None
    # Closing the client closed the transport: the next sync request starts a new loop.
    with WhatsAppClient(id_instance=WA_ID, api_token=WA_TOKEN, transport=transport) as client:
        assert len(client.get_contacts(count=3)) == 3

    async def main() -> int:
        async with AsyncWhatsAppClient(
            id_instance=WA_ID, api_token=WA_TOKEN, transport=transport
        ) as client:
            return len(await client.get_contacts())

    assert asyncio.run(main()) == 7
    with httpx.Client(transport=transport, base_url="https://any.host.invalid") as raw:
        response = raw.get(f"/waInstance{TG_ID}/getContacts/{TG_TOKEN}")
    assert response.status_code == 200
    assert len(response.json()) == 5
    assert response.headers["content-type"].startswith("application/json")


def test_close_stops_the_loop_thread(app: MockApp) -> None:
    before = loop_threads()
    transport = MockTransport(app)
    assert loop_threads() == before  # started on first sync use only
    with httpx.Client(transport=transport, base_url="http://mock") as raw:
        assert raw.get(f"/waInstance{WA_ID}/getContacts/{WA_TOKEN}").status_code == 200
        assert loop_threads() == before + 1
    assert loop_threads() == before


def test_the_mock_answers_errors_through_it(app: MockApp) -> None:
    app.mock.instance(TG_ID).inject("500", times=1)
    with (
        TelegramClient(
            id_instance=TG_ID, api_token=TG_TOKEN, transport=MockTransport(app), max_retries=0
        ) as client,
        pytest.raises(ServerError),
    ):
        client.get_contacts()
    with httpx.Client(transport=MockTransport(app), base_url="http://mock") as raw:
        assert raw.get(f"/waInstance{TG_ID}/getContacts/wrong-token").status_code == 401


def test_sync_requests_from_many_threads(app: MockApp) -> None:
    transport = MockTransport(app)
    url = f"http://mock/waInstance{WA_ID}/getContacts/{WA_TOKEN}"
    with httpx.Client(transport=transport) as raw, ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: raw.get(url).status_code, range(20)))
    assert statuses == [200] * 20


async def test_a_sync_client_works_inside_a_running_event_loop(app: MockApp) -> None:
    with TelegramClient(id_instance=TG_ID, api_token=TG_TOKEN, transport=MockTransport(app)) as tg:
        assert len(tg.get_contacts()) == 5


def test_the_read_timeout_applies_to_slow_answers_sync(app: MockApp) -> None:
    # The mock would take 30 s; the read timeout (0.05 s) ends the wait long before.
    app.mock.instance(WA_ID).inject("slow; seconds=30", times=1)
    with (
        WhatsAppClient(
            id_instance=WA_ID,
            api_token=WA_TOKEN,
            transport=MockTransport(app),
            timeout=0.05,
            max_retries=0,
        ) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.get_contacts()
    assert "ReadTimeout" in str(caught.value)
    assert WA_TOKEN not in str(caught.value)


async def test_the_read_timeout_applies_to_slow_answers_async(app: MockApp) -> None:
    app.mock.instance(TG_ID).inject("slow; seconds=30", times=1)
    transport = MockTransport(app)
    async with httpx.AsyncClient(transport=transport, timeout=0.05) as raw:
        with pytest.raises(httpx.ReadTimeout):
            await raw.get(f"http://mock/waInstance{TG_ID}/getContacts/{TG_TOKEN}")
        # The fault was used up; the next answer comes at once.
        response = await raw.get(f"http://mock/waInstance{TG_ID}/getContacts/{TG_TOKEN}")
    assert response.status_code == 200
    async with AsyncTelegramClient(
        id_instance=TG_ID, api_token=TG_TOKEN, transport=transport
    ) as client:
        assert len(await client.get_contacts(count=2)) == 2


def test_repr_names_the_app_not_a_token(app: MockApp) -> None:
    assert WA_TOKEN not in repr(MockTransport(app))
    assert repr(MockTransport(app)).startswith("MockTransport(")
