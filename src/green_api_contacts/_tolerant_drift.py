"""The drift path of the tolerant decoder (see _tolerant.py for the design and its reasons).

Hand-written because no library keeps unknown fields of typed objects: per-decode lenient
subclasses of the generated Structs and the lazy computation of `.extra` (changed types:
_tolerant_changed.py).
"""

from __future__ import annotations

import gc
import operator
import sys
import weakref
from collections.abc import Callable, Iterator, Mapping
from functools import reduce
from types import MappingProxyType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from msgspec import inspect as mi

from green_api_contacts._tolerant_lifetime import Items, held_inside, held_items
from green_api_contacts._tolerant_split import (
    NO_EXTRA,
    Splitter,
    Tree,
    structs_in,
    unwrap,
)

_ONE_BY_ONE = 64  # items whose `.extra` is split alone; past that, the whole body at once


# --- one drifted decode -----------------------------------------------------------------------


def _gone() -> None:
    """The weak reference of a Drift whose root is gone (or never was)."""


class Drift:
    """What the objects of one drifted decode need to compute their `.extra` when asked.

    It holds its root only weakly (see _tolerant_lifetime.py): the objects lead to it through
    their type, so a strong reference back would keep every drifted result alive for good.
    """

    def __init__(self, body: bytes, splitter: Splitter | None, flat: bool) -> None:
        self.body = body
        self.splitter = splitter
        self.flat = flat  # a list of Structs that hold no Structs: every contact list
        self._root: Callable[[], Any] = _gone
        self._root_id: int | None = None
        self.owner: dict[int, int] | None = None  # id(obj) -> index of its top-level item
        self.raws: list[msgspec.Raw] | None = None
        self.asked = 0  # items split one by one so far

    def bind(self, value: Any) -> Any:
        """The value to hand back: a list as an `Items`; the Drift refers to it weakly."""
        if isinstance(value, list):
            value = Items(value, self)
        if isinstance(value, list | msgspec.Struct):  # a root Struct's class has __weakref__
            self._root, self._root_id = weakref.ref(value), id(value)
        else:  # no object (a null body): nothing can ask
            self.body = b""
        return value

    def _live(self) -> Any:
        """The decoded value as it came (a list's snapshot), or None once the root is gone."""
        root = self._root()
        return root.snapshot if isinstance(root, Items) else root

    def release(self, root: Any) -> None:
        """The root is dying: what the caller still holds keeps its `.extra`; the rest goes."""
        if id(root) != self._root_id or sys.is_finalizing():  # a nested object; at exit: nothing
            return
        self._root, self._root_id, self.owner = _gone, None, None
        if not self.body:  # every object got its `_extra` already
            return
        # A finalizer: an exception here is reported by Python (sys.unraisablehook), not raised.
        if isinstance(root, Items) and self.flat:
            held = held_items(root)
            for index, item in held:
                item._at = index  # read by extra_of: no reference back to the item
            if held:
                return
        elif isinstance(root, Items):  # a list of Structs that hold Structs
            if held_items(root) or any(map(held_inside, root.snapshot)):
                self._attach(root.snapshot, self._tree())
        elif held_inside(root):
            self._attach(root, self._tree())
        self.body, self.raws = b"", None

    def extra_of(self, obj: msgspec.Struct) -> Mapping[str, Any]:
        """Split the raw item holding `obj` (once) and attach every extra found in it."""
        at: int | None = getattr(obj, "_at", None)  # an item that outlived its list
        root = None if at is not None else self._live()
        if at is None:
            if root is None:  # a copy made after decoding, or made after its root died
                return NO_EXTRA
            if self.owner is None:
                items = root if isinstance(root, list) else [root]
                if self.flat:
                    self.owner = {id(item): i for i, item in enumerate(items)}
                else:
                    self.owner = {
                        id(s): i for i, item in enumerate(items) for s in structs_in(item)
                    }
            at = self.owner.get(id(obj))
            if at is None:  # a copy made after decoding: nothing the API sent is known of it
                return NO_EXTRA
        if not self.body:  # every object got its `_extra` already
            done: Mapping[str, Any] = getattr(obj, "_extra", NO_EXTRA)
            return done
        self.asked += 1
        if isinstance(root, list) and self.asked > _ONE_BY_ONE:  # a caller reading them all
            self._attach_all(root)
        elif root is None or isinstance(root, list):
            if self.raws is None:
                self.raws = msgspec.json.decode(self.body, type=list[msgspec.Raw])
            item = obj if root is None else root[at]
            tree = self._item_tree(self.raws[at], listed=True)
            self._attach([item], None if tree is None else [tree])  # the list splitter's shape
        else:
            self._attach(root, self._item_tree(self.body, listed=False))
        found: Mapping[str, Any] = getattr(obj, "_extra", NO_EXTRA)
        return found

    def _tree(self) -> Tree:
        """The extras tree of the whole body (one decode to builtins)."""
        collecting = gc.isenabled()
        gc.disable()  # a container per JSON object: spare the collector scanning them over and over
        try:
            return None if self.splitter is None else self.splitter(msgspec.json.decode(self.body))
        finally:
            if collecting:
                gc.enable()

    def _attach_all(self, root: list[Any]) -> None:
        tree = self._tree()
        widened = root and getattr(type(root[0]), "_widened", None)
        if self.flat and isinstance(tree, list) and not widened:
            for item, sub in zip(root, tree, strict=True):  # the fast way, same result
                if sub is not None:
                    item._extra = MappingProxyType(sub[""])
        else:
            self._attach(root, tree)
        self.body, self.raws = b"", None

    def _item_tree(self, raw: bytes | msgspec.Raw, *, listed: bool) -> Tree:
        if self.splitter is None:
            return None
        value = msgspec.json.decode(raw)
        if listed:
            tree = self.splitter([value])
            return None if not isinstance(tree, list) else tree[0]
        return self.splitter(value)

    def _attach(self, value: Any, tree: Tree, seen: set[int] | None = None) -> None:
        """Give every Struct of this decode in `value` its `_extra` (unknown fields, then changed
        types). `seen`: a caller may have made a cycle (an object stored inside itself)."""
        seen = set() if seen is None else seen
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, list):
            trees = tree if isinstance(tree, list) else [None] * len(value)
            if len(trees) != len(value):  # a nested list the caller changed before asking
                return
            for item, sub in zip(value, trees, strict=True):
                self._attach(item, sub, seen)
            return
        if getattr(type(value), "_drift", None) is not self:  # the caller's, or another decode's
            return
        nodes = tree if isinstance(tree, dict) else {}
        widened: Mapping[str, str] = getattr(type(value), "_widened", NO_EXTRA)
        own = {
            key: found
            for key, found in nodes.get("", {}).items()
            if key not in widened or not _same(getattr(value, widened[key]), found)
        }
        value._extra = MappingProxyType(own) if own else NO_EXTRA
        for name in value.__struct_fields__:
            field = getattr(value, name)
            if isinstance(field, msgspec.Struct | list):
                self._attach(field, nodes.get(name), seen)


