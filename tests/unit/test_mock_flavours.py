"""The mock derives every flavour-specific behaviour from the flavour registry.

Each test iterates green_api_contacts.flavours, so a new registry entry is tested here without
a new line; MAX is the third entry and is covered like the other two.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

import green_api_contacts.mock
from green_api_contacts.flavours import FLAVOURS, OPERATIONS, Flavour
from green_api_contacts.mock import (
    DEFAULT_INSTANCES,
    ContactBook,
    MockApp,
    MockInstance,
    create_app,
    parse_instance_spec,
    redact_path,
)
from green_api_contacts.mock._book import SHAPES, BodyCache, GenericShape, shape_for
from green_api_contacts.mock._validation import STYLES

ALL = list(FLAVOURS.values())
IDS = [f.name for f in ALL]
ALL_PREFIXES = sorted({p for f in ALL for p in f.path_prefixes})
DEFAULT = {instance.flavour: instance for instance in DEFAULT_INSTANCES}


def url(flavour: Flavour, operation: str, prefix: str = "", token: str | None = None) -> str:
    secret = flavour.mock_token if token is None else token
    return OPERATIONS[operation].url_path(flavour.id_instance_example, secret, prefix)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(rate_limit=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        yield client


def client_for(app: MockApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")


def decode(flavour: Flavour, struct: str, body: bytes, many: bool = False) -> Any:
    kind: Any = flavour.struct(struct)
    return msgspec.json.decode(body, type=list[kind] if many else kind)


# ------------------------------------------------------------------ instances and book shapes


def test_book_shapes_are_keyed_like_the_registry() -> None:
    assert set(SHAPES) == set(FLAVOURS)
    for name, shape in SHAPES.items():
        assert shape.name == name
        assert shape.id_key == FLAVOURS[name].contact_id_field
        assert shape_for(name) is shape


def test_default_instances_cover_every_flavour() -> None:
    assert list(DEFAULT) == list(FLAVOURS)
    for name, instance in DEFAULT.items():
        assert instance.spec is FLAVOURS[name]
        assert (instance.id_instance, instance.token) == (
            FLAVOURS[name].id_instance_example,
            FLAVOURS[name].mock_token,
        )


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
def test_an_instance_spec_takes_any_registered_flavour_in_any_case(flavour: Flavour) -> None:
    for written in (flavour.name, flavour.name.upper(), flavour.name.title()):
        instance = parse_instance_spec(f"{flavour.id_instance_example}:tok:{written}:7")
        assert (instance.flavour, instance.contacts) == (flavour.name, 7)
        assert MockInstance(1, "tok", written).flavour == flavour.name


def test_an_unknown_flavour_names_every_registered_one() -> None:
    with pytest.raises(ValueError, match="FLAVOUR must be one of") as caught:
        parse_instance_spec("1:tok:viber")
    assert all(name in str(caught.value) for name in FLAVOURS)
    with pytest.raises(ValueError, match="known flavours"):
        MockInstance(1, "tok", "viber")


def test_no_flavour_name_is_compared_in_the_mock() -> None:
    """Rule 8: what a flavour does is data; a comparison with a name would be a branch."""
    names = "|".join(re.escape(name) for name in FLAVOURS)
    literal = rf"""["'](?:{names})["']"""
    compared = re.compile(rf"(?:==|!=|\bis|\bin)\s*\(?{literal}|{literal}\s*(?:==|!=|\bin\b)")
    root = Path(green_api_contacts.mock.__file__).parent
    hits = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compared.search(line)
    ]
    assert hits == []
    assert compared.search('if flavour == "telegram":')  # the scan finds what it looks for


# ------------------------------------------------------------------ paths and OPTIONS


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_every_flavour_answers_under_each_of_its_prefixes(
    client: httpx.AsyncClient, flavour: Flavour
) -> None:
    for prefix in flavour.path_prefixes:
        listed = await client.get(url(flavour, "getContacts", prefix))
        assert listed.status_code == 200, (prefix, listed.text)
        contacts = decode(flavour, flavour.contact_struct, listed.content, many=True)
        assert len(contacts) == DEFAULT[flavour.name].contacts
        chat_id = listed.json()[-1][flavour.contact_id_field]
        assert flavour.is_chat_id(chat_id)
        info = await client.post(url(flavour, "getContactInfo", prefix), json={"chatId": chat_id})
        assert info.status_code == 200, (prefix, info.text)
        decoded = msgspec.json.decode(info.content, type=flavour.info_type())
        assert msgspec.to_builtins(decoded)["chatId"] == chat_id


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_a_prefix_of_another_flavour_is_forbidden(
    client: httpx.AsyncClient, flavour: Flavour
) -> None:
    foreign = [p for p in [*ALL_PREFIXES, "/v9", "/v3/v3"] if p not in flavour.path_prefixes]
    for prefix in foreign:
        response = await client.get(url(flavour, "getContacts", prefix))
        assert (response.status_code, response.text) == (403, "Forbidden"), prefix


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
@pytest.mark.parametrize("operation", list(OPERATIONS))
async def test_options_on_a_method_path_is_204_and_empty(
    client: httpx.AsyncClient, flavour: Flavour, operation: str
) -> None:
    for prefix in flavour.path_prefixes:
        for token in (flavour.mock_token, "wrong"):  # a preflight carries no credentials
            response = await client.options(url(flavour, operation, prefix, token))
            assert response.status_code == 204
            assert response.content == b""
    assert (await client.options("/")).status_code == 403
    assert (await client.options(url(flavour, operation) + "/extra")).status_code != 204


