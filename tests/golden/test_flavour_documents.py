"""Each flavour document is valid, self-contained and holds nothing of the other flavour."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from tools.generate import ROOT
from tools.overlay import load_document

FLAVOURS = ("whatsapp", "telegram")
OTHER = {"whatsapp": "telegram", "telegram": "whatsapp"}


def _doc(name: str) -> Any:
    return load_document(ROOT / name)


def _flavour_doc(flavour: str) -> Any:
    return _doc(f"generated/{flavour}.openapi.yaml")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _names(node: Any) -> set[str]:
    """Property names, parameter names and server hosts under a node."""
    found: set[str] = set()
    for item in _walk(node):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("properties"), dict):
            found.update(item["properties"])
        if "in" in item and "name" in item:
            found.add(f"param:{item['name']}")
        if "url" in item and isinstance(item.get("variables"), dict):
            found.update(f"server:{v.get('default')}" for v in item["variables"].values())
    return found


def _tagged(flavour: str) -> list[Any]:
    return [
        n
        for n in _walk(_doc("openapi.yaml"))
        if isinstance(n, dict) and n.get("x-flavour") == flavour
    ]


@pytest.mark.parametrize(
    "name", ["openapi.yaml", *(f"generated/{f}.openapi.yaml" for f in FLAVOURS)]
)
def test_document_is_valid_openapi_31(name: str) -> None:
    validate(_doc(name))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_field_parameter_or_server_of_the_other_flavour(flavour: str) -> None:
    own = set().union(*(_names(n) for n in _tagged(flavour)))
    other_only = set().union(*(_names(n) for n in _tagged(OTHER[flavour]))) - own
    shared = _names(_doc("openapi.yaml")) - other_only - own
    other_only -= shared
    assert other_only, "the source should have fields that belong to one flavour only"
    leaked = other_only & _names(_flavour_doc(flavour))
    assert leaked == set()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_mention_of_the_other_flavour_and_no_markers(flavour: str) -> None:
    text = (ROOT / f"generated/{flavour}.openapi.yaml").read_text(encoding="utf-8")
    other = OTHER[flavour]
    assert other not in text.lower()
    assert "x-flavour" not in text
    assert "x-combined-only" not in text


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_reference_resolves_inside_the_document(flavour: str) -> None:
    doc = _flavour_doc(flavour)
    for node in _walk(doc):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target: Any = doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                assert isinstance(target, dict) and part in target, node["$ref"]
                target = target[part]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_flavour_specific_surface(flavour: str) -> None:
    doc = _flavour_doc(flavour)
    get_contacts = doc["paths"]["/waInstance{idInstance}/getContacts/{apiTokenInstance}"]["get"]
    params = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in get_contacts["parameters"]}
    assert ("group" in params) is (flavour == "whatsapp")
    assert "count" in params
    hosts = {s["variables"]["host"]["default"] for s in doc["servers"]}
    assert (
        hosts
        == {"whatsapp": {"api.green-api.com"}, "telegram": {"4100.api.green-api.com"}}[flavour]
    )
    assert doc["info"]["version"] == _doc("openapi.yaml")["info"]["version"]


def test_unused_components_are_not_left_behind() -> None:
    for flavour in FLAVOURS:
        doc = _flavour_doc(flavour)
        text = str(doc)
        for kind, items in doc["components"].items():
            for name in items:
                assert f"#/components/{kind}/{name}'" in text, f"{flavour}: {kind}/{name} unused"
