"""Inferring a JSON Schema from the values seen in recorded answers.

Why hand-written: genson (the usual library) would be a new runtime dependency for about forty
lines, and its output (``anyOf`` of whole schemas, ``required`` lists built from a sample) says
more than a handful of recordings can support. Here a value adds its JSON type; objects merge
their members and arrays their items, so many observations fold into one small schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The order types are listed in, in schemas and in text.
_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")


def json_type(value: Any) -> str:
    """The JSON Schema type name of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass
class Inferred:
    """What a set of observed values has in common: their types, members and items."""

    types: set[str] = field(default_factory=set)
    properties: dict[str, Inferred] = field(default_factory=dict)
    items: Inferred | None = None
    count: int = 0

    def add(self, value: Any) -> None:
        """Fold one more observed value in."""
        self.count += 1
        self.types.add(json_type(value))
        if isinstance(value, dict):
            for key, member in value.items():
                self.properties.setdefault(str(key), Inferred()).add(member)
        elif isinstance(value, list):
            for item in value:
                if self.items is None:
                    self.items = Inferred()
                self.items.add(item)

    def merge(self, other: Inferred) -> None:
        """Fold in what another set of observations found."""
        self.count += other.count
        self.types |= other.types
        for name, member in other.properties.items():
            self.properties.setdefault(name, Inferred()).merge(member)
        if other.items is not None:
            if self.items is None:
                self.items = Inferred()
            self.items.merge(other.items)

    def _ordered(self) -> list[str]:
        return [name for name in _ORDER if name in self.types]

    def schema(self) -> dict[str, Any]:
        """A JSON Schema (OpenAPI 3.1) that every observed value satisfies."""
        types = self._ordered()
        out: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if self.properties:
            out["properties"] = {name: p.schema() for name, p in self.properties.items()}
        if self.items is not None:
            out["items"] = self.items.schema()
        return out

    def describe(self) -> str:
        """A short text such as ``string | null`` or ``array of object {id: string}``."""
        parts = []
        for name in self._ordered():
            if name == "object" and self.properties:
                members = ", ".join(f"{k}: {v.describe()}" for k, v in self.properties.items())
                parts.append(f"object {{{members}}}")
            elif name == "array" and self.items is not None:
                parts.append(f"array of {self.items.describe()}")
            else:
                parts.append(name)
        return " | ".join(parts)


def infer(values: list[Any]) -> Inferred:
    """The schema of ``values`` taken together."""
    result = Inferred()
    for value in values:
        result.add(value)
    return result
