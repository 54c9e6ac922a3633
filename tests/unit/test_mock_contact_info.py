"""GetContactInfo on the mock: answers per flavour and every documented validation error."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest

from green_api_contacts.mock import (
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
    MockApp,
    create_app,
)

WA = f"/waInstance{EXAMPLE_WHATSAPP_ID}/getContactInfo/{EXAMPLE_WHATSAPP_TOKEN}"
TG = f"/waInstance{EXAMPLE_TELEGRAM_ID}/getContactInfo/{EXAMPLE_TELEGRAM_TOKEN}"
DETAILS = "Validation failed. Details: "
WA_FORMAT = (
    DETAILS + "'chatId' must be one of the next formats: 'phone_number@c.us' or 'group_id@g.us'"
)
TG_GROUP = (
    DETAILS + "The method GetContactInfo does not support group chats, to work with groups, "
    "use the GetGroupData method"
)
WA_KEYS: dict[str, type | tuple[type, ...]] = {
    "avatar": str,
    "name": str,
    "contactName": str,
    "email": str,
    "category": str,
    "description": str,
    "products": list,
    "chatId": str,
    "lastSeen": (str, type(None)),
    "isArchive": bool,
    "isDisappearing": bool,
    "isMute": bool,
    "messageExpiration": int,
    "muteExpiration": (int, type(None)),
    "isBusiness": bool,
}
TG_KEYS: dict[str, type | tuple[type, ...]] = {
    "avatar": str,
    "name": str,
    "contactName": str,
    "chatId": str,
    "lastSeen": int,
    "phoneNumber": int,
    "chatType": str,
    "username": str,
    "isPremium": bool,
    "isVerified": bool,
    "isScam": bool,
    "description": str,
}


@pytest.fixture
def app() -> MockApp:
    return create_app(rate_limit=False)


@pytest.fixture
async def client(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        yield client


def assert_error(response: httpx.Response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["statusCode"] == status
    assert body["message"] == message


def assert_typed(info: dict[str, Any], keys: Mapping[str, type | tuple[type, ...]]) -> None:
    assert set(info) == set(keys)
    for key, expected in keys.items():
        assert isinstance(info[key], expected), (key, info[key])
        if expected is int:
            assert not isinstance(info[key], bool), key


# ----------------------------------------------------------------------------------- WhatsApp


async def test_whatsapp_book_user_has_every_documented_field(
    app: MockApp, client: httpx.AsyncClient
) -> None:
    book = app.mock.instance(EXAMPLE_WHATSAPP_ID).book
    users = [item for item in book.items if item["type"] == "user"]
    seen_business = seen_avatar = seen_empty_avatar = False
    for item in users[:200]:
        response = await client.post(WA, json={"chatId": item["id"]})
        assert response.status_code == 200
        info = response.json()
        assert_typed(info, WA_KEYS)
        assert info["chatId"] == item["id"]
        assert info["name"] == item["name"]
        assert info["contactName"] == item.get("contactName", "")
        assert info["isDisappearing"] == (info["messageExpiration"] > 0)
        assert (info["muteExpiration"] is not None) == info["isMute"]
        seen_avatar |= info["avatar"].startswith("https://")
        seen_empty_avatar |= info["avatar"] == ""
        if info["isBusiness"]:
            seen_business = True
            assert info["category"]
            assert "@" in info["email"]
        else:
            assert info["products"] == []
            assert info["email"] == info["category"] == ""
    assert seen_business and seen_avatar and seen_empty_avatar


async def test_whatsapp_business_products_have_documented_fields(
    app: MockApp, client: httpx.AsyncClient
) -> None:
    book = app.mock.instance(EXAMPLE_WHATSAPP_ID).book
    business = [item["id"] for item in book.items if book.is_business(str(item["id"]))]
    products: list[dict[str, Any]] = []
    for chat_id in business:
        products += (await client.post(WA, json={"chatId": chat_id})).json()["products"]
    assert products
    for product in products:
        assert set(product) - {"description"} == {
            "id",
            "imageUrls",
            "reviewStatus",
            "availability",
            "name",
            "price",
            "isHidden",
        }
        assert isinstance(product["id"], str) and product["id"].isdigit()
        assert set(product["imageUrls"]) == {"requested", "original"}
        assert product["reviewStatus"] == {"whatsapp": "APPROVED"}
        assert product["availability"] == "in stock"
        assert product["price"] is None or isinstance(product["price"], str)
        assert isinstance(product["isHidden"], bool)
    assert any("description" not in product for product in products)
    assert any(product["price"] is None for product in products)
    assert any(isinstance(product["price"], str) for product in products)


async def test_whatsapp_unknown_user_gets_empty_values(client: httpx.AsyncClient) -> None:
    response = await client.post(WA, json={"chatId": "10000000000@c.us"})
    assert response.status_code == 200
    info = response.json()
    assert_typed(info, WA_KEYS)
    assert info["name"] == info["contactName"] == info["avatar"] == info["email"] == ""
    assert info["products"] == []
    assert info["lastSeen"] is None
    assert info["isBusiness"] is False


@pytest.mark.parametrize("chat_id", ["120363043968066561@g.us", "79001234569-1479621234@g.us"])
async def test_whatsapp_group_is_200_null(client: httpx.AsyncClient, chat_id: str) -> None:
    response = await client.post(WA, json={"chatId": chat_id})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b"null"


async def test_whatsapp_group_from_the_book_is_null_too(
    app: MockApp, client: httpx.AsyncClient
) -> None:
    book = app.mock.instance(EXAMPLE_WHATSAPP_ID).book
    group = next(item for item in book.items if item["type"] == "group")
    response = await client.post(WA, json={"chatId": group["id"]})
    assert response.json() is None


@pytest.mark.parametrize(
    "chat_id",
    [
        "79001234567",
        "79001234567@s.whatsapp.net",
        "+79001234567@c.us",
        "7900 1234567@c.us",
        "79001234567@c.us ",
        "@c.us",
        "123456789012345678901@c.us",  # 21 digits
        "1-2-3@g.us",
        "79001234567-@g.us",
        "abc@g.us",
        "٧٩٠٠@c.us",  # Arabic-Indic digits are not digits here
        "10000000",
    ],
)
async def test_whatsapp_bad_chat_id_format(client: httpx.AsyncClient, chat_id: str) -> None:
    assert_error(await client.post(WA, json={"chatId": chat_id}), 400, WA_FORMAT)


@pytest.mark.parametrize("value", [True, False, 79001234567, 1.5, None, {}, [], ["1@c.us"]])
async def test_whatsapp_non_string_chat_id_is_400(client: httpx.AsyncClient, value: object) -> None:
    response = await client.post(WA, json={"chatId": value})
    assert_error(response, 400, DETAILS + "'chatId' must be a string")


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n", b"{}", b"[]", b'["chatId"]', b'"79001234567@c.us"', b"null", b"42", b'{"x":1}'],
)
async def test_whatsapp_missing_chat_id_is_required(
    client: httpx.AsyncClient, content: bytes
) -> None:
    response = await client.post(WA, content=content)
    assert_error(response, 400, DETAILS + "'chatId' is required")


async def test_whatsapp_no_body_and_no_content_type(client: httpx.AsyncClient) -> None:
    assert_error(await client.post(WA), 400, DETAILS + "'chatId' is required")


async def test_whatsapp_empty_and_extra_fields(client: httpx.AsyncClient) -> None:
    response = await client.post(WA, json={"chatId": ""})
    assert_error(response, 400, DETAILS + "'chatId' is not allowed to be empty")
    response = await client.post(WA, json={"chatId": "79001234567@c.us", "count": 1})
    assert_error(response, 400, DETAILS + "'count' is not allowed")
    # chatId is checked before unknown keys, as Joi does.
    response = await client.post(WA, json={"extra": 1, "chatId": "bad"})
    assert_error(response, 400, WA_FORMAT)


# ----------------------------------------------------------------------------------- Telegram


async def test_telegram_book_user_has_every_documented_field(
    app: MockApp, client: httpx.AsyncClient
) -> None:
    book = app.mock.instance(EXAMPLE_TELEGRAM_ID).book
    users = [item for item in book.items if item["type"] == "user"]
    last_seen_hidden = last_seen_shown = False
    for item in users[:200]:
        response = await client.post(TG, json={"chatId": item["chatId"]})
        assert response.status_code == 200
        info = response.json()
        assert_typed(info, TG_KEYS)
        assert info["chatId"] == item["chatId"]
        assert info["name"] == item["name"]
        assert info["contactName"] == item["contactName"]
        assert info["phoneNumber"] == item["phoneNumber"]
        assert info["username"] == item.get("username", "")
        # The English Telegram page's example value (issue 12), not the "private" of older mocks.
        assert info["chatType"] == "user"
        last_seen_hidden |= info["lastSeen"] == 0
        last_seen_shown |= info["lastSeen"] > 1_600_000_000
    assert last_seen_hidden and last_seen_shown


async def test_telegram_unknown_user_gets_empty_values(client: httpx.AsyncClient) -> None:
    response = await client.post(TG, json={"chatId": "1"})
    assert response.status_code == 200
    info = response.json()
    assert_typed(info, TG_KEYS)
    assert info["name"] == info["contactName"] == info["username"] == ""
    assert info["phoneNumber"] == info["lastSeen"] == 0


@pytest.mark.parametrize("chat_id", ["-1001234567890", "-123456789", "-0"])
async def test_telegram_group_is_400(client: httpx.AsyncClient, chat_id: str) -> None:
    assert_error(await client.post(TG, json={"chatId": chat_id}), 400, TG_GROUP)


@pytest.mark.parametrize(
    "chat_id",
    ["abc", "79001234567@c.us", "+10000000", "1 000", "--1", "1" * 21, "10000000 ", "١٢٣"],
)
async def test_telegram_bad_chat_id_is_validation_failed(
    client: httpx.AsyncClient, chat_id: str
) -> None:
    assert_error(await client.post(TG, json={"chatId": chat_id}), 400, "Validation failed")


@pytest.mark.parametrize(
    ("value", "go_type"),
    [
        (True, "bool"),
        (False, "bool"),
        (10000000, "float64"),
        (1.5, "float64"),
        (None, "nil"),
        ({"id": 1}, "map[string]interface {}"),
        ([1], "[]interface {}"),
    ],
)
async def test_telegram_non_string_chat_id_is_go_500(
    client: httpx.AsyncClient, value: object, go_type: str
) -> None:
    response = await client.post(TG, json={"chatId": value})
    assert_error(response, 500, f"interface conversion: interface {{}} is {go_type}, not string")


@pytest.mark.parametrize("content", [b"", b"{}", b"[]", b"null", b'"10000000"', b'{"id":"1"}'])
async def test_telegram_missing_chat_id_is_validation_failed(
    client: httpx.AsyncClient, content: bytes
) -> None:
    assert_error(await client.post(TG, content=content), 400, "Validation failed")


async def test_telegram_empty_and_extra_fields(client: httpx.AsyncClient) -> None:
    """Telegram's page documents the plain "Validation failed" for these, not Joi's details."""
    response = await client.post(TG, json={"chatId": ""})
    assert_error(response, 400, "Validation failed")
    response = await client.post(TG, json={"chatId": "10000000", "foo": None})
    assert_error(response, 400, "Validation failed")


# ------------------------------------------------------------------------------ both flavours


@pytest.mark.parametrize("url", [WA, TG], ids=["whatsapp", "telegram"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"chatId": }', "Unexpected token } in JSON at position 11"),
        (b'{"chatId": "1@c.us",}', "Unexpected token } in JSON at position 20"),
        (b"{'chatId': '1@c.us'}", "Unexpected token ' in JSON at position 1"),
        (b'{"chatId" "1@c.us"}', "Unexpected string in JSON at position 10"),
        (b'{"chatId": 1 2}', "Unexpected number in JSON at position 13"),
        (b'{"chatId": "1@c.us"', "Unexpected end of JSON input"),
        (b"chatId=1@c.us", "Unexpected token c in JSON at position 0"),
        (b'{"chatId": NaN}', "Unexpected token N in JSON at position 11"),
        ('{"é": x}'.encode(), "Unexpected token x in JSON at position 6"),
        ('{"😀": x}'.encode(), "Unexpected token x in JSON at position 7"),  # UTF-16 units
        (b'{"chatId": "\xff"} x', "Unexpected token x in JSON at position 16"),
    ],
)
async def test_malformed_json_reports_v8_position(
    client: httpx.AsyncClient, url: str, content: bytes, message: str
) -> None:
    response = await client.post(url, content=content, headers={"content-type": "application/json"})
    assert_error(response, 400, message)


@pytest.mark.parametrize("url", [WA, TG], ids=["whatsapp", "telegram"])
async def test_too_large_body_is_413(client: httpx.AsyncClient, url: str) -> None:
    body = json.dumps({"chatId": "1@c.us", "pad": "x" * 200_000}).encode()
    assert_error(await client.post(url, content=body), 413, "request entity too large")


@pytest.mark.parametrize("url", [WA, TG], ids=["whatsapp", "telegram"])
async def test_deeply_nested_bodies_never_crash(client: httpx.AsyncClient, url: str) -> None:
    deep_valid = b'{"chatId": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    response = await client.post(url, content=deep_valid)
    assert response.status_code == 400
    assert response.json()["message"] == "bad request data"
    deep_broken = b'{"chatId": ' + b"[" * 20_000 + b"}"
    response = await client.post(url, content=deep_broken)
    assert_error(response, 400, "Unexpected token } in JSON at position 20011")
