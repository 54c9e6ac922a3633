"""A drifted result lives as long as the caller holds it, and no longer (_tolerant_lifetime.py).

Each object of a drifted decode leads to the decode's Drift (the body's bytes) through its type;
the Drift must not lead back to the objects, or every drifted answer would stay in memory for
good (msgspec untracks such objects, so the collector never sees that cycle).
"""

from __future__ import annotations

import copy
import gc
import json
import pickle
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import msgspec
import pytest

from green_api_contacts import WhatsAppClient
from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa
from green_api_contacts.mock import ContactBook

wa_contacts: Callable[[bytes], list[wa.WhatsAppContact]] = tolerant_decoder(
    list[wa.WhatsAppContact]
)
tg_contacts: Callable[[bytes], list[tg.TelegramContact]] = tolerant_decoder(
    list[tg.TelegramContact]
)
wa_info: Callable[[bytes], wa.WhatsAppContactInfo | None] = tolerant_decoder(
    wa.WhatsAppContactInfoOrNull
)
INFO = {
    "chatId": "1@c.us",
    "newTop": 1,
    "products": [
        {"id": "p", "imageUrls": {"requested": "r", "newDeep": 2}, "newMid": [3]},
        {"id": "q", "isHidden": "changed type"},
    ],
}


def _contacts(flavour: Any, size: int) -> list[dict[str, Any]]:
    book = ContactBook(flavour, size, 1101000001, 1)
    items: list[dict[str, Any]] = json.loads(book.contacts_json())
    for i, item in enumerate(items):
        item["rank"] = i
    return items


def _encode(value: Any) -> bytes:
    return json.dumps(value).encode()


