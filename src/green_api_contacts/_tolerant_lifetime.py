"""How long a drifted decode's body lives: as long as its objects, and no cycle keeps them.

Part of the tolerant decoder's drift path (see _tolerant.py). Every object of a drifted decode
leads to its Drift (the body's bytes) through its type. If the Drift also held the objects, that
would be a cycle the garbage collector cannot see: msgspec untracks Structs whose fields hold no
containers, so the edges from the objects to their type are invisible to it, and every drifted
result would stay in memory for good. So the Drift holds its root only weakly: the list a decode
returns (an `Items`, a list subclass that can be weakly referenced and keeps a snapshot of its
items, so that `.extra` follows an item when the caller reorders the list) or the root Struct.

When the root dies, its finalizer hands over what must outlive it: items the caller still holds
(found by their reference counts, calibrated at import) keep their index (`_at`), or, for nested
values, get their `.extra` at once. When nothing is held, the body is dropped there and then.
Hand-written because no library ties lazily computed data to the lifetime of decoded objects.
"""

from __future__ import annotations

import operator
import sys
from collections import Counter
from itertools import chain, compress, repeat
from operator import attrgetter
from typing import Any, Protocol

import msgspec
from msgspec import inspect as mi


class Drift(Protocol):
    """What an `Items` tells when it dies (the Drift of _tolerant_drift.py)."""

    def release(self, root: Any) -> None: ...


def _calibrate() -> int:
    """sys.getrefcount of an object held only by one list and one tuple, as counted below."""
    probe = object()
    held, snapshot = [probe], (probe,)
    del probe
    count = next(map(sys.getrefcount, snapshot))
    del held
    return count


_HELD_BY_LIST_AND_SNAPSHOT = _calibrate()


class Items(list[Any]):
    """The list a drifted decode returns: a plain list to its callers (pickled and copied as one),
    weakly referenced by its Drift, with the snapshot of its items the Drift reads."""

    __slots__ = ("__weakref__", "drift", "snapshot")

    def __init__(self, items: list[Any], drift: Drift) -> None:
        super().__init__(items)
        self.drift, self.snapshot = drift, tuple(items)

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (list(self),)

    def __del__(self) -> None:
        drift: Drift | None = getattr(self, "drift", None)
        if drift is not None and not sys.is_finalizing():  # at exit: nothing to hand over
            drift.release(self)


def held_items(items: Items) -> list[tuple[int, Any]]:
    """Index and item of each snapshot item referenced from outside the dying list."""
    snapshot = items.snapshot
    counts = list(map(sys.getrefcount, snapshot))  # C-level loops: about 2 ms for 100k items
    if len(items) == len(snapshot) and all(map(operator.is_, items, snapshot)):
        if max(counts, default=0) <= _HELD_BY_LIST_AND_SNAPSHOT:
            return []  # the usual case: the caller dropped the list and all it held
        return [(i, snapshot[i]) for i, c in enumerate(counts) if c > _HELD_BY_LIST_AND_SNAPSHOT]
    # The caller changed the list: an item may be in it several times, or no more.
    in_list = Counter(map(id, items))
    return [
        (i, item)
        for i, (item, count) in enumerate(zip(snapshot, counts, strict=True))
        if count - _HELD_BY_LIST_AND_SNAPSHOT + 1 - in_list[id(item)] > 0
    ]


def _can_hold_containers(info: mi.Type) -> bool:
    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.UnionType):
        return any(map(_can_hold_containers, info.types))
    return isinstance(info, mi.StructType | mi.ListType | mi.AnyType)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _container_fields(cls: type) -> tuple[str, ...]:
    """The attributes of a Struct class whose values can be Structs or lists.

    Asked of the generated class: a per-decode subclass has its fields (a widened field holds a
    scalar or its default), and is not kept here.
    """
    cls = getattr(cls, "_base", cls)
    found = _FIELDS.get(cls)
    if found is None:
        info = mi.type_info(cls)
        fields = info.fields if isinstance(info, mi.StructType) else ()
        found = _FIELDS[cls] = tuple(f.name for f in fields if _can_hold_containers(f.type))
    return found


def _containers(values: list[Any]) -> list[Any]:
    """The Structs and lists among `values` (by their types: isinstance on a Struct is slower)."""
    kinds = list(map(type, values))
    wanted = {kind for kind in set(kinds) if issubclass(kind, msgspec.Struct | list)}
    if not wanted:
        return []
    return list(compress(values, map(wanted.__contains__, kinds)))


def held_inside(root: Any) -> bool:
    """Whether any Struct or list below `root` is referenced from outside the tree.

    Walked a generation at a time, with C-level loops: a generation is a list of siblings, each
    referenced by its parent and by that list, like an item of a list and its snapshot.
    """
    pending = [_children([root])]
    while pending:
        generation = pending.pop()
        if max(map(sys.getrefcount, generation), default=0) > _HELD_BY_LIST_AND_SNAPSHOT:
            return True
        pending.append(_children(generation))
        if not pending[-1]:
            pending.pop()
    return False


def _children(generation: list[Any]) -> list[Any]:
    """The Structs and lists directly inside the members of a generation (C-level loops: a
    contact card with 25,000 products is walked in a few milliseconds)."""
    found: list[Any] = []
    kinds = list(map(type, generation))
    distinct = set(kinds)
    for kind in distinct:
        fields = () if kind is list else _container_fields(kind)
        if kind is not list and not fields:
            continue
        members = (
            generation
            if len(distinct) == 1
            else list(compress(generation, map(operator.is_, kinds, repeat(kind))))
        )
        if kind is list:
            found += _containers(list(chain.from_iterable(members)))
        for name in fields:
            found += _containers(list(map(attrgetter(name), members)))
    return found
