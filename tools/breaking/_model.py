"""The vocabulary of the breaking-change checker: findings, changes, nodes and contexts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

Group = Literal["requests", "responses", "operations"]
Severity = Literal["breaking", "warning", "info"]
Side = Literal["old", "new"]
Direction = Literal["request", "response"]

GROUPS: tuple[Group, ...] = ("requests", "responses", "operations")
SEVERITY_ORDER: dict[Severity, int] = {"breaking": 0, "warning": 1, "info": 2}


class BreakingError(Exception):
    """A usage error: bad git ref, unreadable document, unresolvable ``$ref``. Exit code 2."""


@dataclass
class Finding:
    """One change: its rule, how bad it is, and where (a pointer into the old or new document)."""

    rule: str
    severity: Severity
    group: Group
    document: Side
    pointer: str
    message: str
    used_by: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "group": self.group,
            "document": self.document,
            "pointer": self.pointer,
            "message": self.message,
            "used_by": list(self.used_by),
        }


class Change(NamedTuple):
    """What a detector reports: the rule id, which document the pointer is in, and a message.

    The level is not the detector's to decide: it comes from the rule table.
    """

    rule: str
    side: Side
    pointer: str
    message: str


@dataclass(frozen=True)
class Node:
    """A schema (or other object) after following ``$ref``, with where it lives."""

    value: Any
    pointer: str
    ref: str | None = None


@dataclass(frozen=True)
class Ctx:
    """How a node is used: request or response (None: the operation itself), and by what."""

    direction: Direction | None
    where: str

    @property
    def group(self) -> Group:
        """The report group a finding under this context lands in."""
        if self.direction == "request":
            return "requests"
        if self.direction == "response":
            return "responses"
        return "operations"


class Resolver(Protocol):
    """What detectors may ask of the walk: follow a ``$ref`` in one of the two documents."""

    def resolve(self, side: Side, value: Any, pointer: str) -> Node:
        """``value`` with its local ``$ref`` chain followed, and the pointer it lives at."""
        ...


Detector = Callable[..., Iterator[Change]]
"""``detector(resolver, ctx, old, new)``: the changes one kind of node pair shows."""
