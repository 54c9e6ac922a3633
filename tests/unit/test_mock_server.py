"""The mock over real loopback HTTP (uvicorn on a thread): faults must stay valid HTTP."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from green_api_contacts.mock import BackgroundServer, MockInstance, create_app

INSTANCES = [MockInstance(11, "wa", "whatsapp", contacts=500)]
CONTACTS = "/waInstance11/getContacts/wa"


def test_background_server_serves_and_stops() -> None:
    app = create_app(INSTANCES, rate_limit=False)
    with BackgroundServer(app) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=server.url, timeout=10) as client:
            response = client.get(CONTACTS, params={"count": 3})
            assert response.status_code == 200
            assert len(response.json()) == 3
            assert "server" not in response.headers
            assert client.get("/waInstance11/getContacts/nope").text == "Unauthorized"
    port = int(server.url.rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_faults_over_real_http() -> None:
    app = create_app(INSTANCES, rate_limit=False)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        full = client.get(CONTACTS)
        cut = client.get(CONTACTS, headers={"X-Mock-Fault": "truncate"})
        # The connection survives the truncated answer: the next request reuses it fine.
        after = client.get(CONTACTS)
        bad_gateway = client.get(CONTACTS, headers={"X-Mock-Fault": "502"})
        slow = client.get(CONTACTS, headers={"X-Mock-Fault": "slow; seconds=0.02"})
    assert cut.status_code == 200
    assert int(cut.headers["content-length"]) == len(cut.content) == len(full.content) // 2
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    assert after.content == full.content
    assert bad_gateway.status_code == 502
    assert bad_gateway.headers["content-type"].startswith("text/html")
    assert slow.content == full.content


def test_slow_fault_trips_a_client_timeout() -> None:
    app = create_app(INSTANCES, rate_limit=False)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=0.1) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(CONTACTS, headers={"X-Mock-Fault": "slow; seconds=0.5"})
        assert client.get(CONTACTS, params={"count": 1}).status_code == 200
