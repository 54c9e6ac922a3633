"""The contact book's modules: determinism, lookups, count/group selection, laziness, the cache."""

from __future__ import annotations

import gc
import json
import random
import re
import tracemalloc

import pytest

from green_api_contacts.mock._book import (
    SHAPES,
    BodyCache,
    ContactBook,
    Kind,
    dumps,
    encode_items,
)
from green_api_contacts.mock._book._draw import KEY_SPACE, Scramble, key_of
from green_api_contacts.mock._book._shape import KindTable

FLAVOURS = sorted(SHAPES)


def chat_id(flavour: str, item: dict[str, object]) -> str:
    return str(item[SHAPES[flavour].id_key])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_same_seed_same_contacts_other_seed_other_contacts(flavour: str) -> None:
    one = ContactBook(flavour, 500, seed=7, id_instance=1, cache=BodyCache())
    two = ContactBook(flavour, 500, seed=7, id_instance=2, cache=BodyCache())
    other = ContactBook(flavour, 500, seed=8, id_instance=1, cache=BodyCache())
    assert one.contacts_json() == two.contacts_json()
    assert one.contacts_json() != other.contacts_json()
    assert list(one.items) == list(two.items)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_item_is_the_same_built_alone_in_a_list_or_in_the_body(flavour: str) -> None:
    book = ContactBook(flavour, 300, seed=1, id_instance=1, cache=BodyCache())
    listed = json.loads(book.contacts_json())
    assert [book.item(i) for i in range(300)] == listed == list(book.items)
    assert book.items[-1] == listed[-1]
    assert book.items[10:13] == listed[10:13]
    with pytest.raises(IndexError):
        book.items[300]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_encoding_matches_the_api_serializer(flavour: str) -> None:
    """The chunked msgspec encoder writes exactly what ``dumps`` (json) writes."""
    book = ContactBook(flavour, 5000, seed=2, id_instance=1, cache=BodyCache())
    assert book.contacts_json() == dumps(list(book.items))
    assert encode_items([]) == b"[]"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_chat_id_is_unique_and_leads_back_to_its_contact(flavour: str) -> None:
    book = ContactBook(flavour, 20_000, seed=3, id_instance=1, cache=BodyCache())
    items = list(book.items)
    ids = [chat_id(flavour, item) for item in items]
    assert len(set(ids)) == len(ids)
    usernames = [item["username"] for item in items if "username" in item]
    assert len(set(usernames)) == len(usernames)
    for index in random.Random(0).sample(range(len(items)), 500):
        assert book.get(ids[index]) == items[index]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_ids_the_book_did_not_make_are_unknown(flavour: str) -> None:
    book = ContactBook(flavour, 1000, seed=4, id_instance=1, cache=BodyCache())
    known = chat_id(flavour, book.items[5])
    digits = re.search(r"[0-9]+", known)
    assert digits is not None
    # Same key digits, another prefix: maps to the same index, but it is not that contact.
    other = known.replace(digits.group(), "9" + digits.group(), 1)
    for unknown in (other, "1", "abc", "", "-", "@c.us", "00000000", "99999999999@c.us"):
        assert book.get(unknown) is None
        assert not book.is_business(unknown)
    # Same seed, so the same keys: contacts 100-199 of the big book are beyond a book of 3.
    small = ContactBook(flavour, 3, seed=4, id_instance=1, cache=BodyCache())
    assert [small.get(chat_id(flavour, item)) for item in book.items[100:200]] == [None] * 100


def test_scramble_is_a_bijection_with_an_inverse() -> None:
    scramble = Scramble(random.Random(5))
    values = [scramble(index) for index in range(50_000)]
    assert len(set(values)) == len(values)
    assert all(0 <= value < KEY_SPACE for value in values)
    assert all(scramble.inverse(value) == index for index, value in enumerate(values))
    assert values[:5] != sorted(values[:5]) or values[1] - values[0] != values[2] - values[1]


def test_key_of_reads_the_first_digit_run() -> None:
    assert key_of("79001234567@c.us") == 1234567
    assert key_of("79001234567-1479621234@g.us") == 1234567
    assert key_of("-1001234567890") == 34567890
    assert key_of("1234567") is None  # shorter than the key
    assert key_of("x79001234567") is None


