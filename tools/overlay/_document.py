"""Documents as the applier sees them: loaded by the shared loader, cloned as trees."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from tools import _openapi
from tools._openapi import JSONValue, dump_yaml
from tools.overlay._errors import DocumentLoadError

__all__ = ["JSONValue", "NodeKind", "clone", "dump_yaml", "kind", "load_document"]

NodeKind = Literal["object", "array", "primitive"]


def kind(value: object) -> NodeKind:
    """What the spec's merge rules call a node: object, array or primitive."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "primitive"


def clone(value: JSONValue) -> JSONValue:
    """An independent copy of a JSON tree (YAML aliases unshared); cycles are load errors."""
    try:
        return _openapi.clone_tree(value)
    except _openapi.DocumentLoadError as error:
        raise DocumentLoadError(str(error)) from error


def load_document(path: Path) -> JSONValue:
    """``tools._openapi.load_document``, failing with this package's ``DocumentLoadError``."""
    try:
        return _openapi.load_document(path)
    except _openapi.DocumentLoadError as error:
        raise DocumentLoadError(str(error)) from error
