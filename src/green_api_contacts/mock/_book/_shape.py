"""What a flavour contributes to the book: its kinds of contact, an item builder, an info builder.

The book itself knows no flavour: it looks a :class:`BookShape` up by name in ``SHAPES``
(``__init__``), so another flavour is one more entry there, not another branch.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

JSONObject = dict[str, object]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of contact a flavour's book holds, and how often (relative weight) it shows up.

    Every kind appears at least once in a book with at least as many contacts as kinds.
    """

    name: str
    type: str  # the item's "type": "user" or "group"
    weight: float
    business: bool = False  # a WhatsApp Business account, which has a catalogue


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a contact sits: its index and two numbers unique per index (see ``_draw``)."""

    index: int
    key: int  # the last digits of the chat id's first digit run; maps back to the index
    aliases: Callable[[int], int]  # a second permutation of indices

    @property
    def alias(self) -> int:
        """A second unique number, for usernames (computed only by flavours that use it)."""
        return self.aliases(self.index)


@dataclass(frozen=True, slots=True)
class Found:
    """A contact of the book, as GetContacts lists it, with its kind."""

    item: JSONObject
    kind: Kind


@dataclass(frozen=True, slots=True)
class InfoContext:
    """Everything a flavour needs to answer GetContactInfo for one chat id."""

    chat_id: str
    found: Found | None  # None: the book does not know this chat
    seed: int
    id_instance: int

    def rng(self) -> random.Random:
        """Details stay stable per chat without being stored for every contact."""
        return random.Random(f"{self.seed}:{self.chat_id}")  # noqa: S311 - fake data


class BookShape(Protocol):
    """One flavour's contribution to the contact book."""

    @property
    def name(self) -> str:
        """The flavour's name; also salts the generators and keys the shared answer cache."""

    @property
    def id_key(self) -> str:
        """The item field holding the chat id (``id`` or ``chatId``)."""

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The kinds of contact, in drawing order."""

    def item(self, rng: random.Random, kind: Kind, slot: Slot) -> JSONObject:
        """A GetContacts item of this kind; its chat id must carry ``slot.key`` (``_draw``)."""

    def info(self, context: InfoContext) -> JSONObject:
        """The GetContactInfo answer for a chat."""


class KindTable:
    """Draws kind codes (positions in ``kinds``) by weight, from one uniform number each."""

    __slots__ = ("_bounds", "size")

    def __init__(self, kinds: tuple[Kind, ...]) -> None:
        total = sum(kind.weight for kind in kinds)
        self._bounds = [acc / total for acc in itertools.accumulate(k.weight for k in kinds)]
        self.size = len(kinds)

    def draw(self, uniform: float) -> int:
        return min(bisect.bisect_right(self._bounds, uniform), self.size - 1)