def test_kind_table_follows_the_weights() -> None:
    table = KindTable((Kind("a", "user", 1.0), Kind("b", "group", 3.0)))
    assert [table.draw(u) for u in (0.0, 0.249, 0.25, 0.999, 1.0)] == [0, 0, 1, 1, 1]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_small_books_hold_every_kind(flavour: str) -> None:
    kinds = SHAPES[flavour].kinds
    book = ContactBook(flavour, len(kinds), seed=9, id_instance=1, cache=BodyCache())
    found = [book.find(chat_id(flavour, item)) for item in book.items]
    assert sorted(f.kind.name for f in found if f is not None) == sorted(k.name for k in kinds)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_count_and_group_select_in_book_order(flavour: str) -> None:
    book = ContactBook(flavour, 2000, seed=11, id_instance=1, cache=BodyCache())
    everything = json.loads(book.contacts_json())
    for group in (True, False):
        wanted = "group" if group else "user"
        subset = [item for item in everything if item["type"] == wanted]
        assert json.loads(book.contacts_json(group=group)) == subset
        assert json.loads(book.contacts_json(count=3, group=group)) == subset[-3:]
        assert book.contacts_json(count=len(subset), group=group) == book.contacts_json(group=group)
    assert json.loads(book.contacts_json(count=17)) == everything[-17:]
    assert book.contacts_json(count=10**9) is book.contacts_json()


def test_an_empty_book_answers_empty_lists() -> None:
    book = ContactBook("whatsapp", 0, seed=1, id_instance=1, cache=BodyCache())
    assert book.contacts_json() == b"[]"
    assert book.contacts_json(count=1, group=True) == b"[]"
    assert list(book.items) == []


def test_unknown_flavour_and_oversized_book_are_refused() -> None:
    with pytest.raises(ValueError, match="flavour"):
        ContactBook("signal", 1, seed=1, id_instance=1)
    with pytest.raises(ValueError, match="contacts"):
        ContactBook("whatsapp", KEY_SPACE + 1, seed=1, id_instance=1)


def test_a_third_flavour_is_one_more_shape() -> None:
    """MAX: users only, numeric chat ids, phone 0 when hidden; info per the v3 pages."""
    book = ContactBook("max", 400, seed=12, id_instance=3100000000, cache=BodyCache())
    items = list(book.items)
    assert {item["type"] for item in items} == {"user"}
    assert all(
        set(item) == {"chatId", "name", "contactName", "type", "phoneNumber"} for item in items
    )
    assert all(re.fullmatch(r"[1-9][0-9]{0,15}", str(item["chatId"])) for item in items)
    assert any(item["phoneNumber"] == 0 for item in items)
    assert json.loads(book.contacts_json(group=True)) == []
    info = book.info(str(items[0]["chatId"]))
    assert set(info) == {
        "avatar", "name", "contactName", "chatId", "lastSeen", "phoneNumber", "chatType",
        "phoneNumberTimestamp",
    }  # fmt: skip
    assert isinstance(info["lastSeen"], str)
    unknown = book.info("1")
    assert unknown["name"] == "" and unknown["lastSeen"] is None


def test_a_book_stores_one_byte_per_contact_and_no_objects_per_contact() -> None:
    """Laziness without timing: traced memory and tracked objects after building a big book."""
    gc.collect()
    objects_before = len(gc.get_objects())
    tracemalloc.start()
    try:
        book = ContactBook("whatsapp", 100_000, seed=13, id_instance=1, cache=BodyCache())
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    gc.collect()
    assert len(gc.get_objects()) - objects_before < 50
    assert book.stored_bytes == 100_000
    assert retained < 100_000 + 64 * 1024  # one byte per contact plus a few small objects


def test_books_with_the_same_seed_share_one_encoded_answer() -> None:
    cache = BodyCache()
    first = ContactBook("telegram", 1000, seed=14, id_instance=1, cache=cache)
    second = ContactBook("telegram", 1000, seed=14, id_instance=2, cache=cache)
    assert second.contacts_json() is first.contacts_json()
    assert len(cache) == 1


def test_body_cache_is_bounded_in_entries_and_bytes_but_keeps_the_newest() -> None:
    cache = BodyCache(max_entries=3, max_bytes=10)
    for count in range(5):
        cache.put(("f", 1, 9, count, None), b"ab")
    assert len(cache) == 3 and cache.nbytes == 6
    assert cache.get(("f", 1, 9, 0, None)) is None
    assert cache.get(("f", 1, 9, 4, None)) == b"ab"
    cache.put(("f", 1, 9, None, None), b"x" * 50)  # over budget alone: kept, others evicted
    assert len(cache) == 1 and cache.nbytes == 50
    cache.put(("f", 1, 9, 1, None), b"yy")
    assert cache.get(("f", 1, 9, None, None)) is None and cache.nbytes == 2
    cache.clear()
    assert len(cache) == 0 and cache.nbytes == 0
    with pytest.raises(ValueError, match="max_entries"):
        BodyCache(max_entries=0)


def test_lru_order_follows_reads() -> None:
    cache = BodyCache(max_entries=2)
    cache.put(("f", 1, 1, 1, None), b"1")
    cache.put(("f", 1, 1, 2, None), b"2")
    assert cache.get(("f", 1, 1, 1, None)) == b"1"  # now the most recent
    cache.put(("f", 1, 1, 3, None), b"3")
    assert cache.get(("f", 1, 1, 2, None)) is None
    assert cache.get(("f", 1, 1, 1, None)) == b"1"
