"""The wrong client for an instance says which client to use; from_env and client_from_env honour
GREEN_API_FLAVOUR (issue 16, item 6). Mismatches are reported only on agreeing evidence."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec
import pytest

from green_api_contacts import (
    AsyncMaxClient,
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    ConfigurationError,
    FlavourMismatchError,
    MaxClient,
    ResponseValidationError,
    TelegramClient,
    WhatsAppClient,
    client_from_env,
)
from green_api_contacts.client import ENV_FLAVOUR
from green_api_contacts.mock import ManualClock
from green_api_contacts.testing import MockTransport
from tests.unit.client_support import (
    KINDS,
    TG_ID,
    TG_TOKEN,
    WA_ID,
    WA_TOKEN,
    client_class,
    make_api,
    make_app,
)

NEUTRAL_ID = 1234567890  # in no known range
# kind -> the class that kind's mismatch must name (the other flavour, same driver).
OTHER = {
    "sync-whatsapp": "TelegramClient",
    "sync-telegram": "WhatsAppClient",
    "async-whatsapp": "AsyncTelegramClient",
    "async-telegram": "AsyncWhatsAppClient",
}
# kind -> an idInstance and host of the *other* flavour.
OTHER_INSTANCE = {
    "sync-whatsapp": (4100000123, "https://4100.api.green-api.com"),
    "async-whatsapp": (4100000123, "https://4100.api.green-api.com"),
    "sync-telegram": (7103000123, "https://7103.api.greenapi.com"),
    "async-telegram": (1101000123, "https://1101.api.green-api.com"),
}
TG_CONTACTS = [
    {"chatId": "10000000", "name": "A", "contactName": "", "type": "user", "phoneNumber": 0}
]
WA_CONTACTS = [{"id": "79001234567@c.us", "name": "A", "type": "user"}]


async def _contacts(client: Any) -> Any:
    """get_contacts of a blocking or an asyncio client, closed afterwards."""
    if hasattr(client, "aclose"):
        async with client:
            return await client.get_contacts()
    with client:
        return client.get_contacts()


def _build(kind: str, **options: Any) -> Any:
    settings: dict[str, Any] = {"api_token": WA_TOKEN}
    settings.update(options)
    return client_class(kind)(**settings)


@pytest.mark.parametrize("kind", KINDS)
def test_id_and_host_of_another_flavour_name_the_right_client(kind: str) -> None:
    id_instance, api_url = OTHER_INSTANCE[kind]
    with pytest.raises(FlavourMismatchError) as caught:
        _build(kind, id_instance=id_instance, api_url=api_url)
    error = caught.value
    assert isinstance(error, ConfigurationError)
    assert error.right_client == OTHER[kind]
    assert f"use {OTHER[kind]}" in str(error)
    assert WA_TOKEN not in str(error) + repr(error)


@pytest.mark.parametrize("kind", ["sync-whatsapp", "sync-telegram"])
@pytest.mark.parametrize(
    ("id_instance", "api_url"),
    [
        (4100000123, None),  # the id alone (WhatsApp's default host names no range)
        (NEUTRAL_ID, "https://4100.api.green-api.com"),  # the host alone
        (4100000123, "https://1101.api.green-api.com"),  # they disagree
        (410000012, "https://4100.api.green-api.com"),  # 9 digits: not of the 10-digit ranges
    ],
)
def test_weak_or_conflicting_evidence_is_no_error(
    kind: str, id_instance: int, api_url: str | None
) -> None:
    """Ranges are heuristics: one signal alone, or signals that disagree, raise nothing."""
    evidence = {"id_instance": id_instance, "api_url": api_url}
    with _build(kind, **evidence) as client:
        assert client.id_instance == id_instance


@pytest.mark.parametrize("kind", KINDS)
async def test_an_answer_of_the_other_flavours_shape_names_the_right_client(kind: str) -> None:
    """Even from an instance of no known range: the answer is read strictly as the other's."""
    body = WA_CONTACTS if kind.endswith("telegram") else TG_CONTACTS
    api = make_api(kind, handler=lambda request: httpx.Response(200, json=body))
    with pytest.raises(FlavourMismatchError) as caught:
        await api.get_contacts()
    await api.close()
    assert caught.value.right_client == OTHER[kind]
    assert caught.value.operation == "getContacts"
    assert caught.value.status_code == 200


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
async def test_the_mock_telegram_instance_called_with_the_whatsapp_client(
    kind: str, clock: ManualClock
) -> None:
    """The mock's Telegram instance 4100000000 answers in Telegram's shape."""
    app = make_app(clock)
    transport = httpx.ASGITransport(app=app) if kind.startswith("async") else MockTransport(app)
    client = client_class(kind)(
        id_instance=TG_ID,
        api_token=TG_TOKEN,
        api_url="http://mock.test",
        max_retries=0,
        transport=transport,
    )
    with pytest.raises(FlavourMismatchError, match="Telegram"):
        await _contacts(client)


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
@pytest.mark.parametrize(("id_instance", "mismatch"), [(TG_ID, True), (NEUTRAL_ID, False)])
async def test_a_loose_answer_counts_only_with_the_range_behind_it(
    kind: str, id_instance: int, mismatch: bool
) -> None:
    """Telegram contacts with a field nobody knows: not strictly Telegram's shape, so only an
    idInstance of Telegram's range makes it a mismatch; else it stays a validation error."""
    body = [dict(TG_CONTACTS[0], brandNew=1)]
    client = client_class(kind)(
        id_instance=id_instance,
        api_token=WA_TOKEN,
        api_url="http://mock.test",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)),
        max_retries=0,
    )
    expected = FlavourMismatchError if mismatch else ResponseValidationError
    with pytest.raises(expected) as caught:
        await _contacts(client)
    assert isinstance(caught.value, FlavourMismatchError) is mismatch


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("body", [b"[]", b"{}", b"not json", b'[{"x": 1}]', b"null"])
async def test_answers_of_no_flavours_shape_stay_what_they_were(kind: str, body: bytes) -> None:
    api = make_api(kind, handler=lambda request: httpx.Response(200, content=body))
    if body == b"[]":
        assert await api.get_contacts() == []
    else:
        with pytest.raises(ResponseValidationError) as caught:
            await api.get_contacts()
        assert not isinstance(caught.value, FlavourMismatchError)
    await api.close()


