import asyncio
import httpx
import pytest
import green_api_contacts as g
from green_api_contacts.mock import MockInstance, create_app
from green_api_contacts.testing import MockTransport

TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182"

def test_sync_client_against_the_mock(green_api_mock):
    inst = green_api_mock.add_instance("whatsapp", contacts=25)
    with inst.client() as client:
        assert len(client.get_contacts()) == 25
        assert len(client.get_contacts()) == 25  # limits are opt-in: no 429 on a second call

def test_states_and_faults(green_api_mock):
    inst = green_api_mock.add_instance("telegram", contacts=3)
    inst.state = "notAuthorized"
    with inst.client(max_retries=0) as client, pytest.raises(g.errors.InstanceNotAuthorizedError):
        client.get_contacts()
    inst.state = "authorized"
    inst.inject("500", times=1)
    with inst.client(max_retries=0) as client, pytest.raises(g.errors.ServerError):
        client.get_contacts()

def test_async_client(green_api_mock):
    inst = green_api_mock.add_instance("max", contacts=4)
    async def main():
        async with inst.async_client() as client:
            return await client.get_contacts()
    assert len(asyncio.run(main())) == 4

def test_network_free_transport_sync_and_async():
    app = create_app([MockInstance(id_instance=1101000001, token=TOKEN, flavour="whatsapp", contacts=7)])
    transport = MockTransport(app)
    with g.WhatsAppClient(id_instance=1101000001, api_token=TOKEN, transport=transport) as client:
        assert len(client.get_contacts()) == 7
    async def main():
        async with g.AsyncWhatsAppClient(id_instance=1101000001, api_token=TOKEN, transport=transport) as client:
            return await client.get_contacts()
    assert len(asyncio.run(main())) == 7
    with httpx.Client(transport=transport, base_url="https://api.green-api.com") as raw:
        assert raw.get(f"/waInstance1101000001/getContacts/{TOKEN}").status_code == 200
