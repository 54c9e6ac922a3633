"""The book of a flavour without a hand-written shape, derived from its registry entry and Structs.

A new flavour needs no mock code unless it behaves differently: its users are built from the
fields of its generated contact Struct (typed defaults, plus names and phone numbers where the
field's name says so), their chat ids from the registry's user example (its leading digit run
replaced by unique key digits, see ``_draw``), and GetContactInfo from the info Struct's fields,
copying what the contact item shares with it. Group chats are left out: a generic book has no
grammar to make group ids from.

Hand-written because no library builds sample JSON from msgspec type information.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Final

import msgspec.inspect as mi

from green_api_contacts.flavours import Flavour as FlavourSpec

from ._draw import KEY_DIGITS, KEY_SPACE, person, phone
from ._shape import InfoContext, JSONObject, Kind, Slot

_LEADING_DIGITS: Final = re.compile(r"-?[0-9]+")
_REQUEST_FIELD: Final = "chatId"  # GetContactInfo's body field, the same for every flavour
# Values by field name where a name says what a field holds; every other field gets its type's
# empty value. These are the API's common field names, not any one flavour's.
_NAMED: Final[dict[str, Callable[[random.Random], object]]] = {
    "name": lambda rng: person(rng)[0],
    "contactName": lambda rng: person(rng)[1],
    "type": lambda rng: "user",
    "phoneNumber": lambda rng: phone(rng, rng.randrange(KEY_SPACE)),
}


class GenericShape:
    """Users only, one kind; fields and their types from the flavour's generated Structs."""

    def __init__(self, spec: FlavourSpec) -> None:
        example = spec.chat_id_user_example
        match = _LEADING_DIGITS.match(example)
        if match is None:
            raise ValueError(
                f"flavour {spec.name}: the generic contact book needs a user chat id that starts "
                "with digits; give the flavour a book shape (mock/_book/_shapes.py)"
            )
        self.name: Final = spec.name
        self.id_key: Final = spec.contact_id_field
        self.kinds: Final = (Kind("user", "user", 1.0),)
        self._sign = "-" if match.group().startswith("-") else ""
        self._suffix = example[match.end() :]
        self._item_fields = _fields(spec.struct(spec.contact_struct))
        self._info_fields = _fields(spec.struct(spec.info_struct))
        # GetContactInfo's answer names the chat by its request field, when it has one.
        self._info_id = next((n for n, _ in self._info_fields if n == _REQUEST_FIELD), None)
        probe = self._chat_id(1, 0)
        if not spec.is_chat_id(probe):
            raise ValueError(f"flavour {spec.name}: made-up chat id {probe!r} is not valid")

    def _chat_id(self, head: int, key: int) -> str:
        return f"{self._sign}{head}{key:0{KEY_DIGITS}d}{self._suffix}"

    def item(self, rng: random.Random, kind: Kind, slot: Slot) -> JSONObject:
        item: JSONObject = {}
        for name, default in self._item_fields:
            make = _NAMED.get(name)
            item[name] = make(rng) if make is not None else default
        item[self.id_key] = self._chat_id(rng.randrange(1, 100), slot.key)
        return item

    def info(self, context: InfoContext) -> JSONObject:
        """Typed empty values for a chat the book does not know; else the item's values."""
        known = {} if context.found is None else context.found.item
        info: JSONObject = {name: known.get(name, default) for name, default in self._info_fields}
        if self._info_id is not None:
            info[self._info_id] = context.chat_id
        return info


def _fields(struct: type) -> tuple[tuple[str, object], ...]:
    """(JSON name, empty value) of every field a Struct declares, in declaration order."""
    info = mi.type_info(struct)
    if not isinstance(info, mi.StructType):
        raise TypeError(f"{struct.__name__} is not a msgspec Struct")
    return tuple((field.encode_name, _empty(field.type)) for field in info.fields)


def _empty(kind: mi.Type) -> object:
    """The empty value of a type: "" for strings, 0, False, [], {}, the first literal."""
    if isinstance(kind, mi.Metadata):
        return _empty(kind.type)
    if isinstance(kind, mi.UnionType):
        # A literal's own value beats a bare string; null only when nothing else is allowed.
        ordered = sorted(
            kind.types,
            key=lambda t: (isinstance(t, mi.NoneType), not isinstance(t, mi.LiteralType)),
        )
        return _empty(ordered[0])
    if isinstance(kind, mi.LiteralType):
        return kind.values[0]
    empties: dict[type[mi.Type], object] = {
        mi.StrType: "",
        mi.IntType: 0,
        mi.FloatType: 0.0,
        mi.BoolType: False,
        mi.NoneType: None,
    }
    for kind_type, value in empties.items():
        if isinstance(kind, kind_type):
            return value
    if isinstance(kind, mi.ListType | mi.TupleType | mi.VarTupleType | mi.SetType):
        return []
    if isinstance(kind, mi.StructType):
        return {field.encode_name: _empty(field.type) for field in kind.fields if field.required}
    return {}
