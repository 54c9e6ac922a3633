"""The four clients against the mock: the requests they build, results, refused inputs."""

from __future__ import annotations

import json

import httpx
import msgspec
import pytest

from green_api_contacts import (
    UNSET,
    InvalidRequestError,
    TelegramContact,
    TelegramContactInfo,
    ValidationFailedError,
    WhatsAppContact,
    WhatsAppContactInfo,
)
from green_api_contacts.mock import MockApp
from tests.unit.client_support import (
    API_URL,
    KINDS,
    WA_GROUP,
    Api,
    make_api,
)


def contact_type(api: Api) -> type:
    return TelegramContact if api.flavour == "telegram" else WhatsAppContact


# ---------------------------------------------------------------------------- GetContacts


async def test_get_contacts_returns_typed_contacts(api: Api) -> None:
    contacts = await api.get_contacts()
    assert len(contacts) == 30
    assert all(type(contact) is contact_type(api) for contact in contacts)
    request = api.transport.requests[-1]
    assert request.method == "GET"
    assert request.url.path == f"/waInstance{api.id_instance}/getContacts/{api.token}"
    assert str(request.url).startswith(API_URL + "/")
    assert request.url.query == b""
    assert request.headers["user-agent"].startswith("green-api-contacts/")


async def test_get_contacts_count_is_sent_and_honoured(api: Api) -> None:
    contacts = await api.get_contacts(5)
    assert len(contacts) == 5
    assert api.transport.requests[-1].url.params["count"] == "5"


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
@pytest.mark.parametrize(
    ("group", "expected", "suffix"), [(True, "true", "@g.us"), (False, "false", "@c.us")]
)
async def test_whatsapp_group_filter(
    kind: str, group: bool, expected: str, suffix: str, app: MockApp
) -> None:
    api = make_api(kind, app=app)
    contacts = await api.get_contacts(group=group)
    await api.close()
    assert contacts
    assert all(contact.id.endswith(suffix) for contact in contacts)
    assert api.transport.requests[-1].url.params["group"] == expected


async def test_missing_fields_read_as_their_defaults(api: Api) -> None:
    """README, "Fields and absent values": a missing name reads as "", never UNSET."""
    contacts = await api.get_contacts()
    if api.flavour == "whatsapp":
        groups = [c for c in contacts if c.type == "group"]
        assert groups
        assert all(c.contact_name == "" for c in groups)  # groups have no contactName
    else:
        assert any(c.username == "" for c in contacts)
    assert all(c.name is not UNSET and c.contact_name is not UNSET for c in contacts)


async def test_get_contact_info_is_a_post_with_the_chat_id(api: Api) -> None:
    info = await api.get_contact_info(api.user_chat_id)
    expected = TelegramContactInfo if api.flavour == "telegram" else WhatsAppContactInfo
    assert type(info) is expected
    assert info.chat_id == api.user_chat_id
    request = api.transport.requests[-1]
    assert request.method == "POST"
    assert request.url.path == f"/waInstance{api.id_instance}/getContactInfo/{api.token}"
    assert json.loads(request.content) == {"chatId": api.user_chat_id}
    assert request.headers["content-type"] == "application/json"


async def test_info_of_a_known_contact(api: Api) -> None:
    contacts = await api.get_contacts()
    chat_id = contacts[0].chat_id if api.flavour == "telegram" else contacts[0].id
    if api.flavour == "whatsapp":
        chat_id = next(c.id for c in contacts if c.id.endswith("@c.us") and c.name)
    else:
        chat_id = next(c.chat_id for c in contacts if not c.chat_id.startswith("-"))
    info = await api.get_contact_info(chat_id)
    assert info.chat_id == chat_id
    assert info.name


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
async def test_whatsapp_group_info_is_none(kind: str, app: MockApp) -> None:
    api = make_api(kind, app=app)
    assert await api.get_contact_info(WA_GROUP) is None
    await api.close()


# ---------------------------------------------------------------------------- strict writer


@pytest.mark.parametrize("count", [0, -1, True, False, 2**31, 1.5, "5"])
async def test_bad_count_is_refused_before_sending(api: Api, count: object) -> None:
    with pytest.raises(InvalidRequestError, match="count must be an integer") as caught:
        await api.get_contacts(count)
    assert isinstance(caught.value, ValueError)
    assert caught.value.operation == "getContacts"
    assert api.transport.requests == []


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
@pytest.mark.parametrize("group", ["yes", 1, 0])
async def test_bad_group_is_refused_before_sending(kind: str, group: object, app: MockApp) -> None:
    api = make_api(kind, app=app)
    with pytest.raises(InvalidRequestError, match="group must be"):
        await api.get_contacts(group=group)
    assert api.transport.requests == []
    await api.close()


