"""Check every example in an OpenAPI 3.1 document against its schema.

OpenAPI validators check that a document is well formed, not that its examples
match their schemas; Spectral's example rules skip `$ref`'d examples and formats.
Our mock serves these examples and our docs show them, so a wrong example is a
bug. This module walks the document the way OpenAPI defines it, finds every
example (media types, parameters, headers, schemas; inline or via a local
`$ref`, components included) and validates it with JSON Schema draft 2020-12 as
OpenAPI 3.1 uses it, with format checking on.

CLI: ``python -m tools.check_examples FILE [FILE ...]``; exit 1 on any failure
or on a file with no examples at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

__all__ = [
    "ExampleFailure",
    "ExampleReport",
    "check_document",
    "check_examples",
    "load_document",
    "main",
]

# The whole document is registered under this URI so that a `$ref` such as
# `#/components/schemas/X` resolves against the document from any subschema.
# It must use a scheme urljoin treats as hierarchical (not `urn:`); `.invalid`
# never resolves and the registry has no retriever, so nothing is fetched.
_DOCUMENT_URI = "https://openapi.invalid/document.json"

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


@dataclass(frozen=True)
class ExampleFailure:
    """One problem: where the example (or broken reference) is, and what is wrong."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class ExampleReport:
    """Outcome for one document: how many examples were validated and what failed."""

    checked: int = 0
    failures: list[ExampleFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


# --- formats -----------------------------------------------------------------
# jsonschema only checks `uri` with an optional package we do not pin, and its
# `date-time` check depends on another optional one; these are small enough to
# own so the result does not depend on what happens to be installed.

_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def _is_uri_reference(instance: object) -> bool:
    return not isinstance(instance, str) or bool(_URI_CHARS.match(instance))


def _is_uri(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    return bool(_URI_SCHEME.match(instance)) and _is_uri_reference(instance)


def _is_date_time(instance: object) -> bool:
    """RFC 3339 date-time; leap second 60 is allowed as the RFC does."""
    if not isinstance(instance, str):
        return True
    match = _DATE_TIME.match(instance)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = match.group(8)
    try:
        dt.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    if hour > 23 or minute > 59 or second > 60:
        return False
    if offset not in ("Z", "z"):
        off_h, off_m = int(offset[1:3]), int(offset[4:6])
        if off_h > 23 or off_m > 59:
            return False
    return True


def _build_format_checker() -> object:
    """Draft 2020-12 format checks plus OpenAPI's (int32, int64, ...) and ours."""
    checker = FormatChecker(formats=())
    checker.checkers.update(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checkers.update(oas31_format_checker.checkers)
    checker.checks("uri")(_is_uri)
    checker.checks("uri-reference")(_is_uri_reference)
    checker.checks("date-time")(_is_date_time)
    return checker


_FORMAT_CHECKER = _build_format_checker()


# --- loading -------------------------------------------------------------------


class _JsonLikeLoader(yaml.SafeLoader):
    """YAML loader without YAML 1.1 timestamps: `2024-01-01T00:00:00Z` stays a string.

    JSON, and so OpenAPI, has no date type; PyYAML's default would turn unquoted
    example dates into datetime objects that then fail `type: string`.
    """


_JsonLikeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_document(path: str | Path) -> dict[str, Any]:
    """Load a YAML or JSON OpenAPI document from disk."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith(".json"):
        data: Any = json.loads(text)
    else:
        data = yaml.load(text, _JsonLikeLoader)  # noqa: S506 -- a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError(f"{path}: top level is not a mapping")
    return data


# --- pointers --------------------------------------------------------------------


def _pointer(base: str, *parts: object) -> str:
    """Append JSON-pointer segments (escaped) to a `#/...` location."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/".join((base, *escaped))


def _split_pointer(fragment: str) -> list[str]:
    if fragment in ("", "/"):
        return [] if fragment == "" else [""]
    return [p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/")]


# --- the walk -------------------------------------------------------------------


class _Validator(Protocol):
    """The part of a jsonschema validator we use (jsonschema ships no type hints)."""

    def iter_errors(self, instance: object) -> Iterator[Any]: ...


class _Checker:
    """Walks one document and validates every example it meets."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.report = ExampleReport()
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_DOCUMENT_URI, resource)
        self._validators: dict[str, _Validator] = {}

    # reporting / references

    def fail(self, location: str, message: str) -> None:
        self.report.failures.append(ExampleFailure(location, message))

    def lookup(self, ref: object, at: str) -> tuple[Any, str] | None:
        """Follow a local `$ref` (chains too); report and return None if it is broken."""
        seen: set[str] = set()
        target: Any = {"$ref": ref}
        location = at
        while isinstance(target, Mapping) and "$ref" in target:
            ref = target["$ref"]
            if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
                self.fail(
                    at, f"$ref {ref!r} is not a local JSON pointer (only '#/...' is supported)"
                )
                return None
            if ref in seen:
                self.fail(at, f"$ref {ref!r} is circular")
                return None
            seen.add(ref)
            node: Any = self.doc
            for part in _split_pointer(unquote(ref[1:])):
                if isinstance(node, Mapping) and part in node:
                    node = node[part]
                elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                    node = node[int(part)]
                else:
                    self.fail(at, f"$ref {ref!r} references a missing component")
                    return None
            target, location = node, ref
        return target, location

    def resolved(self, obj: object, at: str) -> tuple[Any, str] | None:
        """Return (object, its location), following a `$ref` if obj is one."""
        if isinstance(obj, Mapping) and "$ref" in obj:
            return self.lookup(obj["$ref"], at)
        return obj, at

    # validation

    def _validator(self, schema_location: str) -> _Validator:
        validator = self._validators.get(schema_location)
        if validator is None:
            fragment = quote(schema_location[1:], safe="/~")
            validator = OAS31Validator(
                {"$ref": f"{_DOCUMENT_URI}#{fragment}"},
                registry=self._registry,
                format_checker=_FORMAT_CHECKER,
            )
            self._validators[schema_location] = validator
        return validator

    def validate(self, value: object, schema_location: str | None, where: str) -> None:
        """Validate one example value against the schema found at schema_location."""
        self.report.checked += 1
        if schema_location is None:
            self.fail(where, "example has no schema to be checked against")
            return
        try:
            errors = list(self._validator(schema_location).iter_errors(value))
        except Unresolvable as exc:
            ref = str(getattr(exc, "ref", exc)).removeprefix(_DOCUMENT_URI)
            shown_ref = f"#{ref}" if ref.startswith("/") else ref
            self.fail(
                where,
                f"schema at {schema_location} references a missing component: {shown_ref!r}",
            )
            return
        except Exception as exc:  # a malformed schema must not stop the whole run
            self.fail(where, f"schema at {schema_location} cannot be used: {exc}")
            return
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            instance_at = _pointer("", *error.absolute_path) or "(root)"
            self.fail(where, f"at {instance_at}: {_explain(error)}")

    def example_object(self, example: object, at: str, schema_location: str | None) -> None:
        """An Example Object (or a `$ref` to one, e.g. in components.examples)."""
        found = self.resolved(example, at)
        if found is None:
            self.report.checked += 1
            return
        target, target_at = found
        where = at if target_at == at else f"{at} (-> {target_at})"
        if not isinstance(target, Mapping):
            self.report.checked += 1
            self.fail(where, "Example Object is not a mapping")
        elif "value" in target:
            if "externalValue" in target:
                self.fail(where, "Example Object has both value and externalValue")
            self.validate(target["value"], schema_location, where)
        else:
            self.report.checked += 1
            if "externalValue" in target:
                self.fail(where, "externalValue examples cannot be checked; inline the value")
            else:
                self.fail(where, "Example Object has no value")

    def examples_of(self, holder: Mapping[str, Any], at: str, schema_location: str | None) -> None:
        """`example` / `examples` on a media type, parameter or header."""
        if "example" in holder:
            self.validate(holder["example"], schema_location, _pointer(at, "example"))
        examples = holder.get("examples")
        if examples is None:
            return
        if not isinstance(examples, Mapping):
            self.fail(_pointer(at, "examples"), "examples must be a map of Example Objects")
            return
        for name, example in examples.items():
            self.example_object(example, _pointer(at, "examples", name), schema_location)

    def schema_of(self, holder: Mapping[str, Any], at: str) -> str | None:
        """Walk holder['schema'] (for schema-level examples) and return its location."""
        if "schema" not in holder:
            return None
        location = _pointer(at, "schema")
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
            self.lookup(ref, _pointer(at, "$ref"))
        if "examples" in schema:
            examples = schema["examples"]
            if isinstance(examples, list):
                for index, value in enumerate(examples):
                    self.validate(value, at, _pointer(at, "examples", index))
            else:
                self.fail(_pointer(at, "examples"), "schema examples must be an array")
        if "example" in schema:
            self.validate(schema["example"], at, _pointer(at, "example"))
        for key in _SCHEMA_SINGLE:
            if key in schema:
                self.schema(schema[key], _pointer(at, key))
        for key in _SCHEMA_LIST:
            if isinstance(schema.get(key), list):
                for index, sub in enumerate(schema[key]):
                    self.schema(sub, _pointer(at, key, index))
        for key in _SCHEMA_MAP:
            if isinstance(schema.get(key), Mapping):
                for name, sub in schema[key].items():
                    self.schema(sub, _pointer(at, key, name))

    def media_types(self, content: object, at: str) -> None:
        if not isinstance(content, Mapping):
            return
        for media_type, media in content.items():
            media_at = _pointer(at, media_type)
            if not isinstance(media, Mapping):
                continue
            # Non-JSON media types (text/plain, ...) are checked the same way: the
            # example is the value the schema describes (a string, for text).
            self.examples_of(media, media_at, self.schema_of(media, media_at))
            for name, encoding in _mapping(media.get("encoding")):
                self.headers(
                    encoding.get("headers"), _pointer(media_at, "encoding", name, "headers")
                )

    def parameter_like(self, obj: object, at: str) -> None:
        """A Parameter or Header Object: schema + examples, or a one-entry content map."""
        if isinstance(obj, Mapping) and "$ref" in obj:
            self.lookup(obj["$ref"], _pointer(at, "$ref"))  # walked where it is defined
            return
        if not isinstance(obj, Mapping):
            return
        schema_location = self.schema_of(obj, at)
        content = obj.get("content")
        if isinstance(content, Mapping):
            self.media_types(content, _pointer(at, "content"))
            if schema_location is None and len(content) == 1:
                (media_type,) = content
                if isinstance(content[media_type], Mapping) and "schema" in content[media_type]:
                    schema_location = _pointer(at, "content", media_type, "schema")
        self.examples_of(obj, at, schema_location)

    def parameters(self, params: object, at: str) -> None:
        if isinstance(params, list):
            for index, param in enumerate(params):
                self.parameter_like(param, _pointer(at, index))

    def headers(self, headers: object, at: str) -> None:
        for name, header in _mapping(headers, allow_refs=True):
            self.parameter_like(header, _pointer(at, name))

    def request_body(self, body: object, at: str) -> None:
        if isinstance(body, Mapping) and "$ref" in body:
            self.lookup(body["$ref"], _pointer(at, "$ref"))
        elif isinstance(body, Mapping):
            self.media_types(body.get("content"), _pointer(at, "content"))

    def response(self, response: object, at: str) -> None:
        if isinstance(response, Mapping) and "$ref" in response:
            self.lookup(response["$ref"], _pointer(at, "$ref"))
        elif isinstance(response, Mapping):
            self.headers(response.get("headers"), _pointer(at, "headers"))
            self.media_types(response.get("content"), _pointer(at, "content"))

    def operation(self, op: Mapping[str, Any], at: str) -> None:
        self.parameters(op.get("parameters"), _pointer(at, "parameters"))
        if "requestBody" in op:
            self.request_body(op["requestBody"], _pointer(at, "requestBody"))
        for code, response in _mapping(op.get("responses"), allow_refs=True):
            self.response(response, _pointer(at, "responses", code))
        for name, callback in _mapping(op.get("callbacks"), allow_refs=True):
            self.callback(callback, _pointer(at, "callbacks", name))

    def callback(self, callback: object, at: str) -> None:
        if isinstance(callback, Mapping) and "$ref" in callback:
            self.lookup(callback["$ref"], _pointer(at, "$ref"))
            return
        for expression, item in _mapping(callback, allow_refs=True):
            self.path_item(item, _pointer(at, expression))

    def path_item(self, item: object, at: str) -> None:
        if not isinstance(item, Mapping):
            return
        if "$ref" in item:
            self.lookup(item["$ref"], _pointer(at, "$ref"))
            return
        self.parameters(item.get("parameters"), _pointer(at, "parameters"))
        for method in _HTTP_METHODS:
            if isinstance(item.get(method), Mapping):
                self.operation(item[method], _pointer(at, method))

    def document(self) -> ExampleReport:
        for path, item in _mapping(self.doc.get("paths"), allow_refs=True):
            self.path_item(item, _pointer("#", "paths", path))
        for name, item in _mapping(self.doc.get("webhooks"), allow_refs=True):
            self.path_item(item, _pointer("#", "webhooks", name))
        components = self.doc.get("components")
        if isinstance(components, Mapping):
            base = _pointer("#", "components")
            for name, schema in _mapping(components.get("schemas"), allow_refs=True):
                self.schema(schema, _pointer(base, "schemas", name))
            for name, param in _mapping(components.get("parameters"), allow_refs=True):
                self.parameter_like(param, _pointer(base, "parameters", name))
            self.headers(components.get("headers"), _pointer(base, "headers"))
            for name, body in _mapping(components.get("requestBodies"), allow_refs=True):
                self.request_body(body, _pointer(base, "requestBodies", name))
            for name, response in _mapping(components.get("responses"), allow_refs=True):
                self.response(response, _pointer(base, "responses", name))
            for name, callback in _mapping(components.get("callbacks"), allow_refs=True):
                self.callback(callback, _pointer(base, "callbacks", name))
            for name, item in _mapping(components.get("pathItems"), allow_refs=True):
                self.path_item(item, _pointer(base, "pathItems", name))
        if self.report.checked == 0:
            self.fail("#", "no examples found; every document must carry examples")
        return self.report


def _explain(error: Any) -> str:
    """The error's message, plus why each anyOf/oneOf branch failed."""
    if not error.context:
        return str(error.message)
    reasons = dict.fromkeys(str(sub.message) for sub in error.context)
    return f"{error.message} ({'; '.join(reasons)})"


def _mapping(value: object, *, allow_refs: bool = False) -> Iterator[tuple[str, Any]]:
    """Items of a map of OpenAPI objects, skipping vendor extensions (`x-...`)."""
    if not isinstance(value, Mapping):
        return
    for key, item in value.items():
        if isinstance(key, str) and key.startswith("x-"):
            continue
        if allow_refs or isinstance(item, Mapping):
            yield str(key), item


# --- API ----------------------------------------------------------------------------


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
    loaded = document if isinstance(document, Mapping) else load_document(document)
    normalised = _json_keys(loaded)
    if not isinstance(normalised, dict):  # pragma: no cover - a Mapping always maps to a dict
        raise TypeError("document is not a mapping")
    return _Checker(normalised).document()


def check_examples(document: Mapping[str, Any] | str | Path) -> list[ExampleFailure]:
    """The failures of check_document; empty means every example matches its schema."""
    return check_document(document).failures


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: one line per problem, one summary line per file."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.check_examples",
        description="Validate every example in OpenAPI 3.1 documents against its schema.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        try:
            report = check_document(path)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            print(f"{path}: cannot load: {exc}")
            print(f"0 examples checked in {path}, 1 failures")
            status = 1
            continue
        for failure in report.failures:
            print(f"{path}: {failure}")
        print(f"{report.checked} examples checked in {path}, {len(report.failures)} failures")
        if not report.ok:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
