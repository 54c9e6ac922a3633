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

import gc
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import msgspec
from msgspec import inspect as mi

T = TypeVar("T")

_UNKNOWN_FIELD = "Object contains unknown field"
# Shared by every object without unknown fields, so it must be read-only.
_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


class TolerantStruct(msgspec.Struct, forbid_unknown_fields=True, dict=True):
    """Base of every generated Struct: strict on the fast path, with room for unknown fields."""

    @property
    def extra(self) -> Mapping[str, Any]:
        """Fields the API sent that the API description does not (yet) know, by JSON name."""
        found: Mapping[str, Any] = getattr(self, "_extra", _NO_EXTRA)
        return found


# An "extras tree" mirrors the decoded value: for a Struct a dict holding the object's own
# unknown fields under "" and the trees of its fields by attribute name; for a list, a list.
# None means "nothing unknown here".
_Tree = dict[str, Any] | list[Any] | None
_Splitter = Callable[[Any], _Tree]


def _unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def _compile(info: mi.Type) -> _Splitter | None:
    """A function that strips unknown fields from a decoded value in place and returns them.

    Compiled once per type, so that the per-value work is a set difference per object and a
    walk into just those fields whose types can hold objects. None: the type holds no Struct.
    """
    info = _unwrap(info)
    if isinstance(info, mi.StructType):
        return _compile_struct(info)
    if isinstance(info, mi.ListType):
        item = _compile(info.item_type)
        return None if item is None else _compile_list(item)
    if isinstance(info, mi.UnionType):
        members = [s for s in map(_compile, info.types) if s is not None]
        return None if not members else _compile_union(members)
    return None


def _compile_struct(info: mi.StructType) -> _Splitter:
    known = frozenset(f.encode_name for f in info.fields)
    nested = [(f.encode_name, f.name, s) for f in info.fields if (s := _compile(f.type))]

    def strip(value: dict[str, Any]) -> dict[str, Any] | None:
        """Pop the unknown members, in the order the API sent them."""
        if known.issuperset(value):  # the usual case, and no set is built for it
            return None
        return {key: value.pop(key) for key in [k for k in value if k not in known]}

    if not nested:  # a flat object (every contact): only its own unknown fields

        def split_flat(value: Any) -> _Tree:
            if type(value) is not dict or (unknown := strip(value)) is None:
                return None
            return {"": unknown}

        return split_flat

    def split(value: Any) -> _Tree:
        if type(value) is not dict:
            return None
        unknown = strip(value)
        tree: dict[str, Any] | None = None if unknown is None else {"": unknown}
        for json_name, attribute, splitter in nested:
            if json_name in value and (sub := splitter(value[json_name])) is not None:
                tree = tree or {}
                tree[attribute] = sub
        return tree

    return split


def _compile_list(item: _Splitter) -> _Splitter:
    def split(value: Any) -> _Tree:
        if type(value) is not list:
            return None
        trees = [item(v) for v in value]
        return trees if any(t is not None for t in trees) else None

    return split


def _compile_union(members: list[_Splitter]) -> _Splitter:
    def split(value: Any) -> _Tree:
        # Each member looks only at its own container type (dict or list), so at most one
        # of them finds anything.
        for member in members:
            if (tree := member(value)) is not None:
                return tree
        return None

    return split


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
    splitter = _compile(mi.type_info(type_))

    def decode(body: bytes) -> T:
        try:
            return strict.decode(body)
        except msgspec.ValidationError as exc:
            if not str(exc).startswith(_UNKNOWN_FIELD):
                raise
        # This pass allocates a container per object; pausing the cyclic collector while it runs
        # saves it from scanning them over and over (a third of the time on 100k contacts).
        collecting = gc.isenabled()
        gc.disable()
        try:
            value = msgspec.json.decode(body)
            tree = splitter(value) if splitter is not None else None
            result: T = msgspec.convert(value, type_)
            _attach(result, tree)
        finally:
            if collecting:
                gc.enable()
        return result

    return decode
