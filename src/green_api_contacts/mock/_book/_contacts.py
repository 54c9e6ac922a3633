"""The contact book of one instance: contacts built on demand, answers cached as bytes.

A book stores one byte per contact (its kind) and a few numbers; a contact is rebuilt from
``(flavour, seed, index)`` when asked for (see ``_draw``), and a chat id leads back to its index
without a dictionary. Serialized GetContacts answers live in a shared, bounded cache.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final, overload

import msgspec

from ._cache import BODIES, BodyCache
from ._draw import KEY_SPACE, Scramble, book_base, item_rng, key_of
from ._shape import BookShape, Found, InfoContext, JSONObject, KindTable, Slot
from ._shapes import shape_for

_ENCODER: Final = msgspec.json.Encoder()
# Contacts encoded per step: bounds the objects alive while a large answer is built.
_CHUNK: Final = 2048


def encode_items(items: Iterable[JSONObject]) -> bytes:
    """Compact UTF-8 JSON of a list (as ``dumps`` writes it), built chunk by chunk in one buffer."""
    buffer = bytearray()
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, _CHUNK)):
        start = len(buffer)
        _ENCODER.encode_into(chunk, buffer, start)  # writes "[a,b]" at start
        if start:
            buffer[start] = ord(",")  # joins onto the previous chunk, whose "]" was dropped
        del buffer[-1]
    if not buffer:
        return b"[]"
    buffer += b"]"
    return bytes(buffer)


class ContactBook:
    """The contacts of one instance, as GetContacts lists them and GetContactInfo describes them."""

    def __init__(
        self,
        flavour: str,
        size: int,
        seed: int,
        id_instance: int,
        *,
        shapes: Mapping[str, BookShape] | None = None,
        cache: BodyCache | None = None,
    ) -> None:
        if shapes is None:
            try:
                shape: BookShape | None = shape_for(flavour)
            except ValueError as exc:
                raise ValueError(f"no contact book shape for flavour {flavour!r}: {exc}") from None
        else:
            shape = shapes.get(flavour)
        if shape is None:
            raise ValueError(f"no contact book shape for flavour {flavour!r}")
        if not 0 <= size <= KEY_SPACE:
            raise ValueError(f"a contact book holds 0 to {KEY_SPACE} contacts")
        self.flavour: Final = flavour
        self.seed: Final = seed
        self._shape = shape
        self._id_instance = id_instance
        self._cache = BODIES if cache is None else cache
        self._base = book_base(shape.name, seed)
        stream = random.Random(self._base)  # noqa: S311 - fake data
        self._key = Scramble(stream)
        self._alias = Scramble(stream)
        self._kinds = _draw_kinds(stream, KindTable(shape.kinds), size)
        self.items: Final = BookItems(self)

    def __len__(self) -> int:
        return len(self._kinds)

    def __repr__(self) -> str:
        return f"ContactBook({self.flavour!r}, size={len(self)}, seed={self.seed})"

    @property
    def stored_bytes(self) -> int:
        """What the book keeps per contact, in total: one byte each (answers are cached apart)."""
        return len(self._kinds)

    def item(self, index: int) -> JSONObject:
        """The contact at ``index``, built afresh (changing it changes nothing in the book)."""
        kind = self._shape.kinds[self._kinds[index]]
        slot = Slot(index, self._key(index), self._alias)
        return self._shape.item(item_rng(self._base, index), kind, slot)

    def find(self, chat_id: str) -> Found | None:
        """The contact with this chat id and its kind, if the book has it."""
        key = key_of(chat_id)
        if key is None:
            return None
        index = self._key.inverse(key)
        if index >= len(self._kinds):
            return None
        item = self.item(index)
        if item[self._shape.id_key] != chat_id:
            return None
        return Found(item, self._shape.kinds[self._kinds[index]])

    # ------------------------------------------------------------------ GetContacts

    def contacts_json(self, count: int | None = None, group: bool | None = None) -> bytes:
        """The GetContacts body: only groups or only users, and of those the last ``count``.

        GREEN-API staff state that ``count`` returns the last N contacts: the answer is the
        tail of the full list, in the same order.
        """
        codes = self._codes(group)
        total = len(self._kinds) if codes is None else sum(map(self._kinds.count, codes))
        if count is not None and count >= total:
            count = None
        key = (self._shape.name, self.seed, len(self._kinds), count, group)
        body = self._cache.get(key)
        if body is None:
            body = encode_items(self.item(index) for index in self._indices(codes, count))
            self._cache.put(key, body)
        return body

    def _codes(self, group: bool | None) -> bytes | None:
        """The kind codes ``group`` selects (groups or users), or None for all."""
        if group is None:
            return None
        wanted = "group" if group else "user"
        return bytes(code for code, kind in enumerate(self._shape.kinds) if kind.type == wanted)

    def _indices(self, codes: bytes | None, count: int | None) -> Iterator[int]:
        """The selected contacts' indices in book order; only the last ``count`` if given."""
        size = len(self._kinds)
        if codes is None:
            return iter(range(0 if count is None else max(size - count, 0), size))
        if count is None:
            return (index for index, code in enumerate(self._kinds) if code in codes)
        backwards = (index for index in range(size - 1, -1, -1) if self._kinds[index] in codes)
        return reversed(list(itertools.islice(backwards, count)))

    # ------------------------------------------------------------------ GetContactInfo

    def get(self, chat_id: str) -> JSONObject | None:
        """The GetContacts item for ``chat_id``, if the book has it."""
        found = self.find(chat_id)
        return None if found is None else found.item

    def is_business(self, chat_id: str) -> bool:
        """Whether the contact uses WhatsApp Business (and so has a catalogue)."""
        found = self.find(chat_id)
        return found is not None and found.kind.business

    def info(self, chat_id: str) -> JSONObject:
        """GetContactInfo for ``chat_id``; chats the book does not know get empty values."""
        context = InfoContext(chat_id, self.find(chat_id), self.seed, self._id_instance)
        return self._shape.info(context)


class BookItems(Sequence[JSONObject]):
    """The book's contacts in order, built on access; nothing is stored per contact."""

    __slots__ = ("_book",)

    def __init__(self, book: ContactBook) -> None:
        self._book = book

    def __len__(self) -> int:
        return len(self._book)

    @overload
    def __getitem__(self, index: int) -> JSONObject: ...

    @overload
    def __getitem__(self, index: slice) -> list[JSONObject]: ...

    def __getitem__(self, index: int | slice) -> JSONObject | list[JSONObject]:
        if isinstance(index, slice):
            return [self._book.item(i) for i in range(len(self))[index]]
        return self._book.item(range(len(self))[index])  # negative indices, IndexError

    def __iter__(self) -> Iterator[JSONObject]:
        return (self._book.item(index) for index in range(len(self)))


def _draw_kinds(stream: random.Random, table: KindTable, size: int) -> bytes:
    """One kind code per contact; every kind placed at least once when the book is big enough."""
    codes = bytearray(table.draw(stream.random()) for _ in range(size))
    if size >= table.size:
        for position, code in zip(
            stream.sample(range(size), table.size), range(table.size), strict=True
        ):
            codes[position] = code
    return bytes(codes)
