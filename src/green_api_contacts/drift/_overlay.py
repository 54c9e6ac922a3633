"""The findings as an OpenAPI Overlay 1.1 document against openapi.yaml, for a maintainer to review
and apply with ``python -m tools.overlay``.

What goes in (each action's ``description`` says which finding it comes from):

* a new field: the property, with its inferred schema and ``x-source: drift report``;
* new enum values: appended to the ``enum`` that holds the known ones, found by its values (the
  Structs do not name the component that holds an enum; in openapi.yaml it may sit behind a
  ``$ref``, as ``ContactType`` -> ``KnownContactType`` does). An enum shared by both flavours
  grows for both, which is what a shared enum means;
* a type change: the property becomes ``anyOf: [<documented schema>, <observed schema>]``. The
  documented schema is moved there by the overlay itself (``copy``), because the drift report only
  knows the Structs, not how openapi.yaml spells the property;
* a required field that was missing: dropped from ``required``.

What stays out: documented fields never seen (a handful of recordings cannot prove a field gone),
undocumented statuses and a body of another type (they need a response written by hand).
The file is JSON, which is also YAML, so it needs no YAML library at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from .._redact import redact
from ._compare import Finding, Report
from ._infer import Inferred

SOURCE: Final = "drift report"
_SCRATCH: Final = "x-drift-report"


def _schema(component: str) -> str:
    return f"$.components.schemas[{json.dumps(component)}]"


def _string(value: str) -> str:
    return json.dumps(value)


@dataclass
class _Merged:
    """Findings of one kind about one field, over every flavour, operation and status."""

    first: Finding
    component: str
    name: str
    observed: Inferred = field(default_factory=Inferred)
    values: dict[str, None] = field(default_factory=dict)
    where: list[str] = field(default_factory=list)


def _merge(report: Report) -> list[_Merged]:
    merged: dict[tuple[str, ...], _Merged] = {}
    for f in report.findings:
        if f.component is None or f.field is None:
            continue
        if f.kind == "new_enum_value":
            key: tuple[str, ...] = (f.kind, *sorted(f.documented.split(", ")))
        elif f.kind in ("new_field", "type_change", "missing_required"):
            key = (f.kind, f.component, f.field)
        else:
            continue
        entry = merged.setdefault(key, _Merged(f, f.component, f.field))
        if f.observed is not None:
            entry.observed.merge(f.observed)
        entry.values.update(dict.fromkeys(f.values))
        entry.where.append(f"{f.flavour} {f.operation} {f.status} at {', '.join(f.paths)}")
    return list(merged.values())


def _note(what: str, entry: _Merged) -> str:
    return f"{SOURCE}: {what}, seen in {'; '.join(entry.where)}"


def _new_field(entry: _Merged) -> list[dict[str, Any]]:
    f = entry
    prop = {**entry.observed.schema(), "x-source": SOURCE}
    return [
        {
            "target": _schema(f.component),
            "description": _note(f"new field {f.name} of {f.component}", entry),
            "update": {"properties": {f.name: prop}},
        }
    ]


def _new_enum(entry: _Merged) -> list[dict[str, Any]]:
    known = entry.first.documented.split(", ")
    tests = [f"length(@.enum) == {len(known)}"]
    tests += [f"@.enum[?@ == {_string(value)}]" for value in known]
    return [
        {
            "target": f"$.components.schemas..[?{' && '.join(tests)}].enum",
            "description": _note(f"new enum values next to {', '.join(known)}", entry),
            "update": [redact(value) for value in entry.values],
        }
    ]


def _type_change(entry: _Merged) -> list[dict[str, Any]]:
    f = entry
    schema = _schema(f.component)
    prop = f"{schema}.properties[{_string(f.name)}]"
    scratch = f"{schema}[{_string(_SCRATCH)}]"
    observed = {**entry.observed.schema(), "x-source": SOURCE}
    note = _note(f"{f.name} of {f.component} also arrives as {entry.observed.describe()}", entry)
    return [
        {"target": schema, "description": note, "update": {_SCRATCH: {f.name: {"anyOf": []}}}},
        {"target": f"{scratch}[{_string(f.name)}].anyOf", "copy": prop},
        {"target": f"{scratch}[{_string(f.name)}].anyOf", "update": [observed]},
        {"target": prop, "remove": True},
        {"target": f"{schema}.properties", "copy": scratch},
        {"target": scratch, "remove": True},
    ]


def _missing_required(entry: _Merged) -> list[dict[str, Any]]:
    f = entry
    return [
        {
            "target": f"{_schema(f.component)}.required[?@ == {_string(f.name)}]",
            "description": _note(f"required {f.name} of {f.component} was missing", entry),
            "remove": True,
        }
    ]


_BUILDERS: Final = {
    "new_field": _new_field,
    "new_enum_value": _new_enum,
    "type_change": _type_change,
    "missing_required": _missing_required,
}


def build_overlay(report: Report) -> dict[str, Any] | None:
    """The overlay document, or ``None`` when no finding can be written as an action."""
    actions = [action for entry in _merge(report) for action in _BUILDERS[entry.first.kind](entry)]
    if not actions:
        return None
    return {
        "overlay": "1.1.0",
        "info": {
            "title": "Drift report: what recorded answers show and openapi.yaml does not say",
            "version": "1.0.0",
            "description": (
                "Written by `green-api-contacts drift --overlay`. Review every action, then apply "
                "it with `python -m tools.overlay --overlay THIS --input openapi.yaml --output "
                "openapi.yaml` and run `make generate`."
            ),
        },
        "actions": actions,
    }


def render_overlay(overlay: dict[str, Any]) -> str:
    return redact(json.dumps(overlay, indent=2, ensure_ascii=False) + "\n")
