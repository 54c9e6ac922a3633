"""The rule table: every change the checker knows, with its id, level, description and detector.

Levels follow one principle (see ``tools.breaking``): a request change breaks callers when the
server accepts less; a response change breaks the generated, validating readers both when it
hands them something new (wider) and when they would reject what they accepted (stricter).
So a schema rule has a level per direction, written here as the effect it has:

- ``STRICTER`` / ``CHANGED``: fewer or different values; breaking in requests and responses.
- ``WIDER``: values readers never had to handle; info in requests, breaking in responses.
- ``LOOSER``: more values within what readers handle (bounds, patterns); info both ways.

``info`` (oasdiff: INFO) is a change no client notices. Adding a rule: add a row here and
yield its id from the row's detector; tests/unit/test_breaking_rules.py then demands a minimal
pair of documents that triggers it, and docs/breaking-rules.md must be regenerated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tools.breaking import _detect_ops as ops
from tools.breaking import _detect_schema as sch
from tools.breaking._facts import LOWER_BOUNDS, UPPER_BOUNDS, kebab
from tools.breaking._model import Detector, Group, Severity

Levels = Mapping[Group, Severity]

STRICTER: Levels = {"requests": "breaking", "responses": "breaking"}
CHANGED: Levels = STRICTER
WIDER: Levels = {"requests": "info", "responses": "breaking"}
LOOSER: Levels = {"requests": "info", "responses": "info"}


def _op(level: Severity) -> Levels:
    """A rule about the document or its operations."""
    return {"operations": level}


def _rq(level: Severity) -> Levels:
    """A rule about requests only."""
    return {"requests": level}


def _rs(level: Severity) -> Levels:
    """A rule about responses only."""
    return {"responses": level}


@dataclass(frozen=True)
class Rule:
    """One row: the id findings carry, its level in each group it applies to, and its detector."""

    id: str
    levels: Levels
    description: str
    detector: Detector

    def level_text(self) -> str:
        """``breaking``, or ``info in requests, breaking in responses`` when they differ."""
        if len(set(self.levels.values())) == 1:
            return next(iter(self.levels.values()))
        return ", ".join(f"{level} in {group}" for group, level in self.levels.items())

    def as_json(self) -> dict[str, Any]:
        """The row for ``--rules --format json``."""
        return {
            "id": self.id,
            "levels": dict(self.levels),
            "description": self.description,
            "detector": self.detector.__name__,
        }


def _rows(detector: Detector, *rows: tuple[str, Levels, str]) -> list[Rule]:
    """Rows that share a detector."""
    return [Rule(rule_id, levels, text, detector) for rule_id, levels, text in rows]


def _bounds() -> list[Rule]:
    rows: list[Rule] = []
    for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
        lower = keyword in LOWER_BOUNDS
        for suffix, levels in (
            ("added", STRICTER),
            ("removed", LOOSER),
            ("increased", STRICTER if lower else LOOSER),
            ("decreased", LOOSER if lower else STRICTER),
        ):
            text = f"{keyword} {suffix}" + (" (tightened)" if levels is STRICTER else " (loosened)")
            rows.append(Rule(f"{kebab(keyword)}-{suffix}", levels, text, sch.detect_bounds))
    return rows


def _keywords() -> list[Rule]:
    rows: list[Rule] = []
    for keyword, removed in (("format", WIDER), ("pattern", LOOSER), ("multipleOf", LOOSER)):
        name, d = kebab(keyword), sch.detect_format_pattern_multiple_of
        rows += [
            Rule(f"{name}-added", STRICTER, f"{keyword} added to a schema", d),
            Rule(f"{name}-removed", removed, f"{keyword} removed from a schema", d),
            Rule(f"{name}-changed", CHANGED, f"{keyword} changed to another value", d),
        ]
    return rows


def _extra_properties() -> list[Rule]:
    rows: list[Rule] = []
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        d = sch.detect_extra_properties
        rows += [
            Rule(f"{kebab(keyword)}-disallowed", STRICTER, f"{keyword} became false", d),
            Rule(f"{kebab(keyword)}-allowed", LOOSER, f"{keyword} is no longer false", d),
        ]
    return rows


RULES: tuple[Rule, ...] = (
    *_rows(
        ops.detect_document,
        ("document-removed", _op("breaking"), "a compared document is gone"),
    ),
    *_rows(
        ops.detect_server, ("server-removed", _op("warning"), "a server URL is no longer listed")
    ),
    *_rows(
        ops.detect_path,
        ("path-removed", _op("breaking"), "a path was removed"),
        ("path-added", _op("info"), "a path was added"),
    ),
    *_rows(
        ops.detect_operation,
        ("operation-removed", _op("breaking"), "an operation was removed"),
        ("operation-added", _op("info"), "an operation was added"),
        ("operation-id-changed", _op("breaking"), "operationId changed: generated names change"),
    ),
    *_rows(
        ops.detect_parameter,
        ("parameter-removed", _rq("breaking"), "a parameter was removed"),
        ("parameter-added-required", _rq("breaking"), "a required (or path) parameter was added"),
        ("parameter-added", _rq("info"), "an optional parameter was added"),
        ("parameter-became-required", _rq("breaking"), "a parameter became required"),
        ("parameter-became-optional", _rq("info"), "a parameter became optional"),
        ("parameter-style-changed", _rq("breaking"), "a parameter's style or explode changed"),
    ),
    *_rows(
        ops.detect_request_body,
        ("request-body-removed", _rq("breaking"), "the request body was removed"),
        ("request-body-added-required", _rq("breaking"), "a required request body was added"),
        ("request-body-added", _rq("info"), "an optional request body was added"),
        ("request-body-became-required", _rq("breaking"), "the request body became required"),
        ("request-body-became-optional", _rq("info"), "the request body became optional"),
    ),
    *_rows(
        ops.detect_response,
        ("response-status-removed", _rs("breaking"), "a documented status code was removed"),
        ("response-status-added", _rs("info"), "a documented status code was added"),
    ),
    *_rows(
        ops.detect_media_type,
        ("request-media-type-removed", _rq("breaking"), "a request media type was removed"),
        ("request-media-type-added", _rq("info"), "a request media type was added"),
        ("response-media-type-removed", _rs("breaking"), "a response media type was removed"),
        ("response-media-type-added", _rs("info"), "a response media type was added"),
    ),
    *_rows(
        sch.detect_properties,
        ("request-property-removed", _rq("breaking"), "a request property was removed"),
        ("request-property-added", _rq("info"), "an optional request property was added"),
        (
            "request-property-added-required",
            _rq("breaking"),
            "a required request property was added",
        ),
        ("request-property-became-required", _rq("breaking"), "a request property became required"),
        (
            "request-property-became-optional",
            _rq("info"),
            "a request property became optional",
        ),
        ("response-property-removed", _rs("breaking"), "a response property was removed"),
        ("response-property-added", _rs("info"), "an optional response property was added"),
        (
            "response-property-added-required",
            _rs("breaking"),
            "a required response property was added",
        ),
        (
            "response-property-became-required",
            _rs("breaking"),
            "a response property became required",
        ),
        (
            "response-property-became-optional",
            _rs("breaking"),
            "a response property became optional",
        ),
    ),
    *_rows(
        sch.detect_nullability,
        ("request-nullable-removed", _rq("breaking"), "null is no longer allowed in a request"),
        ("request-nullable-added", _rq("info"), "null is now allowed in a request"),
        ("response-nullable-removed", _rs("breaking"), "null is no longer allowed in a response"),
        ("response-nullable-added", _rs("breaking"), "null is now allowed in a response"),
    ),
    *_rows(
        sch.detect_type,
        ("type-narrowed", STRICTER, "type allows fewer types (number -> integer)"),
        ("type-widened", WIDER, "type allows more types (integer -> number)"),
        ("type-changed", CHANGED, "type changed to an unrelated one"),
    ),
    *_rows(
        sch.detect_enum,
        ("enum-added", STRICTER, "values restricted to an enum or const"),
        ("enum-removed", WIDER, "enum or const dropped: any value of the type"),
        ("enum-value-removed", STRICTER, "a value left an enum (or a const changed)"),
        ("enum-value-added", _rq("info"), "a value joined a request enum"),
        ("response-enum-value-added", _rs("breaking"), "a value joined a closed response enum"),
    ),
    *_keywords(),
    *_rows(
        sch.detect_unique_items,
        ("unique-items-added", STRICTER, "array items must now be unique"),
        ("unique-items-removed", LOOSER, "array items no longer need to be unique"),
    ),
    *_bounds(),
    *_extra_properties(),
    *_rows(
        sch.detect_union_branches,
        ("union-branch-removed", STRICTER, "an anyOf/oneOf branch was removed"),
        ("union-branch-added", WIDER, "an anyOf/oneOf branch was added"),
    ),
    *_rows(
        sch.detect_all_of_branches,
        ("all-of-branch-removed", WIDER, "an allOf part was removed"),
        ("all-of-branch-added", STRICTER, "an allOf part was added"),
    ),
    *_rows(
        sch.detect_false_schema,
        ("schema-disallowed", STRICTER, "a schema became false: no value is allowed"),
        ("schema-allowed", WIDER, "a false schema now allows values"),
    ),
)
"""Every rule, in the order ``--rules`` lists them."""

RULES_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}
if len(RULES_BY_ID) != len(RULES):  # pragma: no cover - caught by any test run
    raise RuntimeError("rule ids must be unique")


def rules_text() -> str:
    """The table for ``--rules``: one line per rule."""
    width = max(len(rule.id) for rule in RULES)
    level_width = max(len(rule.level_text()) for rule in RULES)
    lines = [f"{'id':<{width}}  {'level':<{level_width}}  description"]
    lines += [f"{r.id:<{width}}  {r.level_text():<{level_width}}  {r.description}" for r in RULES]
    return "\n".join(lines)


def rules_markdown() -> str:
    """The table for docs/breaking-rules.md."""
    lines = ["| id | level | description | detector |", "|---|---|---|---|"]
    lines += [
        f"| `{r.id}` | {r.level_text()} | {r.description} | `{r.detector.__name__}` |"
        for r in RULES
    ]
    return "\n".join(lines)
