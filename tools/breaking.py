"""Breaking-change check for the API descriptions: ``make breaking BASE=<git ref>``.

Compares openapi.yaml and both flavour documents with the same files at a git ref (default
HEAD, so a dirty work tree is checked against the last commit) and lists, per document and
grouped into requests / responses / operations, every change that breaks clients.

Why hand-written (candidates checked when this was written): oasdiff, the best-kept tool,
is a Go program (OpenAPI 3.1 support left beta only in its v1.15.0) and not on PyPI;
OpenAPITools/openapi-diff is Java and its 3.1 support is still an open discussion. On PyPI,
openapispecdiff (last release 2022) and impoasdiff (0.0.4, 2023) are unmaintained;
api-schema-diff (2025) documents "OpenAPI 3.x" with no word on 3.1's ``type: [x, 'null']`` or
null branches in ``anyOf``; the rest (breakwatch, schemawatch, contractor-cli, ...) are 0.x
releases of 2026 with no track record, not evaluated further. None knows this project's rules
(open response enums, tolerant responses of a server we do not control), so they live here.

Direction. Requests are written by callers and read by the server: a request change breaks
callers when it accepts less (stricter). Responses are read by generated, validating decoders
(pydantic models, msgspec Structs) of a server we do not control, so a response change breaks
them both ways: when it gives readers something they never had to handle (a field removed,
required made optional, null added, a wider type, a new value in a closed enum) and when it
makes the decoder reject bodies it accepted (null removed, narrower type, tighter bound or
pattern, ``additionalProperties: false``, a field made or added as required) -- the description
changes, the API does not. Adding null to a response is therefore breaking
(``response-nullable-added``): the generated type goes from ``str`` to ``str | None`` and code
that calls ``.upper()`` on it no longer type-checks. Loosened response bounds and patterns, new
optional fields, new status codes and media types are compatible. Open enums (``anyOf: [enum,
{type: string}]``) accept any string, so their known values may come and go.

Findings name a rule id, the group, a JSON pointer into the old or the new document (``old``
for what is gone, ``new`` otherwise), a one-line message and the operations that reach the node.
Local references (``$ref``) are followed: a change inside a component is reported at the
component's path, once per direction it is used in. Not compared: ``not``,
``if``/``then``/``else``, ``patternProperties``, ``contains``, headers and security.

A removed server is a warning: listed, but it never fails the check.

Exit codes: 0 no breaking change, or breaking changes while the major version of openapi.yaml
(``info.version``) moved; 1 breaking changes without a major bump; 2 usage error.

CLI: ``python -m tools.breaking [--base REF] [--old F --new F] [--format text|json] [--verbose]``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from tools.overlay import DocumentLoadError, load_document

__all__ = [
    "DOCUMENTS",
    "BreakingError",
    "DocumentReport",
    "Finding",
    "Report",
    "compare_documents",
    "compare_files",
    "compare_with_base",
    "main",
]

DOCUMENTS = ("openapi.yaml", "generated/whatsapp.openapi.yaml", "generated/telegram.openapi.yaml")
"""The documents compared in ``--base`` mode, relative to the repository root."""

VERSION_DOCUMENT = "openapi.yaml"
"""Its ``info.version`` decides whether the major version moved."""

Group = Literal["requests", "responses", "operations"]
Severity = Literal["breaking", "warning", "compatible"]
Side = Literal["old", "new"]
Direction = Literal["request", "response"]

GROUPS: tuple[Group, ...] = ("requests", "responses", "operations")
_SEVERITY_ORDER = {"breaking": 0, "warning": 1, "compatible": 2}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_ANNOTATIONS = frozenset(
    {"description", "title", "examples", "example", "deprecated", "$comment", "default"}
)
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")


class BreakingError(Exception):
    """A usage error: bad git ref, unreadable document, unresolvable ``$ref``. Exit code 2."""


class _Effect(Enum):
    """What a change does to the set of values a schema allows."""

    STRICTER = "stricter"  # allows fewer values
    LOOSER = "looser"  # allows more values within what readers already handle (bounds, patterns)
    WIDER = "wider"  # allows values readers never had to handle (types, null, enum values)
    CHANGED = "changed"  # neither: different values


def _severity(direction: Direction, effect: _Effect) -> Severity:
    if effect in (_Effect.STRICTER, _Effect.CHANGED):
        return "breaking"
    if effect is _Effect.WIDER and direction == "response":
        return "breaking"
    return "compatible"


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


# --------------------------------------------------------------------------- JSON helpers


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _child(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join(f"/{_escape(str(token))}" for token in tokens)


def _lookup(document: Any, ref: str, side: Side) -> tuple[Any, str]:
    """Follow a local ``$ref`` (``#/a/b``); returns the target and its canonical pointer."""
    if not ref.startswith("#"):
        raise BreakingError(f"{side} document: only local $refs are supported, not {ref!r}")
    node = document
    tokens = [] if ref in ("#", "#/") else unquote(ref[1:]).split("/")[1:]
    for raw in tokens:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise BreakingError(f"{side} document: $ref {ref!r} does not resolve")
    return node, _child("#", *(t.replace("~1", "/").replace("~0", "~") for t in tokens))


def _value_key(value: Any) -> str:
    """A hashable identity for a JSON value that keeps 1, 1.0 and true apart."""
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True)}"


