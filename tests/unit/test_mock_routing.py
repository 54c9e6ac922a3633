"""Routing and auth of the mock: 403/401/404 in the documented order, method-name case, paths."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest

from green_api_contacts.mock import (
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
    MockApp,
    create_app,
    redact_path,
)

INSTANCES = [
    pytest.param(EXAMPLE_WHATSAPP_ID, EXAMPLE_WHATSAPP_TOKEN, id="whatsapp"),
    pytest.param(EXAMPLE_TELEGRAM_ID, EXAMPLE_TELEGRAM_TOKEN, id="telegram"),
]
INFO_BODY = {
    EXAMPLE_WHATSAPP_ID: {"chatId": "79001234567@c.us"},
    EXAMPLE_TELEGRAM_ID: {"chatId": "10000000"},
}


@pytest.fixture
def app() -> MockApp:
    return create_app(rate_limit=False)


@pytest.fixture
async def client(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        yield client


def path(id_instance: int | str, method: str, token: str) -> str:
    return f"/waInstance{id_instance}/{method}/{token}"


def assert_text(response: httpx.Response, status: int, text: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == text


@pytest.mark.parametrize(
    "url",
    [
        path(1101000002, "getContacts", EXAMPLE_WHATSAPP_TOKEN),  # unknown id
        path("abc", "getContacts", EXAMPLE_WHATSAPP_TOKEN),  # non-numeric id
        path("", "getContacts", EXAMPLE_WHATSAPP_TOKEN),  # no id
        path("11010000011", "getContacts", EXAMPLE_WHATSAPP_TOKEN),  # 11 digits
        f"/wainstance{EXAMPLE_WHATSAPP_ID}/getContacts/{EXAMPLE_WHATSAPP_TOKEN}",
        f"/api/waInstance{EXAMPLE_WHATSAPP_ID}/getContacts/{EXAMPLE_WHATSAPP_TOKEN}",
        "/",
        "/getContacts",
    ],
)
async def test_unknown_instance_is_403_forbidden(client: httpx.AsyncClient, url: str) -> None:
    assert_text(await client.get(url), 403, "Forbidden")


async def test_403_comes_before_every_other_check(client: httpx.AsyncClient) -> None:
    # Unknown id with a bogus method and a wrong HTTP verb: still 403.
    assert_text(await client.delete(path(42, "nope", "x")), 403, "Forbidden")


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
async def test_wrong_or_missing_token_is_401(
    client: httpx.AsyncClient, id_instance: int, token: str
) -> None:
    assert_text(await client.get(path(id_instance, "getContacts", token[:-1])), 401, "Unauthorized")
    assert_text(
        await client.get(path(id_instance, "getContacts", token + "0")), 401, "Unauthorized"
    )
    assert_text(await client.get(f"/waInstance{id_instance}/getContacts"), 401, "Unauthorized")
    assert_text(await client.get(f"/waInstance{id_instance}/getContacts/"), 401, "Unauthorized")
    assert_text(await client.get(f"/waInstance{id_instance}"), 401, "Unauthorized")
    # The other instance's token is as wrong as any other.
    other = EXAMPLE_TELEGRAM_TOKEN if token == EXAMPLE_WHATSAPP_TOKEN else EXAMPLE_WHATSAPP_TOKEN
    assert_text(await client.get(path(id_instance, "getContacts", other)), 401, "Unauthorized")


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
async def test_401_comes_before_404(
    client: httpx.AsyncClient, id_instance: int, token: str
) -> None:
    assert_text(await client.get(path(id_instance, "noSuchMethod", "bad")), 401, "Unauthorized")
    assert_text(await client.put(path(id_instance, "getContacts", "bad")), 401, "Unauthorized")


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
async def test_unknown_method_or_extra_segment_is_404(
    client: httpx.AsyncClient, id_instance: int, token: str
) -> None:
    assert_text(await client.get(path(id_instance, "getContact", token)), 404, "Not Found")
    assert_text(await client.get(path(id_instance, "sendMessage", token)), 404, "Not Found")
    assert_text(await client.get(path(id_instance, "getContacts", token) + "/x"), 404, "Not Found")
    assert_text(await client.get(path(id_instance, "getContacts", token) + "//"), 404, "Not Found")


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
@pytest.mark.parametrize("verb", ["POST", "PUT", "DELETE", "PATCH", "HEAD"])
async def test_wrong_http_method_on_get_contacts_is_404(
    client: httpx.AsyncClient, id_instance: int, token: str, verb: str
) -> None:
    response = await client.request(verb, path(id_instance, "getContacts", token))
    assert response.status_code == 404
    if verb != "HEAD":
        assert_text(response, 404, "Not Found")


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
@pytest.mark.parametrize("verb", ["GET", "PUT", "DELETE", "PATCH", "HEAD"])
async def test_wrong_http_method_on_get_contact_info_is_404(
    client: httpx.AsyncClient, id_instance: int, token: str, verb: str
) -> None:
    response = await client.request(verb, path(id_instance, "getContactInfo", token))
    assert response.status_code == 404


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
@pytest.mark.parametrize("name", ["getContacts", "GetContacts", "getcontacts", "GETCONTACTS"])
async def test_get_contacts_name_any_case_and_trailing_slash(
    client: httpx.AsyncClient, id_instance: int, token: str, name: str
) -> None:
    for url in (path(id_instance, name, token), path(id_instance, name, token) + "/"):
        response = await client.get(url, params={"count": 2})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert len(response.json()) == 2


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
@pytest.mark.parametrize("name", ["getContactInfo", "GetContactInfo", "getcontactinfo"])
async def test_get_contact_info_name_any_case_and_trailing_slash(
    client: httpx.AsyncClient, id_instance: int, token: str, name: str
) -> None:
    for url in (path(id_instance, name, token), path(id_instance, name, token) + "/"):
        response = await client.post(url, json=INFO_BODY[id_instance])
        assert response.status_code == 200
        assert response.json()["chatId"] == INFO_BODY[id_instance]["chatId"]


@pytest.mark.parametrize(("id_instance", "token"), INSTANCES)
async def test_error_body_shape_keeps_the_path_with_token(
    client: httpx.AsyncClient, id_instance: int, token: str
) -> None:
    url = path(id_instance, "getContacts", token)
    response = await client.get(url, params={"count": "x"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"statusCode", "timestamp", "path", "message"}
    assert body["statusCode"] == 400
    assert body["path"] == url  # faithful: upstream echoes the token; clients must redact
    assert body["message"] == "Validation failed. Details: 'count' must be a number"
    stamp = datetime.fromisoformat(body["timestamp"])
    assert body["timestamp"].endswith("Z")
    offset = stamp.utcoffset()
    assert offset is not None
    assert offset.total_seconds() == 0


async def test_request_log_never_contains_the_token(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = EXAMPLE_WHATSAPP_TOKEN
    with caplog.at_level(logging.DEBUG, logger="green_api_contacts.mock"):
        await client.get(path(EXAMPLE_WHATSAPP_ID, "getContacts", token))
        await client.get(f"/waInstance{EXAMPLE_WHATSAPP_ID}/{token}")  # token misplaced
        await client.get(f"/{token}/getContacts")
        await client.post(path(EXAMPLE_WHATSAPP_ID, "getContactInfo", token), content=b"{")
    assert len(caplog.records) == 4
    assert [record.getMessage().split(" -> ")[1] for record in caplog.records] == [
        "200",
        "401",
        "403",
        "400",
    ]
    assert all(token not in record.getMessage() for record in caplog.records)
    assert "getContacts/<redacted>" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("raw", "redacted"),
    [
        ("/waInstance1/getContacts/secret", "/waInstance1/getContacts/<redacted>"),
        ("/waInstance1/GetContactInfo/secret/", "/waInstance1/GetContactInfo/<redacted>"),
        ("/waInstance1/secret", "/waInstance1/<redacted>"),
        ("/waInstance1/secret/more/more", "/waInstance1/<redacted>/<redacted>"),
        ("/secret/getContacts", "/<redacted>"),
        ("/", "/"),
    ],
)
def test_redact_path(raw: str, redacted: str) -> None:
    assert redact_path(raw) == redacted
    assert "secret" not in redact_path(raw)