def _same(held: Any, found: Any) -> bool:
    """Whether a widened field reads as the body's value; if not, it reads as absent.

    A kept value is the body's own (same type and value); an absent reading is the field's default
    or UNSET, which never equals a value that failed the field's type.
    """
    return type(held) is type(found) and held == found


def _swap(tp: Any, classes: Mapping[type, type]) -> Any:
    """`tp` with every generated Struct in it replaced by its drift subclass.

    Built without typing's caches (`Union[...]`, `Annotated[...]` are memoised): a cached alias
    would keep a decode's subclasses, and through them its Drift, alive after its objects.
    """
    if isinstance(tp, type) and tp in classes:
        return classes[tp]
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        inner = _swap(args[0], classes)
        if inner is args[0] or any(map(_constrains, tp.__metadata__)):
            return tp if inner is args[0] else Annotated[(inner, *tp.__metadata__)]
        return inner  # documentation only: nothing for the decoder to check
    if origin in (Union, UnionType):
        swapped = [_swap(a, classes) for a in args]
        if all(s is a for s, a in zip(swapped, args, strict=True)):
            return tp
        return reduce(operator.or_, swapped)  # types.UnionType: not cached
    if origin is list:
        return list[_swap(args[0], classes)]  # type: ignore[misc]
    return tp


_CONSTRAINTS = ("ge", "gt", "le", "lt", "max_length", "min_length", "multiple_of", "pattern", "tz")


def _constrains(metadata: Any) -> bool:
    """Whether an Annotated item changes what msgspec accepts (not just documents it)."""
    if not isinstance(metadata, msgspec.Meta):
        return True
    return any(getattr(metadata, name) is not None for name in _CONSTRAINTS)


def reachable(info: mi.Type, found: dict[type, mi.StructType]) -> None:
    """Collect every Struct type `info` can hold: each one gets a drift subclass."""
    info = unwrap(info)
    if isinstance(info, mi.StructType) and info.cls not in found:
        found[info.cls] = info
        for f in info.fields:
            reachable(f.type, found)
    elif isinstance(info, mi.ListType):
        reachable(info.item_type, found)
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            reachable(member, found)


