"""tools.breaking: paths, operations, parameters, bodies, responses, media types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.unit.breaking_support import (
    OP,
    STRING,
    breaking,
    make_doc,
    only,
    run_files,
)
from tools.breaking import (
    compare_documents,
)


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
        ("operation-added", "info"),
        ("path-added", "info"),
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
    assert run_files(tmp_path, make_doc(), new) == 0
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
    assert finding.severity == "info"


def test_parameter_became_required() -> None:
    finding = only(
        compare_documents(_with_param(), _with_param(required=True)), "parameter-became-required"
    )
    assert (finding.severity, finding.pointer) == ("breaking", f"{OP}/parameters/0/required")


def test_parameter_became_optional_is_compatible() -> None:
    finding = only(
        compare_documents(_with_param(required=True), _with_param()), "parameter-became-optional"
    )
    assert finding.severity == "info"


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
        "info"
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
    assert added.severity == "info"


def test_response_media_type_removed() -> None:
    old = make_doc()
    old["paths"]["/things"]["post"]["responses"]["200"]["content"]["text/html"] = {"schema": STRING}
    finding = only(compare_documents(old, make_doc()), "response-media-type-removed")
    assert (finding.severity, finding.pointer) == (
        "breaking",
        f"{OP}/responses/200/content/text~1html",
    )
    assert only(compare_documents(make_doc(), old), "response-media-type-added").severity == (
        "info"
    )


# --------------------------------------------------------------------------- CLI and exit codes
