"""Constructing clients: arguments, defaults, from_env, context managers, connection reuse."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from green_api_contacts import (
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    ConfigurationError,
    GreenAPIError,
    TelegramClient,
    WhatsAppClient,
)
from green_api_contacts.mock import BackgroundServer, ManualClock
from tests.unit.client_support import (
    KINDS,
    TG_ID,
    TG_TOKEN,
    WA_ID,
    WA_TOKEN,
    client_class,
    make_app,
)

ALL_CLASSES = [WhatsAppClient, TelegramClient, AsyncWhatsAppClient, AsyncTelegramClient]


def build(cls: Any, **overrides: Any) -> Any:
    options: dict[str, Any] = {"id_instance": WA_ID, "api_token": WA_TOKEN}
    options.update(overrides)
    return cls(**options)


@pytest.mark.parametrize(
    ("cls", "url"),
    [
        (WhatsAppClient, "https://api.green-api.com"),
        (AsyncWhatsAppClient, "https://api.green-api.com"),
        (TelegramClient, "https://4100.api.green-api.com"),
        (AsyncTelegramClient, "https://4100.api.green-api.com"),
    ],
)
def test_default_api_url_per_flavour(cls: Any, url: str) -> None:
    client = build(cls)
    assert client.api_url == url
    assert client.flavour == ("telegram" if "Telegram" in cls.__name__ else "whatsapp")


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_api_url_is_normalised(cls: Any) -> None:
    # An idInstance of no known range: the host alone never makes a flavour mismatch.
    neutral = 1234567890
    assert (
        build(cls, id_instance=neutral, api_url="https://7103.api.green-api.com/").api_url
        == "https://7103.api.green-api.com"
    )
    assert build(cls, api_url="http://127.0.0.1:8080").api_url == "http://127.0.0.1:8080"
    assert (
        build(cls, api_url="https://3100.api.green-api.com/v3").api_url
        == "https://3100.api.green-api.com/v3"
    )


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize(
    "api_url",
    [
        "ftp://api.green-api.com",
        "api.green-api.com",
        "https://",
        "https://h/?q=1",
        "https://h/#x",
        "",
        5,
    ],
)
def test_bad_api_url(cls: Any, api_url: object) -> None:
    with pytest.raises(ConfigurationError, match="api_url must be an http"):
        build(cls, api_url=api_url)


METHOD_URLS = [
    f"https://1101.api.green-api.com/waInstance{WA_ID}/getContacts/{WA_TOKEN}",
    f"https://1101.api.green-api.com/waInstance{WA_ID}/getContacts/{WA_TOKEN}/",
    f"https://1101.api.green-api.com/WAINSTANCE{WA_ID}/getContacts/{WA_TOKEN}",
    f"https://1101.api.green-api.com/waInstance{WA_ID}",
]


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize("api_url", METHOD_URLS)
def test_a_full_method_url_is_refused_without_echoing_it(cls: Any, api_url: str) -> None:
    """A pasted method URL would carry the token into api_url, repr(client) and every request."""
    with pytest.raises(ConfigurationError, match="full method URL") as caught:
        build(cls, api_url=api_url)
    assert "console's apiUrl" in str(caught.value)
    assert WA_TOKEN not in str(caught.value)
    assert api_url not in str(caught.value)
    environ = {"GREEN_API_ID_INSTANCE": str(WA_ID), "GREEN_API_TOKEN": WA_TOKEN}
    with pytest.raises(ConfigurationError, match="full method URL"):
        cls.from_env(environ={**environ, "GREEN_API_URL": api_url})


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize(
    "api_url", [f"https://user:{WA_TOKEN}@api.green-api.com", f"https://{WA_TOKEN}@h.test"]
)
def test_user_info_in_api_url_is_refused_without_echoing_it(cls: Any, api_url: str) -> None:
    with pytest.raises(ConfigurationError, match="user name or password") as caught:
        build(cls, api_url=api_url)
    assert WA_TOKEN not in str(caught.value)


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_repr_is_redacted_whatever_api_url_holds(cls: Any) -> None:
    client = build(cls, api_url=f"https://h.test/{WA_TOKEN}")  # odd, but not a method URL
    assert WA_TOKEN not in repr(client)
    assert (
        repr(client) == f"{cls.__name__}(api_url='https://h.test/<redacted>', id_instance={WA_ID})"
    )


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize("id_instance", [0, -1, 10_000_000_000, True, 1.0, "12a", "", None])
def test_bad_id_instance(cls: Any, id_instance: object) -> None:
    with pytest.raises(ConfigurationError, match="id_instance"):
        build(cls, id_instance=id_instance)


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_id_instance_as_digits(cls: Any) -> None:
    assert build(cls, id_instance=" 1101000001 ").id_instance == 1101000001
    assert build(cls, id_instance=9_999_999_999).id_instance == 9_999_999_999


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize("token", ["", "a/b", "a b", "x" * 257, None, 12, "tökén"])
def test_bad_token_is_refused_without_echoing_it(cls: Any, token: object) -> None:
    with pytest.raises(ConfigurationError, match="api_token must be") as caught:
        build(cls, api_token=token)
    if isinstance(token, str) and token:
        assert token not in str(caught.value)


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize(
    ("option", "value", "match"),
    [
        ("max_retries", -1, "max_retries"),
        ("max_retries", True, "max_retries"),
        ("max_retry_time", 0, "max_retry_time"),
        ("retry", "3", "retry must be"),
        ("retry_empty_contacts", -1, "retry_empty_contacts"),
        ("retry_empty_delay", -0.5, "retry_empty_delay"),
        ("http_client", object(), "http_client must be"),
    ],
)
def test_bad_options(cls: Any, option: str, value: object, match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        build(cls, **{option: value})


def test_http_client_of_the_wrong_kind() -> None:
    with pytest.raises(ConfigurationError, match="AsyncClient"):
        build(AsyncWhatsAppClient, http_client=httpx.Client())
    with pytest.raises(ConfigurationError, match=r"httpx\.Client"):
        build(WhatsAppClient, http_client=httpx.AsyncClient())


def test_http_client_and_transport_are_exclusive() -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        build(
            WhatsAppClient,
            http_client=httpx.Client(),
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
        )


def test_configuration_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="id_instance"):
        build(WhatsAppClient, id_instance=0)
    assert issubclass(ConfigurationError, GreenAPIError)


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_repr_and_str_never_show_the_token(cls: Any) -> None:
    client = build(cls)
    for text in (repr(client), str(client), repr(vars(client)), repr(client._token)):
        assert WA_TOKEN not in text
    assert repr(client) == f"{cls.__name__}(api_url={client.api_url!r}, id_instance={WA_ID})"


# ---------------------------------------------------------------------------- from_env


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_from_env(cls: Any) -> None:
    # An instance of no known idInstance range, so that every class may take it.
    environ = {
        "GREEN_API_ID_INSTANCE": "1234567890",
        "GREEN_API_TOKEN": TG_TOKEN,
        "GREEN_API_URL": "https://1234.api.green-api.com",
    }
    client = cls.from_env(environ=environ, max_retries=0)
    assert (client.id_instance, client.api_url) == (1234567890, "https://1234.api.green-api.com")
    assert client._token.reveal() == TG_TOKEN
    assert client._retry.total == 0


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(WA_ID))
    monkeypatch.setenv("GREEN_API_TOKEN", WA_TOKEN)
    monkeypatch.delenv("GREEN_API_URL", raising=False)
    client = WhatsAppClient.from_env()
    assert (client.id_instance, client.api_url) == (WA_ID, "https://api.green-api.com")


@pytest.mark.parametrize("missing", ["GREEN_API_ID_INSTANCE", "GREEN_API_TOKEN"])
@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_from_env_names_the_missing_variable(cls: Any, missing: str) -> None:
    environ = {"GREEN_API_ID_INSTANCE": str(WA_ID), "GREEN_API_TOKEN": WA_TOKEN}
    environ[missing] = "  "
    with pytest.raises(ConfigurationError) as caught:
        cls.from_env(environ=environ)
    assert f"{missing} is not set" in str(caught.value)
    assert WA_TOKEN not in str(caught.value)


def test_from_env_bad_values_are_named_not_echoed() -> None:
    with pytest.raises(ConfigurationError, match="GREEN_API_ID_INSTANCE must be"):
        WhatsAppClient.from_env(
            environ={"GREEN_API_ID_INSTANCE": "abc", "GREEN_API_TOKEN": WA_TOKEN}
        )
    secret = "s3cr3t/with/slashes"
    with pytest.raises(ConfigurationError, match="GREEN_API_TOKEN is not a valid token") as caught:
        WhatsAppClient.from_env(environ={"GREEN_API_ID_INSTANCE": "1", "GREEN_API_TOKEN": secret})
    assert secret not in str(caught.value)


# ---------------------------------------------------------------------------- lifecycle


def test_sync_context_manager_closes_its_own_client() -> None:
    with build(WhatsAppClient) as client:
        http = client._http
        assert not http.is_closed
    assert http.is_closed


async def test_async_context_manager_closes_its_own_client() -> None:
    async with build(AsyncTelegramClient, api_token=TG_TOKEN) as client:
        http = client._http
        assert not http.is_closed
    assert http.is_closed


def test_a_given_http_client_is_left_open_and_its_timeout_kept() -> None:
    own = httpx.Client(timeout=3.0)
    with build(WhatsAppClient, http_client=own) as client:
        assert client._http is own
        assert client._timeout is httpx.USE_CLIENT_DEFAULT
    assert not own.is_closed
    own.close()


def test_timeout_option() -> None:
    with build(WhatsAppClient, timeout=7.5) as client:
        assert client._http.timeout == httpx.Timeout(7.5)
    with build(WhatsAppClient) as client:
        assert client._http.timeout == httpx.Timeout(60.0, connect=10.0)


def open_connections(transport: Any) -> int:
    """Connections in the pool of httpx's own transport, or of aiohttp's (the [aiohttp] extra)."""
    session = getattr(transport, "client", None)
    if session is not None:  # httpx-aiohttp: an aiohttp ClientSession once it has sent
        return sum(len(idle) for idle in session.connector._conns.values())
    return len(transport._pool.connections)


@pytest.mark.parametrize("kind", KINDS)
async def test_connections_are_reused(kind: str) -> None:
    """Three calls, one TCP connection: the client keeps one pool for its lifetime."""
    app = make_app(ManualClock())
    flavour_token = TG_TOKEN if kind.endswith("telegram") else WA_TOKEN
    flavour_id = TG_ID if kind.endswith("telegram") else WA_ID
    with BackgroundServer(app) as server:
        client = client_class(kind)(
            id_instance=flavour_id, api_token=flavour_token, api_url=server.url
        )
        for _ in range(3):
            result = client.get_contacts(2)
            if kind.startswith("async"):
                result = await result
            assert len(result) == 2
        assert open_connections(client._http._transport) == 1
        if kind.startswith("async"):
            await client.aclose()
        else:
            client.close()
