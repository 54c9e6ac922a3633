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

    __slots__ = ("__weakref__", "changed", "drift", "snapshot")

    def __init__(self, items: list[Any], drift: Drift) -> None:
        super().__init__(items)
        # `items` itself is the snapshot: nobody else holds it. `changed`: set by every method
        # that changes the list (below), so that its death needs no comparison with the snapshot.
        self.drift, self.snapshot, self.changed = drift, items, False

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (list(self),)

    def __del__(self) -> None:
        self.drift.release(self)


def _changing(name: str) -> Any:
    method = getattr(list, name)

    def change(self: Items, *args: Any, **kwargs: Any) -> Any:
        self.changed = True
        return method(self, *args, **kwargs)

    change.__name__ = change.__qualname__ = name
    return change


for _name in (
    "__delitem__",
    "__iadd__",
    "__imul__",
    "__setitem__",
    "append",
    "clear",
    "extend",
    "insert",
    "pop",
    "remove",
    "reverse",
    "sort",
):
    setattr(Items, _name, _changing(_name))


def held_items(items: Items) -> list[tuple[int, Any]]:
    """Index and item of each snapshot item referenced from outside the dying list."""
    snapshot = items.snapshot
    counts = list(map(sys.getrefcount, snapshot))  # C-level loops: about 2 ms for 100k items
    if not items.changed:
        if counts.count(_HELD_BY_LIST_AND_SNAPSHOT) == len(counts):
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

    Asked of the generated class: a per-decode subclass has its fields (a widened field may hold
    a list or dict the API sent, but never a Struct of this decode), and is not kept here.
    """
    cls = getattr(cls, "_base", cls)
    found = _FIELDS.get(cls)
    if found is None:
        info = mi.type_info(cls)
        fields = info.fields if isinstance(info, mi.StructType) else ()
        found = _FIELDS[cls] = tuple(f.name for f in fields if _can_hold_containers(f.type))
    return found


_Group = tuple[type, list[Any]]  # siblings of one type


def _groups(values: list[Any]) -> list[_Group]:
    """The Structs and lists among `values`, by type (isinstance on a Struct is slower)."""
    kinds = list(map(type, values))
    distinct = set(kinds)
    wanted = [kind for kind in distinct if issubclass(kind, msgspec.Struct | list)]
    if len(distinct) == 1:
        return [(kinds[0], values)] if wanted else []
    return [
        (kind, list(compress(values, map(operator.is_, kinds, repeat(kind))))) for kind in wanted
    ]


def held_inside(root: Any) -> bool:
    """Whether any Struct or list below `root` is referenced from outside the tree.

    Walked a generation at a time, with C-level loops (a card with 25,000 products takes a few
    milliseconds): each group of siblings is referenced by its parents and by the group's list,
    like the items of a list and its snapshot.
    """
    pending = _children(type(root), [root])
    while pending:
        _, members = group = pending.pop()
        counts = list(map(sys.getrefcount, members))
        if counts.count(_HELD_BY_LIST_AND_SNAPSHOT) != len(counts):
            return True
        pending += _children(*group)
    return False


def _children(kind: type, members: list[Any]) -> list[_Group]:
    """The Structs and lists directly inside `members` (all of type `kind`), by type."""
    if issubclass(kind, list):
        return _groups(list(chain.from_iterable(members)))
    found: list[_Group] = []
    for name in _container_fields(kind):
        found += _groups(list(map(attrgetter(name), members)))
    return found
