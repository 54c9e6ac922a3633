"""The Overlay semantics: remove, update and copy, applied in order to a cloned document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from jsonpath import JSONPathMatch

from tools.overlay._action import Action
from tools.overlay._document import JSONValue, clone, kind
from tools.overlay._errors import (
    CopySourceError,
    EmptyTargetError,
    IncompatibleMergeError,
    UnsupportedTargetError,
)
from tools.overlay._validate import feature_set, validate_overlay


def _container(document: JSONValue, parts: Sequence[int | str]) -> JSONValue:
    node = document
    for part in parts:
        node = node[part]
    return node


def _describe(parts: Sequence[int | str]) -> str:
    return "$" + "".join(f"[{part!r}]" if isinstance(part, str) else f"[{part}]" for part in parts)


def _merge_object(
    target: dict[str, Any], value: Mapping[str, Any], where: list[int | str], action: Action
) -> None:
    """The spec's recursive merge of ``value`` into ``target``, in place."""
    for key, new in value.items():
        if key not in target:
            target[key] = clone(new)
            continue
        old = target[key]
        old_kind, new_kind = kind(old), kind(new)
        if old_kind == new_kind == "object":
            _merge_object(old, new, [*where, key], action)
        elif old_kind == new_kind == "array":
            old.extend(clone(new))
        elif old_kind == new_kind == "primitive":
            target[key] = new
        else:
            raise action.error(
                IncompatibleMergeError,
                f"cannot merge {'an' if new_kind == 'object' else 'a'} {new_kind} into the "
                f"{old_kind} at {_describe([*where, key])}",
            )


def _remove(document: JSONValue, nodes: list[JSONPathMatch], action: Action, version: str) -> None:
    groups: dict[int, tuple[Any, list[int | str]]] = {}
    for node in nodes:
        if not node.parts:
            raise action.error(UnsupportedTargetError, "cannot remove the document root")
        container = _container(document, node.parts[:-1])
        if version == "1.0" and isinstance(container, list) and kind(node.obj) == "primitive":
            raise action.error(
                UnsupportedTargetError,
                f"Overlay 1.0 cannot remove the primitive array item {node.path} "
                "(1.1 can: set overlay: 1.1.0)",
            )
        groups.setdefault(id(container), (container, []))[1].append(node.parts[-1])
    for container, keys in groups.values():
        if isinstance(container, list):
            for index in sorted(cast("list[int]", keys), reverse=True):
                del container[index]
        else:
            for key in keys:
                del container[key]


def _merge_value(
    document: JSONValue,
    nodes: list[JSONPathMatch],
    value: JSONValue,
    source: str,
    action: Action,
    version: str,
) -> JSONValue:
    """Apply an update/copy value to every selected node; returns the (possibly new) root."""
    kinds = sorted({kind(node.obj) for node in nodes})
    if len(kinds) > 1:
        raise action.error(
            IncompatibleMergeError,
            f"target selects a mix of {' and '.join(kinds)} nodes; for {source} they must be "
            "all objects, all arrays or all primitives",
        )
    selected, value_kind = kinds[0], kind(value)
    if selected == "object":
        if value_kind != "object":
            raise action.error(
                IncompatibleMergeError,
                f"target selects objects, so the {source} value must be an object, "
                f"not {'an' if value_kind == 'array' else 'a'} {value_kind}",
            )
        for node in nodes:
            _merge_object(cast("dict[str, Any]", node.obj), value, list(node.parts), action)
    elif selected == "array":
        for node in nodes:
            array = cast("list[Any]", node.obj)
            if value_kind == "array":
                array.extend(clone(value))
            else:
                array.append(clone(value))
    else:
        if version == "1.0":
            raise action.error(
                UnsupportedTargetError,
                "Overlay 1.0 targets must be objects or arrays; select the containing object, "
                "or use overlay: 1.1.0 to replace primitive values",
            )
        if value_kind != "primitive":
            raise action.error(
                IncompatibleMergeError,
                f"target selects primitive values, so the {source} value must be a primitive, "
                f"not {'an' if value_kind == 'array' else 'a'} {value_kind}",
            )
        for node in nodes:
            if not node.parts:
                return value
            _container(document, node.parts[:-1])[node.parts[-1]] = value
    return document


def apply_overlay(
    document: JSONValue, overlay: Mapping[str, Any], *, allow_empty_targets: bool = False
) -> JSONValue:
    """Return ``document`` with the overlay's actions applied in order; the input is not changed.

    Raises ``EmptyTargetError`` when a target selects nothing, unless ``allow_empty_targets``.
    """
    validate_overlay(overlay)
    version = "1.0" if feature_set(overlay) == (1, 0) else "1.1"
    actions = [Action(index, action) for index, action in enumerate(overlay["actions"])]
    result = clone(document)
    for action in actions:
        nodes = action.compiled_target(result)
        if not nodes:
            if allow_empty_targets:
                continue
            raise action.error(
                EmptyTargetError,
                "selects no node; an overlay that no longer matches must fail loudly "
                "(pass allow_empty_targets=True for the spec's no-op behaviour)",
            )
        if action.remove:
            _remove(result, nodes, action, version)
        elif action.has_update:
            result = _merge_value(result, nodes, action.update, "update", action, version)
        elif action.compiled_copy is not None:
            sources = action.compiled_copy(result)
            if len(sources) != 1:
                raise action.error(
                    CopySourceError,
                    f"copy {action.copy_query!r} must select exactly one node, "
                    f"it selects {len(sources)}",
                )
            copied = clone(sources[0].obj)
            result = _merge_value(result, nodes, copied, "copy", action, version)
    return result
