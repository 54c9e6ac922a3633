"""Tolerant, fast decoding of API bodies into the generated msgspec Structs.

Why this is hand-written: msgspec decodes JSON into typed Structs in about half the time
json.loads takes to build dicts, but it either drops unknown fields or rejects them; no
library keeps them. The generated Structs (generated/.../<flavour>_structs.py) all derive from
TolerantStruct, which forbids unknown fields, so the fast path is one strict msgspec decode.
Only when a body does carry fields this version of the description does not know (a newer
API) do we take a second, slower pass that strips them, decodes the rest strictly, and
attaches what was stripped to each object as `.extra`. Either way the caller gets the same
typed objects, and nothing the API sent is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
from msgspec import inspect as mi

T = TypeVar("T")

_UNKNOWN_FIELD = "Object contains unknown field"
_NO_EXTRA: dict[str, Any] = {}


class TolerantStruct(msgspec.Struct, forbid_unknown_fields=True, dict=True):
    """Base of every generated Struct: strict on the fast path, with room for unknown fields."""

    @property
    def extra(self) -> dict[str, Any]:
        """Fields the API sent that the API description does not (yet) know, by JSON name."""
        found: dict[str, Any] = getattr(self, "_extra", _NO_EXTRA)
        return found


# An "extras tree" mirrors the decoded value: for a Struct a dict holding the object's own
# unknown fields under "" and the trees of its fields by attribute name; for a list, a list.
_Tree = dict[str, Any] | list[Any] | None


def _unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def _split(value: Any, info: mi.Type) -> tuple[Any, _Tree]:
    """Strip unknown fields from `value` per the type `info`; return the rest and a tree of them."""
    info = _unwrap(info)
    if isinstance(info, mi.UnionType):
        for member in info.types:
            member = _unwrap(member)
            if (isinstance(member, mi.StructType) and isinstance(value, dict)) or (
                isinstance(member, mi.ListType) and isinstance(value, list)
            ):
                return _split(value, member)
        return value, None
    if isinstance(info, mi.ListType) and isinstance(value, list):
        pairs = [_split(item, info.item_type) for item in value]
        trees = [tree for _, tree in pairs]
        return [item for item, _ in pairs], (trees if any(t is not None for t in trees) else None)
    if isinstance(info, mi.StructType) and isinstance(value, dict):
        by_json_name = {f.encode_name: f for f in info.fields}
        known: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        tree: dict[str, Any] = {}
        for key, item in value.items():
            field = by_json_name.get(key)
            if field is None:
                unknown[key] = item
                continue
            known[key], sub = _split(item, field.type)
            if sub is not None:
                tree[field.name] = sub
        if unknown:
            tree[""] = unknown
        return known, (tree or None)
    return value, None


def _attach(obj: Any, tree: _Tree) -> None:
    if tree is None:
        return
    if isinstance(tree, list):
        for item, sub in zip(obj, tree, strict=True):
            _attach(item, sub)
        return
    for name, sub in tree.items():
        if name == "":
            obj._extra = sub
        else:
            _attach(getattr(obj, name), sub)


def tolerant_decoder(type_: type[T] | Any) -> Callable[[bytes], T]:
    """A function that decodes JSON bytes into `type_`, keeping unknown fields as `.extra`.

    Raises msgspec.DecodeError for bytes that are not JSON and msgspec.ValidationError for JSON
    of the wrong shape; the clients turn both into their own typed error.
    """
    strict: msgspec.json.Decoder[T] = msgspec.json.Decoder(type_)
    info = mi.type_info(type_)

    def decode(body: bytes) -> T:
        try:
            return strict.decode(body)
        except msgspec.ValidationError as exc:
            if not str(exc).startswith(_UNKNOWN_FIELD):
                raise
        cleaned, tree = _split(msgspec.json.decode(body), info)
        result: T = msgspec.convert(cleaned, type_)
        _attach(result, tree)
        return result

    return decode
