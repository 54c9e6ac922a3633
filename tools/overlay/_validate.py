"""Overlay documents checked against the official JSON Schema of their version."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema

from tools.overlay._document import load_document
from tools.overlay._errors import OverlayValidationError

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "overlay_schemas"
"""The vendored official schemas, one folder per ``major.minor`` feature set."""

_SCHEMA_FOLDERS = {(1, 0): "v1.0", (1, 1): "v1.1"}


@cache
def _schema_checker(feature_set: tuple[int, int]) -> Callable[[Mapping[str, Any]], list[str]]:
    """Load the vendored schema once; the checker lists every error, where it is and why."""
    schema = load_document(SCHEMA_DIR / _SCHEMA_FOLDERS[feature_set] / "schema.yaml")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # No format checker: in JSON Schema 2020-12 "format" is an annotation unless opted in.
    validator = validator_class(schema)

    def check(overlay: Mapping[str, Any]) -> list[str]:
        errors = sorted(validator.iter_errors(overlay), key=lambda e: (e.json_path, e.message))
        return [f"at {error.json_path}: {error.message}" for error in errors]

    return check


def feature_set(overlay: Mapping[str, Any]) -> tuple[int, int]:
    version = overlay.get("overlay")
    match = re.match(r"(\d+)\.(\d+)(?:\.|$)", version) if isinstance(version, str) else None
    feature_set = (int(match[1]), int(match[2])) if match else None
    if feature_set not in _SCHEMA_FOLDERS:
        raise OverlayValidationError(
            f"unsupported overlay version {version!r}: expected a 1.0.x or 1.1.x version string"
        )
    return feature_set


def validate_overlay(overlay: Mapping[str, Any]) -> None:
    """Validate against the official schema of the overlay's version (1.0.x or 1.1.x)."""
    if not isinstance(cast("object", overlay), Mapping):
        raise OverlayValidationError(
            f"an overlay document must be an object, not {type(overlay).__name__}"
        )
    version_set = feature_set(overlay)
    errors = _schema_checker(version_set)(overlay)
    if errors:
        version = ".".join(str(number) for number in version_set)
        raise OverlayValidationError(
            f"not a valid Overlay {version} document ({len(errors)} schema error(s)): "
            + "; ".join(errors)
        )
