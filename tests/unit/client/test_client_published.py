"""Every body GREEN-API has published, through the public clients (issue 12, item 1).

A 200 body comes back as the flavour's typed result with every sent value kept; an error body
raises its own typed error, also when GREEN-API sends a documented error text with HTTP 200.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import msgspec
import pytest

import green_api_contacts as g
from green_api_contacts.flavours import FLAVOURS, Flavour
from tests.documented import ALL, ERRORS, Documented, sent_values

TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182"


def _client_classes(flavour: str) -> tuple[Any, Any] | None:
    """The public sync and async clients of a flavour, found by its registry entry."""
    prefix = FLAVOURS[flavour].class_prefix
    sync, async_ = getattr(g, f"{prefix}Client", None), getattr(g, f"Async{prefix}Client", None)
    return None if sync is None or async_ is None else (sync, async_)


def _with_clients(examples: list[Documented]) -> list[Documented]:
    return [e for e in examples if _client_classes(e.flavour) is not None]


def _by_id(example: Documented) -> str:
    return example.id


def _answer(status: int, content: bytes, content_type: str = "application/json") -> Any:
    return httpx.MockTransport(
        lambda _: httpx.Response(status, content=content, headers={"Content-Type": content_type})
    )


def _call(flavour: Flavour, operation: str, transport: Any) -> Any:
    """The operation through the flavour's sync client, then through its async client."""
    classes = _client_classes(flavour.name)
    assert classes is not None
    sync, async_ = classes
    options: dict[str, Any] = {
        "id_instance": flavour.id_instance_example,
        "api_token": TOKEN,
        "transport": transport,
        "max_retries": 0,
    }
    chat_id = flavour.chat_id_user_example
    with sync(**options) as client:
        if operation == "getContacts":
            result = client.get_contacts()
        else:
            result = client.get_contact_info(chat_id)

    async def again() -> Any:
        async with async_(**options) as client:
            if operation == "getContacts":
                return await client.get_contacts()
            return await client.get_contact_info(chat_id)

    assert msgspec.to_builtins(asyncio.run(again())) == msgspec.to_builtins(result)
    return result


OK = [e for e in _with_clients(ALL) if e.kind == "response"]


@pytest.mark.parametrize("example", OK, ids=_by_id)
def test_a_published_answer_reads_into_the_typed_result(example: Documented) -> None:
    flavour = FLAVOURS[example.flavour]
    result = _call(flavour, example.operation, _answer(200, json.dumps(example.body).encode()))
    if example.body is None:
        assert result is None
        return
    items = result if isinstance(result, list) else [result]
    name = flavour.contact_struct if example.operation == "getContacts" else flavour.info_struct
    struct = flavour.struct(name)
    assert all(isinstance(item, struct) for item in items)
    assert all(item.extra == {} for item in items)  # every field is a known one
    assert sent_values(example.body, msgspec.to_builtins(result)) == example.body


QUOTA = [e for e in _with_clients(ERRORS) if e.status == 466]


@pytest.mark.parametrize("example", QUOTA, ids=_by_id)
def test_a_published_quota_answer_gives_int_figures(example: Documented) -> None:
    flavour = FLAVOURS[example.flavour]
    with pytest.raises(g.QuotaExceededError) as caught:
        _call(flavour, example.operation, _answer(466, json.dumps(example.body).encode()))
    error = caught.value
    parts = [example.body.get(key) for key in ("invokeStatus", "correspondentsStatus")]
    exceeded = next(p for p in parts if p is not None and p["status"] != "QUOTE_ALLOWED")
    assert (error.used, error.total) == (int(exceeded["used"]), int(exceeded["total"]))
    assert (error.method, error.status) == (exceeded["method"], exceeded["status"])
    assert type(error.used) is int and type(error.total) is int


# The class each documented 400 text means, and classes it must also be caught as.
TEXTS: dict[str, tuple[type[g.GreenAPIError], ...]] = {
    "instance is starting or not authorized": (
        g.InstanceNotReadyError,
        g.InstanceStartingError,
        g.InstanceNotAuthorizedError,
    ),
    "instance in starting process try later": (g.InstanceStartingError,),
    "instance account not authorized": (g.InstanceNotAuthorizedError,),
    "You have used up the chat limit on your tariff": (
        g.ChatLimitExceededError,
        g.QuotaExceededError,
        g.BadRequestError,
    ),
    "Validation failed. Details: 'chatId' is required": (g.ValidationFailedError,),
}
BAD = [e for e in _with_clients(ERRORS) if e.status == 400]


def _expected(example: Documented) -> tuple[type[g.GreenAPIError], ...]:
    return TEXTS[example.body["message"]]


@pytest.mark.parametrize("example", BAD, ids=_by_id)
def test_a_published_400_text_raises_its_class(example: Documented) -> None:
    expected = _expected(example)
    content = json.dumps(example.body).encode()
    with pytest.raises(g.GreenAPIError) as caught:
        _call(FLAVOURS[example.flavour], example.operation, _answer(400, content))
    assert type(caught.value) is expected[0] and isinstance(caught.value, expected)
    assert caught.value.status_code == 400 and caught.value.message == example.body["message"]


@pytest.mark.parametrize("as_text", [False, True], ids=["json", "text"])
@pytest.mark.parametrize("operation", ["getContacts", "getContactInfo"])
@pytest.mark.parametrize("example", BAD, ids=_by_id)
def test_the_same_text_with_status_200_raises_the_same_class(
    example: Documented, operation: str, as_text: bool
) -> None:
    """GREEN-API's Portuguese pages list the instance-state texts with HTTP 200."""
    message = example.body["message"]
    content = message.encode() if as_text else json.dumps(example.body).encode()
    answer = _answer(200, content, "text/plain" if as_text else "application/json")
    with pytest.raises(g.GreenAPIError) as caught:
        _call(FLAVOURS[example.flavour], operation, answer)
    assert type(caught.value) is _expected(example)[0]
    assert caught.value.status_code == 200 and caught.value.message == message
    assert TOKEN not in repr(caught.value) and TOKEN not in str(caught.value.body)


@pytest.mark.parametrize("flavour", [f for f in FLAVOURS if _client_classes(f)])
def test_other_200_bodies_are_not_taken_for_error_texts(flavour: str) -> None:
    entry = FLAVOURS[flavour]
    # A text that is not documented is still an answer that does not match the description.
    with pytest.raises(g.ResponseValidationError):
        _call(entry, "getContacts", _answer(200, b"instance is fine", "text/plain"))
    # A result whose unknown `message` field is not an error text is a result.
    body = {"name": "n", "message": "instance is fine"}
    info = _call(entry, "getContactInfo", _answer(200, json.dumps(body).encode()))
    assert info.name == "n" and info.extra == {"message": "instance is fine"}
