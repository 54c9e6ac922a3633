"""The drift path: bodies with unknown fields or changed types read like the known body.

The oracle below is the decoder's former slow path, written independently: decode to builtins,
strip the members the types do not know, convert strictly; what was stripped is `.extra`.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import msgspec
import pytest

from benchmarks import drift as drift_bench
from green_api_contacts import TelegramClient, WhatsAppClient
from green_api_contacts import _tolerant_changed as changed
from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa
from green_api_contacts.mock import ContactBook

WA_LIST = list[wa.WhatsAppContact]
TG_LIST = list[tg.TelegramContact]
wa_contacts: Callable[[bytes], list[wa.WhatsAppContact]] = tolerant_decoder(WA_LIST)
tg_contacts: Callable[[bytes], list[tg.TelegramContact]] = tolerant_decoder(TG_LIST)
wa_info: Callable[[bytes], wa.WhatsAppContactInfo | None] = tolerant_decoder(
    wa.WhatsAppContactInfoOrNull
)

INFO: dict[str, Any] = {
    "chatId": "1@c.us",
    "name": "Shop",
    "newTop": {"a": [1, 2]},
    "products": [
        {"id": "p", "imageUrls": {"requested": "r", "newDeep": 2}, "newMid": [3], "price": None},
        {"id": "q", "reviewStatus": {"whatsapp": "APPROVED", "other": "x"}},
        {"id": "s"},
    ],
    "isBusiness": True,
}


def _book(flavour: Any, size: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(
        ContactBook(flavour, size, 1101000001, 1).contacts_json()
    )
    return items


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _pairs(obj: Any, raw: Any) -> Iterator[tuple[msgspec.Struct, dict[str, Any]]]:
    """Each decoded Struct with the JSON object it came from."""
    if isinstance(obj, msgspec.Struct):
        yield obj, raw
        for field in msgspec.structs.fields(obj):
            if field.encode_name in raw:
                yield from _pairs(getattr(obj, field.name), raw[field.encode_name])
    elif isinstance(obj, list):
        for item, sub in zip(obj, raw, strict=True):
            yield from _pairs(item, sub)


def _stripped(obj: Any, raw: Any) -> Any:
    """`raw` without the members the decoded types do not know."""
    if isinstance(obj, msgspec.Struct):
        names = {f.encode_name: f.name for f in msgspec.structs.fields(obj)}
        return {k: _stripped(getattr(obj, names[k]), v) for k, v in raw.items() if k in names}
    if isinstance(obj, list):
        return [_stripped(o, r) for o, r in zip(obj, raw, strict=True)]
    return raw


def _assert_like_the_slow_path(decoded: Any, raw: Any, type_: Any) -> None:
    assert decoded == msgspec.convert(_stripped(decoded, raw), type_, strict=True)
    for obj, source in _pairs(decoded, raw):
        known = {f.encode_name for f in msgspec.structs.fields(obj)}
        assert dict(obj.extra) == {k: v for k, v in source.items() if k not in known}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("flavour", "type_", "decode"),
    [("whatsapp", WA_LIST, wa_contacts), ("telegram", TG_LIST, tg_contacts)],
)
def test_flat_drift_on_every_item_equals_the_slow_path(
    flavour: str, type_: Any, decode: Any
) -> None:
    raw = _book(flavour, 300)
    for i, item in enumerate(raw):
        item["fieldFromANewerApi"] = i
        if i % 3 == 0:
            item["nested"] = {"deep": [i, None, "x"]}
    decoded = decode(_encode(raw))
    _assert_like_the_slow_path(decoded, raw, type_)
    assert decoded[7].extra == {"fieldFromANewerApi": 7}
    assert decoded[9].extra == {"fieldFromANewerApi": 9, "nested": {"deep": [9, None, "x"]}}


def test_nested_drift_equals_the_slow_path() -> None:
    decoded = wa_info(_encode(INFO))
    assert decoded is not None
    _assert_like_the_slow_path(decoded, INFO, wa.WhatsAppContactInfoOrNull)
    assert decoded.products
    assert decoded.products[0].image_urls.extra == {"newDeep": 2}  # type: ignore[union-attr]
    assert decoded.products[2].extra == {}


def test_drift_only_on_the_last_item_is_found() -> None:
    raw = _book("whatsapp", 50)
    raw[-1]["late"] = True
    decoded = wa_contacts(_encode(raw))
    _assert_like_the_slow_path(decoded, raw, WA_LIST)
    assert decoded[-1].extra == {"late": True}


def test_drifted_objects_look_like_the_known_ones() -> None:
    known_raw = INFO | {
        "products": [{k: v for k, v in p.items() if k != "newMid"} for p in INFO["products"]]
    }
    known = wa.WhatsAppContactInfo(
        chat_id="1@c.us",
        name="Shop",
        is_business=True,
        products=[
            wa.WhatsAppProduct(
                id="p", image_urls=wa.WhatsAppProductImageUrls(requested="r"), price=None
            ),
            wa.WhatsAppProduct(
                id="q", review_status=wa.WhatsAppProductReviewStatus(whatsapp="APPROVED")
            ),
            wa.WhatsAppProduct(id="s"),
        ],
    )
    drifted, again = wa_info(_encode(INFO)), wa_info(_encode(known_raw))
    assert isinstance(drifted, wa.WhatsAppContactInfo)
    assert drifted == known and known == drifted and drifted == again
    assert repr(drifted) == repr(known)
    assert msgspec.json.encode(drifted) == msgspec.json.encode(known)
    assert drifted != msgspec.structs.replace(known, name="Other")
    assert known != msgspec.structs.replace(drifted, name="Other")
    copied = pickle.loads(pickle.dumps(drifted))
    assert type(copied) is wa.WhatsAppContactInfo  # pickled as the generated Struct
    assert copied == known
    assert copied.extra == {}  # as before: .extra is not pickled
    assert msgspec.structs.replace(drifted).extra == {}  # a copy was not sent by the API


def test_a_known_body_takes_the_strict_path() -> None:
    [contact] = wa_contacts(b'[{"id":"1@c.us","type":"channel"}]')  # a new enum value
    assert type(contact) is wa.WhatsAppContact
    assert contact.type == "channel"
    assert contact.extra == {}


def test_extra_is_computed_lazily_one_item_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _book("whatsapp", 200)
    for item in raw:
        item["new"] = item["id"]
    decoded = wa_contacts(_encode(raw))
    decodes: list[Any] = []
    real = msgspec.json.decode

    def counting(*args: Any, **kwargs: Any) -> Any:
        decodes.append(kwargs.get("type"))
        return real(*args, **kwargs)

    monkeypatch.setattr(msgspec.json, "decode", counting)
    assert decoded[10].extra == {"new": raw[10]["id"]}
    assert decoded[10].extra == {"new": raw[10]["id"]}
    assert decoded[20].extra == {"new": raw[20]["id"]}
    # One raw scan of the body, then one small decode per item asked for.
    assert decodes == [list[msgspec.Raw], None, None]


def test_extra_follows_its_item_when_the_caller_reorders_the_list() -> None:
    raw = _book("whatsapp", 30)
    for i, item in enumerate(raw):
        item["rank"] = i
    decoded = wa_contacts(_encode(raw))
    decoded.reverse()
    assert [c.extra["rank"] for c in decoded] == list(range(29, -1, -1))


def test_a_changed_type_on_an_optional_field_reads_as_absent_and_is_kept() -> None:
    raw = _book("whatsapp", 200)  # past the items split one by one
    for i, item in enumerate(raw):
        if i % 2 == 0:
            item["name"] = i  # documented as a string
            item["brandNew"] = "x"
    decoded = wa_contacts(_encode(raw))
    for i, (contact, source) in enumerate(zip(decoded, raw, strict=True)):
        if i % 2 == 0:
            assert contact.name == ""  # the changed value is in .extra, the field its default
            assert contact.extra == {"name": i, "brandNew": "x"}
        else:
            assert contact.name == source["name"]
            assert contact.extra == {}
        assert contact.id == source["id"]


def test_two_changed_types_in_one_body() -> None:
    decoded = wa_info(b'{"chatId":"1@c.us","isArchive":"no","products":[{"id":"p","isHidden":1}]}')
    assert decoded is not None
    assert decoded.is_archive is False
    assert decoded.extra == {"isArchive": "no"}
    assert decoded.products
    assert decoded.products[0].is_hidden is False
    assert decoded.products[0].extra == {"isHidden": 1}


def test_what_cannot_be_tolerated_still_raises() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$\[1\]\.id"):
        wa_contacts(b'[{"id":"a@c.us","new":1},{"id":5}]')  # a required field
    with pytest.raises(msgspec.ValidationError, match=r"\$\.products"):
        wa_info(b'{"products":"none","new":1}')  # a field that holds objects
    with pytest.raises(msgspec.ValidationError, match=r"\$\[0\]\.chatId"):
        tg_contacts(b'[{"chatId":1,"phoneNumber":"x","new":1}]')  # required, changed and unknown


def test_a_changed_type_in_telegram_contacts() -> None:
    [one, two] = tg_contacts(b'[{"chatId":"1","phoneNumber":1.5},{"chatId":"2","phoneNumber":7}]')
    assert (one.phone_number, one.extra) == (0, {"phoneNumber": 1.5})
    assert (two.phone_number, two.extra) == (7, {})


def test_a_changed_type_with_a_checked_type_is_checked_once_when_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = b'[{"chatId":"1","phoneNumber":"12a"},{"chatId":"2","phoneNumber":"123"},'
    body += b'{"chatId":"3","phoneNumber":5}]'
    one, two, three = tg_contacts(body)  # a string must match ^[0-9]+$: "12a" does not
    checks: list[Any] = []
    real = changed._converted

    def counting(*args: Any) -> Any:
        checks.append(args[0])
        return real(*args)

    monkeypatch.setattr(changed, "_converted", counting)
    assert [c.phone_number for c in (one, two, three)] == [0, "123", 5]
    assert [c.phone_number for c in (one, two, three)] == [0, "123", 5]
    assert checks == ["12a", "123"]  # each checked value once; the int needs no check
    assert [c.extra for c in (one, two, three)] == [{"phoneNumber": "12a"}, {}, {}]
    two.phone_number = "456"  # a new value is checked anew
    assert (two.phone_number, checks[-1]) == ("456", "456")


def test_a_changed_type_reads_as_absent_wherever_it_is_read() -> None:
    raw = _book("whatsapp", 3)
    raw[0]["name"], raw[1]["name"] = 7, "Ann"
    first, second, third = wa_contacts(_encode(raw))
    assert (first.name, second.name) == ("", "Ann")
    assert repr(first) == repr(msgspec.structs.replace(first, name=""))
    known = wa.WhatsAppContact(id=raw[0]["id"], contact_name=first.contact_name, type=first.type)
    assert first == known
    copied = pickle.loads(pickle.dumps(first))  # pickled as the generated Struct, as it reads
    assert type(copied) is wa.WhatsAppContact and copied.name == ""
    assert msgspec.convert(first, wa.WhatsAppContact, from_attributes=True).name == ""
    assert dict(first.__rich_repr__()) == dict(
        msgspec.structs.replace(first, name="").__rich_repr__()
    )
    first.name = "Set later"  # assignment of a str works as on any Struct
    assert first.name == "Set later" and first.extra == {"name": 7}
    first.name = 8  # type: ignore[assignment]  # not a str: reads as absent, like the value sent
    assert first.name == ""
    del first.name
    with pytest.raises(AttributeError):
        _ = first.name
    # Documented in README ("Fields and absent values"): msgspec's encoders read the field
    # itself, so they give the value the API sent, not the absent reading.
    assert msgspec.to_builtins(second)["name"] == "Ann"
    assert msgspec.to_builtins(third) == msgspec.to_builtins(wa_contacts(_encode([raw[2]]))[0])
    assert msgspec.to_builtins(wa_contacts(_encode(raw))[0])["name"] == 7


@pytest.mark.parametrize("client_type", [WhatsAppClient, TelegramClient])
def test_the_clients_read_changed_types_of_optional_fields(client_type: Any) -> None:
    body = b'{"isArchive":"no","avatar":5,"name":"n","newer":[1]}'
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with client_type(
        api_url="http://api.invalid",
        id_instance=1101000001,
        api_token="t0ken0000000000000000000000000000000000000000000",
        http_client=httpx.Client(transport=transport),
        max_retries=0,
    ) as client:
        info = client.get_contact_info("79001234567@c.us" if client_type is WhatsAppClient else "1")
    assert info.avatar == ""  # a changed type reads as absent: the field's default
    assert info.name == "n"
    assert info.extra == {"isArchive": "no", "avatar": 5, "newer": [1]}


def test_a_nested_list_changed_before_asking_gives_no_wrong_extras() -> None:
    decoded = wa_info(_encode(INFO))
    assert decoded is not None and decoded.products
    decoded.products.pop(0)  # the items no longer line up with the body's
    assert decoded.products[0].extra == {}
    assert decoded.extra == {"newTop": {"a": [1, 2]}}


@pytest.mark.parametrize("change", ["_new_field", "_new_object", "_new_enum"])
def test_the_benchmark_drift_bodies_read_like_the_slow_path(change: str) -> None:
    """The bodies `make bench` times (benchmarks/drift.py), at 300 contacts: same results."""
    raw = _book("whatsapp", 300)
    for i, item in enumerate(raw):
        getattr(drift_bench, change)(i, item)
    _assert_like_the_slow_path(wa_contacts(_encode(raw)), raw, WA_LIST)


def test_the_benchmark_changed_type_body_reads_as_documented() -> None:
    raw = _book("whatsapp", 300)
    for i, item in enumerate(raw):
        drift_bench._changed_type(i, item)
    decoded = wa_contacts(_encode(raw))
    assert [c.name for c in decoded] == [""] * 300  # None and numbers: not a string
    assert [c.extra for c in decoded] == [{"name": item["name"]} for item in raw]


def test_the_benchmark_card_reads_like_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drift_bench, "PRODUCTS", 40)
    raw = json.loads(drift_bench._nested_info())
    decoded = wa_info(_encode(raw))
    assert decoded is not None and len(decoded.products) == 40
    _assert_like_the_slow_path(decoded, raw, wa.WhatsAppContactInfoOrNull)