async def test_bad_retry_empty_is_refused(api: Api) -> None:
    with pytest.raises(InvalidRequestError, match="retry_empty"):
        await api.get_contacts(retry_empty=-1)
    assert api.transport.requests == []


WA_BAD_CHAT_IDS = ["", "79001234567", "79001234567@s.whatsapp.net", "+79001234567@c.us", "10000000"]
TG_BAD_CHAT_IDS = ["", "79001234567@c.us", "abc", "-1001234567890", "１２３"]  # noqa: RUF001


async def test_bad_chat_id_is_refused_before_sending(api: Api) -> None:
    bad = TG_BAD_CHAT_IDS if api.flavour == "telegram" else WA_BAD_CHAT_IDS
    for chat_id in bad:
        with pytest.raises(InvalidRequestError) as caught:
            await api.get_contact_info(chat_id)
        message = str(caught.value)
        assert "getContactInfo" in message
        assert api.flavour in message
        expected = "string of digits" if api.flavour == "telegram" else "@c.us"
        assert expected in message
    assert api.transport.requests == []


@pytest.mark.parametrize("chat_id", [None, 79001234567, b"1@c.us", ["1@c.us"]])
async def test_non_string_chat_id_is_refused(api: Api, chat_id: object) -> None:
    with pytest.raises(InvalidRequestError, match="chat_id must be a str"):
        await api.get_contact_info(chat_id)
    assert api.transport.requests == []


async def test_the_api_s_own_validation_400_when_validation_is_bypassed(api: Api) -> None:
    """What the client refuses, the API refuses too: a 400 "Validation failed"."""
    bad = "-1001234567890" if api.flavour == "telegram" else "79001234567"
    with pytest.raises(ValidationFailedError) as caught:
        await api.unchecked_info(bad)
    assert len(api.transport.requests) == 1
    error = caught.value
    assert error.status_code == 400
    assert error.operation == "getContactInfo"
    assert error.message.startswith("Validation failed")
    if api.flavour == "telegram":
        assert "does not support group chats" in error.message
    else:
        assert "phone_number@c.us" in error.message


# ---------------------------------------------------------------------------- tolerant reader


def _json(body: object, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


@pytest.mark.parametrize("kind", KINDS)
async def test_unknown_fields_and_enum_values_are_kept(kind: str) -> None:
    telegram = kind.endswith("telegram")
    item: dict[str, object] = (
        {"chatId": "1", "name": "A", "type": "channel", "phoneNumber": 2**40, "newField": {"x": 1}}
        if telegram
        else {"id": "1@c.us", "name": "A", "type": "channel", "newField": {"x": 1}}
    )
    api = make_api(kind, handler=lambda request: _json([item, {**item, "newField": None}]))
    contacts = await api.get_contacts()
    await api.close()
    assert contacts[0].type == "channel"
    assert contacts[0].extra == {"newField": {"x": 1}}
    assert contacts[1].extra == {"newField": None}
    if telegram:
        assert contacts[0].phone_number == 2**40
    assert contacts[0].contact_name == ""


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
async def test_unknown_fields_in_nested_products_are_kept(kind: str) -> None:
    body = {
        "chatId": "1@c.us",
        "products": [
            {
                "id": "p1",
                "price": None,
                "reviewStatus": {"whatsapp": "NEW", "meta": 1},
                "ribbon": "x",
            }
        ],
        "lastSeen": None,
        "brandNew": True,
    }
    api = make_api(kind, handler=lambda request: _json(body))
    info = await api.get_contact_info("1@c.us")
    await api.close()
    assert info.extra == {"brandNew": True}
    product = info.products[0]
    assert product.extra == {"ribbon": "x"}
    assert product.review_status.whatsapp == "NEW"
    assert product.review_status.extra == {"meta": 1}
    assert product.price is None
    assert info.last_seen is None
    assert info.is_business is False  # absent in older versions: reads as its default
    assert info.mute_expiration is UNSET  # null is a value of its own here: absent stays UNSET


async def test_results_are_plain_msgspec_structs(api: Api) -> None:
    contacts = await api.get_contacts(3)
    encoded = msgspec.json.decode(msgspec.json.encode(contacts))
    assert len(encoded) == 3
    key = "chatId" if api.flavour == "telegram" else "id"
    assert all(key in item for item in encoded)
