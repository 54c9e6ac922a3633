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

# Which generated type answers which operation and status, by flavour. This is flavour data: it
# moves to the flavour registry (src/green_api_contacts/flavours.py) when that lands; until then
# :func:`answer_type` is the only reader. Statuses are those the flavour documents declare.
_SUCCESS: Final[Mapping[str, Mapping[str, str]]] = {
    "whatsapp": {
        "getContacts": "WhatsAppContactList",
        "getContactInfo": "WhatsAppContactInfoOrNull",
    },
    "telegram": {"getContacts": "TelegramContactList", "getContactInfo": "TelegramContactInfo"},
}
_ERRORS: Final[Mapping[int, str]] = {
    400: "ErrorBody",
    401: "PlainText",
    403: "PlainText",
    404: "PlainText",
    429: "PlainText",
    466: "QuotaExceededBody",
    500: "ErrorBody",
    502: "PlainText",
}


class UnknownAnswerError(LookupError):
    """A flavour or operation the description does not cover at all."""


def flavours() -> tuple[str, ...]:
    return tuple(_SUCCESS)


def answer_type(flavour: str, operation: str, status: int) -> mi.Type | None:
    """The described type of an answer; ``None`` for a status the description does not declare."""
    operations = _SUCCESS.get(flavour)
    if operations is None:
        known = ", ".join(_SUCCESS)
        raise UnknownAnswerError(f"unknown flavour {flavour!r} (known: {known})")
    if operation not in operations:
        known = ", ".join(operations)
        raise UnknownAnswerError(f"unknown operation {operation!r} (known: {known})")
    name = operations[operation] if status == 200 else _ERRORS.get(status)
    return None if name is None else _type_info(flavour, name)


@cache
def _type_info(flavour: str, name: str) -> mi.Type:
    module = importlib.import_module(f"green_api_contacts.generated.{flavour}_structs")
    return mi.type_info(getattr(module, name))


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


def accepts(member: mi.Type, value: Any) -> bool:
    """Whether a JSON value has the kind of one (unwrapped, non-union) type.

    Only the JSON type is compared, not constraints such as patterns or bounds: drift is about
    shapes. A kind this project's Structs never use is accepted rather than guessed at.
    """
    if isinstance(member, mi.NoneType):
        return value is None
    if isinstance(member, mi.BoolType):
        return isinstance(value, bool)
    if isinstance(member, mi.IntType):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(member, mi.FloatType):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(member, mi.StrType):
        return isinstance(value, str)
    if isinstance(member, mi.ListType):
        return isinstance(value, list)
    if isinstance(member, mi.StructType | mi.DictType):
        return isinstance(value, dict)
    if isinstance(member, mi.LiteralType):
        return any(type(value) is type(v) and value == v for v in member.values)
    return True