@pytest.fixture(autouse=True)
def _no_automatic_collection() -> Iterator[None]:
    """Collections happen where the tests say, so that what frees what is deterministic."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def _drift_of(value: Any) -> Any:
    obj = value[0] if isinstance(value, list) else value
    return type(obj)._drift


def _read_every_extra(value: Any) -> None:
    for obj in value if isinstance(value, list) else [value]:
        assert obj.extra is not None


DECODES: dict[str, Callable[[], Any]] = {
    "whatsapp contacts, new field": lambda: wa_contacts(_encode(_contacts("whatsapp", 200))),
    "telegram contacts, new field": lambda: tg_contacts(_encode(_contacts("telegram", 200))),
    "contacts, changed type": lambda: wa_contacts(b'[{"id":"1@c.us","name":5},{"id":"2@c.us"}]'),
    "contact info, nested drift": lambda: wa_info(_encode(INFO)),
}


@pytest.mark.parametrize("read_extra", [False, True], ids=["unread", "read"])
@pytest.mark.parametrize("decode", DECODES.values(), ids=DECODES.keys())
def test_a_dropped_result_is_freed_with_its_body(
    decode: Callable[[], Any], read_extra: bool
) -> None:
    value = decode()
    if read_extra:
        _read_every_extra(value)
    drift = weakref.ref(_drift_of(value))
    del value
    gc.collect()  # the per-decode classes are cycles of their own: the collector frees them
    assert drift() is None


def test_nothing_held_means_the_body_goes_when_the_list_does() -> None:
    value = wa_contacts(_encode(_contacts("whatsapp", 300)))
    drift = _drift_of(value)
    assert drift.body
    del value  # no collection: reference counting alone
    assert drift.body == b""
    assert drift.owner is None


def test_an_item_kept_after_its_list_is_dropped_keeps_its_extra() -> None:
    value = wa_contacts(_encode(_contacts("whatsapp", 300)))
    third, reordered = value[3], sorted(value, key=lambda c: c.id)
    del value
    assert third.extra == {"rank": 3}
    ranks = {c.id: c.extra["rank"] for c in reordered}  # past the items split one by one
    assert sorted(ranks.values()) == list(range(300))
    assert ranks[third.id] == 3
    drift = weakref.ref(_drift_of(reordered))
    del third, reordered
    gc.collect()
    assert drift() is None


def test_items_taken_out_of_the_list_before_it_is_dropped() -> None:
    value = wa_contacts(_encode(_contacts("whatsapp", 20)))
    taken = value.pop(4)
    value.append(value[0])  # twice in the list now
    first = value[0]
    del value
    assert (taken.extra, first.extra) == ({"rank": 4}, {"rank": 0})


def test_extras_read_before_the_list_was_dropped_stay() -> None:
    value = wa_contacts(_encode(_contacts("whatsapp", 200)))
    assert [c.extra["rank"] for c in value] == list(range(200))  # the whole-body pass
    kept = value[150]
    del value
    assert kept.extra == {"rank": 150}


def test_nested_values_kept_after_their_root_is_dropped() -> None:
    info = wa_info(_encode(INFO))
    assert info is not None and info.products
    products, image_urls = info.products, info.products[0].image_urls
    drift = weakref.ref(_drift_of(info))
    del info
    assert isinstance(image_urls, wa.WhatsAppProductImageUrls)
    assert image_urls.extra == {"newDeep": 2}
    assert products[0].extra == {"newMid": [3]}
    assert (products[1].is_hidden, products[1].extra) == (False, {"isHidden": "changed type"})
    del products, image_urls
    gc.collect()
    assert drift() is None


def test_a_dropped_root_with_nothing_held_skips_the_whole_body_pass() -> None:
    info = wa_info(_encode(INFO))
    drift = _drift_of(info)
    del info
    assert drift.body == b""
    assert drift.raws is None


def test_the_list_of_a_drifted_decode_is_a_plain_list_to_its_callers() -> None:
    raw = _contacts("whatsapp", 5)
    value = wa_contacts(_encode(raw))
    stripped = [{k: v for k, v in c.items() if k != "rank"} for c in raw]
    known = msgspec.convert(stripped, list[wa.WhatsAppContact])
    assert isinstance(value, list)
    assert value == known
    assert type(copy.copy(value)) is list
    assert type(pickle.loads(pickle.dumps(value))) is list
    assert pickle.loads(pickle.dumps(value)) == known
    assert msgspec.json.encode(value) == msgspec.json.encode(known)
    assert value[1:3] == known[1:3]


def test_a_client_reading_drifted_answers_keeps_none_of_them() -> None:
    body = _encode(_contacts("whatsapp", 100))
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    drifts: list[weakref.ref[Any]] = []
    with WhatsAppClient(
        api_url="http://api.invalid",
        id_instance=1101000001,
        api_token="t0ken0000000000000000000000000000000000000000000",
        http_client=httpx.Client(transport=transport),
        max_retries=0,
    ) as client:
        for _ in range(5):
            contacts = client.get_contacts()
            assert contacts[-1].extra == {"rank": 99}
            drifts.append(weakref.ref(_drift_of(contacts)))
            del contacts
        gc.collect()
        assert [d() for d in drifts] == [None] * 5


CHANGES: dict[str, Callable[[list[Any]], object]] = {
    "sort": lambda items: items.sort(key=lambda c: c.id),
    "reverse": lambda items: items.reverse(),
    "setitem": lambda items: items.__setitem__(0, items[1]),
    "delitem": lambda items: items.__delitem__(slice(0, 5)),
    "clear": lambda items: items.clear(),
    "iadd": lambda items: items.__iadd__(items[:2]),
    "insert": lambda items: items.insert(0, items[3]),
    "remove": lambda items: items.remove(items[2]),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_items_kept_from_a_list_changed_in_place(change: Callable[[list[Any]], object]) -> None:
    value = wa_contacts(_encode(_contacts("whatsapp", 20)))
    kept = [value[0], value[2], value[7]]
    change(value)
    del value
    assert [c.extra for c in kept] == [{"rank": 0}, {"rank": 2}, {"rank": 7}]


CARD: dict[str, Any] = {
    "chatId": "1@c.us",
    "newTop": 1,
    "products": [{"id": "p", "imageUrls": {"requested": "r", "newDeep": 2}}, {"id": "q"}],
}


def test_a_struct_of_the_callers_inside_a_drifted_card() -> None:
    info = wa_info(_encode(CARD))
    assert info is not None
    info.products[1] = wa.WhatsAppProduct(id="mine")  # not from this decode: no `.extra` to give
    assert info.extra == {"newTop": 1}
    assert info.products[1].extra == {}
    again = wa_info(_encode(CARD))
    assert again is not None
    again.products[1] = wa.WhatsAppProduct(id="mine")
    kept, drift = again.products, weakref.ref(_drift_of(again))
    del again  # the finalizer attaches the extras of what is held
    assert kept[0].image_urls.extra == {"newDeep": 2}  # type: ignore[union-attr]
    assert _drift_of(kept[0]).body == b""
    del kept
    gc.collect()
    assert drift() is None


def test_a_list_of_cards_dropped_while_its_parts_are_held() -> None:
    cards: Callable[[bytes], list[wa.WhatsAppContactInfo]] = tolerant_decoder(
        list[wa.WhatsAppContactInfo]
    )
    value = cards(_encode([CARD, CARD]))
    first, image_urls = value[0], value[1].products[0].image_urls
    del value
    assert first.extra == {"newTop": 1}
    assert image_urls.extra == {"newDeep": 2}  # type: ignore[union-attr]


def test_a_cycle_the_caller_made_is_collected_quietly() -> None:
    info = wa_info(_encode(CARD))
    assert info is not None
    info.products[0].image_urls = info  # type: ignore[assignment]
    drift = weakref.ref(_drift_of(info))
    unraisable: list[Any] = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        del info
        for _ in range(3):  # the finalizer runs in the first collection; later ones free
            gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []
    assert drift() is None
