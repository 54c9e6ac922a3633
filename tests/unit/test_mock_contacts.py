"""GetContacts on the mock: count/group semantics, validation, warm-up, the book's realistic mix."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from green_api_contacts.mock import (
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
    ContactBook,
    Flavour,
    ManualClock,
    MockApp,
    MockInstance,
    create_app,
)

WA = f"/waInstance{EXAMPLE_WHATSAPP_ID}/getContacts/{EXAMPLE_WHATSAPP_TOKEN}"
TG = f"/waInstance{EXAMPLE_TELEGRAM_ID}/getContacts/{EXAMPLE_TELEGRAM_TOKEN}"
WA_USER_ID = re.compile(r"[0-9]{11,13}@c\.us")
WA_GROUP_ID = re.compile(r"(120363[0-9]{12}|[0-9]{11,13}-1[45][0-9]{8})@g\.us")
DETAILS = "Validation failed. Details: "


def client_for(app: MockApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(rate_limit=False)) as client:
        yield client


async def get_list(
    client: httpx.AsyncClient, url: str, **params: str | int
) -> list[dict[str, Any]]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body, list)
    return body


# ------------------------------------------------------------------------------- count / group


async def test_whatsapp_group_filter(client: httpx.AsyncClient) -> None:
    everything = await get_list(client, WA)
    groups = await get_list(client, WA, group="true")
    users = await get_list(client, WA, group="false")
    assert len(everything) == 1000
    assert groups and all(item["type"] == "group" for item in groups)
    assert users and all(item["type"] == "user" for item in users)
    assert len(groups) + len(users) == len(everything)
    # Filtering keeps the book's order.
    assert groups == [item for item in everything if item["type"] == "group"]
    assert await get_list(client, WA, group="TRUE") == groups
    assert await get_list(client, WA, group="False") == users


async def test_whatsapp_count_truncates_after_filtering(client: httpx.AsyncClient) -> None:
    everything = await get_list(client, WA)
    assert await get_list(client, WA, count=5) == everything[-5:]
    assert await get_list(client, WA, count=1) == everything[-1:]
    groups = await get_list(client, WA, group="true")
    assert await get_list(client, WA, group="true", count=3) == groups[-3:]
    assert await get_list(client, WA, count=10**6) == everything
    assert await get_list(client, WA, count=len(everything)) == everything
    assert await get_list(client, WA, count="1e1") == everything[-10:]  # Joi converts 1e1 to 10
    assert await get_list(client, WA, count=" 7 ") == everything[-7:]
    assert await get_list(client, WA, count="9" * 40) == everything  # huge: simply all


async def test_telegram_count_and_ignored_parameters(client: httpx.AsyncClient) -> None:
    everything = await get_list(client, TG)
    assert len(everything) == 1000
    assert await get_list(client, TG, count=50) == everything[-50:]
    assert await get_list(client, TG, count=5000) == everything
    # Telegram has no group filter: the parameter is ignored, even when it is not a boolean.
    assert await get_list(client, TG, group="true") == everything
    assert await get_list(client, TG, group="maybe", count=3) == everything[-3:]
    assert await get_list(client, TG, foo="bar") == everything


@pytest.mark.parametrize("url", [WA, TG], ids=["whatsapp", "telegram"])
@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("abc", "'count' must be a number"),
        ("", "'count' must be a number"),
        ("1_0", "'count' must be a number"),
        ("0x10", "'count' must be a number"),
        ("NaN", "'count' must be a number"),
        ("Infinity", "'count' must be a number"),
        ("\uff11", "'count' must be a number"),  # fullwidth digit one
        ("1.5", "'count' must be an integer"),
        ("0", "'count' must be greater than or equal to 1"),
        ("-3", "'count' must be greater than or equal to 1"),
        ("-" + "9" * 30, "'count' must be greater than or equal to 1"),
    ],
)
async def test_bad_count_is_400(
    client: httpx.AsyncClient, url: str, count: str, message: str
) -> None:
    response = await client.get(url, params={"count": count})
    assert response.status_code == 400
    assert response.json()["message"] == DETAILS + message


async def test_repeated_count_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get(WA, params=[("count", "1"), ("count", "2")])
    assert response.status_code == 400
    assert response.json()["message"] == DETAILS + "'count' must be a number"


@pytest.mark.parametrize("group", ["yes", "1", "", "truee"])
async def test_bad_group_is_400_on_whatsapp(client: httpx.AsyncClient, group: str) -> None:
    response = await client.get(WA, params={"group": group})
    assert response.status_code == 400
    assert response.json()["message"] == DETAILS + "'group' must be a boolean"


async def test_empty_book_answers_empty_list() -> None:
    app = create_app([MockInstance(5, "t0k3n", "whatsapp", contacts=0)], rate_limit=False)
    async with client_for(app) as client:
        assert await get_list(client, "/waInstance5/getContacts/t0k3n") == []
        assert await get_list(client, "/waInstance5/getContacts/t0k3n", group="true") == []


# ------------------------------------------------------------------------------------ warm-up


async def test_warmup_answers_empty_list_then_data() -> None:
    clock = ManualClock(100.0)
    instance = MockInstance(7, "tok", "telegram", contacts=20, warmup_seconds=300.0)
    app = create_app([instance], rate_limit=False, clock=clock)
    url = "/waInstance7/getContacts/tok"
    async with client_for(app) as client:
        assert await get_list(client, url) == []
        clock.advance(299.999)
        assert await get_list(client, url) == []
        # Validation still runs during warm-up.
        bad = await client.get(url, params={"count": 0})
        assert bad.status_code == 400
        # GetContactInfo is not affected by the warm-up.
        info = await client.post("/waInstance7/getContactInfo/tok", json={"chatId": "10000000"})
        assert info.status_code == 200
        clock.advance(0.001)
        assert len(await get_list(client, url)) == 20

        # A new authorisation starts another warm-up.
        runtime = app.mock.instance(7)
        runtime.state = "notAuthorized"
        runtime.state = "authorized"
        assert await get_list(client, url) == []
        clock.advance(300.0)
        assert len(await get_list(client, url)) == 20
        runtime.reauthorize()
        assert await get_list(client, url) == []
        runtime.warmup_seconds = 0.0
        assert len(await get_list(client, url)) == 20


# ------------------------------------------------------------------------------- book contents


async def test_whatsapp_items_have_the_documented_shapes(client: httpx.AsyncClient) -> None:
    items = await get_list(client, WA)
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)
    for item in items:
        assert item["type"] in ("user", "group")
        assert isinstance(item["name"], str)
        if item["type"] == "user":
            assert WA_USER_ID.fullmatch(str(item["id"])), item
            assert set(item) in ({"id", "name", "contactName", "type"}, {"id", "name", "type"})
        else:
            assert WA_GROUP_ID.fullmatch(str(item["id"])), item
            assert set(item) == {"id", "name", "type"}  # groups carry no contactName
            assert item["name"]
    users = [item for item in items if item["type"] == "user"]
    groups = [item for item in items if item["type"] == "group"]
    assert any(item["name"] == "" for item in users)  # no incoming correspondence
    assert any("contactName" not in item for item in users)
    assert any(item.get("contactName") == "" for item in users)
    assert any(item["name"] and item.get("contactName") for item in users)
    assert any("-" in str(item["id"]) for item in groups)  # legacy creator-timestamp ids
    assert any(str(item["id"]).startswith("120363") for item in groups)
    assert any(not str(item["name"]).isascii() for item in users)  # real names are not ASCII


async def test_telegram_items_have_the_documented_shapes(client: httpx.AsyncClient) -> None:
    items = await get_list(client, TG)
    chat_ids = [item["chatId"] for item in items]
    assert len(set(chat_ids)) == len(chat_ids)
    for item in items:
        assert set(item) - {"username"} == {"chatId", "name", "contactName", "type", "phoneNumber"}
        assert isinstance(item["chatId"], str)
        assert re.fullmatch(r"-?[0-9]+", item["chatId"])
        assert type(item["phoneNumber"]) is int
        assert item["type"] in ("user", "group")
        if item["type"] == "group":
            assert item["chatId"].startswith("-")
            assert item["phoneNumber"] == 0
        else:
            assert not item["chatId"].startswith("-")
        if "username" in item:
            assert re.fullmatch(r"@[A-Za-z0-9_]{5,32}", str(item["username"])), item
    users = [item for item in items if item["type"] == "user"]
    assert any(item["type"] == "group" for item in items)
    assert any(item["phoneNumber"] == 0 for item in users)  # hidden by privacy settings
    assert any(int(item["phoneNumber"]) > 2**31 for item in users)
    assert any(int(item["phoneNumber"]) > 10**11 for item in users)  # 12-digit numbers too
    assert any("username" in item for item in users)
    assert any("username" not in item for item in users)
    assert any(item["contactName"] == "" for item in users)


@pytest.mark.parametrize(("flavour", "shapes"), [("whatsapp", 7), ("telegram", 5)])
def test_small_books_still_show_every_shape(flavour: Flavour, shapes: int) -> None:
    book = ContactBook(flavour, shapes, seed=3, id_instance=1)
    items = book.items
    if flavour == "whatsapp":
        users = [item for item in items if item["type"] == "user"]
        assert {str(item["id"])[:6] == "120363" for item in items if item["type"] == "group"} == {
            True,
            False,
        }
        assert any(item["name"] == "" for item in users)
        assert any("contactName" not in item for item in users)
        assert any(item.get("contactName") == "" for item in users)
        assert any(book.is_business(str(item["id"])) for item in users)
    else:
        assert any(item["type"] == "group" for item in items)
        assert any(item["phoneNumber"] == 0 and item["type"] == "user" for item in items)
        assert any("username" not in item for item in items)


async def test_same_seed_gives_identical_bytes_and_ids_give_different_books() -> None:
    def instances(seed: int | None = None) -> list[MockInstance]:
        return [
            MockInstance(1101000001, "a", "whatsapp", seed=seed),
            MockInstance(1101000002, "b", "whatsapp", seed=seed),
            MockInstance(4100000001, "c", "telegram", seed=seed),
        ]

    async def bodies(app: MockApp) -> list[bytes]:
        async with client_for(app) as client:
            urls = [
                "/waInstance1101000001/getContacts/a",
                "/waInstance1101000002/getContacts/b",
                "/waInstance4100000001/getContacts/c",
            ]
            return [(await client.get(url)).content for url in urls]

    first = await bodies(create_app(instances(), rate_limit=False))
    second = await bodies(create_app(instances(), rate_limit=False))
    assert first == second
    assert len(set(first)) == 3  # every idInstance seeds its own book
    seeded = await bodies(create_app(instances(seed=99), rate_limit=False))
    assert seeded[0] == seeded[1]  # same explicit seed and flavour: same book
    assert seeded[0] != first[0]


def test_serialized_answers_are_cached() -> None:
    book = ContactBook("whatsapp", 300, seed=1, id_instance=1)
    full = book.contacts_json()
    assert book.contacts_json() is full
    assert book.contacts_json(count=10**9) is full  # a count beyond the book is the full answer
    assert book.contacts_json(count=5) is book.contacts_json(count=5)
    assert json.loads(book.contacts_json(count=5)) == json.loads(full)[-5:]
    # The cache is bounded (LRU): many distinct counts evict the oldest answers.
    first = book.contacts_json(count=1)
    for count in range(2, 100):
        book.contacts_json(count=count)
    again = book.contacts_json(count=1)
    assert again == first
    assert again is not first


async def test_a_hundred_thousand_contacts() -> None:
    instance = MockInstance(9, "tok", "whatsapp", contacts=100_000)
    app = create_app([instance], rate_limit=False)
    app.mock.prepare()
    async with client_for(app) as client:
        items = await get_list(client, "/waInstance9/getContacts/tok")
        assert len(items) == 100_000
        assert len({item["id"] for item in items}) == 100_000
        assert await get_list(client, "/waInstance9/getContacts/tok", count=10) == items[-10:]
        groups = await get_list(client, "/waInstance9/getContacts/tok", group="true")
        assert 5_000 < len(groups) < 11_000  # about 8 % of a large book are groups
    tg_book = ContactBook("telegram", 100_000, seed=1, id_instance=4100000000)
    assert len(json.loads(tg_book.contacts_json())) == 100_000


def test_instances_with_the_same_book_share_one_encoded_answer() -> None:
    app = create_app(
        [
            MockInstance(21, "a", "whatsapp", contacts=500, seed=5),
            MockInstance(22, "b", "whatsapp", contacts=500, seed=5),
            MockInstance(23, "c", "whatsapp", contacts=500, seed=6),
        ],
        rate_limit=False,
    )
    app.mock.prepare()
    books = [app.mock.instance(id_instance).book for id_instance in (21, 22, 23)]
    assert books[0].contacts_json() is books[1].contacts_json()
    assert books[0].contacts_json() != books[2].contacts_json()
    assert books[0].stored_bytes == 500  # one byte per contact; no dicts kept
