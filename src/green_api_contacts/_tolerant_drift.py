"""The drift path of the tolerant decoder (see _tolerant.py for the design and its reasons).

Hand-written because no library keeps unknown fields of typed objects: per-decode lenient
subclasses of the generated Structs, the lazy computation of `.extra`, and the widening of
fields whose type changed.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from itertools import compress, repeat
from operator import attrgetter, not_
from types import MappingProxyType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from msgspec import inspect as mi

UNKNOWN_FIELD = "Object contains unknown field"
_PATH = re.compile(r" - at `\$((?:\.[^.\[`]+|\[\d+\])*)`$")
_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_MAX_WIDENED = 16  # changed types tolerated in one body before it counts as unreadable
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


def _unwrap(info: mi.Type) -> mi.Type:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def compile_splitter(info: mi.Type, widened: WidenedNames = _NOTHING) -> _Splitter | None:
    """A function that returns the unknown members of a decoded value, None if it holds none.

    Compiled once per type, so that the per-value work is a set difference per object and a
    walk into just those fields whose types can hold objects. None: the type holds no Struct.
    `widened` fields count as unknown: their values may have been set aside (a changed type).
    """
    info = _unwrap(info)
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


def _structs(value: Any) -> Iterator[msgspec.Struct]:
    """Every Struct in a decoded value, outermost first."""
    if isinstance(value, msgspec.Struct):
        yield value
        for name in value.__struct_fields__:
            field = getattr(value, name)
            if isinstance(field, msgspec.Struct | list):
                yield from _structs(field)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, msgspec.Struct | list):
                yield from _structs(item)


# --- one drifted decode -----------------------------------------------------------------------


class Drift:
    """What the objects of one drifted decode need to compute their `.extra` when asked."""

    def __init__(self, body: bytes, splitter: _Splitter | None) -> None:
        self.body = body
        self.splitter = splitter
        self.root: Any = None  # a snapshot: later changes by the caller do not move items
        self.owner: dict[int, int] | None = None  # id(obj) -> index of its top-level item
        self.raws: list[msgspec.Raw] | None = None

    def extra_of(self, obj: msgspec.Struct) -> Mapping[str, Any]:
        """Split the raw item holding `obj` (once) and attach every extra found in it."""
        if self.owner is None:
            items = self.root if isinstance(self.root, list) else [self.root]
            self.owner = {id(s): i for i, item in enumerate(items) for s in _structs(item)}
        index = self.owner.get(id(obj))
        if index is None:  # a copy made after decoding: nothing the API sent is known of it
            return NO_EXTRA
        if isinstance(self.root, list):
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
            if key not in widened or getattr(value, widened[key]) is msgspec.UNSET
        }
        value._extra = MappingProxyType(own) if own else NO_EXTRA  # type: ignore[attr-defined]
        for name in value.__struct_fields__:
            field = getattr(value, name)
            if isinstance(field, msgspec.Struct | list):
                self._attach(field, nodes.get(name))


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
    info = _unwrap(info)
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
    info = _unwrap(info)
    if isinstance(info, mi.UnionType):
        return next((_unwrap(t) for t in info.types if isinstance(_unwrap(t), kind)), info)
    return info


def drift_type(
    type_: Any, structs: Mapping[type, mi.StructType], widened: Widened, drift: Drift
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
        classes[cls] = _subclass(cls, structs[cls], classes, widened.fields.get(cls, {}), drift)

    for cls in structs:
        make(cls)
    return _swap(type_, classes)


def _classes_in(info: mi.Type) -> Iterator[type]:
    info = _unwrap(info)
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


def _plain_types(info: mi.Type) -> tuple[frozenset[type], bool]:
    """Python types a value of `info` may have unchecked, and whether no other type can do.

    A string with a pattern, say, must be checked; a float also reads from an int.
    """
    plain = {mi.StrType: str, mi.IntType: int, mi.BoolType: bool, mi.NoneType: type(None)}
    found: set[type] = set()
    exhaustive = True
    info = _unwrap(info)
    for member in info.types if isinstance(info, mi.UnionType) else (info,):
        member = _unwrap(member)
        if type(member) in plain and all(v is None for v in msgspec.structs.astuple(member)):
            found.add(plain[type(member)])
        else:
            exhaustive = False
    return frozenset(found), exhaustive


def set_aside_changed_types(value: Any, root: mi.Type, widened: Widened) -> None:
    """Widened fields whose values do not have the described type read as absent.

    Their values go to the object's `.extra`, under the field's JSON name.
    """
    whole = _unwrap(root)
    item: mi.Type | None = _unwrap(whole.item_type) if isinstance(whole, mi.ListType) else None
    for owner, fields in widened.fields.items():
        hints = {f.name: f.type for f in msgspec.structs.fields(owner)}
        if isinstance(item, mi.StructType) and item.cls is owner:
            objects: list[Any] = value  # the usual case: the items of a list, no walk needed
        else:
            objects = [o for o in _structs(value) if getattr(type(o), "_base", None) is owner]
        for name, f in fields.items():
            plain, exhaustive = _plain_types(f.type)
            plain |= {msgspec.UnsetType}
            # C-level loops (map, compress): this runs over every item of a 100k body.
            kept = map(plain.__contains__, map(type, map(attrgetter(name), objects)))
            odd = list(compress(objects, map(not_, kept)))
            # Set aside: `.extra` finds the value in the body (the field reads as absent).
            if exhaustive:
                deque(map(setattr, odd, repeat(name), repeat(msgspec.UNSET)), maxlen=0)
                continue
            for obj in odd:
                setattr(obj, name, _converted(getattr(obj, name), hints[name]))


def _converted(found: Any, declared: Any) -> Any:
    try:
        return msgspec.convert(found, declared, strict=True)
    except msgspec.ValidationError:
        return msgspec.UNSET
