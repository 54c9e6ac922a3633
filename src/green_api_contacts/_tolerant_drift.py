"""The drift path of the tolerant decoder (see _tolerant.py for the design and its reasons).

Hand-written because no library keeps unknown fields of typed objects: per-decode lenient
subclasses of the generated Structs and the lazy computation of `.extra` (changed types:
_tolerant_changed.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from msgspec import inspect as mi

UNKNOWN_FIELD = "Object contains unknown field"
_ONE_BY_ONE = 64  # items whose `.extra` is split alone; past that, the whole body at once
# Shared by every object without unknown fields, so it must be read-only.
NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


# --- splitting one raw item into known and unknown members ----------------------------------
# An "extras tree" mirrors the decoded value: for a Struct a dict holding the object's own
# unknown fields under "" and the trees of its fields by attribute name; for a list, a list.
# None means "nothing unknown here".
_Tree = dict[str, Any] | list[Any] | None
_Splitter = Callable[[Any], _Tree]
WidenedNames = Mapping[type, frozenset[str]]  # generated Struct -> JSON names of widened fields
_NOTHING: WidenedNames = MappingProxyType({})


def unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def compile_splitter(info: mi.Type, widened: WidenedNames = _NOTHING) -> _Splitter | None:
    """A function that returns the unknown members of a decoded value, None if it holds none.

    Compiled once per type, so that the per-value work is a set difference per object and a
    walk into just those fields whose types can hold objects. None: the type holds no Struct.
    `widened` fields count as unknown: their values may have been set aside (a changed type).
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


def _compile_struct(info: mi.StructType, widened: WidenedNames) -> _Splitter:
    known = frozenset(f.encode_name for f in info.fields) - widened.get(info.cls, frozenset())
    nested = [
        (f.encode_name, f.name, s) for f in info.fields if (s := compile_splitter(f.type, widened))
    ]

    def split(value: Any) -> _Tree:
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


# --- one drifted decode -----------------------------------------------------------------------


class Drift:
    """What the objects of one drifted decode need to compute their `.extra` when asked."""

    def __init__(self, body: bytes, splitter: _Splitter | None, flat: bool) -> None:
        self.body = body
        self.splitter = splitter
        self.flat = flat  # a list of Structs that hold no Structs: every contact list
        self.root: Any = None  # a snapshot: later changes by the caller do not move items
        self.owner: dict[int, int] | None = None  # id(obj) -> index of its top-level item
        self.raws: list[msgspec.Raw] | None = None
        self.asked = 0  # items split one by one so far

    def extra_of(self, obj: msgspec.Struct) -> Mapping[str, Any]:
        """Split the raw item holding `obj` (once) and attach every extra found in it."""
        if self.owner is None:
            items = self.root if isinstance(self.root, list) else [self.root]
            if self.flat:
                self.owner = {id(item): i for i, item in enumerate(items)}
            else:
                self.owner = {id(s): i for i, item in enumerate(items) for s in structs_in(item)}
        index = self.owner.get(id(obj))
        if index is None:  # a copy made after decoding: nothing the API sent is known of it
            return NO_EXTRA
        if self.asked > _ONE_BY_ONE:  # every object got its `_extra`: the body is not needed
            done: Mapping[str, Any] = getattr(obj, "_extra", NO_EXTRA)
            return done
        self.asked += 1
        if self.asked > _ONE_BY_ONE:  # a caller reading them all: one pass over the whole body
            self._attach_all()
        elif isinstance(self.root, list):
            if self.raws is None:
                self.raws = msgspec.json.decode(self.body, type=list[msgspec.Raw])
            item, raw = self.root[index], self.raws[index]
            tree = self._item_tree(raw)
            tree = None if tree is None else [tree]  # the list splitter's shape for one item
            self._attach([item], tree)
        else:
            self._attach(self.root, self._item_tree(self.body))
        found: Mapping[str, Any] = getattr(obj, "_extra", NO_EXTRA)
        return found

    def _attach_all(self) -> None:
        collecting = gc.isenabled()
        gc.disable()  # a container per JSON object: spare the collector scanning them over and over
        try:
            value = msgspec.json.decode(self.body)
            tree = None if self.splitter is None else self.splitter(value)
            widened = self.root and getattr(type(self.root[0]), "_widened", None)
            if self.flat and isinstance(tree, list) and not widened:
                for item, sub in zip(self.root, tree, strict=True):  # the fast way, same result
                    if sub is not None:
                        item._extra = MappingProxyType(sub[""])
            else:
                self._attach(self.root, tree)
        finally:
            if collecting:
                gc.enable()
        self.body, self.raws = b"", None

    def _item_tree(self, raw: bytes | msgspec.Raw) -> _Tree:
        if self.splitter is None:
            return None
        value = msgspec.json.decode(raw)
        if isinstance(self.root, list):
            tree = self.splitter([value])
            return None if not isinstance(tree, list) else tree[0]
        return self.splitter(value)

    def _attach(self, value: Any, tree: _Tree) -> None:
        """Give every Struct in `value` its `_extra` (unknown fields, then changed types)."""
        if isinstance(value, list):
            trees = tree if isinstance(tree, list) else [None] * len(value)
            if len(trees) != len(value):  # a nested list the caller changed before asking
                return
            for item, sub in zip(value, trees, strict=True):
                self._attach(item, sub)
            return
        if not isinstance(value, msgspec.Struct):
            return
        nodes = tree if isinstance(tree, dict) else {}
        widened: Mapping[str, str] = getattr(type(value), "_widened", NO_EXTRA)
        own = {
            key: found
            for key, found in nodes.get("", {}).items()
            if key not in widened or not _same(getattr(value, widened[key]), found)
        }
        value._extra = MappingProxyType(own) if own else NO_EXTRA  # type: ignore[attr-defined]
        for name in value.__struct_fields__:
            field = getattr(value, name)
            if isinstance(field, msgspec.Struct | list):
                self._attach(field, nodes.get(name))


def _same(held: Any, found: Any) -> bool:
    """Whether a widened field kept the body's value; if not, it was set aside (reads as absent).

    A kept value is the body's own (same type and value); a set-aside one is the field's default
    or UNSET, which never equals a value that failed the field's type.
    """
    return type(held) is type(found) and held == found


def _swap(tp: Any, classes: Mapping[type, type]) -> Any:
    """`tp` with every generated Struct in it replaced by its drift subclass."""
    if isinstance(tp, type) and tp in classes:
        return classes[tp]
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return Annotated[(_swap(args[0], classes), *tp.__metadata__)]
    if origin in (Union, UnionType):
        return Union[tuple(_swap(a, classes) for a in args)]  # noqa: UP007 (built at run time)
    if origin is list:
        return list[_swap(args[0], classes)]  # type: ignore[misc]
    return tp


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
    return base, msgspec.structs.astuple(self)


def drift_type(
    type_: Any,
    structs: Mapping[type, mi.StructType],
    widened: Mapping[type, Mapping[str, mi.Field]],
    drift: Drift,
) -> Any:
    """`type_` with every Struct replaced by a lenient subclass bound to this decode."""
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
        classes[cls] = _subclass(cls, structs[cls], classes, widened.get(cls, {}), drift)

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
    made: type = msgspec.defstruct(
        cls.__name__,
        redeclared,
        bases=(cls,),
        module=cls.__module__,
        namespace=namespace,
        forbid_unknown_fields=False,
    )
    return made
