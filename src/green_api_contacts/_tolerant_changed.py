"""Changed types: optional scalar fields whose values have a type the description does not allow.

Part of the tolerant decoder's drift path (see _tolerant.py for the rule and its reasons).
Hand-written: msgspec can only reject such a value, so the field is widened to Any in that
decode's subclasses, found from msgspec's error path, and read there through a property that
gives values of the wrong type as absent.
"""

from __future__ import annotations

import functools
import re
from types import MemberDescriptorType
from typing import Any

import msgspec
from msgspec import inspect as mi

from green_api_contacts._tolerant_split import compile_splitter, unwrap

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


@functools.lru_cache(maxsize=512)
def changed_type_reader(owner: type, name: str) -> property:
    """How field `name` of `owner` reads in a subclass where it was widened to Any.

    The decoded value stays in the field's slot; a value whose type the description does not
    allow reads as absent (its `.extra` has it). Reading through a property instead of setting
    every odd value aside after decoding costs nothing per object at decode time: a set-aside
    pass was 0.13x json.loads on 100k contacts (`make bench`, changed-type row), a read through
    the property about 0.1 us more than a slot's. msgspec's own encoders read the slot.
    """
    slot = next(k.__dict__[name] for k in owner.__mro__ if name in k.__dict__)
    if not isinstance(slot, MemberDescriptorType):
        raise TypeError(f"{owner.__name__}.{name} is not a Struct field")
    info = mi.type_info(owner)
    assert isinstance(info, mi.StructType)
    field = next(f for f in info.fields if f.name == name)
    plain, exhaustive = _plain_types(field.type)
    plain |= {msgspec.UnsetType}
    declared = next(f.type for f in msgspec.structs.fields(owner) if f.name == name)
    absent = absent_value(field)
    get = slot.__get__
    memo = f"_read_{name}"  # a checked reading, kept while the slot holds the value it came from

    def read(self: msgspec.Struct) -> Any:
        value = get(self)
        if type(value) in plain:
            return value
        if exhaustive:
            return absent
        known: tuple[Any, Any] | None = self.__dict__.get(memo)  # drift objects have a __dict__
        if known is None or known[0] is not value:
            known = self.__dict__[memo] = (value, _converted(value, declared, absent))
        return known[1]  # one check per value, and the same object on every read

    doc = f"{name}; a value of a changed type reads as absent"
    return property(read, slot.__set__, slot.__delete__, doc=doc)


def absent_value(field: mi.Field) -> Any:
    """What an absent field reads as: its default (README, "Fields and absent values")."""
    return msgspec.UNSET if field.default is msgspec.NODEFAULT else field.default


def _converted(found: Any, declared: Any, absent: Any) -> Any:
    try:
        return msgspec.convert(found, declared, strict=True)
    except msgspec.ValidationError:
        return absent
