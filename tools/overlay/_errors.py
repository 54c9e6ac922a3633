"""Every error the overlay applier raises: an ``OverlayError`` naming the failing action."""

from __future__ import annotations

from tools import _openapi


class OverlayError(Exception):
    """Base of every error this module raises; carries the failing action when there is one."""

    def __init__(
        self, message: str, *, action_index: int | None = None, target: str | None = None
    ) -> None:
        self.action_index = action_index
        self.target = target
        if action_index is not None:
            where = f"actions[{action_index}]"
            if target is not None:
                where += f" (target {target!r})"
            message = f"{where}: {message}"
        super().__init__(message)


class OverlayValidationError(OverlayError):
    """The overlay document is not a valid Overlay (schema, version, JSONPath syntax, fields)."""


class DocumentLoadError(OverlayError, _openapi.DocumentLoadError):
    """A file could not be read as JSON-compatible JSON or YAML."""


class EmptyTargetError(OverlayError):
    """A target selected no node; raised unless ``allow_empty_targets=True``."""


class IncompatibleMergeError(OverlayError):
    """An update/copy value cannot be merged with the selected node(s)."""


class UnsupportedTargetError(OverlayError):
    """The selected nodes cannot be acted on (the root for remove; primitives in Overlay 1.0)."""


class CopySourceError(OverlayError):
    """A ``copy`` query did not select exactly one node."""