def _type_set(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The non-null types a schema names, or None when it has no ``type``."""
    if "type" not in schema:
        return None
    raw = schema["type"]
    names = raw if isinstance(raw, list) else [raw]
    return frozenset(str(name) for name in names if name != "null")


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _show_types(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "null"


def _matches_type(value: Any, type_name: str) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False


def _enum_values(schema: Mapping[str, Any]) -> list[Any] | None:
    """Allowed values from ``enum``/``const`` without null (null is compared on its own)."""
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = list(schema["enum"])
    else:
        return None
    return [value for value in values if value is not None]


def _is_null_schema(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    if "type" in schema:
        return _type_set(schema) == frozenset()
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    return isinstance(values, list) and bool(values) and all(v is None for v in values)


def _bare_type(schema: Any) -> str | None:
    """``T`` when the schema is just ``type: T`` (plus annotations): any value of that type."""
    if not isinstance(schema, Mapping) or not isinstance(schema.get("type"), str):
        return None
    if schema["type"] == "null":
        return None
    if any(
        key not in _ANNOTATIONS and key != "type" and not key.startswith("x-") for key in schema
    ):
        return None
    return str(schema["type"])


def _is_enum_within(schema: Any, types: set[str]) -> bool:
    """An enum/const-only schema whose values are all of one of ``types``."""
    if not isinstance(schema, Mapping):
        return False
    values = _enum_values(schema)
    if not values:
        return False
    allowed = _ANNOTATIONS | {"type", "enum", "const"}
    if any(key not in allowed and not key.startswith("x-") for key in schema):
        return False
    own = _type_set(schema)
    if own is not None and not own <= types:
        return False
    return all(any(_matches_type(v, t) for t in types) for v in values)


def _kebab(keyword: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", keyword).lower()


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class _Node:
    """A schema (or other object) after following ``$ref``, with where it lives."""

    value: Any
    pointer: str
    ref: str | None = None


@dataclass(frozen=True)
class _Ctx:
    """How a node is used: request or response (None: the operation itself), and by what."""

    direction: Direction | None
    where: str

    @property
    def group(self) -> Group:
        if self.direction == "request":
            return "requests"
        if self.direction == "response":
            return "responses"
        return "operations"


class _Comparator:
    """Walks both documents side by side from their operations and collects findings."""

    def __init__(self, old: Any, new: Any) -> None:
        self.docs: dict[Side, Any] = {"old": old, "new": new}
        self.findings: dict[tuple[str, str, str, str], Finding] = {}
        self._active: set[tuple[str | None, str, str, bool]] = set()

    # -- plumbing

    def emit(
        self, ctx: _Ctx, rule: str, severity: Severity, side: Side, pointer: str, message: str
    ) -> None:
        key = (ctx.group, rule, side, pointer)
        finding = self.findings.get(key)
        if finding is None:
            finding = Finding(rule, severity, ctx.group, side, pointer, message)
            self.findings[key] = finding
        if ctx.where not in finding.used_by:
            finding.used_by.append(ctx.where)

    def effect(
        self, ctx: _Ctx, effect: _Effect, rule: str, side: Side, pointer: str, message: str
    ) -> None:
        assert ctx.direction is not None
        self.emit(ctx, rule, _severity(ctx.direction, effect), side, pointer, message)

    def resolve(self, side: Side, value: Any, pointer: str) -> _Node:
        ref: str | None = None
        seen: set[str] = set()
        while isinstance(value, Mapping) and isinstance(value.get("$ref"), str):
            target = value["$ref"]
            if target in seen:
                raise BreakingError(f"{side} document: $ref cycle through {target!r}")
            seen.add(target)
            value, pointer = _lookup(self.docs[side], target, side)
            ref = pointer
        return _Node(value, pointer, ref)

    # -- document level

    def run(self) -> list[Finding]:
        self._servers()
        self._paths()
        order = {id(f): i for i, f in enumerate(self.findings.values())}
        return sorted(
            self.findings.values(),
            key=lambda f: (GROUPS.index(f.group), _SEVERITY_ORDER[f.severity], order[id(f)]),
        )

    def _servers(self) -> None:
        ctx = _Ctx(None, "servers")
        new_urls = {s.get("url") for s in self._list("new", "servers") if isinstance(s, Mapping)}
        for index, server in enumerate(self._list("old", "servers")):
            if isinstance(server, Mapping) and server.get("url") not in new_urls:
                self.emit(
                    ctx,
                    "server-removed",
                    "warning",
                    "old",
                    _child("#/servers", index),
                    f"server {server.get('url')!r} was removed",
                )

    def _list(self, side: Side, key: str) -> list[Any]:
        doc = self.docs[side]
        value = doc.get(key) if isinstance(doc, Mapping) else None
        return value if isinstance(value, list) else []

    def _path_items(self, side: Side) -> dict[str, tuple[str, _Node]]:
        """Path items by template with parameter names blanked (``/a/{}``): renames match."""
        doc = self.docs[side]
        paths = doc.get("paths") if isinstance(doc, Mapping) else None
        items: dict[str, tuple[str, _Node]] = {}
        for template, item in (paths or {}).items():
            node = self.resolve(side, item, _child("#/paths", template))
            items[re.sub(r"\{[^}]*\}", "{}", template)] = (template, node)
        return items

    def _paths(self) -> None:
        old_items, new_items = self._path_items("old"), self._path_items("new")
        for key, (template, old) in old_items.items():
            if key not in new_items:
                self.emit(
                    _Ctx(None, template),
                    "path-removed",
                    "breaking",
                    "old",
                    old.pointer,
                    f"path {template} was removed",
                )
                continue
            new_template, new = new_items[key]
            for method in _METHODS:
                where = f"{method.upper()} {template}"
                in_old, in_new = method in old.value, method in new.value
                if in_old and not in_new:
                    self.emit(
                        _Ctx(None, where),
                        "operation-removed",
                        "breaking",
                        "old",
                        _child(old.pointer, method),
                        f"operation {where} was removed",
                    )
                elif in_new and not in_old:
                    self.emit(
                        _Ctx(None, where),
                        "operation-added",
                        "compatible",
                        "new",
                        _child(new.pointer, method),
                        f"operation {method.upper()} {new_template} was added",
                    )
                elif in_old:
                    self._operation(method, template, old, new)
        for key, (template, new) in new_items.items():
            if key not in old_items:
                self.emit(
                    _Ctx(None, template),
                    "path-added",
                    "compatible",
                    "new",
                    new.pointer,
                    f"path {template} was added",
                )

    def _operation(self, method: str, template: str, old_item: _Node, new_item: _Node) -> None:
        old = _Node(old_item.value[method], _child(old_item.pointer, method))
        new = _Node(new_item.value[method], _child(new_item.pointer, method))
        if not isinstance(old.value, Mapping) or not isinstance(new.value, Mapping):
            return
        old_id, new_id = old.value.get("operationId"), new.value.get("operationId")
        where = str(new_id or old_id or f"{method.upper()} {template}")
        ctx = _Ctx(None, where)
        if old_id is not None and old_id != new_id:
            self.emit(
                ctx,
                "operation-id-changed",
                "breaking",
                "new" if new_id is not None else "old",
                _child((new if new_id is not None else old).pointer, "operationId"),
                f"operationId {old_id!r} became {new_id!r}: generated method names change",
            )
        self._parameters(where, old_item, old, new_item, new)
        self._request_body(where, old, new)
        self._responses(where, old, new)

    # -- parameters

    def _parameters_of(self, side: Side, item: _Node, op: _Node) -> dict[tuple[str, str], _Node]:
        merged: dict[tuple[str, str], _Node] = {}
        for owner in (item, op):
            params = owner.value.get("parameters")
            for index, raw in enumerate(params if isinstance(params, list) else []):
                node = self.resolve(side, raw, _child(owner.pointer, "parameters", index))
                if not isinstance(node.value, Mapping):
                    continue
                location, name = str(node.value.get("in")), str(node.value.get("name"))
                merged[(location, name.lower() if location == "header" else name)] = node
        return merged

    def _parameters(
        self, where: str, old_item: _Node, old_op: _Node, new_item: _Node, new_op: _Node
    ) -> None:
        olds = self._parameters_of("old", old_item, old_op)
        news = self._parameters_of("new", new_item, new_op)
        for key, old in olds.items():
            location, name = key
            ctx = _Ctx("request", f"{where} {location} parameter {name}")
            new = news.get(key)
            if new is None:
                self.emit(
                    ctx,
                    "parameter-removed",
                    "breaking",
                    "old",
                    old.pointer,
                    f"{location} parameter {name!r} was removed: callers that send it break",
                )
                continue
            old_required = bool(old.value.get("required", False))
            new_required = bool(new.value.get("required", False))
            if new_required and not old_required:
                self.emit(
                    ctx,
                    "parameter-became-required",
                    "breaking",
                    "new",
                    _child(new.pointer, "required"),
                    f"{location} parameter {name!r} became required",
                )
            elif old_required and not new_required:
                self.emit(
                    ctx,
                    "parameter-became-optional",
                    "compatible",
                    "new",
                    new.pointer,
                    f"{location} parameter {name!r} became optional",
                )
            if _style(old.value) != _style(new.value):
                self.emit(
                    ctx,
                    "parameter-style-changed",
                    "breaking",
                    "new",
                    new.pointer,
                    f"{location} parameter {name!r} is serialised differently "
                    f"(style/explode {_style(old.value)} -> {_style(new.value)})",
                )
            if "schema" in old.value or "schema" in new.value:
                self._schema_pair(ctx, old, new, "schema")
            self._content(ctx, old, new, "request")
        for key, new in news.items():
            if key in olds:
                continue
            location, name = key
            ctx = _Ctx("request", f"{where} {location} parameter {name}")
            if new.value.get("required", False) or location == "path":
                self.emit(
                    ctx,
                    "parameter-added-required",
                    "breaking",
                    "new",
                    new.pointer,
                    f"new required {location} parameter {name!r}",
                )
            else:
                self.emit(
                    ctx,
                    "parameter-added",
                    "compatible",
                    "new",
                    new.pointer,
                    f"new optional {location} parameter {name!r}",
                )

    # -- bodies

    def _request_body(self, where: str, old_op: _Node, new_op: _Node) -> None:
        if "requestBody" not in old_op.value and "requestBody" not in new_op.value:
            return
        ctx = _Ctx("request", f"{where} request body")
        if "requestBody" not in new_op.value:
            self.emit(
                ctx,
                "request-body-removed",
                "breaking",
                "old",
                _child(old_op.pointer, "requestBody"),
                "the request body was removed: callers that send one break",
            )
            return
        new = self.resolve(
            "new", new_op.value["requestBody"], _child(new_op.pointer, "requestBody")
        )
        new_required = isinstance(new.value, Mapping) and bool(new.value.get("required", False))
        if "requestBody" not in old_op.value:
            severity: Severity = "breaking" if new_required else "compatible"
            rule = "request-body-added-required" if new_required else "request-body-added"
            state = "required" if new_required else "optional"
            self.emit(ctx, rule, severity, "new", new.pointer, f"new {state} request body")
            return
        old = self.resolve(
            "old", old_op.value["requestBody"], _child(old_op.pointer, "requestBody")
        )
        if not isinstance(old.value, Mapping) or not isinstance(new.value, Mapping):
            return
        old_required = bool(old.value.get("required", False))
        if new_required and not old_required:
            self.emit(
                ctx,
                "request-body-became-required",
                "breaking",
                "new",
                _child(new.pointer, "required"),
                "the request body became required",
            )
        elif old_required and not new_required:
            self.emit(
                ctx,
                "request-body-became-optional",
                "compatible",
                "new",
                new.pointer,
                "the request body became optional",
            )
        self._content(ctx, old, new, "request")

    def _responses(self, where: str, old_op: _Node, new_op: _Node) -> None:
        old_all, new_all = old_op.value.get("responses"), new_op.value.get("responses")
        old_all = old_all if isinstance(old_all, Mapping) else {}
        new_all = new_all if isinstance(new_all, Mapping) else {}
        new_codes = {str(code).upper(): code for code in new_all}
        old_codes = {str(code).upper() for code in old_all}
        for code, raw in old_all.items():
            ctx = _Ctx("response", f"{where} {code}")
            old_pointer = _child(old_op.pointer, "responses", code)
            if str(code).upper() not in new_codes:
                self.emit(
                    ctx,
                    "response-status-removed",
                    "breaking",
                    "old",
                    old_pointer,
                    f"documented status {code} was removed",
                )
                continue
            new_code = new_codes[str(code).upper()]
            old = self.resolve("old", raw, old_pointer)
            new = self.resolve(
                "new", new_all[new_code], _child(new_op.pointer, "responses", new_code)
            )
            if isinstance(old.value, Mapping) and isinstance(new.value, Mapping):
                self._content(ctx, old, new, "response")
        for upper, code in new_codes.items():
            if upper not in old_codes:
                self.emit(
                    _Ctx("response", f"{where} {code}"),
                    "response-status-added",
                    "compatible",
                    "new",
                    _child(new_op.pointer, "responses", code),
                    f"new documented status {code}",
                )

    def _content(self, ctx: _Ctx, old: _Node, new: _Node, direction: Direction) -> None:
        """Media types of a request body, response or parameter, and their schemas."""
        old_content, new_content = old.value.get("content"), new.value.get("content")
        old_content = old_content if isinstance(old_content, Mapping) else {}
        new_content = new_content if isinstance(new_content, Mapping) else {}
        new_types = {str(media).lower(): media for media in new_content}
        old_types = {str(media).lower() for media in old_content}
        noun = "request" if direction == "request" else "response"
        for media, old_media in old_content.items():
            old_pointer = _child(old.pointer, "content", media)
            media_ctx = _Ctx(ctx.direction, f"{ctx.where} {media}")
            if str(media).lower() not in new_types:
                self.emit(
                    media_ctx,
                    f"{noun}-media-type-removed",
                    "breaking",
                    "old",
                    old_pointer,
                    f"{noun} media type {media} was removed",
                )
                continue
            new_media_key = new_types[str(media).lower()]
            new_media = new_content[new_media_key]
            if isinstance(old_media, Mapping) and isinstance(new_media, Mapping):
                self._schema_pair(
                    media_ctx,
                    _Node(old_media, old_pointer),
                    _Node(new_media, _child(new.pointer, "content", new_media_key)),
                    "schema",
                )
        for lower, media in new_types.items():
            if lower not in old_types:
                self.emit(
                    _Ctx(ctx.direction, f"{ctx.where} {media}"),
                    f"{noun}-media-type-added",
                    "compatible",
                    "new",
                    _child(new.pointer, "content", media),
                    f"new {noun} media type {media}",
                )

    def _schema_pair(self, ctx: _Ctx, old: _Node, new: _Node, key: str) -> None:
        """Compare ``old.value[key]`` with ``new.value[key]``; a missing schema allows anything."""
        if key not in old.value and key not in new.value:
            return
        self.schema(
            ctx,
            old.value.get(key, True),
            _child(old.pointer, key),
            new.value.get(key, True),
            _child(new.pointer, key),
        )

    # -- schemas

    def schema(
        self,
        ctx: _Ctx,
        old_raw: Any,
        old_pointer: str,
        new_raw: Any,
        new_pointer: str,
        *,
        check_null: bool = True,
    ) -> None:
        """Compare two schemas as used in ``ctx.direction``, following local ``$ref``."""
        old = self.resolve("old", old_raw, old_pointer)
        new = self.resolve("new", new_raw, new_pointer)
        self._nodes(ctx, old, new, check_null=check_null)

    def _nodes(self, ctx: _Ctx, old: _Node, new: _Node, *, check_null: bool) -> None:
        key = (ctx.direction, old.pointer, new.pointer, check_null)
        if key in self._active:  # a recursive schema: this pair is already being compared
            return
        self._active.add(key)
        try:
            self._compare(ctx, old, new, check_null=check_null)
        finally:
            self._active.discard(key)

    def _compare(self, ctx: _Ctx, old: _Node, new: _Node, *, check_null: bool) -> None:
        if old.value is False or new.value is False:
            if old.value is not False:
                self.effect(
                    ctx,
                    _Effect.STRICTER,
                    "schema-disallowed",
                    "new",
                    new.pointer,
                    "the schema became false: no value is allowed",
                )
            elif new.value is not False:
                self.effect(
                    ctx,
                    _Effect.WIDER,
                    "schema-allowed",
                    "new",
                    new.pointer,
                    "the schema was false and now allows values",
                )
            return
        if not isinstance(old.value, Mapping):
            old = _Node({}, old.pointer, old.ref)
        if not isinstance(new.value, Mapping):
            new = _Node({}, new.pointer, new.ref)
        if check_null:
            self._nullability(ctx, old, new)
        old_branches, new_branches = self._branches("old", old), self._branches("new", new)
        if old_branches is None and new_branches is None:
            self._plain(ctx, old, new)
            return
        olds = old_branches if old_branches is not None else [(self._key(old), old)]
        news = new_branches if new_branches is not None else [(self._key(new), new)]
        if len(olds) == 1 and len(news) == 1:
            self._nodes(ctx, olds[0][1], news[0][1], check_null=False)
            return
        self._match(ctx, olds, news, "union-branch", _Effect.STRICTER, _Effect.WIDER)

    def _match(
        self,
        ctx: _Ctx,
        olds: list[tuple[str, _Node]],
        news: list[tuple[str, _Node]],
        rule: str,
        removed: _Effect,
        added: _Effect,
    ) -> None:
        """Pair the branches of a union or ``allOf`` by ``$ref`` target or type, then compare."""
        new_by_key = dict(news)
        old_keys = {key for key, _ in olds}
        for key, old in olds:
            if key in new_by_key:
                self._nodes(ctx, old, new_by_key[key], check_null=False)
            else:
                self.effect(
                    ctx, removed, f"{rule}-removed", "old", old.pointer, f"branch {key} was removed"
                )
        for key, new in news:
            if key not in old_keys:
                self.effect(ctx, added, f"{rule}-added", "new", new.pointer, f"new branch {key}")

    def _key(self, node: _Node) -> str:
        if node.ref is not None:
            return node.ref
        types = _type_set(node.value) if isinstance(node.value, Mapping) else None
        return f"type {_show_types(types)}"

    def _keyed(self, nodes: list[_Node]) -> list[tuple[str, _Node]]:
        counts: dict[str, int] = {}
        keyed: list[tuple[str, _Node]] = []
        for node in nodes:
            key = self._key(node)
            counts[key] = counts.get(key, 0) + 1
            keyed.append((key if counts[key] == 1 else f"{key} #{counts[key]}", node))
        return keyed

    def _branches(self, side: Side, node: _Node) -> list[tuple[str, _Node]] | None:
        """Non-null alternatives of an anyOf/oneOf, open enums folded; None when not a union."""
        keyword = next((k for k in ("anyOf", "oneOf") if k in node.value), None)
        if keyword is None or not isinstance(node.value[keyword], list):
            return None
        branches = [
            self.resolve(side, raw, _child(node.pointer, keyword, index))
            for index, raw in enumerate(node.value[keyword])
        ]
        branches = [b for b in branches if not _is_null_schema(b.value)]
        bare = {t for b in branches if (t := _bare_type(b.value)) is not None}
        if bare:  # `anyOf: [{enum: [a, b]}, {type: string}]` is any string: the enum adds nothing
            branches = [b for b in branches if not _is_enum_within(b.value, bare)]
        return self._keyed(branches)

    def _null_state(self, side: Side, node: _Node) -> bool | None:
        """Whether null is allowed; None when the schema does not say (no type, enum or union)."""
        schema = node.value
        if not isinstance(schema, Mapping):
            return None
        if "type" in schema:
            raw = schema["type"]
            return "null" in (raw if isinstance(raw, list) else [raw])
        if "const" in schema:
            return schema["const"] is None
        if isinstance(schema.get("enum"), list):
            return None in schema["enum"]
        keyword = next((k for k in ("anyOf", "oneOf") if k in schema), None)
        if keyword is None or not isinstance(schema[keyword], list):
            return None
        states = [
            self._null_state(side, self.resolve(side, raw, _child(node.pointer, keyword, i)))
            for i, raw in enumerate(schema[keyword])
        ]
        if any(state is True for state in states):
            return True
        return False if all(state is False for state in states) else None

    def _nullability(self, ctx: _Ctx, old: _Node, new: _Node) -> None:
        assert ctx.direction is not None
        old_null, new_null = self._null_state("old", old), self._null_state("new", new)
        if old_null is True and new_null is False:
            self.effect(
                ctx,
                _Effect.STRICTER,
                f"{ctx.direction}-nullable-removed",
                "new",
                new.pointer,
                f"null is no longer allowed in the {ctx.direction}",
            )
        elif old_null is False and new_null is True:
            self.effect(
                ctx,
                _Effect.WIDER,
                f"{ctx.direction}-nullable-added",
                "new",
                new.pointer,
                f"null is now allowed in the {ctx.direction}",
            )

    def _plain(self, ctx: _Ctx, old: _Node, new: _Node) -> None:
        """Compare two schemas that are not unions, keyword by keyword."""
        o, n = old.value, new.value
        if not self._types(ctx, old, new):
            return
        self._enum(ctx, old, new)
        self._annotation_like(ctx, old, new)
        self._bounds(ctx, old, new)
        self._object(ctx, old, new)
        for keyword in ("items", "additionalItems", "unevaluatedItems"):
            if keyword in o or keyword in n:
                self._schema_pair(ctx, old, new, keyword)
        old_prefix, new_prefix = o.get("prefixItems"), n.get("prefixItems")
        if isinstance(old_prefix, list) and isinstance(new_prefix, list):
            for index in range(min(len(old_prefix), len(new_prefix))):
                self.schema(
                    ctx,
                    old_prefix[index],
                    _child(old.pointer, "prefixItems", index),
                    new_prefix[index],
                    _child(new.pointer, "prefixItems", index),
                )
        if isinstance(o.get("allOf"), list) or isinstance(n.get("allOf"), list):
            self._match(
                ctx,
                self._all_of("old", old),
                self._all_of("new", new),
                "all-of-branch",
                _Effect.WIDER,
                _Effect.STRICTER,
            )

    def _all_of(self, side: Side, node: _Node) -> list[tuple[str, _Node]]:
        raw = node.value.get("allOf")
        branches = raw if isinstance(raw, list) else []
        return self._keyed(
            [
                self.resolve(side, b, _child(node.pointer, "allOf", i))
                for i, b in enumerate(branches)
            ]
        )

    def _types(self, ctx: _Ctx, old: _Node, new: _Node) -> bool:
        """Report a type change; False when the types have nothing in common (stop there)."""
        old_types, new_types = _type_set(old.value), _type_set(new.value)
        if old_types == new_types:
            return True
        change = f"type {_show_types(old_types)} -> {_show_types(new_types)}"
        if new_types is not None and (old_types is None or _covers(old_types, new_types)):
            self.effect(ctx, _Effect.STRICTER, "type-narrowed", "new", new.pointer, change)
        elif old_types is not None and (new_types is None or _covers(new_types, old_types)):
            self.effect(ctx, _Effect.WIDER, "type-widened", "new", new.pointer, change)
        else:
            self.effect(ctx, _Effect.CHANGED, "type-changed", "new", new.pointer, change)
            return False
        return True

    def _enum(self, ctx: _Ctx, old: _Node, new: _Node) -> None:
        old_values, new_values = _enum_values(old.value), _enum_values(new.value)
        if old_values is None and new_values is None:
            return
        if old_values is None:
            self.effect(
                ctx,
                _Effect.STRICTER,
                "enum-added",
                "new",
                new.pointer,
                f"values restricted to {new_values}",
            )
            return
        if new_values is None:
            self.effect(
                ctx,
                _Effect.WIDER,
                "enum-removed",
                "new",
                new.pointer,
                f"values no longer restricted to {old_values}",
            )
            return
        old_keys = {_value_key(v) for v in old_values}
        new_keys = {_value_key(v) for v in new_values}
        enum_or_const = "enum" if "enum" in old.value else "const"
        for index, value in enumerate(old_values):
            if _value_key(value) not in new_keys:
                self.effect(
                    ctx,
                    _Effect.STRICTER,
                    "enum-value-removed",
                    "old",
                    _child(old.pointer, enum_or_const),
                    f"value {value!r} (#{index}) is no longer allowed",
                )
        assert ctx.direction is not None
        rule = "response-enum-value-added" if ctx.direction == "response" else "enum-value-added"
        for value in new_values:
            if _value_key(value) not in old_keys:
                self.effect(
                    ctx,
                    _Effect.WIDER,
                    rule,
                    "new",
                    _child(new.pointer, "enum" if "enum" in new.value else "const"),
                    f"new value {value!r} in a closed enum",
                )

    def _annotation_like(self, ctx: _Ctx, old: _Node, new: _Node) -> None:
        """``format``, ``pattern``, ``multipleOf``, ``uniqueItems``: added, removed or changed."""
        for keyword, removed in (
            ("format", _Effect.WIDER),
            ("pattern", _Effect.LOOSER),
            ("multipleOf", _Effect.LOOSER),
        ):
            before, after = old.value.get(keyword), new.value.get(keyword)
            if before == after:
                continue
            name = _kebab(keyword)
            side: Side
            if before is None:
                effect, rule, side, pointer = _Effect.STRICTER, f"{name}-added", "new", new.pointer
            elif after is None:
                effect, rule, side, pointer = removed, f"{name}-removed", "old", old.pointer
            else:
                effect, rule, side, pointer = _Effect.CHANGED, f"{name}-changed", "new", new.pointer
            self.effect(
                ctx,
                effect,
                rule,
                side,
                _child(pointer, keyword),
                f"{keyword} {before!r} -> {after!r}",
            )
        if bool(old.value.get("uniqueItems")) != bool(new.value.get("uniqueItems")):
            added = bool(new.value.get("uniqueItems"))
            self.effect(
                ctx,
                _Effect.STRICTER if added else _Effect.LOOSER,
                "unique-items-added" if added else "unique-items-removed",
                "new",
                _child(new.pointer, "uniqueItems") if added else new.pointer,
                "items must now be unique" if added else "items no longer need to be unique",
            )

    def _bounds(self, ctx: _Ctx, old: _Node, new: _Node) -> None:
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS):
            before, after = _number(old.value.get(keyword)), _number(new.value.get(keyword))
            if before == after:
                continue
            lower = keyword in _LOWER_BOUNDS
            name = _kebab(keyword)
            if before is None:
                tighter, rule = True, f"{name}-added"
            elif after is None:
                tighter, rule = False, f"{name}-removed"
            else:
                tighter = after > before if lower else after < before
                rule = f"{name}-{'increased' if after > before else 'decreased'}"
            side: Side = "old" if after is None else "new"
            self.effect(
                ctx,
                _Effect.STRICTER if tighter else _Effect.LOOSER,
                rule,
                side,
                _child(old.pointer if after is None else new.pointer, keyword),
                f"{keyword} {before} -> {after} ({'tightened' if tighter else 'loosened'})",
            )

    def _object(self, ctx: _Ctx, old: _Node, new: _Node) -> None:
        assert ctx.direction is not None
        direction = ctx.direction
        o, n = old.value, new.value
        old_props = o.get("properties") if isinstance(o.get("properties"), Mapping) else {}
        new_props = n.get("properties") if isinstance(n.get("properties"), Mapping) else {}
        old_req = set(o.get("required", [])) if isinstance(o.get("required"), list) else set()
        new_req = set(n.get("required", [])) if isinstance(n.get("required"), list) else set()
        names = list(dict.fromkeys([*old_props, *new_props, *sorted(old_req), *sorted(new_req)]))
        for name in names:
            old_pointer = _child(old.pointer, "properties", name)
            new_pointer = _child(new.pointer, "properties", name)
            if name not in new_props:
                new_pointer = _child(new.pointer, "required")
            in_old = name in old_props or name in old_req
            in_new = name in new_props or name in new_req
            if in_old and not in_new:
                self.effect(
                    ctx,
                    _Effect.CHANGED,
                    f"{direction}-property-removed",
                    "old",
                    old_pointer if name in old_props else _child(old.pointer, "required"),
                    f"{direction} property {name!r} was removed",
                )
                continue
            if in_new and not in_old:
                required = name in new_req
                self.effect(
                    ctx,
                    _Effect.STRICTER if required else _Effect.LOOSER,
                    f"{direction}-property-added-required"
                    if required
                    else f"{direction}-property-added",
                    "new",
                    new_pointer,
                    f"new {'required' if required else 'optional'} {direction} property {name!r}",
                )
                continue
            if name in old_props and name in new_props:
                self.schema(ctx, old_props[name], old_pointer, new_props[name], new_pointer)
            if name in new_req and name not in old_req:
                self.effect(
                    ctx,
                    _Effect.STRICTER,
                    f"{direction}-property-became-required",
                    "new",
                    new_pointer,
                    f"{direction} property {name!r} became required",
                )
            elif name in old_req and name not in new_req:
                self.effect(
                    ctx,
                    _Effect.WIDER,
                    f"{direction}-property-became-optional",
                    "new",
                    new_pointer,
                    f"{direction} property {name!r} became optional",
                )
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            self._extra_properties(ctx, old, new, keyword)

    def _extra_properties(self, ctx: _Ctx, old: _Node, new: _Node, keyword: str) -> None:
        before, after = old.value.get(keyword, True), new.value.get(keyword, True)
        name = _kebab(keyword)
        if before is not False and after is False:
            self.effect(
                ctx,
                _Effect.STRICTER,
                f"{name}-disallowed",
                "new",
                _child(new.pointer, keyword),
                f"{keyword}: false now rejects properties the description does not name",
            )
        elif before is False and after is not False:
            self.effect(
                ctx,
                _Effect.LOOSER,
                f"{name}-allowed",
                "new",
                new.pointer,
                f"{keyword} no longer false: unnamed properties are accepted",
            )
        elif isinstance(before, Mapping) or isinstance(after, Mapping):
            self._schema_pair(ctx, old, new, keyword)


def _number(value: Any) -> float | None:
    """A numeric bound; booleans (OpenAPI 3.0's exclusiveMinimum) and junk are no bound."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _style(parameter: Mapping[str, Any]) -> tuple[str, bool]:
    default = "form" if parameter.get("in") in ("query", "cookie") else "simple"
    style = str(parameter.get("style", default))
    return style, bool(parameter.get("explode", style == "form"))


def compare_documents(old: Any, new: Any) -> list[Finding]:
    """Every change from ``old`` to ``new`` (two OpenAPI 3.1 trees), compatible ones included."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        raise BreakingError("an OpenAPI document must be an object")
    return _Comparator(old, new).run()


# --------------------------------------------------------------------------- reports


@dataclass
class DocumentReport:
    """One document's outcome: compared, new (not at BASE), absent (nowhere) or removed."""

    name: str
    status: Literal["compared", "new", "absent", "removed"]
    findings: list[Finding] = field(default_factory=list)

    def as_json(self, *, verbose: bool) -> dict[str, Any]:
        """The document's part of ``--format json``."""
        return {
            "name": self.name,
            "status": self.status,
            "findings": [f.as_json() for f in _shown(self.findings, verbose=verbose)],
        }


@dataclass
class Report:
    """All documents, both versions, and the exit code they give."""

    old_label: str
    new_label: str
    documents: list[DocumentReport]
    old_version: str | None
    new_version: str | None

    @property
    def breaking(self) -> int:
        """How many breaking findings, over all documents."""
        return sum(f.severity == "breaking" for d in self.documents for f in d.findings)

    @property
    def major_moved(self) -> bool:
        """Whether the major version went up from BASE to now."""
        old, new = _major(self.old_version), _major(self.new_version)
        return old is not None and new is not None and new > old

    @property
    def exit_code(self) -> int:
        """0 without breaking changes or with a major bump, else 1."""
        return 1 if self.breaking and not self.major_moved else 0

    def summary(self) -> str:
        """The closing line: counts, versions and what they mean for the exit code."""
        warnings = sum(f.severity == "warning" for d in self.documents for f in d.findings)
        counts = f"{self.breaking} breaking, {warnings} warnings"
        if not self.breaking:
            return f"{counts}: no breaking change"
        versions = f"from {self.old_version} to {self.new_version}"
        if self.major_moved:
            return f"{counts}: allowed: major version moved {versions}"
        return f"{counts}: major version did not move ({versions}): failing"

    def as_json(self, *, verbose: bool) -> dict[str, Any]:
        """The whole report for ``--format json``."""
        return {
            "old": self.old_label,
            "new": self.new_label,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "major_moved": self.major_moved,
            "breaking": self.breaking,
            "exit_code": self.exit_code,
            "documents": [d.as_json(verbose=verbose) for d in self.documents],
        }

    def as_text(self, *, verbose: bool) -> str:
        """A readable report: per document, per group, one block per finding."""
        lines = [f"breaking-change check: {self.old_label} -> {self.new_label}"]
        for document in self.documents:
            shown = _shown(document.findings, verbose=verbose)
            if document.status == "new":
                lines.append(f"{document.name}: new (not at the base), nothing to compare")
                continue
            if document.status == "absent":
                lines.append(f"{document.name}: absent at the base and now, nothing to compare")
                continue
            lines.append(f"{document.name}:")
            for group in GROUPS:
                in_group = [f for f in shown if f.group == group]
                if not in_group:
                    lines.append(f"  {group}: none")
                    continue
                lines.append(f"  {group}:")
                for f in in_group:
                    lines.append(f"    {f.severity.upper()} {f.rule}: {f.message}")
                    lines.append(f"      at {f.document} {f.pointer}")
                    if f.used_by:
                        lines.append(f"      used by {', '.join(f.used_by)}")
        lines.append(self.summary())
        return "\n".join(lines)


def _shown(findings: list[Finding], *, verbose: bool) -> list[Finding]:
    return [f for f in findings if verbose or f.severity != "compatible"]


def _major(version: str | None) -> int | None:
    match = re.match(r"v?(\d+)(?:\.|$)", version or "")
    return int(match[1]) if match else None


def _version(document: Any) -> str | None:
    info = document.get("info") if isinstance(document, Mapping) else None
    version = info.get("version") if isinstance(info, Mapping) else None
    return str(version) if version is not None else None


def _compare_one(name: str, old: Any, new: Any) -> DocumentReport:
    if old is None:
        return DocumentReport(name, "absent" if new is None else "new")
    if new is None:
        removed = Finding(
            "document-removed", "breaking", "operations", "old", "#", f"{name} was removed"
        )
        return DocumentReport(name, "removed", [removed])
    try:
        return DocumentReport(name, "compared", compare_documents(old, new))
    except BreakingError as error:
        raise BreakingError(f"{name}: {error}") from error


def _load(path: Path) -> Any:
    try:
        return load_document(path)
    except DocumentLoadError as error:
        raise BreakingError(str(error)) from error


def compare_files(old: Path, new: Path) -> Report:
    """Compare two explicit files; the major version is read from each file's ``info.version``."""
    old_doc, new_doc = _load(old), _load(new)
    report = _compare_one(str(new), old_doc, new_doc)
    return Report(str(old), str(new), [report], _version(old_doc), _version(new_doc))


# --------------------------------------------------------------------------- git


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    executable = shutil.which("git")
    if executable is None:
        raise BreakingError("git is not installed")
    return subprocess.run(  # noqa: S603 (fixed git sub-commands, no shell)
        [executable, *args], cwd=root, capture_output=True, check=False
    )


def _repo_root(start: Path) -> Path:
    proc = _git(start, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise BreakingError(f"{start} is not inside a git work tree")
    return Path(proc.stdout.decode().strip())


def _read_at(root: Path, commit: str, relative: str) -> Any:
    """The document at ``commit``, or None when the commit has no such file."""
    if _git(root, "cat-file", "-e", f"{commit}:{relative}").returncode != 0:
        return None
    proc = _git(root, "show", f"{commit}:{relative}")
    if proc.returncode != 0:
        raise BreakingError(f"git show {commit}:{relative} failed: {proc.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(relative).name
        copy.write_bytes(proc.stdout)
        try:
            return load_document(copy)
        except DocumentLoadError as error:
            raise BreakingError(f"{relative} at {commit[:12]}: {error}") from error


def compare_with_base(
    base: str, *, root: Path | None = None, documents: Sequence[str] = DOCUMENTS
) -> Report:
    """Compare the work tree's documents with the same files at the git ref ``base``."""
    root = _repo_root(root or Path.cwd())
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    if proc.returncode != 0:
        raise BreakingError(f"unknown git ref {base!r}")
    commit = proc.stdout.decode().strip()
    reports: list[DocumentReport] = []
    versions: dict[Side, str | None] = {"old": None, "new": None}
    for relative in documents:
        old = _read_at(root, commit, relative)
        new = _load(root / relative) if (root / relative).is_file() else None
        if relative == VERSION_DOCUMENT:
            versions = {"old": _version(old), "new": _version(new)}
        reports.append(_compare_one(relative, old, new))
    return Report(f"{base} ({commit[:12]})", "work tree", reports, versions["old"], versions["new"])


# --------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.breaking",
        description="List the changes to the API descriptions that break clients.",
    )
    parser.add_argument("--base", help="git ref to compare the work tree with (default HEAD)")
    parser.add_argument("--old", type=Path, help="compare this file ... (with --new)")
    parser.add_argument("--new", type=Path, help="... with this one, instead of git")
    parser.add_argument(
        "--repo", type=Path, help="git work tree to use (default: the one around the cwd)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--verbose", action="store_true", help="also list compatible changes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; exit 0 (nothing breaks or major bumped), 1 (breaks) or 2 (usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.old is None) != (args.new is None):
        parser.error("--old and --new go together")
    if args.old is not None and (args.base is not None or args.repo is not None):
        parser.error("--old/--new compare files; --base/--repo compare with git: pick one")
    try:
        if args.old is not None:
            report = compare_files(args.old, args.new)
        else:
            report = compare_with_base(args.base or "HEAD", root=args.repo)
    except BreakingError as error:
        print(f"breaking: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.as_json(verbose=args.verbose), indent=2, ensure_ascii=False))
    else:
        print(report.as_text(verbose=args.verbose))
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
