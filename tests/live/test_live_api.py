"""Opt-in: the public clients against the real GREEN-API (`make test-live`).

Needs GREEN_API_URL, GREEN_API_ID_INSTANCE, GREEN_API_TOKEN and GREEN_API_FLAVOUR; without
them every test here is skipped, with a message naming what is missing. The run makes at most
five calls, one per second at most (GREEN-API's rate limit; the Developer plan allows 1000
GetContacts calls a month).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from green_api_contacts import TelegramClient, WhatsAppClient
from green_api_contacts.errors import UnauthorizedError

pytestmark = pytest.mark.live

VARIABLES = ("GREEN_API_URL", "GREEN_API_ID_INSTANCE", "GREEN_API_TOKEN", "GREEN_API_FLAVOUR")
MISSING = [name for name in VARIABLES if not os.environ.get(name)]
if MISSING:
    pytestmark = [  # type: ignore[assignment]
        pytest.mark.live,
        pytest.mark.skip(reason=f"live API tests need {', '.join(MISSING)} (not set)"),
    ]

_last_call = [0.0]


def _pace() -> None:
    """At most one call per second, across the whole module."""
    wait = _last_call[0] + 1.1 - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    _last_call[0] = time.monotonic()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    flavour = os.environ.get("GREEN_API_FLAVOUR", "whatsapp")
    kind: Any = {"whatsapp": WhatsAppClient, "telegram": TelegramClient}[flavour]
    with kind.from_env(max_retries=1) as live:
        yield live


def test_get_contacts_returns_typed_contacts(client: Any) -> None:
    _pace()
    contacts = client.get_contacts(count=3)
    assert isinstance(contacts, list)
    assert len(contacts) <= 3
    for contact in contacts:
        assert isinstance(getattr(contact, "id", None) or contact.chat_id, str)


def test_get_contact_info_of_a_listed_contact(client: Any) -> None:
    _pace()
    contacts = client.get_contacts(count=5)
    users = [c for c in contacts if getattr(c, "type", "user") == "user"]
    if not users:
        pytest.skip("the instance has no user contacts to look up")
    chat_id = getattr(users[0], "id", None) or users[0].chat_id
    _pace()
    info = client.get_contact_info(chat_id)
    assert info is not None
    assert info.chat_id == chat_id


def test_a_wrong_token_is_unauthorized_and_not_leaked(client: Any) -> None:
    kind = type(client)
    wrong = "0" * 50
    _pace()
    with (
        kind(api_url=client.api_url, id_instance=client.id_instance, api_token=wrong) as bad,
        pytest.raises(UnauthorizedError) as caught,
    ):
        bad.get_contacts(count=1)
    # Booleans, not `x not in y`: a failing assert must not print the real token itself.
    text = str(caught.value)
    leaked = wrong in text or os.environ["GREEN_API_TOKEN"] in text
    assert not leaked, "a token appears in the error message"
