"""Detectors for the parts of a document around the schemas: servers, paths, operations,
parameters, request bodies, responses and media types.

Each gets the old and the new node of one matched pair (None on the side where it is missing)
and yields ``Change``s naming rules of the table in ``tools.breaking.rules``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from tools._openapi import split_pointer
from tools.breaking import _facts as f
from tools.breaking._model import Change, Ctx, Node, Resolver, Side


def _last(pointer: str) -> str:
    return split_pointer(pointer.removeprefix("#"))[-1]


def detect_document(w: Resolver, ctx: Ctx, old: Node | None, new: Node | None) -> Iterator[Change]:
    """A whole document that was at the base and is gone now."""
    if old is not None and new is None:
        yield Change("document-removed", "old", "#", f"{ctx.where} was removed")


def detect_server(w: Resolver, ctx: Ctx, old: Node | None, new: Node | None) -> Iterator[Change]:
    """A server URL that is no longer listed (a warning: clients choose their own URL)."""
    if old is not None and new is None:
        url = old.value.get("url") if isinstance(old.value, Mapping) else None
        yield Change("server-removed", "old", old.pointer, f"server {url!r} was removed")


def detect_path(w: Resolver, ctx: Ctx, old: Node | None, new: Node | None) -> Iterator[Change]:
    """A path (matched with parameter names blanked) removed or added."""
    if new is None and old is not None:
        yield Change("path-removed", "old", old.pointer, f"path {ctx.where} was removed")
    elif old is None and new is not None:
        yield Change("path-added", "new", new.pointer, f"path {ctx.where} was added")


def detect_operation(w: Resolver, ctx: Ctx, old: Node | None, new: Node | None) -> Iterator[Change]:
    """An operation removed or added, or its operationId changed (generated names change)."""
    if new is None and old is not None:
        yield Change("operation-removed", "old", old.pointer, f"operation {ctx.where} was removed")
    elif old is None and new is not None:
        yield Change("operation-added", "new", new.pointer, f"operation {ctx.where} was added")
    elif old is not None and new is not None:
        old_id, new_id = _get(old, "operationId"), _get(new, "operationId")
        if old_id is not None and old_id != new_id:
            at = new if new_id is not None else old
            message = f"operationId {old_id!r} became {new_id!r}: generated method names change"
            side: Side = "new" if new_id is not None else "old"
            yield Change("operation-id-changed", side, f.child(at.pointer, "operationId"), message)


def _get(node: Node, key: str) -> Any:
    return node.value.get(key) if isinstance(node.value, Mapping) else None


def detect_parameter(w: Resolver, ctx: Ctx, old: Node | None, new: Node | None) -> Iterator[Change]:
    """A parameter removed, added, made required or optional, or serialised differently."""
    node = new if new is not None else old
    assert node is not None
    location, name = str(node.value.get("in")), str(node.value.get("name"))
    name = name.lower() if location == "header" else name
    what = f"{location} parameter {name!r}"
    if new is None and old is not None:
        message = f"{what} was removed: callers that send it break"
        yield Change("parameter-removed", "old", old.pointer, message)
        return
    if old is None and new is not None:
        if new.value.get("required", False) or location == "path":
            yield Change("parameter-added-required", "new", new.pointer, f"new required {what}")
        else:
            yield Change("parameter-added", "new", new.pointer, f"new optional {what}")
        return
    assert old is not None
    assert new is not None
    yield from _required("parameter", what, old, new)
    if f.style(old.value) != f.style(new.value):
        message = (
            f"{what} is serialised differently "
            f"(style/explode {f.style(old.value)} -> {f.style(new.value)})"
        )
        yield Change("parameter-style-changed", "new", new.pointer, message)


def _required(prefix: str, what: str, old: Node, new: Node) -> Iterator[Change]:
    before, after = bool(old.value.get("required", False)), bool(new.value.get("required", False))
    if after and not before:
        at = f.child(new.pointer, "required")
        yield Change(f"{prefix}-became-required", "new", at, f"{what} became required")
    elif before and not after:
        yield Change(f"{prefix}-became-optional", "new", new.pointer, f"{what} became optional")


def detect_request_body(
    w: Resolver, ctx: Ctx, old: Node | None, new: Node | None
) -> Iterator[Change]:
    """The request body removed, added, or made required or optional."""
    if new is None and old is not None:
        message = "the request body was removed: callers that send one break"
        yield Change("request-body-removed", "old", old.pointer, message)
    elif old is None and new is not None:
        required = isinstance(new.value, Mapping) and bool(new.value.get("required", False))
        rule = "request-body-added-required" if required else "request-body-added"
        state = "required" if required else "optional"
        yield Change(rule, "new", new.pointer, f"new {state} request body")
    elif old is not None and new is not None:
        yield from _required("request-body", "the request body", old, new)


def detect_response(w: Resolver, ctx: Ctx, old: Node | None, new: Node | None) -> Iterator[Change]:
    """A documented status code removed or added."""
    if new is None and old is not None:
        message = f"documented status {_last(old.pointer)} was removed"
        yield Change("response-status-removed", "old", old.pointer, message)
    elif old is None and new is not None:
        message = f"new documented status {_last(new.pointer)}"
        yield Change("response-status-added", "new", new.pointer, message)


def detect_media_type(
    w: Resolver, ctx: Ctx, old: Node | None, new: Node | None
) -> Iterator[Change]:
    """A media type of a request body, parameter or response removed or added."""
    noun = ctx.direction
    if new is None and old is not None:
        message = f"{noun} media type {_last(old.pointer)} was removed"
        yield Change(f"{noun}-media-type-removed", "old", old.pointer, message)
    elif old is None and new is not None:
        message = f"new {noun} media type {_last(new.pointer)}"
        yield Change(f"{noun}-media-type-added", "new", new.pointer, message)
