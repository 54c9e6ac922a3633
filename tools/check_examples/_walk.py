"""Finding every example of an OpenAPI 3.1 document, the way OpenAPI defines where they are."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tools._openapi import DocumentLoadError, child_pointer, load_document
from tools.check_examples._report import ExampleFailure, ExampleReport
from tools.check_examples._validator import ExampleValidator

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")

# Keywords whose value is one subschema, a list of them, or a map of them.
_SCHEMA_SINGLE = (
    "additionalProperties",
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAP = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")


class DocumentWalker(ExampleValidator):
    """Walks one document's OpenAPI objects and validates every example it meets."""

    def schema_of(self, holder: Mapping[str, Any], at: str) -> str | None:
        """Walk holder['schema'] (for schema-level examples) and return its location."""
        if "schema" not in holder:
            return None
        location = child_pointer(at, "schema")
        self.schema(holder["schema"], location)
        return location

    # OpenAPI objects

    def schema(self, schema: object, at: str) -> None:
        """A Schema Object: its own examples, then every subschema (refs are walked at source)."""
        if not isinstance(schema, Mapping):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and (ref.startswith("#/") or not ref.startswith("#")):
            # Plain-name anchors (`#name`) are left to the validator to resolve.
            self.lookup(ref, child_pointer(at, "$ref"))
        if "examples" in schema:
            examples = schema["examples"]
            if isinstance(examples, list):
                for index, value in enumerate(examples):
                    self.validate(value, at, child_pointer(at, "examples", index))
            else:
                self.fail(child_pointer(at, "examples"), "schema examples must be an array")
        if "example" in schema:
            self.validate(schema["example"], at, child_pointer(at, "example"))
        for key in _SCHEMA_SINGLE:
            if key in schema:
                self.schema(schema[key], child_pointer(at, key))
        for key in _SCHEMA_LIST:
            if isinstance(schema.get(key), list):
                for index, sub in enumerate(schema[key]):
                    self.schema(sub, child_pointer(at, key, index))
        for key in _SCHEMA_MAP:
            if isinstance(schema.get(key), Mapping):
                for name, sub in schema[key].items():
                    self.schema(sub, child_pointer(at, key, name))

    def media_types(self, content: object, at: str) -> None:
        if not isinstance(content, Mapping):
            return
        for media_type, media in content.items():
            media_at = child_pointer(at, media_type)
            if not isinstance(media, Mapping):
                continue
            # Non-JSON media types (text/plain, ...) are checked the same way: the
            # example is the value the schema describes (a string, for text).
            self.examples_of(media, media_at, self.schema_of(media, media_at))
            for name, encoding in _mapping(media.get("encoding")):
                self.headers(
                    encoding.get("headers"), child_pointer(media_at, "encoding", name, "headers")
                )

    def parameter_like(self, obj: object, at: str) -> None:
        """A Parameter or Header Object: schema + examples, or a one-entry content map."""
        if isinstance(obj, Mapping) and "$ref" in obj:
            self.lookup(obj["$ref"], child_pointer(at, "$ref"))  # walked where it is defined
            return
        if not isinstance(obj, Mapping):
            return
        schema_location = self.schema_of(obj, at)
        content = obj.get("content")
        if isinstance(content, Mapping):
            self.media_types(content, child_pointer(at, "content"))
            if schema_location is None and len(content) == 1:
                (media_type,) = content
                if isinstance(content[media_type], Mapping) and "schema" in content[media_type]:
                    schema_location = child_pointer(at, "content", media_type, "schema")
        self.examples_of(obj, at, schema_location)

    def parameters(self, params: object, at: str) -> None:
        if isinstance(params, list):
            for index, param in enumerate(params):
                self.parameter_like(param, child_pointer(at, index))

    def headers(self, headers: object, at: str) -> None:
        for name, header in _mapping(headers, allow_refs=True):
            self.parameter_like(header, child_pointer(at, name))

    def request_body(self, body: object, at: str) -> None:
        if isinstance(body, Mapping) and "$ref" in body:
            self.lookup(body["$ref"], child_pointer(at, "$ref"))
        elif isinstance(body, Mapping):
            self.media_types(body.get("content"), child_pointer(at, "content"))

    def response(self, response: object, at: str) -> None:
        if isinstance(response, Mapping) and "$ref" in response:
            self.lookup(response["$ref"], child_pointer(at, "$ref"))
        elif isinstance(response, Mapping):
            self.headers(response.get("headers"), child_pointer(at, "headers"))
            self.media_types(response.get("content"), child_pointer(at, "content"))

    def operation(self, op: Mapping[str, Any], at: str) -> None:
        self.parameters(op.get("parameters"), child_pointer(at, "parameters"))
        if "requestBody" in op:
            self.request_body(op["requestBody"], child_pointer(at, "requestBody"))
        for code, response in _mapping(op.get("responses"), allow_refs=True):
            self.response(response, child_pointer(at, "responses", code))
        for name, callback in _mapping(op.get("callbacks"), allow_refs=True):
            self.callback(callback, child_pointer(at, "callbacks", name))

    def callback(self, callback: object, at: str) -> None:
        if isinstance(callback, Mapping) and "$ref" in callback:
            self.lookup(callback["$ref"], child_pointer(at, "$ref"))
            return
        for expression, item in _mapping(callback, allow_refs=True):
            self.path_item(item, child_pointer(at, expression))

    def path_item(self, item: object, at: str) -> None:
        if not isinstance(item, Mapping):
            return
        if "$ref" in item:
            self.lookup(item["$ref"], child_pointer(at, "$ref"))
            return
        self.parameters(item.get("parameters"), child_pointer(at, "parameters"))
        for method in _HTTP_METHODS:
            if isinstance(item.get(method), Mapping):
                self.operation(item[method], child_pointer(at, method))


