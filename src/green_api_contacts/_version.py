"""The package version: the one in openapi.yaml (info.version), which hatch copies at build time.

An installed package (wheel or editable) reads it from its metadata. A source tree used
without installing (``PYTHONPATH=src``) has no metadata, so it reads openapi.yaml itself, with
the same pattern as ``[tool.hatch.version]`` in pyproject.toml.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Final

DISTRIBUTION: Final = "green-api-contacts"
# Same as pyproject.toml's [tool.hatch.version] pattern: the 2-space indented info.version.
_PATTERN: Final = re.compile(r"(?m)^  version: (?P<version>[0-9][^\s]*)$")
_SOURCE: Final = Path(__file__).resolve().parents[2] / "openapi.yaml"
UNKNOWN: Final = "0+unknown"


def source_version(description: Path) -> str | None:
    """info.version of the API description in a source tree, or None outside one."""
    try:
        text = description.read_text(encoding="utf-8")
    except OSError:
        return None
    match = _PATTERN.search(text)
    return match.group("version") if match else None


def package_version(description: Path = _SOURCE) -> str:
    """The installed distribution's version, else the source tree's, else ``0+unknown``."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return source_version(description) or UNKNOWN