def _same_fields(self: msgspec.Struct, other: object) -> Any:
    """Equality of a drift object: the generated Struct's (fields only, `.extra` ignored)."""
    if not isinstance(other, msgspec.Struct):
        return NotImplemented
    if getattr(type(self), "_base", type(self)) is not getattr(type(other), "_base", type(other)):
        return NotImplemented
    return all(getattr(self, n) == getattr(other, n) for n in self.__struct_fields__)


def _reduce(self: msgspec.Struct) -> tuple[Any, ...]:
    """Pickle a drift object as its generated Struct (as before, `.extra` is not pickled)."""
    base: type = type(self)._base  # type: ignore[attr-defined]
    return base, tuple(getattr(self, name) for name in self.__struct_fields__)  # as they read


def drift_type(
    type_: Any,
    structs: Mapping[type, mi.StructType],
    widened: Mapping[type, Mapping[str, mi.Field]],
    drift: Drift,
    tops: frozenset[type],
    reader: Callable[[type, str], property],
) -> Any:
    """`type_` with every Struct replaced by a lenient subclass bound to this decode.

    `tops`: the Structs a decoded value can be at its root (not inside a list or a Struct);
    theirs can be weakly referenced and tell the Drift when they die (see _tolerant_lifetime).
    `reader(cls, name)`: how a widened field reads (_tolerant_changed.changed_type_reader).
    """
    classes: dict[type, type] = {}
    making: set[type] = set()

    def make(cls: type) -> None:  # leaves first: fields name the subclasses of nested Structs
        if cls in classes:
            return
        if cls in making:
            raise TypeError("a recursive Struct type cannot be decoded tolerantly")
        making.add(cls)
        for f in structs[cls].fields:
            for nested in _classes_in(f.type):
                make(nested)
        made = _subclass(cls, structs[cls], classes, widened.get(cls, {}), drift, top=cls in tops)
        for name in widened.get(cls, {}):  # after defstruct, which takes attributes for defaults
            setattr(made, name, reader(cls, name))
        classes[cls] = made

    for cls in structs:
        make(cls)
    return _swap(type_, classes)


def _classes_in(info: mi.Type) -> Iterator[type]:
    info = unwrap(info)
    if isinstance(info, mi.StructType):
        yield info.cls
    elif isinstance(info, mi.ListType):
        yield from _classes_in(info.item_type)
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            yield from _classes_in(member)


def _subclass(
    cls: type,
    info: mi.StructType,
    classes: Mapping[type, type],
    widen: Mapping[str, mi.Field],
    drift: Drift,
    *,
    top: bool,
) -> type:
    hints = {f.name: f for f in msgspec.structs.fields(cls)}
    redeclared: list[tuple[str, Any, Any]] = []
    for f in info.fields:
        if f.name in widen:
            annotation: Any = Any
        elif any(c in classes for c in _classes_in(f.type)):
            annotation = _swap(hints[f.name].type, classes)
        else:
            continue
        known = hints[f.name]
        default: Any = msgspec.field(name=f.encode_name)
        if known.default_factory is not msgspec.NODEFAULT:
            default = msgspec.field(name=f.encode_name, default_factory=known.default_factory)
        elif known.default is not msgspec.NODEFAULT:
            default = msgspec.field(name=f.encode_name, default=known.default)
        redeclared.append((f.name, annotation, default))
    namespace = {
        "__qualname__": cls.__qualname__,
        "__eq__": _same_fields,
        "__reduce__": _reduce,
        "_base": cls,
        "_drift": drift,
        "_widened": {f.encode_name: f.name for f in widen.values()},
    }
    if top:
        namespace["__del__"] = _release
    made: type = msgspec.defstruct(
        cls.__name__,
        redeclared,
        bases=(cls,),
        module=cls.__module__,
        namespace=namespace,
        forbid_unknown_fields=False,
        gc=True,  # the generated Structs are untracked; these hold their `_extra` in a __dict__
        dict=True,
        weakref=top,
    )
    return made


def _release(self: msgspec.Struct) -> None:
    """A root Struct's finalizer: its Drift hands over what outlives it."""
    type(self)._drift.release(self)  # type: ignore[attr-defined]


def top_structs(info: mi.Type) -> Iterator[type]:
    """The Struct types a value of `info` can be at its root."""
    info = unwrap(info)
    if isinstance(info, mi.StructType):
        yield info.cls
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            yield from top_structs(member)
