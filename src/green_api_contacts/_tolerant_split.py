"""Splitting a decoded JSON value into the members the Structs know and those they do not.

Part of the tolerant decoder's drift path (see _tolerant.py): compiled once per type, run on
the builtins of one raw item (or of the whole body) when `.extra` is first read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import msgspec
from msgspec import inspect as mi

UNKNOWN_FIELD = "Object contains unknown field"
# Shared by every object without unknown fields, so it must be read-only.
NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


# --- splitting one raw item into known and unknown members ----------------------------------
# An "extras tree" mirrors the decoded value: for a Struct a dict holding the object's own
# unknown fields under "" and the trees of its fields by attribute name; for a list, a list.
# None means "nothing unknown here".
Tree = dict[str, Any] | list[Any] | None
Splitter = Callable[[Any], Tree]
WidenedNames = Mapping[type, frozenset[str]]  # generated Struct -> JSON names of widened fields
_NOTHING: WidenedNames = MappingProxyType({})


def unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def compile_splitter(info: mi.Type, widened: WidenedNames = _NOTHING) -> Splitter | None:
    """A function that returns the unknown members of a decoded value, None if it holds none.

    Compiled once per type, so that the per-value work is a set difference per object and a
    walk into just those fields whose types can hold objects. None: the type holds no Struct.
    `widened` fields count as unknown: their values may read as absent (a changed type).
    """
    info = unwrap(info)
    if isinstance(info, mi.StructType):
        return _compile_struct(info, widened)
    if isinstance(info, mi.ListType):
        item = compile_splitter(info.item_type, widened)
        return None if item is None else _compile_list(item)
    if isinstance(info, mi.UnionType):
        members = [s for t in info.types if (s := compile_splitter(t, widened)) is not None]
        return None if not members else _compile_union(members)
    return None


def _compile_struct(info: mi.StructType, widened: WidenedNames) -> Splitter:
    known = frozenset(f.encode_name for f in info.fields) - widened.get(info.cls, frozenset())
    nested = [
        (f.encode_name, f.name, s) for f in info.fields if (s := compile_splitter(f.type, widened))
    ]

    def split(value: Any) -> Tree:
        if type(value) is not dict:
            return None
        tree: dict[str, Any] | None = None
        if not known.issuperset(value):  # in the order the API sent them
            tree = {"": {k: v for k, v in value.items() if k not in known}}
        for json_name, attribute, splitter in nested:
            if json_name in value and (sub := splitter(value[json_name])) is not None:
                tree = tree or {}
                tree[attribute] = sub
        return tree

    return split


def _compile_list(item: Splitter) -> Splitter:
    def split(value: Any) -> Tree:
        if type(value) is not list:
            return None
        trees = [item(v) for v in value]
        return trees if any(t is not None for t in trees) else None

    return split


def _compile_union(members: list[Splitter]) -> Splitter:
    def split(value: Any) -> Tree:
        # Each member looks only at its own container type (dict or list), so at most one
        # of them finds anything.
        for member in members:
            if (tree := member(value)) is not None:
                return tree
        return None

    return split


def structs_in(value: Any) -> Iterator[msgspec.Struct]:
    """Every Struct in a decoded value, outermost first."""
    if isinstance(value, msgspec.Struct):
        yield value
        for name in value.__struct_fields__:
            field = getattr(value, name)
            if isinstance(field, msgspec.Struct | list):
                yield from structs_in(field)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, msgspec.Struct | list):
                yield from structs_in(item)
