"""MaxClient and AsyncMaxClient: the third flavour's clients, built from its registry entry only.

Against httpx.MockTransport (the requests are what is checked): the default host with `/v3`,
the request each method sends, typed MAX results, and chat ids refused before anything is sent.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Final

import httpx
import msgspec
import pytest

from green_api_contacts import AsyncMaxClient, InvalidRequestError, MaxClient
from green_api_contacts.cli import _commands, main
from green_api_contacts.client import _calls
from green_api_contacts.client._flavours import CLIENT_FLAVOURS
from green_api_contacts.flavours import get_flavour
from green_api_contacts.generated.max_structs import MaxContact, MaxContactInfo

MAX: Final = get_flavour("max")
ID: Final = MAX.id_instance_example
TOKEN: Final = "c0ffee" * 8 + "00"
CONTACTS: Final = [
    {"chatId": "10000000", "name": "Ann", "contactName": "", "type": "user", "phoneNumber": 0},
    {"chatId": "10000001", "name": "Bob", "type": "bot", "phoneNumber": 79001234567},
]
INFO: Final = {
    "avatar": "",
    "name": "Ann",
    "contactName": "",
    "chatId": "10000000",
    "lastSeen": "1764900000",
    "phoneNumber": 0,
    "chatType": "user",
    "fromANewerApi": True,
}


class Recorder:
    """Answers like the API and keeps every request it got."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.split("/")[-2] == "getContacts":
            return httpx.Response(200, json=CONTACTS)
        return httpx.Response(200, json=INFO)


def test_the_default_host_is_the_registrys_with_v3() -> None:
    recorder = Recorder()
    with MaxClient(id_instance=ID, api_token=TOKEN, transport=httpx.MockTransport(recorder)) as mx:
        assert mx.api_url == MAX.api_url == "https://api.green-api.com/v3"
        assert mx.flavour == "max"
        contacts = mx.get_contacts(count=2)
    (request,) = recorder.requests
    assert (request.method, request.url.host) == ("GET", "api.green-api.com")
    assert request.url.path == f"/v3/waInstance{ID}/getContacts/{TOKEN}"
    assert dict(request.url.params) == {"count": "2"}
    assert all(isinstance(contact, MaxContact) for contact in contacts)
    assert [(c.chat_id, c.phone_number) for c in contacts] == [
        ("10000000", 0),
        ("10000001", 79001234567),
    ]
    assert contacts[1].type == "bot"  # an open enum keeps values it does not know


def test_get_contact_info_posts_the_chat_id_and_reads_max_contact_info() -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    with MaxClient(
        id_instance=ID, api_token=TOKEN, api_url="http://x.test", transport=transport
    ) as mx:
        info = mx.get_contact_info("10000000")
    (request,) = recorder.requests
    assert request.method == "POST"
    assert request.url.path == f"/waInstance{ID}/getContactInfo/{TOKEN}"
    assert json.loads(request.content) == {"chatId": "10000000"}
    assert isinstance(info, MaxContactInfo)
    assert (info.last_seen, info.chat_type) == ("1764900000", "user")
    assert info.extra == {"fromANewerApi": True}


@pytest.mark.parametrize(
    "chat_id",
    [
        MAX.chat_id_group_example,  # a group chat: negative
        "10000000\n",  # `$` would match before the newline; the grammar is a full match
        "1" * 17,  # at most 16 characters
        "0123",
        "79001234567@c.us",  # a WhatsApp chat id
        "",
    ],
)
def test_chat_ids_outside_the_grammar_are_refused_before_sending(chat_id: str) -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    with (
        MaxClient(id_instance=ID, api_token=TOKEN, transport=transport) as mx,
        pytest.raises(InvalidRequestError, match="MAX user's chat id") as raised,
    ):
        mx.get_contact_info(chat_id)
    assert (raised.value.flavour, raised.value.operation) == ("max", "getContactInfo")
    assert recorder.requests == []


def test_group_is_not_an_option_of_max() -> None:
    table = CLIENT_FLAVOURS["max"]
    with pytest.raises(InvalidRequestError, match="group is not an option of MAX's GetContacts"):
        _calls.contacts_call(table, "http://x.test", ID, None, True)
    call = _calls.contacts_call(table, "http://x.test", ID, 5, None)
    assert call.options["params"] == {"count": 5}
    assert "group" not in MaxClient.get_contacts.__code__.co_varnames


async def test_the_async_client_sends_the_same_requests() -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    async with AsyncMaxClient(id_instance=ID, api_token=TOKEN, transport=transport) as mx:
        contacts = await mx.get_contacts()
        info = await mx.get_contact_info(contacts[0].chat_id)
        with pytest.raises(InvalidRequestError):
            await mx.get_contact_info("-1")
    assert [r.url.path for r in recorder.requests] == [
        f"/v3/waInstance{ID}/getContacts/{TOKEN}",
        f"/v3/waInstance{ID}/getContactInfo/{TOKEN}",
    ]
    assert recorder.requests[0].url.params.get("count") is None
    assert isinstance(info, MaxContactInfo)


# ---------------------------------------------------------------------------- CLI


@pytest.fixture
def max_cli(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    client = partial(MaxClient, transport=httpx.MockTransport(recorder))
    monkeypatch.setitem(_commands.CLIENTS, "max", client)
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(ID))
    monkeypatch.setenv("GREEN_API_TOKEN", TOKEN)
    monkeypatch.delenv("GREEN_API_URL", raising=False)
    return recorder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("spelling", ["max", "MAX", " Max "])
def test_green_api_flavour_max_in_any_case(
    spelling: str,
    max_cli: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GREEN_API_FLAVOUR", spelling)
    code, out, _ = _run(capsys, "contacts", "--format", "json")
    assert code == 0
    # The sent values, and the absent contactName read as its documented default ''.
    assert msgspec.json.decode(out) == [{"contactName": "", **item} for item in CONTACTS]
    assert max_cli.requests[0].url.path.startswith("/v3/")


def test_flavour_option_max_and_its_usage_errors(
    max_cli: Recorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GREEN_API_FLAVOUR", "whatsapp")
    code, out, _ = _run(capsys, "info", "10000000", "--flavour", "MAX", "--format", "json")
    assert (code, msgspec.json.decode(out)["chatId"]) == (0, "10000000")
    code, _, err = _run(capsys, "contacts", "--flavour", "max", "--group")
    assert code == 2
    assert "--group/--no-group is for whatsapp instances only" in err
    code, _, err = _run(capsys, "info", "-100", "--flavour", "max")
    assert code == 2
    assert "MAX user's chat id" in err
    assert len(max_cli.requests) == 1  # neither usage error sent anything
