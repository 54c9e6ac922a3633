"""Shared by the tests of tools.breaking: a minimal document and small helpers."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tools._openapi import dump_yaml
from tools.breaking import Finding, main

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


def write_doc(path: Path, doc: Any) -> Path:
    """``doc`` written as YAML to ``path``."""
    path.write_text(dump_yaml(doc), encoding="utf-8")
    return path


def run_files(tmp_path: Path, old: Any, new: Any, *extra: str) -> int:
    """The CLI on two documents written to files."""
    old_file = write_doc(tmp_path / "old.yaml", old)
    new_file = write_doc(tmp_path / "new.yaml", new)
    return main(["--old", str(old_file), "--new", str(new_file), *extra])
