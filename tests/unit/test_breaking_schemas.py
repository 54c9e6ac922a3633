"""tools.breaking: schema rules on minimal before/after pairs, directions, $ref."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.unit.breaking_support import (
    REQ,
    RESP,
    STRING,
    breaking,
    make_doc,
    obj,
    only,
)
from tools.breaking import (
    BreakingError,
    compare_documents,
)

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
        "info",
        "new",
        "/properties/b",
    ),
    (
        "request-property-became-optional",
        "request",
        obj({"a": STRING}, ["a"]),
        obj({"a": STRING}),
        "request-property-became-optional",
        "info",
        "new",
        "/properties/a",
    ),
    (
        "request-nullable-added",
        "request",
        STRING,
        {"type": ["string", "null"]},
        "request-nullable-added",
        "info",
        "new",
        "",
    ),
    (
        "request-type-widened",
        "request",
        {"type": "integer"},
        {"type": "number"},
        "type-widened",
        "info",
        "new",
        "",
    ),
    (
        "request-enum-value-added",
        "request",
        {"type": "string", "enum": ["a"]},
        {"type": "string", "enum": ["a", "b"]},
        "enum-value-added",
        "info",
        "new",
        "/enum",
    ),
    (
        "request-enum-removed",
        "request",
        {"type": "string", "enum": ["a"]},
        STRING,
        "enum-removed",
        "info",
        "new",
        "",
    ),
    (
        "request-pattern-removed",
        "request",
        {"type": "string", "pattern": "^a$"},
        STRING,
        "pattern-removed",
        "info",
        "old",
        "/pattern",
    ),
    (
        "request-max-length-increased",
        "request",
        {"type": "string", "maxLength": 5},
        {"type": "string", "maxLength": 6},
        "max-length-increased",
        "info",
        "new",
        "/maxLength",
    ),
    (
        "request-minimum-removed",
        "request",
        {"type": "integer", "minimum": 1},
        {"type": "integer"},
        "minimum-removed",
        "info",
        "old",
        "/minimum",
    ),
    (
        "request-additional-properties-allowed",
        "request",
        obj({"a": STRING}, additionalProperties=False),
        obj({"a": STRING}),
        "additional-properties-allowed",
        "info",
        "new",
        "",
    ),
    (
        "request-union-branch-added",
        "request",
        {"anyOf": [STRING, {"type": "integer"}]},
        {"anyOf": [STRING, {"type": "integer"}, {"type": "boolean"}]},
        "union-branch-added",
        "info",
        "new",
        "/anyOf/2",
    ),
    (
        "request-format-removed",
        "request",
        {"type": "string", "format": "email"},
        STRING,
        "format-removed",
        "info",
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
        "info",
        "new",
        "/properties/b",
    ),
    (
        "response-max-length-increased",
        "response",
        {"type": "string", "maxLength": 5},
        {"type": "string", "maxLength": 6},
        "max-length-increased",
        "info",
        "new",
        "/maxLength",
    ),
    (
        "response-pattern-removed",
        "response",
        {"type": "string", "pattern": "^a$"},
        STRING,
        "pattern-removed",
        "info",
        "old",
        "/pattern",
    ),
    (
        "response-additional-properties-allowed",
        "response",
        obj({"a": STRING}, additionalProperties=False),
        obj({"a": STRING}, additionalProperties=True),
        "additional-properties-allowed",
        "info",
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
    """Documented in tools/breaking/__init__.py: `str` -> `str | None` breaks typed readers."""
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
