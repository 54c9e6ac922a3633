"""The walk: both documents side by side, from servers and paths down to every schema.

The walk pairs nodes (paths by template with parameter names blanked, operations by method,
parameters by location and name, responses by status, media types by name, schemas by
position) and hands each pair to the detectors of the rule table; the level of each change
comes from the table, never from the walk. Schemas are walked in ``_walk_schema``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tools._openapi import RefError, resolve_ref
from tools.breaking import _detect_ops as ops
from tools.breaking._facts import METHODS, child
from tools.breaking._model import (
    GROUPS,
    SEVERITY_ORDER,
    BreakingError,
    Ctx,
    Detector,
    Finding,
    Node,
    Side,
)
from tools.breaking._walk_schema import schema_pair
from tools.breaking.rules import RULES_BY_ID


class Walker:
    """Both documents, the findings so far, and the schema pairs being compared right now."""

    def __init__(self, old: Any, new: Any) -> None:
        self.docs: dict[Side, Any] = {"old": old, "new": new}
        self.findings: dict[tuple[str, str, str, str], Finding] = {}
        self.active: set[tuple[str | None, str, str, bool]] = set()

    def resolve(self, side: Side, value: Any, pointer: str) -> Node:
        """``value`` with its local ``$ref`` chain followed (a usage error if it is broken)."""
        try:
            target, where, ref = resolve_ref(self.docs[side], value, pointer)
        except RefError as error:
            message = f"$ref {error.ref!r} does not resolve: it {error.reason}"
            raise BreakingError(f"{side} document: {message}") from error
        return Node(target, where, ref)

    def run(self, detector: Detector, ctx: Ctx, old: Node | None, new: Node | None) -> None:
        """Record what ``detector`` finds in one pair, at the level the rule table gives."""
        for change in detector(self, ctx, old, new):
            rule = RULES_BY_ID.get(change.rule)
            if rule is None or rule.detector is not detector or ctx.group not in rule.levels:
                raise RuntimeError(f"{detector.__name__} reported {change.rule!r} in {ctx.group}")
            key = (ctx.group, rule.id, change.side, change.pointer)
            finding = self.findings.get(key)
            if finding is None:
                finding = Finding(
                    rule.id,
                    rule.levels[ctx.group],
                    ctx.group,
                    change.side,
                    change.pointer,
                    change.message,
                )
                self.findings[key] = finding
            if ctx.where not in finding.used_by:
                finding.used_by.append(ctx.where)

    def sorted_findings(self) -> list[Finding]:
        """Findings by group, then level, then the order they were found in."""
        order = {id(f): i for i, f in enumerate(self.findings.values())}
        return sorted(
            self.findings.values(),
            key=lambda f: (GROUPS.index(f.group), SEVERITY_ORDER[f.severity], order[id(f)]),
        )


def compare_documents(old: Any, new: Any) -> list[Finding]:
    """Every change from ``old`` to ``new`` (two OpenAPI 3.1 trees), compatible ones included."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        raise BreakingError("an OpenAPI document must be an object")
    w = Walker(old, new)
    _servers(w)
    _paths(w)
    return w.sorted_findings()


def removed_document(name: str, old: Any) -> list[Finding]:
    """The one finding for a document that is gone."""
    w = Walker(old, None)
    w.run(ops.detect_document, Ctx(None, name), Node(old, "#"), None)
    return w.sorted_findings()


def _list(doc: Any, key: str) -> list[Any]:
    value = doc.get(key) if isinstance(doc, Mapping) else None
    return value if isinstance(value, list) else []


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _servers(w: Walker) -> None:
    new_urls = {s.get("url") for s in _list(w.docs["new"], "servers") if isinstance(s, Mapping)}
    for index, server in enumerate(_list(w.docs["old"], "servers")):
        if isinstance(server, Mapping) and server.get("url") not in new_urls:
            node = Node(server, child("#/servers", index))
            w.run(ops.detect_server, Ctx(None, "servers"), node, None)


def _path_items(w: Walker, side: Side) -> dict[str, tuple[str, Node]]:
    """Path items by template with parameter names blanked (``/a/{}``): renames match."""
    items: dict[str, tuple[str, Node]] = {}
    for template, item in _map(w.docs[side].get("paths")).items():
        node = w.resolve(side, item, child("#/paths", template))
        items[re.sub(r"\{[^}]*\}", "{}", template)] = (template, node)
    return items


def _paths(w: Walker) -> None:
    olds, news = _path_items(w, "old"), _path_items(w, "new")
    for key, (template, old) in olds.items():
        if key not in news:
            w.run(ops.detect_path, Ctx(None, template), old, None)
            continue
        new_template, new = news[key]
        for method in METHODS:
            in_old, in_new = method in _map(old.value), method in _map(new.value)
            old_op = Node(old.value[method], child(old.pointer, method)) if in_old else None
            new_op = Node(new.value[method], child(new.pointer, method)) if in_new else None
            if old_op is not None and new_op is not None:
                _operation(w, f"{method.upper()} {template}", old, old_op, new, new_op)
            elif old_op is not None or new_op is not None:
                shown = template if new_op is None else new_template
                w.run(ops.detect_operation, Ctx(None, f"{method.upper()} {shown}"), old_op, new_op)
    for key, (template, new) in news.items():
        if key not in olds:
            w.run(ops.detect_path, Ctx(None, template), None, new)


