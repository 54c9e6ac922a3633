"""What a schema allows, read off its keywords: the facts the schema detectors compare."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from tools._openapi import child_pointer
from tools.breaking._model import Node, Resolver, Side

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
ANNOTATIONS = frozenset(
    {"description", "title", "examples", "example", "deprecated", "$comment", "default"}
)
LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")

child = child_pointer


def kebab(keyword: str) -> str:
    """``maxLength`` -> ``max-length``: the rule-id spelling of a keyword."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", keyword).lower()


def value_key(value: Any) -> str:
    """A hashable identity for a JSON value that keeps 1, 1.0 and true apart."""
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True)}"


def type_set(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The non-null types a schema names, or None when it has no ``type``."""
    if "type" not in schema:
        return None
    raw = schema["type"]
    names = raw if isinstance(raw, list) else [raw]
    return frozenset(str(name) for name in names if name != "null")


def covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Whether every type in ``narrow`` is allowed by ``wide`` (integer is a number)."""
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def show_types(types: frozenset[str] | None) -> str:
    """Types for a message: ``integer|string``, ``any`` or ``null``."""
    return "any" if types is None else "|".join(sorted(types)) or "null"


def types_conflict(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Neither type set covers the other: the rest of the two schemas is not comparable."""
    before, after = type_set(old), type_set(new)
    if before == after or before is None or after is None:
        return False
    return not covers(before, after) and not covers(after, before)


def _matches_type(value: Any, type_name: str) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False


def enum_values(schema: Mapping[str, Any]) -> list[Any] | None:
    """Allowed values from ``enum``/``const`` without null (null is compared on its own)."""
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = list(schema["enum"])
    else:
        return None
    return [value for value in values if value is not None]


def is_null_schema(schema: Any) -> bool:
    """A schema that allows null and nothing else."""
    if not isinstance(schema, Mapping):
        return False
    if "type" in schema:
        return type_set(schema) == frozenset()
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    return isinstance(values, list) and bool(values) and all(v is None for v in values)


def bare_type(schema: Any) -> str | None:
    """``T`` when the schema is just ``type: T`` (plus annotations): any value of that type."""
    if not isinstance(schema, Mapping) or not isinstance(schema.get("type"), str):
        return None
    if schema["type"] == "null":
        return None
    if any(key not in ANNOTATIONS and key != "type" and not key.startswith("x-") for key in schema):
        return None
    return str(schema["type"])


def is_enum_within(schema: Any, types: set[str]) -> bool:
    """An enum/const-only schema whose values are all of one of ``types``."""
    if not isinstance(schema, Mapping):
        return False
    values = enum_values(schema)
    if not values:
        return False
    allowed = ANNOTATIONS | {"type", "enum", "const"}
    if any(key not in allowed and not key.startswith("x-") for key in schema):
        return False
    own = type_set(schema)
    if own is not None and not own <= types:
        return False
    return all(any(_matches_type(v, t) for t in types) for v in values)


def number(value: Any) -> float | None:
    """A numeric bound; booleans (OpenAPI 3.0's exclusiveMinimum) and junk are no bound."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def style(parameter: Mapping[str, Any]) -> tuple[str, bool]:
    """A parameter's serialisation (style, explode), defaults filled in."""
    default = "form" if parameter.get("in") in ("query", "cookie") else "simple"
    name = str(parameter.get("style", default))
    return name, bool(parameter.get("explode", name == "form"))


def branch_key(node: Node) -> str:
    """How union and allOf branches are paired: by ``$ref`` target, else by type."""
    if node.ref is not None:
        return node.ref
    types = type_set(node.value) if isinstance(node.value, Mapping) else None
    return f"type {show_types(types)}"


def keyed(nodes: list[Node]) -> list[tuple[str, Node]]:
    """Branches with their pairing keys; repeated keys are numbered (``type string #2``)."""
    counts: dict[str, int] = {}
    result: list[tuple[str, Node]] = []
    for node in nodes:
        key = branch_key(node)
        counts[key] = counts.get(key, 0) + 1
        result.append((key if counts[key] == 1 else f"{key} #{counts[key]}", node))
    return result


def union_branches(w: Resolver, side: Side, node: Node) -> list[tuple[str, Node]] | None:
    """Non-null alternatives of an anyOf/oneOf, open enums folded; None when not a union."""
    keyword = next((k for k in ("anyOf", "oneOf") if k in node.value), None)
    if keyword is None or not isinstance(node.value[keyword], list):
        return None
    branches = [
        w.resolve(side, raw, child(node.pointer, keyword, index))
        for index, raw in enumerate(node.value[keyword])
    ]
    branches = [b for b in branches if not is_null_schema(b.value)]
    bare = {t for b in branches if (t := bare_type(b.value)) is not None}
    if bare:  # `anyOf: [{enum: [a, b]}, {type: string}]` is any string: the enum adds nothing
        branches = [b for b in branches if not is_enum_within(b.value, bare)]
    return keyed(branches)


def all_of_branches(w: Resolver, side: Side, node: Node) -> list[tuple[str, Node]]:
    """The ``allOf`` parts of a schema, keyed for pairing."""
    raw = node.value.get("allOf")
    parts = raw if isinstance(raw, list) else []
    return keyed([w.resolve(side, b, child(node.pointer, "allOf", i)) for i, b in enumerate(parts)])


def null_state(w: Resolver, side: Side, node: Node) -> bool | None:
    """Whether null is allowed; None when the schema does not say (no type, enum or union)."""
    schema = node.value
    if not isinstance(schema, Mapping):
        return None
    if "type" in schema:
        raw = schema["type"]
        return "null" in (raw if isinstance(raw, list) else [raw])
    if "const" in schema:
        return bool(schema["const"] is None)
    if isinstance(schema.get("enum"), list):
        return None in schema["enum"]
    keyword = next((k for k in ("anyOf", "oneOf") if k in schema), None)
    if keyword is None or not isinstance(schema[keyword], list):
        return None
    states = [
        null_state(w, side, w.resolve(side, raw, child(node.pointer, keyword, i)))
        for i, raw in enumerate(schema[keyword])
    ]
    if any(state is True for state in states):
        return True
    return False if all(state is False for state in states) else None


def properties(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], set[str]]:
    """A schema's named properties and its required names."""
    props = schema.get("properties")
    required = schema.get("required")
    return (
        props if isinstance(props, Mapping) else {},
        set(required) if isinstance(required, list) else set(),
    )