# ---------------------------------------------------------------------------- the environment


def _env(**extra: str) -> dict[str, str]:
    return {"GREEN_API_ID_INSTANCE": str(NEUTRAL_ID), "GREEN_API_TOKEN": WA_TOKEN, **extra}


@pytest.mark.parametrize("kind", KINDS)
def test_from_env_refuses_another_flavour_naming_its_client(kind: str) -> None:
    other = "whatsapp" if kind.endswith("telegram") else "TeleGram"
    with pytest.raises(FlavourMismatchError) as caught:
        client_class(kind).from_env(environ=_env(**{ENV_FLAVOUR: other}))
    assert isinstance(caught.value, ConfigurationError)
    assert caught.value.right_client == OTHER[kind]
    assert f"use {OTHER[kind]}.from_env()" in str(caught.value)
    assert WA_TOKEN not in str(caught.value)


@pytest.mark.parametrize("kind", ["sync-whatsapp", "sync-telegram"])
def test_from_env_takes_its_own_flavour_in_any_case(kind: str) -> None:
    own = client_class(kind)._flavour.name
    for spelling in (own, own.upper(), f" {own.title()} ", ""):
        with client_class(kind).from_env(environ=_env(**{ENV_FLAVOUR: spelling})) as client:
            assert client.flavour == own


@pytest.mark.parametrize("async_", [False, True])
def test_an_unknown_flavour_names_the_variable_and_the_choices(async_: bool) -> None:
    environ = _env(**{ENV_FLAVOUR: "viber"})
    with pytest.raises(ConfigurationError, match="GREEN_API_FLAVOUR must be one of") as generic:
        client_from_env(async_=async_, environ=environ)
    cls: Any = AsyncWhatsAppClient if async_ else WhatsAppClient
    with pytest.raises(ConfigurationError, match="GREEN_API_FLAVOUR must be one of") as specific:
        cls.from_env(environ=environ)
    for caught in (generic, specific):
        assert "whatsapp" in str(caught.value)
        assert "telegram" in str(caught.value)


@pytest.mark.parametrize(
    ("flavour", "async_", "expected"),
    [
        ("telegram", False, TelegramClient),
        ("TELEGRAM", True, AsyncTelegramClient),
        ("WhatsApp", False, WhatsAppClient),
        ("whatsapp", True, AsyncWhatsAppClient),
        ("max", False, MaxClient),
        ("MAX", True, AsyncMaxClient),
        (None, False, WhatsAppClient),  # unset: the first flavour, as the command line
        (None, True, AsyncWhatsAppClient),
    ],
)
async def test_client_from_env_returns_the_named_client(
    flavour: str | None, async_: bool, expected: Any
) -> None:
    environ = _env() if flavour is None else _env(**{ENV_FLAVOUR: flavour})
    client: Any = client_from_env(
        async_=async_, environ=environ, max_retries=0, max_response_size=10
    )
    assert type(client) is expected
    assert (client.id_instance, client._max_size, client._retry.total) == (NEUTRAL_ID, 10, 0)
    if async_:
        await client.aclose()
    else:
        client.close()


def test_client_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(WA_ID))
    monkeypatch.setenv("GREEN_API_TOKEN", WA_TOKEN)
    monkeypatch.setenv(ENV_FLAVOUR, "Telegram")
    monkeypatch.delenv("GREEN_API_URL", raising=False)
    with client_from_env() as client:
        assert isinstance(client, TelegramClient)
        assert client.api_url == "https://4100.api.green-api.com"


def test_client_from_env_names_a_missing_variable() -> None:
    environ = {ENV_FLAVOUR: "telegram", "GREEN_API_TOKEN": WA_TOKEN}
    with pytest.raises(ConfigurationError, match="GREEN_API_ID_INSTANCE") as caught:
        client_from_env(environ=environ)
    assert WA_TOKEN not in str(caught.value)


@pytest.mark.parametrize("kind", ["sync-whatsapp", "sync-telegram"])
def test_a_max_instance_names_the_max_client(kind: str) -> None:
    """MAX's idInstance range (3100..., registry example 3100000000) is mismatch data too."""
    with pytest.raises(FlavourMismatchError) as caught:
        _build(kind, id_instance=3100000123, api_url="https://3100.api.green-api.com")
    assert caught.value.right_client == "MaxClient"


def test_mismatch_data_lives_in_the_flavour_table() -> None:
    """Ranges, class names and answer shapes are per-flavour data (moving with the table)."""
    from green_api_contacts.client._flavours import FLAVOURS

    for flavour in FLAVOURS:
        assert flavour.id_prefixes and all(p.isdigit() for p in flavour.id_prefixes)
        assert set(flavour.shape_of) == {"getContacts", "getContactInfo"}
        with pytest.raises(msgspec.ValidationError):  # a shape is one flavour's, not both
            flavour.shape_of["getContacts"](msgspec.json.encode(WA_CONTACTS + TG_CONTACTS))
