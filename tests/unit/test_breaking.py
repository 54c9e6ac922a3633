"""tools.breaking: every rule on a minimal before/after pair, directions, $ref, exit codes, git."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tools.breaking import (
    DOCUMENTS,
    BreakingError,
    Finding,
    compare_documents,
    compare_files,
    compare_with_base,
    main,
)
from tools.overlay import dump_yaml, load_document

REPO = Path(__file__).resolve().parents[2]
OP = "#/paths/~1things/post"
REQ = f"{OP}/requestBody/content/application~1json/schema"
RESP = f"{OP}/responses/200/content/application~1json/schema"
STRING: dict[str, Any] = {"type": "string"}


def make_doc(
    *,
    request: Any = None,
    response: Any = None,
    parameters: list[Any] | None = None,
    schemas: dict[str, Any] | None = None,
    version: str = "1.0.0",
) -> dict[str, Any]:
    """A minimal OpenAPI 3.1 document: POST /things with one JSON request and one 200 answer."""
    op: dict[str, Any] = {
        "operationId": "createThing",
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": response or {"type": "object"}}},
            }
        },
    }
    if request is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    if parameters is not None:
        op["parameters"] = parameters
    doc: dict[str, Any] = {
        "openapi": "3.1.1",
        "info": {"title": "t", "version": version},
        "servers": [{"url": "https://api.example.invalid"}],
        "paths": {"/things": {"post": op}},
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return copy.deepcopy(doc)


def obj(properties: dict[str, Any], required: list[str] | None = None, **more: Any) -> Any:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **more}
    if required is not None:
        schema["required"] = required
    return schema


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, f"expected one {rule}, got {[(f.rule, f.pointer) for f in findings]}"
    return matching[0]


def breaking(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.group) for f in findings if f.severity == "breaking"]


# --------------------------------------------------------------------------- schema rules

# (id, direction, old schema, new schema, rule, severity, document, pointer below the schema)
SCHEMA_RULES: list[tuple[str, str, Any, Any, str, str, str, str]] = [
    # requests: stricter breaks callers
    (
        "request-property-became-required",
        "request",
        obj({"a": STRING}),
        obj({"a": STRING}, ["a"]),
        "request-property-became-required",
        "breaking",
        "new",
        "/properties/a",
    ),
    (
        "request-property-added-required",
        "request",
        obj({"a": STRING}),
        obj({"a": STRING, "b": STRING}, ["b"]),
        "request-property-added-required",
        "breaking",
        "new",
        "/properties/b",
    ),
    (
        "request-property-removed",
        "request",
        obj({"a": STRING, "b": STRING}),
        obj({"a": STRING}),
        "request-property-removed",
        "breaking",
        "old",
        "/properties/b",
    ),
    (
        "request-nullable-removed",
        "request",
        {"type": ["string", "null"]},
        STRING,
        "request-nullable-removed",
        "breaking",
        "new",
        "",
    ),
    (
        "request-type-narrowed",
        "request",
        {"type": ["string", "integer"]},
        STRING,
        "type-narrowed",
        "breaking",
        "new",
        "",
    ),
    (
        "request-type-changed",
        "request",
        STRING,
        {"type": "integer"},
        "type-changed",
        "breaking",
        "new",
        "",
    ),
    (
        "request-enum-value-removed",
        "request",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a"]},
        "enum-value-removed",
        "breaking",
        "old",
        "/enum",
    ),
    (
        "request-const-changed",
        "request",
        {"const": "a"},
        {"const": "b"},
        "enum-value-removed",
        "breaking",
        "old",
        "/const",
    ),
    (
        "request-enum-added",
        "request",
        STRING,
        {"type": "string", "enum": ["a"]},
        "enum-added",
        "breaking",
        "new",
        "",
    ),
    (
        "request-pattern-added",
        "request",
        STRING,
        {"type": "string", "pattern": "^a$"},
        "pattern-added",
        "breaking",
        "new",
        "/pattern",
    ),
    (
        "request-pattern-changed",
        "request",
        {"type": "string", "pattern": "^a$"},
        {"type": "string", "pattern": "^b$"},
        "pattern-changed",
        "breaking",
        "new",
        "/pattern",
    ),
    (
        "request-min-length-increased",
        "request",
        {"type": "string", "minLength": 1},
        {"type": "string", "minLength": 2},
        "min-length-increased",
        "breaking",
        "new",
        "/minLength",
    ),
    (
        "request-max-length-decreased",
        "request",
        {"type": "string", "maxLength": 10},
        {"type": "string", "maxLength": 9},
        "max-length-decreased",
        "breaking",
        "new",
        "/maxLength",
    ),
    (
        "request-max-length-added",
        "request",
        STRING,
        {"type": "string", "maxLength": 9},
        "max-length-added",
        "breaking",
        "new",
        "/maxLength",
    ),
    (
        "request-minimum-increased",
        "request",
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 5},
        "minimum-increased",
        "breaking",
        "new",
        "/minimum",
    ),
    (
        "request-maximum-decreased",
        "request",
        {"type": "integer", "maximum": 10},
        {"type": "integer", "maximum": 5},
        "maximum-decreased",
        "breaking",
        "new",
        "/maximum",
    ),
    (
        "request-exclusive-minimum-increased",
        "request",
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "number", "exclusiveMinimum": 1},
        "exclusive-minimum-increased",
        "breaking",
        "new",
        "/exclusiveMinimum",
    ),
    (
        "request-min-items-increased",
        "request",
        {"type": "array", "items": STRING, "minItems": 0},
        {"type": "array", "items": STRING, "minItems": 1},
        "min-items-increased",
        "breaking",
        "new",
        "/minItems",
    ),
    (
        "request-max-items-decreased",
        "request",
        {"type": "array", "items": STRING, "maxItems": 10},
        {"type": "array", "items": STRING, "maxItems": 3},
        "max-items-decreased",
        "breaking",
        "new",
        "/maxItems",
    ),
    (
        "request-max-properties-decreased",
        "request",
        {"type": "object", "maxProperties": 3},
        {"type": "object", "maxProperties": 2},
        "max-properties-decreased",
        "breaking",
        "new",
        "/maxProperties",
    ),
    (
        "request-unique-items-added",
        "request",
        {"type": "array", "items": STRING},
        {"type": "array", "items": STRING, "uniqueItems": True},
        "unique-items-added",
        "breaking",
        "new",
        "/uniqueItems",
    ),
    (
        "request-multiple-of-changed",
        "request",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
        "multiple-of-changed",
        "breaking",
        "new",
        "/multipleOf",
    ),
    (
        "request-format-added",
        "request",
        STRING,
        {"type": "string", "format": "email"},
        "format-added",
        "breaking",
        "new",
        "/format",
    ),
    (
        "request-format-changed",
        "request",
        {"type": "integer", "format": "int64"},
        {"type": "integer", "format": "int32"},
        "format-changed",
        "breaking",
        "new",
        "/format",
    ),
    (
        "request-additional-properties-disallowed",
        "request",
        obj({"a": STRING}),
        obj({"a": STRING}, additionalProperties=False),
        "additional-properties-disallowed",
        "breaking",
        "new",
        "/additionalProperties",
    ),
    (
        "request-additional-properties-schema-narrowed",
        "request",
        obj({}, additionalProperties=True),
        obj({}, additionalProperties=STRING),
        "type-narrowed",
        "breaking",
        "new",
        "/additionalProperties",
    ),
    (
        "request-union-branch-removed",
        "request",
        {"anyOf": [STRING, {"type": "integer"}, {"type": "boolean"}]},
        {"anyOf": [STRING, {"type": "integer"}]},
        "union-branch-removed",
        "breaking",
        "old",
        "/anyOf/2",
    ),
    (
        "request-all-of-branch-added",
        "request",
        {"allOf": [obj({"a": STRING})]},
        {"allOf": [obj({"a": STRING}), obj({"b": STRING}, ["b"])]},
        "all-of-branch-added",
        "breaking",
        "new",
        "/allOf/1",
    ),
    (
        "request-schema-disallowed",
        "request",
        {"type": "array", "items": True},
        {"type": "array", "items": False},
        "schema-disallowed",
        "breaking",
        "new",
        "/items",
    ),
    (
        "request-items-type-changed",
        "request",
        {"type": "array", "items": STRING},
        {"type": "array", "items": {"type": "integer"}},
        "type-changed",
        "breaking",
        "new",
        "/items",
    ),
    # requests: looser is compatible
    (
        "request-property-added",
        "request",
        obj({"a": STRING}),
        obj({"a": STRING, "b": STRING}),
        "request-property-added",
        "compatible",
        "new",
        "/properties/b",
    ),
    (
        "request-property-became-optional",
        "request",
        obj({"a": STRING}, ["a"]),
        obj({"a": STRING}),
        "request-property-became-optional",
        "compatible",
        "new",
        "/properties/a",
    ),
    (
        "request-nullable-added",
        "request",
        STRING,
        {"type": ["string", "null"]},
        "request-nullable-added",
        "compatible",
        "new",
        "",
    ),
    (
        "request-type-widened",
        "request",
        {"type": "integer"},
        {"type": "number"},
        "type-widened",
        "compatible",
        "new",
        "",
    ),
    (
        "request-enum-value-added",
        "request",
        {"type": "string", "enum": ["a"]},
        {"type": "string", "enum": ["a", "b"]},
        "enum-value-added",
        "compatible",
        "new",
        "/enum",
    ),
    (
        "request-enum-removed",
        "request",
        {"type": "string", "enum": ["a"]},
        STRING,
        "enum-removed",
        "compatible",
        "new",
        "",
    ),
    (
        "request-pattern-removed",
        "request",
        {"type": "string", "pattern": "^a$"},
        STRING,
        "pattern-removed",
        "compatible",
        "old",
        "/pattern",
    ),
    (
        "request-max-length-increased",
        "request",
        {"type": "string", "maxLength": 5},
        {"type": "string", "maxLength": 6},
        "max-length-increased",
        "compatible",
        "new",
        "/maxLength",
    ),
    (
        "request-minimum-removed",
        "request",
        {"type": "integer", "minimum": 1},
        {"type": "integer"},
        "minimum-removed",
        "compatible",
        "old",
        "/minimum",
    ),
    (
        "request-additional-properties-allowed",
        "request",
        obj({"a": STRING}, additionalProperties=False),
        obj({"a": STRING}),
        "additional-properties-allowed",
        "compatible",
        "new",
        "",
    ),
    (
        "request-union-branch-added",
        "request",
        {"anyOf": [STRING, {"type": "integer"}]},
        {"anyOf": [STRING, {"type": "integer"}, {"type": "boolean"}]},
        "union-branch-added",
        "compatible",
        "new",
        "/anyOf/2",
    ),
    (
        "request-format-removed",
        "request",
        {"type": "string", "format": "email"},
        STRING,
        "format-removed",
        "compatible",
        "old",
        "/format",
    ),
    # responses: what readers relied on is gone or wider -> breaking
    (
        "response-property-removed",
        "response",
        obj({"a": STRING, "b": STRING}),
        obj({"a": STRING}),
        "response-property-removed",
        "breaking",
        "old",
        "/properties/b",
    ),
    (
        "response-property-became-optional",
        "response",
        obj({"a": STRING}, ["a"]),
        obj({"a": STRING}),
        "response-property-became-optional",
        "breaking",
        "new",
        "/properties/a",
    ),
    (
        "response-nullable-added",
        "response",
        STRING,
        {"type": ["string", "null"]},
        "response-nullable-added",
        "breaking",
        "new",
        "",
    ),
    (
        "response-enum-value-added",
        "response",
        {"type": "string", "enum": ["a"]},
        {"type": "string", "enum": ["a", "b"]},
        "response-enum-value-added",
        "breaking",
        "new",
        "/enum",
    ),
    (
        "response-enum-removed",
        "response",
        {"type": "string", "enum": ["a"]},
        STRING,
        "enum-removed",
        "breaking",
        "new",
        "",
    ),
    (
        "response-type-widened",
        "response",
        {"type": "integer"},
        {"type": ["integer", "string"]},
        "type-widened",
        "breaking",
        "new",
        "",
    ),
    (
        "response-union-branch-added",
        "response",
        {"anyOf": [STRING, {"type": "integer"}]},
        {"anyOf": [STRING, {"type": "integer"}, {"type": "boolean"}]},
        "union-branch-added",
        "breaking",
        "new",
        "/anyOf/2",
    ),
    (
        "response-format-removed",
        "response",
        {"type": "string", "format": "date-time"},
        STRING,
        "format-removed",
        "breaking",
        "old",
        "/format",
    ),
    (
        "response-all-of-branch-removed",
        "response",
        {"allOf": [obj({"a": STRING}), obj({"b": STRING})]},
        {"allOf": [obj({"a": STRING})]},
        "all-of-branch-removed",
        "breaking",
        "old",
        "/allOf/1",
    ),
    (
        "response-schema-allowed",
        "response",
        {"type": "array", "items": False},
        {"type": "array", "items": True},
        "schema-allowed",
        "breaking",
        "new",
        "/items",
    ),
    # responses: the decoder now rejects what it accepted -> breaking
    (
        "response-nullable-removed",
        "response",
        {"type": ["string", "null"]},
        STRING,
        "response-nullable-removed",
        "breaking",
        "new",
        "",
    ),
    (
        "response-property-became-required",
        "response",
        obj({"a": STRING}),
        obj({"a": STRING}, ["a"]),
        "response-property-became-required",
        "breaking",
        "new",
        "/properties/a",
    ),
    (
        "response-property-added-required",
        "response",
        obj({"a": STRING}),
        obj({"a": STRING, "b": STRING}, ["b"]),
        "response-property-added-required",
        "breaking",
        "new",
        "/properties/b",
    ),
    (
        "response-type-narrowed",
        "response",
        {"type": "number"},
        {"type": "integer"},
        "type-narrowed",
        "breaking",
        "new",
        "",
    ),
    (
        "response-type-changed",
        "response",
        STRING,
        {"type": "boolean"},
        "type-changed",
        "breaking",
        "new",
        "",
    ),
    (
        "response-enum-value-removed",
        "response",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a"]},
        "enum-value-removed",
        "breaking",
        "old",
        "/enum",
    ),
    (
        "response-pattern-added",
        "response",
        STRING,
        {"type": "string", "pattern": "^a$"},
        "pattern-added",
        "breaking",
        "new",
        "/pattern",
    ),
    (
        "response-max-length-decreased",
        "response",
        {"type": "string", "maxLength": 10},
        {"type": "string", "maxLength": 9},
        "max-length-decreased",
        "breaking",
        "new",
        "/maxLength",
    ),
    (
        "response-additional-properties-disallowed",
        "response",
        obj({"a": STRING}, additionalProperties=True),
        obj({"a": STRING}, additionalProperties=False),
        "additional-properties-disallowed",
        "breaking",
        "new",
        "/additionalProperties",
    ),
    (
        "response-union-branch-removed",
        "response",
        {"anyOf": [STRING, {"type": "integer"}]},
        STRING,
        "union-branch-removed",
        "breaking",
        "old",
        "/anyOf/1",
    ),
    # responses: compatible
    (
        "response-property-added",
        "response",
        obj({"a": STRING}),
        obj({"a": STRING, "b": STRING}),
        "response-property-added",
        "compatible",
        "new",
        "/properties/b",
    ),
    (
        "response-max-length-increased",
        "response",
        {"type": "string", "maxLength": 5},
        {"type": "string", "maxLength": 6},
        "max-length-increased",
        "compatible",
        "new",
        "/maxLength",
    ),
    (
        "response-pattern-removed",
        "response",
        {"type": "string", "pattern": "^a$"},
        STRING,
        "pattern-removed",
        "compatible",
        "old",
        "/pattern",
    ),
    (
        "response-additional-properties-allowed",
        "response",
        obj({"a": STRING}, additionalProperties=False),
        obj({"a": STRING}, additionalProperties=True),
        "additional-properties-allowed",
        "compatible",
        "new",
        "",
    ),
]


@pytest.mark.parametrize(
    ("direction", "old", "new", "rule", "severity", "document", "below"),
    [pytest.param(*case[1:], id=case[0]) for case in SCHEMA_RULES],
)
def test_schema_rule(
    direction: str, old: Any, new: Any, rule: str, severity: str, document: str, below: str
) -> None:
    if direction == "request":
        before, after, at = make_doc(request=old), make_doc(request=new), REQ
    else:
        before, after, at = make_doc(response=old), make_doc(response=new), RESP
    finding = only(compare_documents(before, after), rule)
    assert finding.severity == severity
    assert finding.group == f"{direction}s"
    assert finding.document == document
    assert finding.pointer == at + below
    assert finding.message
    assert finding.used_by


def test_unchanged_document_has_no_findings_at_all() -> None:
    doc = make_doc(request=obj({"a": STRING}, ["a"]), response=obj({"b": STRING}))
    assert compare_documents(doc, copy.deepcopy(doc)) == []


def test_descriptions_and_examples_are_not_findings() -> None:
    old = make_doc(response=obj({"a": STRING}))
    new = make_doc(response=obj({"a": {"type": "string", "description": "x", "examples": ["y"]}}))
    new["paths"]["/things"]["post"]["description"] = "changed"
    new["info"]["description"] = "changed"
    assert compare_documents(old, new) == []


# --------------------------------------------------------------------------- direction


def test_required_field_added_breaks_a_request_but_an_optional_one_not_a_response() -> None:
    old = make_doc(request=obj({"a": STRING}), response=obj({"a": STRING}))
    new = make_doc(
        request=obj({"a": STRING, "b": STRING}, ["b"]), response=obj({"a": STRING, "b": STRING})
    )
    assert breaking(compare_documents(old, new)) == [
        ("request-property-added-required", "requests")
    ]


def test_loosened_request_constraints_are_compatible() -> None:
    strict = {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^a+$", "enum": ["aa"]}
    old = make_doc(request=obj({"a": strict}, ["a"], additionalProperties=False))
    new = make_doc(request=obj({"a": {"type": ["string", "null"]}}, additionalProperties=True))
    findings = compare_documents(old, new)
    assert findings
    assert breaking(findings) == []


def test_tightened_request_constraints_break_and_are_each_reported() -> None:
    old = make_doc(request={"type": "string"})
    new = make_doc(request={"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^a+$"})
    assert sorted(rule for rule, _ in breaking(compare_documents(old, new))) == [
        "max-length-added",
        "min-length-added",
        "pattern-added",
    ]


def test_response_nullable_removed_breaks_readers() -> None:
    old = make_doc(response=obj({"a": {"type": ["string", "null"]}}))
    new = make_doc(response=obj({"a": STRING}))
    finding = only(compare_documents(old, new), "response-nullable-removed")
    assert finding.severity == "breaking"
    assert finding.pointer == f"{RESP}/properties/a"


def test_response_nullable_added_breaks_readers_by_decision() -> None:
    """Documented in tools/breaking.py: `str` becoming `str | None` breaks typed reader code."""
    old = make_doc(response=obj({"a": STRING}))
    new = make_doc(response=obj({"a": {"type": ["string", "null"]}}))
    assert breaking(compare_documents(old, new)) == [("response-nullable-added", "responses")]


def test_null_via_anyof_branch_is_the_same_as_null_in_type() -> None:
    schemas = {"Thing": obj({"a": STRING})}
    ref = {"$ref": "#/components/schemas/Thing"}
    old = make_doc(response={"anyOf": [ref, {"type": "null"}]}, schemas=schemas)
    new = make_doc(response=ref, schemas=schemas)
    finding = only(compare_documents(old, new), "response-nullable-removed")
    assert finding.pointer == "#/components/schemas/Thing"
    assert compare_documents(old, copy.deepcopy(old)) == []
    typed = make_doc(response={"type": ["string", "null"]})
    union = make_doc(response={"anyOf": [STRING, {"type": "null"}]})
    assert compare_documents(typed, union) == []
    assert compare_documents(union, typed) == []


def test_open_response_enum_may_gain_and_lose_known_values() -> None:
    def open_enum(values: list[str]) -> Any:
        return {"anyOf": [{"type": "string", "enum": values}, {"type": "string"}]}

    old = make_doc(response=obj({"kind": open_enum(["user", "group"])}))
    added = make_doc(response=obj({"kind": open_enum(["user", "group", "channel"])}))
    removed = make_doc(response=obj({"kind": open_enum(["user"])}))
    assert compare_documents(old, added) == []
    assert compare_documents(old, removed) == []


def test_closing_an_open_response_enum_breaks() -> None:
    old = make_doc(response={"anyOf": [{"type": "string", "enum": ["a"]}, STRING]})
    new = make_doc(response={"type": "string", "enum": ["a"]})
    finding = only(compare_documents(old, new), "enum-added")
    assert finding.severity == "breaking"


def test_component_used_in_both_directions_is_checked_for_both() -> None:
    ref = {"$ref": "#/components/schemas/Thing"}
    old = make_doc(request=ref, response=ref, schemas={"Thing": obj({"a": STRING, "b": STRING})})
    new = make_doc(
        request=ref,
        response=ref,
        schemas={"Thing": obj({"a": {"type": "string", "maxLength": 3}}, ["a"])},
    )
    findings = compare_documents(old, new)
    assert sorted(breaking(findings)) == [
        ("max-length-added", "requests"),
        ("max-length-added", "responses"),
        ("request-property-became-required", "requests"),
        ("request-property-removed", "requests"),
        ("response-property-became-required", "responses"),
        ("response-property-removed", "responses"),
    ]
    removed = [f for f in findings if f.rule.endswith("property-removed")]
    assert {f.pointer for f in removed} == {"#/components/schemas/Thing/properties/b"}
    assert {f.document for f in removed} == {"old"}


def test_loosening_a_shared_component_breaks_only_its_response_use() -> None:
    ref = {"$ref": "#/components/schemas/Thing"}
    old = make_doc(request=ref, response=ref, schemas={"Thing": {"type": "integer"}})
    new = make_doc(request=ref, response=ref, schemas={"Thing": {"type": ["integer", "null"]}})
    assert breaking(compare_documents(old, new)) == [("response-nullable-added", "responses")]


# --------------------------------------------------------------------------- $ref


def test_change_inside_a_response_component_is_reported_at_the_component_path() -> None:
    schemas = {
        "List": {"type": "array", "items": {"$ref": "#/components/schemas/Contact"}},
        "Contact": obj({"id": STRING, "name": STRING}, ["id"]),
    }
    old = make_doc(response={"$ref": "#/components/schemas/List"}, schemas=schemas)
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Contact"]["properties"]["name"]
    finding = only(compare_documents(old, new), "response-property-removed")
    assert finding.pointer == "#/components/schemas/Contact/properties/name"
    assert finding.document == "old"
    assert finding.group == "responses"
    assert finding.used_by == ["createThing 200 application/json"]


def test_component_reached_from_two_operations_is_one_finding_naming_both() -> None:
    ref = {"$ref": "#/components/schemas/Thing"}
    old = make_doc(response=ref, schemas={"Thing": obj({"a": STRING})})
    old["paths"]["/others"] = {
        "get": {
            "operationId": "listOthers",
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": ref}}}
            },
        }
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"]["properties"]["a"] = {"type": "integer"}
    finding = only(compare_documents(old, new), "type-changed")
    assert finding.pointer == "#/components/schemas/Thing/properties/a"
    assert finding.used_by == [
        "createThing 200 application/json",
        "listOthers 200 application/json",
    ]


def test_refs_to_responses_parameters_and_request_bodies_are_followed() -> None:
    old = make_doc()
    old["components"] = {
        "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
        "requestBodies": {
            "Body": {"content": {"application/json": {"schema": obj({"a": STRING})}}}
        },
        "responses": {
            "Ok": {"description": "ok", "content": {"application/json": {"schema": STRING}}}
        },
    }
    op = old["paths"]["/things"]["post"]
    op["parameters"] = [{"$ref": "#/components/parameters/limit"}]
    op["requestBody"] = {"$ref": "#/components/requestBodies/Body"}
    op["responses"]["200"] = {"$ref": "#/components/responses/Ok"}
    new = copy.deepcopy(old)
    new["components"]["parameters"]["limit"]["schema"]["maximum"] = 10
    new["components"]["requestBodies"]["Body"]["required"] = True
    new["components"]["responses"]["Ok"]["content"]["application/json"]["schema"] = {
        "type": "integer"
    }
    findings = compare_documents(old, new)
    pointers = {f.rule: f.pointer for f in findings if f.severity == "breaking"}
    assert pointers == {
        "maximum-added": "#/components/parameters/limit/schema/maximum",
        "request-body-became-required": "#/components/requestBodies/Body/required",
        "type-changed": "#/components/responses/Ok/content/application~1json/schema",
    }


def test_recursive_schema_terminates_and_reports_inside_the_cycle() -> None:
    node = obj(
        {
            "name": STRING,
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        }
    )
    old = make_doc(response={"$ref": "#/components/schemas/Node"}, schemas={"Node": node})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["name"]["type"] = "integer"
    finding = only(compare_documents(old, new), "type-changed")
    assert finding.pointer == "#/components/schemas/Node/properties/name"


def test_unresolvable_ref_is_a_usage_error() -> None:
    old = make_doc(response={"$ref": "#/components/schemas/Missing"}, schemas={})
    with pytest.raises(BreakingError, match="does not resolve"):
        compare_documents(old, copy.deepcopy(old))


# --------------------------------------------------------------------------- operations


def _with_param(**param: Any) -> dict[str, Any]:
    return make_doc(parameters=[{"name": "limit", "in": "query", "schema": STRING, **param}])


def test_path_removed() -> None:
    old = make_doc()
    old["paths"]["/gone"] = {"get": {"operationId": "gone", "responses": {}}}
    finding = only(compare_documents(old, make_doc()), "path-removed")
    assert (finding.group, finding.severity, finding.document, finding.pointer) == (
        "operations",
        "breaking",
        "old",
        "#/paths/~1gone",
    )


def test_operation_removed() -> None:
    old = make_doc()
    old["paths"]["/things"]["get"] = {"operationId": "listThings", "responses": {}}
    finding = only(compare_documents(old, make_doc()), "operation-removed")
    assert (finding.group, finding.severity, finding.pointer) == (
        "operations",
        "breaking",
        "#/paths/~1things/get",
    )


def test_operation_and_path_added_are_compatible() -> None:
    new = make_doc()
    new["paths"]["/things"]["get"] = {"operationId": "listThings", "responses": {}}
    new["paths"]["/more"] = {"get": {"operationId": "more", "responses": {}}}
    findings = compare_documents(make_doc(), new)
    assert {(f.rule, f.severity) for f in findings} == {
        ("operation-added", "compatible"),
        ("path-added", "compatible"),
    }


def test_operation_id_changed() -> None:
    new = make_doc()
    new["paths"]["/things"]["post"]["operationId"] = "makeThing"
    finding = only(compare_documents(make_doc(), new), "operation-id-changed")
    assert (finding.severity, finding.pointer) == ("breaking", f"{OP}/operationId")


def test_renamed_path_parameter_matches_the_path_but_not_the_parameter() -> None:
    def doc(name: str) -> dict[str, Any]:
        result = make_doc()
        op = result["paths"].pop("/things")["post"]
        op["parameters"] = [{"name": name, "in": "path", "required": True, "schema": STRING}]
        result["paths"][f"/things/{{{name}}}"] = {"post": op}
        return result

    rules = breaking(compare_documents(doc("id"), doc("thingId")))
    assert sorted(rules) == [
        ("parameter-added-required", "requests"),
        ("parameter-removed", "requests"),
    ]


def test_server_removed_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = make_doc()
    new["servers"] = []
    finding = only(compare_documents(make_doc(), new), "server-removed")
    assert (finding.severity, finding.pointer, finding.group) == (
        "warning",
        "#/servers/0",
        "operations",
    )
    assert _run_files(tmp_path, make_doc(), new) == 0
    assert "WARNING server-removed" in capsys.readouterr().out


def test_parameter_removed_even_when_optional() -> None:
    finding = only(compare_documents(_with_param(), make_doc()), "parameter-removed")
    assert (finding.severity, finding.group, finding.document, finding.pointer) == (
        "breaking",
        "requests",
        "old",
        f"{OP}/parameters/0",
    )


def test_parameter_added_required() -> None:
    finding = only(
        compare_documents(make_doc(), _with_param(required=True)), "parameter-added-required"
    )
    assert finding.severity == "breaking"


def test_parameter_added_optional_is_compatible() -> None:
    finding = only(compare_documents(make_doc(), _with_param()), "parameter-added")
    assert finding.severity == "compatible"


def test_parameter_became_required() -> None:
    finding = only(
        compare_documents(_with_param(), _with_param(required=True)), "parameter-became-required"
    )
    assert (finding.severity, finding.pointer) == ("breaking", f"{OP}/parameters/0/required")


def test_parameter_became_optional_is_compatible() -> None:
    finding = only(
        compare_documents(_with_param(required=True), _with_param()), "parameter-became-optional"
    )
    assert finding.severity == "compatible"


def test_parameter_style_changed() -> None:
    finding = only(
        compare_documents(_with_param(), _with_param(explode=False)), "parameter-style-changed"
    )
    assert finding.severity == "breaking"


def test_parameter_schema_is_compared_as_a_request() -> None:
    new = _with_param(schema={"type": "string", "enum": ["a"]})
    finding = only(compare_documents(_with_param(), new), "enum-added")
    assert (finding.group, finding.pointer) == ("requests", f"{OP}/parameters/0/schema")
    assert finding.used_by == ["createThing query parameter limit"]


def test_path_level_parameters_are_merged_with_the_operation_ones() -> None:
    old = make_doc()
    old["paths"]["/things"]["parameters"] = [{"name": "limit", "in": "query", "schema": STRING}]
    new = _with_param()
    assert breaking(compare_documents(old, new)) == []


def test_request_body_removed() -> None:
    finding = only(compare_documents(make_doc(request=STRING), make_doc()), "request-body-removed")
    assert (finding.severity, finding.document, finding.pointer) == (
        "breaking",
        "old",
        f"{OP}/requestBody",
    )


def test_request_body_added_required() -> None:
    finding = only(
        compare_documents(make_doc(), make_doc(request=STRING)), "request-body-added-required"
    )
    assert finding.severity == "breaking"


def test_request_body_became_required_and_back() -> None:
    optional = make_doc(request=STRING)
    optional["paths"]["/things"]["post"]["requestBody"]["required"] = False
    required = make_doc(request=STRING)
    assert only(compare_documents(optional, required), "request-body-became-required").severity == (
        "breaking"
    )
    assert only(compare_documents(required, optional), "request-body-became-optional").severity == (
        "compatible"
    )


def test_request_media_type_removed() -> None:
    old = make_doc(request=STRING)
    old["paths"]["/things"]["post"]["requestBody"]["content"]["text/plain"] = {"schema": STRING}
    finding = only(compare_documents(old, make_doc(request=STRING)), "request-media-type-removed")
    assert (finding.severity, finding.pointer) == (
        "breaking",
        f"{OP}/requestBody/content/text~1plain",
    )


def test_response_status_removed() -> None:
    old = make_doc()
    old["paths"]["/things"]["post"]["responses"]["404"] = {"description": "missing"}
    finding = only(compare_documents(old, make_doc()), "response-status-removed")
    assert (finding.severity, finding.group, finding.document, finding.pointer) == (
        "breaking",
        "responses",
        "old",
        f"{OP}/responses/404",
    )
    added = only(compare_documents(make_doc(), old), "response-status-added")
    assert added.severity == "compatible"


def test_response_media_type_removed() -> None:
    old = make_doc()
    old["paths"]["/things"]["post"]["responses"]["200"]["content"]["text/html"] = {"schema": STRING}
    finding = only(compare_documents(old, make_doc()), "response-media-type-removed")
    assert (finding.severity, finding.pointer) == (
        "breaking",
        f"{OP}/responses/200/content/text~1html",
    )
    assert only(compare_documents(make_doc(), old), "response-media-type-added").severity == (
        "compatible"
    )


# --------------------------------------------------------------------------- CLI and exit codes


def _write(path: Path, doc: Any) -> Path:
    path.write_text(dump_yaml(doc), encoding="utf-8")
    return path


def _run_files(tmp_path: Path, old: Any, new: Any, *extra: str) -> int:
    old_file = _write(tmp_path / "old.yaml", old)
    new_file = _write(tmp_path / "new.yaml", new)
    return main(["--old", str(old_file), "--new", str(new_file), *extra])


BEFORE = obj({"a": STRING, "b": STRING})
AFTER = obj({"a": STRING})


def test_exit_0_without_breaking_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run_files(tmp_path, make_doc(response=AFTER), make_doc(response=BEFORE)) == 0
    out = capsys.readouterr().out
    assert "no breaking change" in out
    assert "response-property-added" not in out


def test_verbose_lists_compatible_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run_files(tmp_path, make_doc(response=AFTER), make_doc(response=BEFORE), "--verbose") == 0
    )
    assert "COMPATIBLE response-property-added" in capsys.readouterr().out


def test_exit_1_when_only_the_minor_version_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = make_doc(response=BEFORE, version="1.4.0")
    new = make_doc(response=AFTER, version="1.5.0")
    assert _run_files(tmp_path, old, new) == 1
    out = capsys.readouterr().out
    assert "BREAKING response-property-removed" in out
    assert f"at old {RESP}/properties/b" in out
    assert "major version did not move (from 1.4.0 to 1.5.0)" in out


def test_exit_0_with_findings_when_the_major_version_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = make_doc(response=BEFORE, version="1.4.0")
    new = make_doc(response=AFTER, version="2.0.0")
    assert _run_files(tmp_path, old, new) == 0
    out = capsys.readouterr().out
    assert "BREAKING response-property-removed" in out
    assert "allowed: major version moved from 1.4.0 to 2.0.0" in out


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = make_doc(response=BEFORE, version="1.0.0")
    assert _run_files(tmp_path, old, make_doc(response=AFTER), "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["breaking"], report["exit_code"], report["major_moved"]) == (1, 1, False)
    (document,) = report["documents"]
    assert document["status"] == "compared"
    assert document["findings"] == [
        {
            "rule": "response-property-removed",
            "severity": "breaking",
            "group": "responses",
            "document": "old",
            "pointer": f"{RESP}/properties/b",
            "message": "response property 'b' was removed",
            "used_by": ["createThing 200 application/json"],
        }
    ]


def test_exit_2_for_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = _write(tmp_path / "a.yaml", make_doc())
    assert main(["--old", str(existing), "--new", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot load" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [", encoding="utf-8")
    assert main(["--old", str(existing), "--new", str(broken)]) == 2


@pytest.mark.parametrize(
    "argv",
    [["--old", "a.yaml"], ["--old", "a.yaml", "--new", "b.yaml", "--base", "HEAD"], ["--bogus"]],
)
def test_exit_2_for_bad_arguments(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


# --------------------------------------------------------------------------- the real documents


def test_real_documents_compared_with_themselves_have_no_findings() -> None:
    for relative in DOCUMENTS:
        path = REPO / relative
        report = compare_files(path, path)
        assert report.documents[0].findings == [], relative
        assert report.exit_code == 0


def test_acceptance_removing_a_response_property_from_the_real_spec(tmp_path: Path) -> None:
    document = load_document(REPO / "openapi.yaml")
    del document["components"]["schemas"]["WhatsAppContact"]["properties"]["contactName"]
    changed = _write(tmp_path / "openapi.yaml", document)
    report = compare_files(REPO / "openapi.yaml", changed)
    findings = [f for f in report.documents[0].findings if f.severity == "breaking"]
    assert [(f.rule, f.pointer, f.document) for f in findings] == [
        (
            "response-property-removed",
            "#/components/schemas/WhatsAppContact/properties/contactName",
            "old",
        )
    ]
    assert findings[0].used_by == ["getContacts 200 application/json"]
    assert report.exit_code == 1


def test_acceptance_on_the_real_flavour_document(tmp_path: Path) -> None:
    source = REPO / "generated" / "whatsapp.openapi.yaml"
    document = load_document(source)
    del document["components"]["schemas"]["WhatsAppContact"]["properties"]["contactName"]
    report = compare_files(source, _write(tmp_path / "whatsapp.openapi.yaml", document))
    finding = only(report.documents[0].findings, "response-property-removed")
    assert finding.pointer == "#/components/schemas/WhatsAppContact/properties/contactName"


# --------------------------------------------------------------------------- git (--base)

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    assert GIT is not None
    subprocess.run(
        [
            GIT,
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with openapi.yaml and one flavour document committed."""
    root = tmp_path / "repo"
    (root / "generated").mkdir(parents=True)
    _git(root, "init", "-q")
    _write(root / "openapi.yaml", make_doc(response=BEFORE, version="0.3.0"))
    _write(root / "generated" / "whatsapp.openapi.yaml", make_doc(response=BEFORE))
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    return root