# ------------------------------------------------------------------ GetContacts options


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_count_returns_the_last_n_contacts(
    client: httpx.AsyncClient, flavour: Flavour
) -> None:
    everything = (await client.get(url(flavour, "getContacts"))).json()
    three = await client.get(url(flavour, "getContacts"), params={"count": 3})
    assert three.json() == everything[-3:]


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_group_is_read_only_where_the_flavour_declares_it(
    client: httpx.AsyncClient, flavour: Flavour
) -> None:
    everything = (await client.get(url(flavour, "getContacts"))).json()
    response = await client.get(url(flavour, "getContacts"), params={"group": "maybe"})
    if flavour.has_option("getContacts", "group"):
        assert response.status_code == 400
        assert "'group' must be a boolean" in response.json()["message"]
    else:
        assert response.json() == everything  # an option it does not take is ignored


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_ignore_count_and_group_answers_the_whole_list(flavour: Flavour) -> None:
    base = MockInstance(flavour.id_instance_example, "tok", flavour.name, contacts=40)
    ignoring = MockInstance(7, "tok7", flavour.name, contacts=40, ignore_count_and_group=True)
    app = create_app([base, ignoring], rate_limit=False)
    seeded = create_app(
        [MockInstance(7, "tok7", flavour.name, contacts=40, seed=7)], rate_limit=False
    )
    async with client_for(app) as client, client_for(seeded) as plain:
        path = "/waInstance7/getContacts/tok7"
        everything = (await client.get(path)).json()
        assert len(everything) == 40
        assert (await client.get(path, params={"count": 3})).json() == everything
        assert (await plain.get(path, params={"count": 3})).json() == everything[-3:]
        if flavour.has_option("getContacts", "group"):
            assert (await client.get(path, params={"group": "true"})).json() == everything
        # The values are still validated: the request schema is the same.
        assert (await client.get(path, params={"count": 0})).status_code == 400


# ------------------------------------------------------------------ GetContactInfo


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_a_group_chat_is_answered_as_the_registry_says(
    client: httpx.AsyncClient, flavour: Flavour
) -> None:
    assert flavour.chat_id_group_example is not None
    response = await client.post(
        url(flavour, "getContactInfo"), json={"chatId": flavour.chat_id_group_example}
    )
    assert response.status_code == flavour.group_info_status
    if flavour.group_info_is_null:
        assert response.content == b"null"
    else:
        assert response.json()["message"] == flavour.group_info_message


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
async def test_refusals_use_the_flavours_validation_style(
    client: httpx.AsyncClient, flavour: Flavour
) -> None:
    style = STYLES[flavour.validation]
    cases = [
        ({"chatId": "not a chat"}, style.bad_format()),
        ({"chatId": flavour.chat_id_user_example + "0" * 30}, style.bad_format()),
        ({"chatId": True}, style.not_string(True)),
        ({"chatId": ""}, style.empty()),
        ({}, style.required()),
        ({"chatId": flavour.chat_id_user_example, "extra": 1}, style.unknown_key("extra")),
    ]
    for body, expected in cases:
        response = await client.post(url(flavour, "getContactInfo"), json=body)
        assert response.status_code == expected.status, body
        assert response.json()["message"] == expected.message, body


def test_the_two_styles_differ_as_documented() -> None:
    assert STYLES["go"].not_string(1.5).status == 500
    assert "interface {} is float64, not string" in STYLES["go"].not_string(1.5).message
    assert STYLES["joi"].not_string(1.5).status == 400
    assert STYLES["go"].bad_format().message == "Validation failed"
    assert STYLES["joi"].required().message == "Validation failed. Details: 'chatId' is required"


# ------------------------------------------------------------------ a flavour without a shape


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
def test_a_generic_shape_serves_any_flavour_from_its_structs(flavour: Flavour) -> None:
    """What a new flavour without a book shape gets; tried on every registered flavour."""
    shape = GenericShape(flavour)
    book = ContactBook(
        flavour.name, 50, seed=3, id_instance=1, shapes={flavour.name: shape}, cache=BodyCache()
    )
    body = book.contacts_json()
    assert len(decode(flavour, flavour.contact_struct, body, many=True)) == 50
    items = msgspec.json.decode(body)
    ids = [item[flavour.contact_id_field] for item in items]
    assert len(set(ids)) == 50 and all(flavour.is_chat_id(i) for i in ids)
    found = book.info(ids[7])
    assert found["chatId"] == ids[7]
    assert found["name"] == items[7]["name"] != ""
    decode(flavour, flavour.info_struct, msgspec.json.encode(found))
    unknown = book.info(flavour.chat_id_user_example)
    assert unknown["chatId"] == flavour.chat_id_user_example and unknown["name"] == ""


@pytest.mark.parametrize("flavour", ALL, ids=IDS)
def test_the_group_chat_grammar_tells_groups_from_users(flavour: Flavour) -> None:
    assert flavour.chat_id_group_example is not None
    assert flavour.is_group_chat(flavour.chat_id_group_example)
    assert not flavour.is_group_chat(flavour.chat_id_user_example)
    assert not flavour.is_group_chat(flavour.chat_id_group_example + "\n")  # full match only


@pytest.mark.parametrize("prefix", ALL_PREFIXES)
def test_a_logged_path_keeps_a_registered_prefix_and_never_the_token(prefix: str) -> None:
    secret = "7e57" * 12 + "ab"
    path = f"{prefix}/waInstance3100000000/getContacts/{secret}"
    assert redact_path(path) == f"{prefix}/waInstance3100000000/getContacts/<redacted>"
    assert secret not in redact_path(f"{prefix}/{secret}/getContacts/x")
    assert secret not in redact_path(f"/v9{path}")
