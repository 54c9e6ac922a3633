"""Each flavour document is valid, self-contained and holds nothing of the other flavours."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from green_api_contacts.flavours import FLAVOURS as REGISTRY
from tools.generate import ROOT
from tools.overlay import load_document

FLAVOURS = tuple(REGISTRY)


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
    """Nodes of the source whose `x-flavours` set holds `flavour`."""
    return [
        n
        for n in _walk(_doc("openapi.yaml"))
        if isinstance(n, dict) and flavour in n.get("x-flavours", ())
    ]


def _untagged(node: Any) -> Any:
    """The source without its marked nodes: what every flavour shares."""
    if isinstance(node, dict):
        return {k: _untagged(v) for k, v in node.items() if not _marked(v)}
    if isinstance(node, list):
        return [_untagged(v) for v in node if not _marked(v)]
    return node


def _marked(node: Any) -> bool:
    return isinstance(node, dict) and ("x-flavours" in node or "x-combined-only" in node)


def _others(flavour: str) -> list[str]:
    return [f for f in FLAVOURS if f != flavour]


@pytest.mark.parametrize(
    "name", ["openapi.yaml", *(f"generated/{f}.openapi.yaml" for f in FLAVOURS)]
)
def test_document_is_valid_openapi_31(name: str) -> None:
    validate(_doc(name))


def test_markers_are_sets_of_registered_flavours() -> None:
    """`x-flavours` lists flavours of the registry; the single-valued `x-flavour` is gone."""
    marked = [n for n in _walk(_doc("openapi.yaml")) if isinstance(n, dict) and "x-flavours" in n]
    assert marked
    for node in marked:
        assert isinstance(node["x-flavours"], list) and node["x-flavours"]
        assert set(node["x-flavours"]) <= set(FLAVOURS), node["x-flavours"]
    assert "x-flavour:" not in (ROOT / "openapi.yaml").read_text(encoding="utf-8")


def test_a_node_can_be_shared_by_a_subset_of_flavours() -> None:
    shared = [n for n in _walk(_doc("openapi.yaml")) if isinstance(n, dict) and n.get("x-flavours")]
    assert any(1 < len(n["x-flavours"]) < len(FLAVOURS) for n in shared)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_field_parameter_or_server_of_another_flavour(flavour: str) -> None:
    own = set().union(*(_names(n) for n in _tagged(flavour)))
    others = set().union(*(_names(n) for o in _others(flavour) for n in _tagged(o)))
    other_only = others - own - _names(_untagged(_doc("openapi.yaml")))
    leaked = other_only & _names(_flavour_doc(flavour))
    assert leaked == set()


def test_some_fields_belong_to_one_flavour_only() -> None:
    """Guards the test above against passing vacuously."""
    for flavour in FLAVOURS:
        own = set().union(*(_names(n) for n in _tagged(flavour)))
        others = set().union(*(_names(n) for o in _others(flavour) for n in _tagged(o)))
        assert others - own - _names(_untagged(_doc("openapi.yaml"))), flavour


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_mention_of_another_flavour_and_no_markers(flavour: str) -> None:
    text = (ROOT / f"generated/{flavour}.openapi.yaml").read_text(encoding="utf-8")
    for other in _others(flavour):
        # Whole words: "max" is also the start of "maximum".
        assert re.search(rf"\b{other}\b", text, re.IGNORECASE) is None, other
    assert "x-flavour" not in text
    assert "x-combined-only" not in text
    assert "x-green-api-flavours" not in text


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_servers_and_examples_agree_with_the_registry(flavour: str) -> None:
    doc = _flavour_doc(flavour)
    entry = REGISTRY[flavour]
    (server,) = doc["servers"]
    url = server["url"]
    for name, variable in server.get("variables", {}).items():
        url = url.replace("{" + name + "}", variable["default"])
    assert url == entry.api_url
    prefix = server.get("variables", {}).get("prefix")
    assert set(prefix["enum"] if prefix else [""]) == set(entry.path_prefixes)
    examples = doc["components"]["parameters"]["idInstance"]["examples"]
    assert [e["value"] for e in examples.values()] == [entry.id_instance_example]


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
    assert ("group" in params) is {"whatsapp": True, "telegram": False, "max": False}[flavour]
    assert "count" in params
    hosts = {s["variables"]["host"]["default"] for s in doc["servers"]}
    assert (
        hosts
        == {
            "whatsapp": {"api.green-api.com"},
            "telegram": {"4100.api.green-api.com"},
            "max": {"api.green-api.com"},
        }[flavour]
    )
    assert doc["info"]["version"] == _doc("openapi.yaml")["info"]["version"]


def test_unused_components_are_not_left_behind() -> None:
    for flavour in FLAVOURS:
        doc = _flavour_doc(flavour)
        text = str(doc)
        for kind, items in doc["components"].items():
            for name in items:
                assert f"#/components/{kind}/{name}'" in text, f"{flavour}: {kind}/{name} unused"
