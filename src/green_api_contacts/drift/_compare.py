"""Comparing recorded answers with the description, and what differs: the findings.

Each answer is walked along its described type. Observations are grouped by flavour, operation
and status, and within a group by the component (generated Struct) and field they concern, so a
field reached at several paths (``invokeStatus`` and ``correspondentsStatus``) is one finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from msgspec import inspect as mi

from ._describe import (
    Shape,
    StructShape,
    UnknownAnswerError,
    answer_type,
    deprecated_fields,
    describe,
    shape,
)
from ._infer import Inferred
from ._record import Recorded, RecordError

Kind = Literal[
    "undocumented_status",
    "type_change",
    "new_field",
    "new_enum_value",
    "missing_required",
    "never_seen",
]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)


@dataclass(frozen=True)
class Finding:
    """One thing the description does not know (or knows but never saw)."""

    kind: Kind
    flavour: str
    operation: str
    status: int
    component: str | None  # the component schema (= generated Struct) of the field; None: the body
    field: str | None  # the field's JSON name
    paths: tuple[str, ...]  # JSON paths inside the body ("" is the body itself)
    count: int  # values (or objects) that showed it
    observed: Inferred | None = None  # what arrived (new fields, type changes, statuses)
    documented: str = ""  # what the description allows (type changes, enums)
    values: tuple[str, ...] = ()  # new enum values, most frequent first


@dataclass(frozen=True)
class Group:
    flavour: str
    operation: str
    status: int
    answers: int


@dataclass(frozen=True)
class Report:
    groups: tuple[Group, ...]
    findings: tuple[Finding, ...]


@dataclass
class _Obs:
    paths: dict[str, None] = field(default_factory=dict)  # ordered set
    inferred: Inferred = field(default_factory=Inferred)
    documented: str = ""
    values: Counter[str] = field(default_factory=Counter)


@dataclass
class _Reach:
    """A component reached in a group: where, how often, and which documented fields arrived."""

    info: mi.StructType
    paths: dict[str, None] = field(default_factory=dict)
    count: int = 0
    seen: set[str] = field(default_factory=set)


def join(path: str, name: str) -> str:
    """``[]`` + ``id`` -> ``[].id``; ``products[]`` + ``id`` -> ``products[].id``."""
    return name if not path else f"{path}.{name}"


@dataclass
class _Walk:
    answers: int = 0
    obs: dict[tuple[Kind, str | None, str | None], _Obs] = field(default_factory=dict)
    reached: dict[str, _Reach] = field(default_factory=dict)

    def note(self, kind: Kind, owner: tuple[str | None, str | None], path: str) -> _Obs:
        obs = self.obs.setdefault((kind, *owner), _Obs())
        obs.paths[path] = None
        return obs

    def value(
        self, shape: Shape, value: Any, path: str, owner: tuple[str | None, str | None]
    ) -> None:
        kind = type(value)
        if kind in shape.literal_types:
            if value in shape.literals:
                return
            obs = self.note("new_enum_value", owner, path)
            obs.values[str(value)] += 1
            obs.documented = shape.known_values
            return
        if shape.accepts_any or kind in shape.exact:
            return
        if kind is dict and shape.struct is not None:
            self.struct(shape.struct, value, path)
        elif kind is list and shape.items is not None:
            items, item_path = shape.items, path + "[]"
            for item in value:
                self.value(items, item, item_path, owner)
        else:
            obs = self.note("type_change", owner, path)
            obs.inferred.add(value)
            obs.documented = describe(shape.info)

    def struct(self, shape: StructShape, value: dict[str, Any], path: str) -> None:
        component = shape.component
        reach = self.reached.get(component)
        if reach is None:
            reach = self.reached[component] = _Reach(shape.info)
        reach.paths[path] = None
        reach.count += 1
        reach.seen.update(value)
        fields = shape.fields
        for key, member in value.items():
            child = fields.get(key)
            if child is None:
                self.note("new_field", (component, key), join(path, key)).inferred.add(member)
                continue
            kind = type(member)
            if kind in child.exact and kind not in child.literal_types:
                continue  # the usual case: a primitive of a documented type
            self.value(child, member, join(path, key), (component, key))
        for name in shape.required:
            if name not in value:
                self.note("missing_required", (component, name), join(path, name)).values[""] += 1

    def findings(self, group: Group) -> list[Finding]:
        out = []
        for (kind, component, name), obs in self.obs.items():
            counted = sum(obs.values.values())
            out.append(
                Finding(
                    kind,
                    group.flavour,
                    group.operation,
                    group.status,
                    component,
                    name,
                    tuple(obs.paths),
                    obs.inferred.count or counted,
                    obs.inferred if obs.inferred.count else None,
                    obs.documented,
                    tuple(v for v, _ in obs.values.most_common() if v),
                )
            )
        for component, reach in self.reached.items():
            deprecated = deprecated_fields(reach.info.cls)
            for f in reach.info.fields:
                if f.encode_name in reach.seen or f.encode_name in deprecated:
                    continue
                paths = tuple(join(p, f.encode_name) for p in reach.paths)
                out.append(
                    Finding(
                        "never_seen",
                        group.flavour,
                        group.operation,
                        group.status,
                        component,
                        f.encode_name,
                        paths,
                        reach.count,
                        documented=describe(f.type),
                    )
                )
        out.sort(key=lambda f: (KINDS.index(f.kind), f.paths, f.component or ""))
        return out


def compare(recordings: Sequence[Recorded]) -> Report:
    """Walk every recorded answer along its described type; raises :class:`RecordError` for an
    answer of a flavour or operation the description does not cover."""
    walks: dict[tuple[str, str, int], _Walk] = {}
    for recorded in recordings:
        answer = recorded.answer
        try:
            info = answer_type(answer.flavour, answer.operation, answer.status)
        except UnknownAnswerError as exc:
            raise RecordError(f"{recorded.source}: {exc}") from None
        walk = walks.setdefault((answer.flavour, answer.operation, answer.status), _Walk())
        walk.answers += 1
        if info is None:
            walk.note("undocumented_status", (None, None), "").inferred.add(answer.body)
        else:
            walk.value(shape(info), answer.body, "", (None, None))
    groups = []
    findings: list[Finding] = []
    for key in sorted(walks):
        group = Group(*key, answers=walks[key].answers)
        groups.append(group)
        findings.extend(walks[key].findings(group))
    return Report(tuple(groups), tuple(findings))
