"""Configuration that says what is wrong: every bad option a ConfigurationError naming its field,
before anything is sent; chat ids matched in full (issue 16, items 6 and 7)."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from green_api_contacts import ConfigurationError, InvalidRequestError
from tests.unit.client_support import KINDS, WA_ID, WA_TOKEN, Api, client_class, make_api

SYNC_KINDS = ("sync-whatsapp", "sync-telegram")


def _build(kind: str, **options: Any) -> Any:
    settings: dict[str, Any] = {"id_instance": WA_ID, "api_token": WA_TOKEN}
    settings.update(options)
    return client_class(kind)(**settings)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timeout", -1),
        ("timeout", 0),
        ("timeout", "x"),
        ("timeout", math.nan),
        ("timeout", math.inf),  # decided: no "forever"; pass httpx.Timeout(None) for that
        ("timeout", True),
        ("timeout", httpx.Timeout(5, read=-1)),
        ("timeout", httpx.Timeout(5, connect=math.nan)),
        ("max_retry_time", 0),
        ("max_retry_time", -1),
        ("max_retry_time", "x"),
        ("max_retry_time", math.nan),
        ("max_retry_time", math.inf),  # decided: None is the way to say "no bound"
        ("max_retry_time", True),
        ("max_response_size", 0),
        ("max_response_size", -1),
        ("max_response_size", "x"),
        ("max_response_size", 1.5),
        ("max_response_size", True),
        ("max_response_size", None),
        ("retry_empty_delay", math.inf),
        ("retry_empty_delay", math.nan),
    ],
)
def test_bad_options_are_configuration_errors_naming_the_field(
    kind: str, field: str, value: Any
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        _build(kind, **{field: value})
    assert str(caught.value).startswith(field)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("kind", SYNC_KINDS)
def test_timeout_bounds_each_attempt(kind: str) -> None:
    """A number bounds an attempt and each of httpx's waits; an httpx.Timeout's largest part
    bounds an attempt; a caller's http_client brings its own timeout."""
    with _build(kind, timeout=5) as client:
        assert client._attempt_seconds == 5
        assert client._http.timeout == httpx.Timeout(5)
    with _build(kind) as client:
        assert client._attempt_seconds == 60
    with _build(kind, timeout=httpx.Timeout(None)) as client:
        assert client._attempt_seconds is None
    with httpx.Client(timeout=7) as http, _build(kind, http_client=http) as client:
        assert client._attempt_seconds == 7
    with httpx.Client(timeout=7) as http, _build(kind, http_client=http, timeout=2.5) as client:
        assert client._attempt_seconds == 2.5
        # with_options' timeout bounds the derived client's attempts too.
        assert client.with_options(timeout=3)._attempt_seconds == 3
        assert client._attempt_seconds == 2.5


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "api_url",
    [
        "http://api.green-api.com:0",
        "http://api.green-api.com:65536",
        "http://api.green-api.com:70000",
        "http://api.green-api.com:-1",
        "ftp://api.green-api.com",
        "ws://api.green-api.com",
        "api.green-api.com",
        "http://",
        "http:///waitress",
        "http://:8080",
        "http://api green-api.com",
        "http://api.green-api.com :8080",
        "http://api.green-api.com/a b",
        "http://api.green-api.com\t/x",
    ],
)
def test_api_urls_that_cannot_work_are_refused_naming_api_url(kind: str, api_url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        _build(kind, api_url=api_url)
    assert "api_url" in str(caught.value)


@pytest.mark.parametrize("kind", SYNC_KINDS)
@pytest.mark.parametrize(
    "api_url", ["http://127.0.0.1:1", "https://api.green-api.com:65535", "http://[::1]:8080"]
)
def test_ports_at_the_limits_are_accepted(kind: str, api_url: str) -> None:
    with _build(kind, api_url=api_url) as client:
        assert client.api_url == api_url
    # Spaces around a pasted URL (a variable's trailing newline) are trimmed, not refused.
    with _build(kind, api_url=f" {api_url}/\n") as client:
        assert client.api_url == api_url


async def _refused(api: Api, chat_id: str) -> None:
    with pytest.raises(InvalidRequestError, match="chat_id"):
        await api.get_contact_info(chat_id)
    assert api.transport.requests == []  # nothing was sent


async def test_chat_ids_with_a_trailing_newline_are_refused_before_sending(api: Api) -> None:
    """msgspec searches its pattern, and `$` matches before a final newline: full matches only."""
    await _refused(api, api.user_chat_id + "\n")
    await _refused(api, "\n" + api.user_chat_id)
    await _refused(api, api.user_chat_id + " ")


@pytest.mark.parametrize("kind", ["sync-telegram", "async-telegram"])
async def test_telegram_chat_ids_are_ascii_digits_only(kind: str) -> None:
    """ECMA-262 reads [0-9] and \\d as ASCII; so do the clients (no Arabic-Indic digits)."""
    api = make_api(kind, handler=lambda request: httpx.Response(200, json={}))
    await _refused(api, "100\n")
    await _refused(api, "\u0661\u0660\u0660")
    await api.close()