@needs_git
def test_base_clean_work_tree_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "HEAD", "--repo", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "generated/telegram.openapi.yaml: absent" in out
    assert "no breaking change" in out


@needs_git
def test_base_dirty_work_tree_is_compared_with_head(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(repo / "openapi.yaml", make_doc(response=AFTER, version="0.4.0"))
    _write(repo / "generated" / "telegram.openapi.yaml", make_doc())
    assert main(["--base", "HEAD", "--repo", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING response-property-removed" in out
    assert "generated/telegram.openapi.yaml: new" in out
    assert "from 0.3.0 to 0.4.0" in out


@needs_git
def test_base_as_a_subprocess_from_inside_the_repo(repo: Path) -> None:
    """The real CLI, run the way `make breaking` runs it, with the cwd in the temporary repo."""
    _write(repo / "openapi.yaml", make_doc(response=AFTER, version="0.3.1"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tools.breaking", "--base", "HEAD", "--format", "json"],
        cwd=repo / "generated",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    statuses = {d["name"]: d["status"] for d in report["documents"]}
    assert statuses == {
        "openapi.yaml": "compared",
        "generated/whatsapp.openapi.yaml": "compared",
        "generated/telegram.openapi.yaml": "absent",
    }
    (finding,) = report["documents"][0]["findings"]
    assert (finding["rule"], finding["pointer"]) == (
        "response-property-removed",
        f"{RESP}/properties/b",
    )


@needs_git
def test_base_major_bump_allows_breaking_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(repo / "openapi.yaml", make_doc(response=AFTER, version="1.0.0"))
    assert main(["--base", "HEAD", "--repo", str(repo)]) == 0
    assert "allowed: major version moved from 0.3.0 to 1.0.0" in capsys.readouterr().out


@needs_git
def test_base_older_commit_and_removed_document(repo: Path) -> None:
    _write(repo / "openapi.yaml", make_doc(response=AFTER, version="0.3.0"))
    _git(repo, "commit", "-q", "-am", "drop b")
    assert compare_with_base("HEAD", root=repo).exit_code == 0
    assert compare_with_base("HEAD~1", root=repo).exit_code == 1
    (repo / "generated" / "whatsapp.openapi.yaml").unlink()
    report = compare_with_base("HEAD", root=repo)
    assert [f.rule for d in report.documents for f in d.findings] == ["document-removed"]
    assert report.exit_code == 1


@needs_git
def test_base_unknown_ref_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "no-such-ref", "--repo", str(repo)]) == 2
    assert "unknown git ref 'no-such-ref'" in capsys.readouterr().err


def test_base_outside_a_git_work_tree_exits_2(tmp_path: Path) -> None:
    assert main(["--base", "HEAD", "--repo", str(tmp_path)]) == 2
