"""What the description says an answer is: the generated msgspec Structs, read with msgspec.inspect.

The flavour OpenAPI documents do not ship in the wheel; the Structs generated from them do, with
every field's JSON name, type, nullability, requiredness and ``Literal`` enum values, and nested
Structs named after their component schemas. ``deprecated`` is the one fact Structs do not keep,
so it is read from the pydantic models generated from the same document.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from msgspec import inspect as mi

from green_api_contacts.flavours import FLAVOURS, Flavour, flavour_names


class UnknownAnswerError(LookupError):
    """A flavour or operation the description does not cover at all."""


def flavours() -> tuple[str, ...]:
    return flavour_names()


def answer_type(flavour: str, operation: str, status: int) -> mi.Type | None:
    """The described type of an answer; ``None`` for a status the description does not declare.

    Which generated type answers which operation and status is flavour data: the registry's
    (:meth:`green_api_contacts.flavours.Flavour.answer_type`).
    """
    found = FLAVOURS.get(flavour)
    if found is None:
        known = ", ".join(FLAVOURS)
        raise UnknownAnswerError(f"unknown flavour {flavour!r} (known: {known})")
    return _type_info(found, operation, status)


@cache
def _type_info(flavour: Flavour, operation: str, status: int) -> mi.Type | None:
    try:
        described = flavour.answer_type(operation, status)
    except ValueError:
        known = ", ".join(flavour.options)
        raise UnknownAnswerError(f"unknown operation {operation!r} (known: {known})") from None
    return None if described is None else mi.type_info(described)


@cache
def deprecated_fields(cls: type) -> frozenset[str]:
    """JSON names of the Struct's fields the description marks ``deprecated``."""
    module_name = cls.__module__.removesuffix("_structs") + "_models"
    try:
        model: Any = getattr(importlib.import_module(module_name), cls.__name__)
    except (ImportError, AttributeError):
        return frozenset()
    return frozenset(
        info.alias or name for name, info in model.model_fields.items() if info.deprecated
    )


def unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def members(info: mi.Type) -> tuple[mi.Type, ...]:
    """The alternatives of a type (itself when it is not a union), without their metadata."""
    info = unwrap(info)
    types = info.types if isinstance(info, mi.UnionType) else (info,)
    return tuple(unwrap(t) for t in types)


_NAMES: Final[Mapping[type, str]] = {
    mi.StrType: "string",
    mi.IntType: "integer",
    mi.FloatType: "number",
    mi.BoolType: "boolean",
    mi.NoneType: "null",
    mi.AnyType: "any",
    mi.DictType: "object",
}


def describe(info: mi.Type) -> str:
    """What a type allows, in the words of JSON Schema (``string | null``, ``array of ...``)."""
    parts = []
    for member in members(info):
        if isinstance(member, mi.ListType):
            parts.append(f"array of {describe(member.item_type)}")
        elif isinstance(member, mi.StructType):
            parts.append(f"object {member.cls.__name__}")
        elif isinstance(member, mi.LiteralType):
            parts.append("one of " + ", ".join(map(str, member.values)))
        else:
            parts.append(_NAMES.get(type(member), type(member).__name__))
    return " | ".join(parts)


# The Python types of decoded JSON each kind of type accepts as is (JSON numbers without a
# fraction decode to int, which a float field takes).
_EXACT: Final[Mapping[type, tuple[type, ...]]] = {
    mi.StrType: (str,),
    mi.IntType: (int,),
    mi.FloatType: (int, float),
    mi.BoolType: (bool,),
    mi.NoneType: (type(None),),
    mi.DictType: (dict,),
}
_WALKED: Final = (mi.StructType, mi.ListType, mi.LiteralType)


class Shape:
    """A described type compiled for walking many values fast.

    Only the JSON type is compared, not constraints such as patterns or bounds: drift is about
    shapes. ``accepts_any``: the type is ``Any``, or of a kind this project's Structs never use,
    which is accepted rather than guessed at.
    """

    __slots__ = (
        "accepts_any",
        "exact",
        "info",
        "items",
        "known_values",
        "literal_types",
        "literals",
        "struct",
    )

    def __init__(self, info: mi.Type) -> None:
        alternatives = members(info)
        self.info = info
        self.exact = frozenset(t for m in alternatives for t in _EXACT.get(type(m), ()))
        self.accepts_any = any(
            not isinstance(m, _WALKED) and type(m) not in _EXACT for m in alternatives
        )
        values = [v for m in alternatives if isinstance(m, mi.LiteralType) for v in m.values]
        self.literals = frozenset(values)
        self.literal_types = frozenset(type(v) for v in values)
        self.known_values = ", ".join(map(str, values))
        struct = next((m for m in alternatives if isinstance(m, mi.StructType)), None)
        self.struct = None if struct is None else struct_shape(struct)
        array = next((m for m in alternatives if isinstance(m, mi.ListType)), None)
        self.items = None if array is None else shape(array.item_type)


class StructShape:
    """A described object: its component name, fields by JSON name (built on first use, so
    that recursive types terminate) and required fields."""

    def __init__(self, info: mi.StructType) -> None:
        self.info = info
        self.component = info.cls.__name__
        self.required = tuple(f.encode_name for f in info.fields if f.required)
        self._fields: dict[str, Shape] | None = None

    @property
    def fields(self) -> dict[str, Shape]:
        if self._fields is None:
            self._fields = {f.encode_name: shape(f.type) for f in self.info.fields}
        return self._fields


_shapes: dict[int, tuple[mi.Type, Shape]] = {}
_structs: dict[type, StructShape] = {}


def shape(info: mi.Type) -> Shape:
    """The compiled shape of a type (one per type object)."""
    known = _shapes.get(id(info))
    if known is None or known[0] is not info:
        known = _shapes[id(info)] = (info, Shape(info))
    return known[1]


def struct_shape(info: mi.StructType) -> StructShape:
    found = _structs.get(info.cls)
    if found is None:
        found = _structs[info.cls] = StructShape(info)
    return found
