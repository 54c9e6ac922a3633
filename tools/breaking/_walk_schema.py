"""The schema half of the walk: which subschemas to pair and descend into, and in what order.

Detection is the detectors' job (``_detect_schema``); this module only decides where to look:
``$ref`` followed, recursion cut where a pair is already being compared, union branches and
allOf parts paired by ``$ref`` target or type, properties by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tools.breaking import _detect_schema as sch
from tools.breaking import _facts as f
from tools.breaking._model import Ctx, Node

if TYPE_CHECKING:
    from tools.breaking._walk import Walker

_SCHEMA_DETECTORS = (
    sch.detect_enum,
    sch.detect_format_pattern_multiple_of,
    sch.detect_unique_items,
    sch.detect_bounds,
    sch.detect_properties,
    sch.detect_extra_properties,
)


def schema_pair(w: Walker, ctx: Ctx, old: Node, new: Node, key: str) -> None:
    """Compare ``old.value[key]`` with ``new.value[key]``; a missing schema allows anything."""
    if key in old.value or key in new.value:
        schema(
            w,
            ctx,
            (old.value.get(key, True), f.child(old.pointer, key)),
            (new.value.get(key, True), f.child(new.pointer, key)),
        )


def schema(
    w: Walker, ctx: Ctx, old: tuple[Any, str], new: tuple[Any, str], *, check_null: bool = True
) -> None:
    """Compare two raw schemas (value, pointer) as used in ``ctx.direction``."""
    _nodes(w, ctx, w.resolve("old", *old), w.resolve("new", *new), check_null=check_null)


def _nodes(w: Walker, ctx: Ctx, old: Node, new: Node, *, check_null: bool) -> None:
    key = (ctx.direction, old.pointer, new.pointer, check_null)
    if key in w.active:  # a recursive schema: this pair is already being compared
        return
    w.active.add(key)
    try:
        _compare(w, ctx, old, new, check_null=check_null)
    finally:
        w.active.discard(key)


def _compare(w: Walker, ctx: Ctx, old: Node, new: Node, *, check_null: bool) -> None:
    if old.value is False or new.value is False:
        w.run(sch.detect_false_schema, ctx, old, new)
        return
    if not isinstance(old.value, Mapping):
        old = Node({}, old.pointer, old.ref)
    if not isinstance(new.value, Mapping):
        new = Node({}, new.pointer, new.ref)
    if check_null:
        w.run(sch.detect_nullability, ctx, old, new)
    pairs = sch.union_pairs(w, old, new)
    if pairs is None:
        _plain(w, ctx, old, new)
    elif len(pairs[0]) == 1 and len(pairs[1]) == 1:
        _nodes(w, ctx, pairs[0][0][1], pairs[1][0][1], check_null=False)
    else:
        w.run(sch.detect_union_branches, ctx, old, new)
        _matched(w, ctx, *pairs)


def _matched(
    w: Walker, ctx: Ctx, olds: list[tuple[str, Node]], news: list[tuple[str, Node]]
) -> None:
    by_key = dict(news)
    for key, old in olds:
        if key in by_key:
            _nodes(w, ctx, old, by_key[key], check_null=False)


def _plain(w: Walker, ctx: Ctx, old: Node, new: Node) -> None:
    """Two schemas that are not unions: keyword detectors, then every subschema pair."""
    o, n = old.value, new.value
    w.run(sch.detect_type, ctx, old, new)
    if f.types_conflict(o, n):
        return
    for detector in _SCHEMA_DETECTORS:
        w.run(detector, ctx, old, new)
    (old_props, _), (new_props, _) = f.properties(o), f.properties(n)
    for name in old_props:
        if name in new_props:
            at = ("properties", name)
            schema(
                w,
                ctx,
                (old_props[name], f.child(old.pointer, *at)),
                (new_props[name], f.child(new.pointer, *at)),
            )
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        before, after = o.get(keyword, True), n.get(keyword, True)
        either_schema = isinstance(before, Mapping) or isinstance(after, Mapping)
        if before is not False and after is not False and either_schema:
            schema_pair(w, ctx, old, new, keyword)
    for keyword in ("items", "additionalItems", "unevaluatedItems"):
        schema_pair(w, ctx, old, new, keyword)
    old_prefix, new_prefix = o.get("prefixItems"), n.get("prefixItems")
    if isinstance(old_prefix, list) and isinstance(new_prefix, list):
        for i in range(min(len(old_prefix), len(new_prefix))):
            item = ("prefixItems", i)
            schema(
                w,
                ctx,
                (old_prefix[i], f.child(old.pointer, *item)),
                (new_prefix[i], f.child(new.pointer, *item)),
            )
    if isinstance(o.get("allOf"), list) or isinstance(n.get("allOf"), list):
        w.run(sch.detect_all_of_branches, ctx, old, new)
        _matched(w, ctx, f.all_of_branches(w, "old", old), f.all_of_branches(w, "new", new))
