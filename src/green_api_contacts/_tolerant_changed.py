"""Changed types: optional scalar fields whose values have a type the description does not allow.

Part of the tolerant decoder's drift path (see _tolerant.py for the rule and its reasons).
Hand-written: msgspec can only reject such a value, so the field is widened to Any in that
decode's subclasses, found from msgspec's error path, and values of the wrong type are set aside.
"""

from __future__ import annotations

import re
from collections import deque
from itertools import compress, repeat
from operator import attrgetter, not_
from typing import Any

import msgspec
from msgspec import inspect as mi

from green_api_contacts._tolerant_split import compile_splitter, structs_in, unwrap

_PATH = re.compile(r" - at `\$((?:\.[^.\[`]+|\[\d+\])*)`$")
_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_MAX_WIDENED = 16  # changed types tolerated in one body before it counts as unreadable


class Widened:
    """The optional scalar fields of one body whose values had a type not in the description."""

    def __init__(self) -> None:
        self.fields: dict[type, dict[str, mi.Field]] = {}

    def add(self, error: msgspec.ValidationError, root: mi.Type) -> bool:
        """Widen the field `error` points at; False when it must not be tolerated."""
        match = _PATH.search(str(error))
        if match is None or sum(map(len, self.fields.values())) >= _MAX_WIDENED:
            return False
        info, field, owner = root, None, None
        for key, _index in _SEGMENT.findall(match.group(1)):
            info = _member(info, mi.StructType if key else mi.ListType)
            if isinstance(info, mi.StructType) and key:
                field = next((f for f in info.fields if f.encode_name == key), None)
                if field is None:
                    return False
                owner, info = info.cls, field.type
            elif isinstance(info, mi.ListType) and not key:
                field, info = None, info.item_type
            else:
                return False
        if owner is None or field is None or field.required or compile_splitter(field.type):
            return False
        if field.name in self.fields.get(owner, {}):
            return False  # widened already, yet failing: not a changed type
        self.fields.setdefault(owner, {})[field.name] = field
        return True


def _member(info: mi.Type, kind: type) -> mi.Type:
    info = unwrap(info)
    if isinstance(info, mi.UnionType):
        return next((unwrap(t) for t in info.types if isinstance(unwrap(t), kind)), info)
    return info


def _plain_types(info: mi.Type) -> tuple[frozenset[type], bool]:
    """Python types a value of `info` may have unchecked, and whether no other type can do.

    A string with a pattern, say, must be checked; a float also reads from an int.
    """
    plain = {mi.StrType: str, mi.IntType: int, mi.BoolType: bool, mi.NoneType: type(None)}
    found: set[type] = set()
    exhaustive = True
    info = unwrap(info)
    for member in info.types if isinstance(info, mi.UnionType) else (info,):
        member = unwrap(member)
        if type(member) in plain and all(v is None for v in msgspec.structs.astuple(member)):
            found.add(plain[type(member)])
        else:
            exhaustive = False
    return frozenset(found), exhaustive


def set_aside_changed_types(value: Any, root: mi.Type, widened: Widened) -> None:
    """Widened fields whose values do not have the described type read as absent.

    Their values go to the object's `.extra`, under the field's JSON name.
    """
    whole = unwrap(root)
    item: mi.Type | None = unwrap(whole.item_type) if isinstance(whole, mi.ListType) else None
    for owner, fields in widened.fields.items():
        hints = {f.name: f.type for f in msgspec.structs.fields(owner)}
        if isinstance(item, mi.StructType) and item.cls is owner:
            objects: list[Any] = value  # the usual case: the items of a list, no walk needed
        else:
            objects = [o for o in structs_in(value) if getattr(type(o), "_base", None) is owner]
        for name, f in fields.items():
            plain, exhaustive = _plain_types(f.type)
            plain |= {msgspec.UnsetType}
            # C-level loops (map, compress): this runs over every item of a 100k body.
            kept = map(plain.__contains__, map(type, map(attrgetter(name), objects)))
            odd = list(compress(objects, map(not_, kept)))
            # Set aside: `.extra` finds the value in the body (the field reads as absent).
            absent = absent_value(f)
            if exhaustive:
                deque(map(setattr, odd, repeat(name), repeat(absent)), maxlen=0)
                continue
            for obj in odd:
                setattr(obj, name, _converted(getattr(obj, name), hints[name], absent))


def absent_value(field: mi.Field) -> Any:
    """What an absent field reads as: its default (README, "Fields and absent values")."""
    return msgspec.UNSET if field.default is msgspec.NODEFAULT else field.default


def _converted(found: Any, declared: Any, absent: Any) -> Any:
    try:
        return msgspec.convert(found, declared, strict=True)
    except msgspec.ValidationError:
        return absent