def _walk_document(walker: DocumentWalker) -> ExampleReport:
    """Paths, webhooks and every kind of component; a document without examples fails."""
    for path, item in _mapping(walker.doc.get("paths"), allow_refs=True):
        walker.path_item(item, child_pointer("#", "paths", path))
    for name, item in _mapping(walker.doc.get("webhooks"), allow_refs=True):
        walker.path_item(item, child_pointer("#", "webhooks", name))
    components = walker.doc.get("components")
    if isinstance(components, Mapping):
        base = child_pointer("#", "components")
        walker.headers(components.get("headers"), child_pointer(base, "headers"))
        for kind, visit in (
            ("schemas", walker.schema),
            ("parameters", walker.parameter_like),
            ("requestBodies", walker.request_body),
            ("responses", walker.response),
            ("callbacks", walker.callback),
            ("pathItems", walker.path_item),
        ):
            for name, item in _mapping(components.get(kind), allow_refs=True):
                visit(item, child_pointer(base, kind, name))
    if walker.report.checked == 0:
        walker.fail("#", "no examples found; every document must carry examples")
    return walker.report


def _mapping(value: object, *, allow_refs: bool = False) -> Iterator[tuple[str, Any]]:
    """Items of a map of OpenAPI objects, skipping vendor extensions (`x-...`)."""
    if not isinstance(value, Mapping):
        return
    for key, item in value.items():
        if isinstance(key, str) and key.startswith("x-"):
            continue
        if allow_refs or isinstance(item, Mapping):
            yield str(key), item


def _json_keys(value: object) -> object:
    """Copy with every mapping key a string, as in JSON.

    YAML reads an unquoted `200:` response code as the integer 200; JSON pointers
    (and so `$ref` resolution) only ever address string keys.
    """
    if isinstance(value, Mapping):
        return {_json_key(k): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value


def _json_key(key: object) -> str:
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


def check_document(document: Mapping[str, Any] | str | Path) -> ExampleReport:
    """Validate every example in a document (a path or an already loaded mapping)."""
    loaded = document if isinstance(document, Mapping) else load_document(Path(document))
    if not isinstance(loaded, Mapping):
        raise DocumentLoadError(f"cannot load {document}: top level is not a mapping")
    normalised = _json_keys(loaded)
    if not isinstance(normalised, dict):  # pragma: no cover - a Mapping always maps to a dict
        raise TypeError("document is not a mapping")
    return _walk_document(DocumentWalker(normalised))


def check_examples(document: Mapping[str, Any] | str | Path) -> list[ExampleFailure]:
    """The failures of check_document; empty means every example matches its schema."""
    return check_document(document).failures
