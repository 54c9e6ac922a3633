"""Detectors for one pair of schemas (old, new) as used in a request or a response.

Each function looks at one aspect of the pair and yields ``Change``s naming rules of the table
in ``tools.breaking.rules``; it neither decides a level nor descends into subschemas (the walk in
``_walk_schema`` does that).
"""

from __future__ import annotations

from collections.abc import Iterator

from tools.breaking import _facts as f
from tools.breaking._model import Change, Ctx, Node, Resolver, Side


def detect_false_schema(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """``false`` (no value at all) on one side only."""
    if old.value is not False and new.value is False:
        yield Change(
            "schema-disallowed", "new", new.pointer, "the schema became false: no value is allowed"
        )
    elif old.value is False and new.value is not False:
        yield Change(
            "schema-allowed", "new", new.pointer, "the schema was false and now allows values"
        )


def detect_nullability(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """Null allowed before and not now, or the other way round."""
    before, after = f.null_state(w, "old", old), f.null_state(w, "new", new)
    if before is True and after is False:
        message = f"null is no longer allowed in the {ctx.direction}"
        yield Change(f"{ctx.direction}-nullable-removed", "new", new.pointer, message)
    elif before is False and after is True:
        message = f"null is now allowed in the {ctx.direction}"
        yield Change(f"{ctx.direction}-nullable-added", "new", new.pointer, message)


def _paired(
    prefix: str, olds: list[tuple[str, Node]], news: list[tuple[str, Node]]
) -> Iterator[Change]:
    new_keys, old_keys = {key for key, _ in news}, {key for key, _ in olds}
    for key, node in olds:
        if key not in new_keys:
            yield Change(f"{prefix}-removed", "old", node.pointer, f"branch {key} was removed")
    for key, node in news:
        if key not in old_keys:
            yield Change(f"{prefix}-added", "new", node.pointer, f"new branch {key}")


def union_pairs(
    w: Resolver, old: Node, new: Node
) -> tuple[list[tuple[str, Node]], list[tuple[str, Node]]] | None:
    """Both sides' union branches (a plain schema is a one-branch union); None: no union."""
    olds, news = f.union_branches(w, "old", old), f.union_branches(w, "new", new)
    if olds is None and news is None:
        return None
    return (
        olds if olds is not None else [(f.branch_key(old), old)],
        news if news is not None else [(f.branch_key(new), new)],
    )


def detect_union_branches(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """anyOf/oneOf alternatives (null and open-enum branches aside) that came or went."""
    pairs = union_pairs(w, old, new)
    if pairs is not None and not (len(pairs[0]) == 1 and len(pairs[1]) == 1):
        yield from _paired("union-branch", *pairs)


def detect_all_of_branches(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """allOf parts that came (stricter) or went (wider)."""
    if isinstance(old.value.get("allOf"), list) or isinstance(new.value.get("allOf"), list):
        olds, news = f.all_of_branches(w, "old", old), f.all_of_branches(w, "new", new)
        yield from _paired("all-of-branch", olds, news)


def detect_type(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """``type`` narrowed, widened, or changed to something unrelated."""
    before, after = f.type_set(old.value), f.type_set(new.value)
    if before == after:
        return
    change = f"type {f.show_types(before)} -> {f.show_types(after)}"
    if after is not None and (before is None or f.covers(before, after)):
        yield Change("type-narrowed", "new", new.pointer, change)
    elif before is not None and (after is None or f.covers(after, before)):
        yield Change("type-widened", "new", new.pointer, change)
    else:
        yield Change("type-changed", "new", new.pointer, change)


def detect_enum(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """``enum``/``const``: introduced, dropped, or values removed and added."""
    before, after = f.enum_values(old.value), f.enum_values(new.value)
    if before is None and after is None:
        return
    if before is None:
        yield Change("enum-added", "new", new.pointer, f"values restricted to {after}")
        return
    if after is None:
        yield Change("enum-removed", "new", new.pointer, f"values no longer restricted to {before}")
        return
    old_keys, new_keys = {f.value_key(v) for v in before}, {f.value_key(v) for v in after}
    old_at = f.child(old.pointer, "enum" if "enum" in old.value else "const")
    for index, value in enumerate(before):
        if f.value_key(value) not in new_keys:
            message = f"value {value!r} (#{index}) is no longer allowed"
            yield Change("enum-value-removed", "old", old_at, message)
    rule = "response-enum-value-added" if ctx.direction == "response" else "enum-value-added"
    new_at = f.child(new.pointer, "enum" if "enum" in new.value else "const")
    for value in after:
        if f.value_key(value) not in old_keys:
            yield Change(rule, "new", new_at, f"new value {value!r} in a closed enum")


def detect_format_pattern_multiple_of(
    w: Resolver, ctx: Ctx, old: Node, new: Node
) -> Iterator[Change]:
    """``format``, ``pattern`` and ``multipleOf``: added, removed or changed."""
    for keyword in ("format", "pattern", "multipleOf"):
        before, after = old.value.get(keyword), new.value.get(keyword)
        if before == after:
            continue
        name, side = f.kebab(keyword), "new"
        at: Node = new
        if before is None:
            rule = f"{name}-added"
        elif after is None:
            rule, side, at = f"{name}-removed", "old", old
        else:
            rule = f"{name}-changed"
        message = f"{keyword} {before!r} -> {after!r}"
        yield Change(rule, "old" if side == "old" else "new", f.child(at.pointer, keyword), message)


def detect_unique_items(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """``uniqueItems: true`` added or dropped."""
    before, after = bool(old.value.get("uniqueItems")), bool(new.value.get("uniqueItems"))
    if after and not before:
        at = f.child(new.pointer, "uniqueItems")
        yield Change("unique-items-added", "new", at, "items must now be unique")
    elif before and not after:
        yield Change(
            "unique-items-removed", "new", new.pointer, "items no longer need to be unique"
        )


def detect_bounds(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """Numeric bounds (length, value, items, properties): added, removed, moved."""
    for keyword in (*f.LOWER_BOUNDS, *f.UPPER_BOUNDS):
        before, after = f.number(old.value.get(keyword)), f.number(new.value.get(keyword))
        if before == after:
            continue
        lower = keyword in f.LOWER_BOUNDS
        if before is None:
            tighter, suffix = True, "added"
        elif after is None:
            tighter, suffix = False, "removed"
        else:
            tighter = after > before if lower else after < before
            suffix = "increased" if after > before else "decreased"
        side: Side = "old" if after is None else "new"
        at = f.child(old.pointer if after is None else new.pointer, keyword)
        how = "tightened" if tighter else "loosened"
        yield Change(
            f"{f.kebab(keyword)}-{suffix}", side, at, f"{keyword} {before} -> {after} ({how})"
        )


def detect_properties(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """Named properties removed or added, and ``required`` changes, per direction."""
    d = ctx.direction
    old_props, old_req = f.properties(old.value)
    new_props, new_req = f.properties(new.value)
    names = list(dict.fromkeys([*old_props, *new_props, *sorted(old_req), *sorted(new_req)]))
    for name in names:
        new_at = f.child(new.pointer, "properties", name)
        if name not in new_props:
            new_at = f.child(new.pointer, "required")
        in_old, in_new = name in old_props or name in old_req, name in new_props or name in new_req
        if in_old and not in_new:
            where = ("properties", name) if name in old_props else ("required",)
            message = f"{d} property {name!r} was removed"
            yield Change(f"{d}-property-removed", "old", f.child(old.pointer, *where), message)
        elif in_new and not in_old:
            state = "required" if name in new_req else "optional"
            rule = f"{d}-property-added-required" if name in new_req else f"{d}-property-added"
            yield Change(rule, "new", new_at, f"new {state} {d} property {name!r}")
        elif name in new_req and name not in old_req:
            message = f"{d} property {name!r} became required"
            yield Change(f"{d}-property-became-required", "new", new_at, message)
        elif name in old_req and name not in new_req:
            message = f"{d} property {name!r} became optional"
            yield Change(f"{d}-property-became-optional", "new", new_at, message)


def detect_extra_properties(w: Resolver, ctx: Ctx, old: Node, new: Node) -> Iterator[Change]:
    """``additionalProperties``/``unevaluatedProperties`` switched to or from ``false``."""
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        before, after = old.value.get(keyword, True), new.value.get(keyword, True)
        name = f.kebab(keyword)
        if before is not False and after is False:
            message = f"{keyword}: false now rejects properties the description does not name"
            yield Change(f"{name}-disallowed", "new", f.child(new.pointer, keyword), message)
        elif before is False and after is not False:
            message = f"{keyword} no longer false: unnamed properties are accepted"
            yield Change(f"{name}-allowed", "new", new.pointer, message)
