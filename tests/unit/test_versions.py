"""The package version, the API description's info.version and the changelog move together."""

from __future__ import annotations

import re
from importlib.metadata import version

from tools.generate import ROOT
from tools.overlay import load_document


def test_package_version_is_the_api_descriptions_version() -> None:
    source = load_document(ROOT / "openapi.yaml")["info"]["version"]
    assert version("green-api-contacts") == source
    for flavour in ("whatsapp", "telegram"):
        doc = load_document(ROOT / f"generated/{flavour}.openapi.yaml")
        assert doc["info"]["version"] == source


def test_changelog_has_a_section_for_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    current = load_document(ROOT / "openapi.yaml")["info"]["version"]
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, flags=re.M)
    assert "## [Unreleased]" in text
    assert releases, "no released version in CHANGELOG.md"
    assert releases[0] == current, f"newest changelog release {releases[0]} != {current}"