def _operation(w: Walker, name: str, old_item: Node, old: Node, new_item: Node, new: Node) -> None:
    if not isinstance(old.value, Mapping) or not isinstance(new.value, Mapping):
        return
    where = str(new.value.get("operationId") or old.value.get("operationId") or name)
    w.run(ops.detect_operation, Ctx(None, where), old, new)
    _parameters(w, where, old_item, old, new_item, new)
    _request_body(w, where, old, new)
    _responses(w, where, old, new)


def _parameters_of(w: Walker, side: Side, item: Node, op: Node) -> dict[tuple[str, str], Node]:
    merged: dict[tuple[str, str], Node] = {}
    for owner in (item, op):
        params = owner.value.get("parameters")
        for index, raw in enumerate(params if isinstance(params, list) else []):
            node = w.resolve(side, raw, child(owner.pointer, "parameters", index))
            if isinstance(node.value, Mapping):
                location, name = str(node.value.get("in")), str(node.value.get("name"))
                merged[(location, name.lower() if location == "header" else name)] = node
    return merged


def _parameters(
    w: Walker, where: str, old_item: Node, old_op: Node, new_item: Node, new_op: Node
) -> None:
    olds = _parameters_of(w, "old", old_item, old_op)
    news = _parameters_of(w, "new", new_item, new_op)
    for key in [*olds, *(k for k in news if k not in olds)]:
        ctx = Ctx("request", f"{where} {key[0]} parameter {key[1]}")
        old, new = olds.get(key), news.get(key)
        w.run(ops.detect_parameter, ctx, old, new)
        if old is not None and new is not None:
            schema_pair(w, ctx, old, new, "schema")
            _content(w, ctx, old, new)


def _request_body(w: Walker, where: str, old_op: Node, new_op: Node) -> None:
    old, new = (_body(w, "old", old_op), _body(w, "new", new_op))
    if old is None and new is None:
        return
    ctx = Ctx("request", f"{where} request body")
    if old is not None and new is not None:
        if not isinstance(old.value, Mapping) or not isinstance(new.value, Mapping):
            return
        w.run(ops.detect_request_body, ctx, old, new)
        _content(w, ctx, old, new)
    else:
        w.run(ops.detect_request_body, ctx, old, new)


def _body(w: Walker, side: Side, op: Node) -> Node | None:
    if "requestBody" not in op.value:
        return None
    return w.resolve(side, op.value["requestBody"], child(op.pointer, "requestBody"))


def _responses(w: Walker, where: str, old_op: Node, new_op: Node) -> None:
    old_all, new_all = _map(old_op.value.get("responses")), _map(new_op.value.get("responses"))
    new_codes = {str(code).upper(): code for code in new_all}
    old_codes = {str(code).upper() for code in old_all}
    for code, raw in old_all.items():
        ctx = Ctx("response", f"{where} {code}")
        old_at = child(old_op.pointer, "responses", code)
        if str(code).upper() not in new_codes:
            w.run(ops.detect_response, ctx, Node(raw, old_at), None)
            continue
        new_code = new_codes[str(code).upper()]
        old = w.resolve("old", raw, old_at)
        new = w.resolve("new", new_all[new_code], child(new_op.pointer, "responses", new_code))
        if isinstance(old.value, Mapping) and isinstance(new.value, Mapping):
            _content(w, ctx, old, new)
    for upper, code in new_codes.items():
        if upper not in old_codes:
            new = Node(new_all[code], child(new_op.pointer, "responses", code))
            w.run(ops.detect_response, Ctx("response", f"{where} {code}"), None, new)


def _content(w: Walker, ctx: Ctx, old: Node, new: Node) -> None:
    """Media types of a request body, response or parameter, and their schemas."""
    old_content, new_content = _map(old.value.get("content")), _map(new.value.get("content"))
    new_types = {str(media).lower(): media for media in new_content}
    old_types = {str(media).lower() for media in old_content}
    for media, old_media in old_content.items():
        media_ctx = Ctx(ctx.direction, f"{ctx.where} {media}")
        old_node = Node(old_media, child(old.pointer, "content", media))
        if str(media).lower() not in new_types:
            w.run(ops.detect_media_type, media_ctx, old_node, None)
            continue
        new_key = new_types[str(media).lower()]
        new_node = Node(new_content[new_key], child(new.pointer, "content", new_key))
        if isinstance(old_media, Mapping) and isinstance(new_node.value, Mapping):
            schema_pair(w, media_ctx, old_node, new_node, "schema")
    for lower, media in new_types.items():
        if lower not in old_types:
            new_node = Node(new_content[media], child(new.pointer, "content", media))
            w.run(ops.detect_media_type, Ctx(ctx.direction, f"{ctx.where} {media}"), None, new_node)
