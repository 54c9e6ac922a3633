"""The package version, the API description's info.version and the changelog move together."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

from green_api_contacts.flavours import flavour_names
from tools.generate import ROOT, document_paths
from tools.overlay import load_document


def test_package_version_is_the_api_descriptions_version() -> None:
    source = load_document(ROOT / "openapi.yaml")["info"]["version"]
    assert version("green-api-contacts") == source
    flavour_documents = document_paths()[1:]
    assert len(flavour_documents) == len(flavour_names())
    for relative in flavour_documents:
        doc = load_document(ROOT / relative)
        assert doc["info"]["version"] == source, relative


def test_changelog_has_a_section_for_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    current = load_document(ROOT / "openapi.yaml")["info"]["version"]
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, flags=re.M)
    assert "## [Unreleased]" in text
    assert releases, "no released version in CHANGELOG.md"
    assert releases[0] == current, f"newest changelog release {releases[0]} != {current}"


def test_dunder_version_is_the_api_descriptions_version() -> None:
    import green_api_contacts

    source = load_document(ROOT / "openapi.yaml")["info"]["version"]
    assert green_api_contacts.__version__ == source
    assert "__version__" in green_api_contacts.__all__


def test_dunder_version_without_metadata_reads_the_source_tree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from importlib.metadata import PackageNotFoundError

    from green_api_contacts import _version

    def not_installed(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(_version, "version", not_installed)
    source = load_document(ROOT / "openapi.yaml")["info"]["version"]
    assert _version.package_version() == source
    # Neither installed nor in a source tree: a PEP 440 placeholder, never an exception.
    assert _version.source_version(tmp_path / "openapi.yaml") is None
    assert _version.package_version(tmp_path / "openapi.yaml") == "0+unknown"
