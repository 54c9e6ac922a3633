"""tools/flavour_registry.py refuses a malformed registry, and the overlays' set filter works."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools import flavour_registry
from tools.flavour_registry import RegistryError, derive, read_registry
from tools.generate import ROOT
from tools.overlay import apply_overlay, load_document

SOURCE: Any = load_document(ROOT / "openapi.yaml")
ENTRY: dict[str, Any] = SOURCE["x-green-api-flavours"]["max"]
# The filter every overlay uses, for a flavour named `max`.
SET_FILTER = "$..[?@['x-flavours'] && !@['x-flavours'][?@ == 'max']]"


def _write_registry(tmp_path: Path, flavours: dict[str, Any]) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump({"x-green-api-flavours": flavours}), encoding="utf-8")
    return path


def test_the_real_registry_reads() -> None:
    assert list(read_registry(ROOT / "openapi.yaml")) == ["whatsapp", "telegram", "max"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.pop("apiUrl"), "missing \\['apiUrl'\\]"),
        (lambda e: e.update(colour="green"), "unknown \\['colour'\\]"),
        (lambda e: e.update(mockToken="A" * 50), "50 lowercase hex"),
        (lambda e: e.update(classPrefix="Not a name"), "identifier"),
        (lambda e: e.update(validation="php"), "validation"),
        (lambda e: e.update(pathPrefixes=["v3/"]), "pathPrefixes"),
        (lambda e: e["idInstance"].update(example=0), "minimum <= example"),
        (lambda e: e["chatId"].pop("group"), "chatId needs"),
        (lambda e: e["chatId"].pop("groupPattern"), "chatId needs"),
        (lambda e: e.update(groupContactInfo={"status": "400"}), "groupContactInfo"),
    ],
)
def test_a_malformed_entry_is_refused(tmp_path: Path, change: Any, message: str) -> None:
    entry = copy.deepcopy(ENTRY)
    change(entry)
    with pytest.raises(RegistryError, match=message):
        read_registry(_write_registry(tmp_path, {"max": entry}))


def test_a_flavour_name_must_be_a_lowercase_identifier(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="lowercase"):
        read_registry(_write_registry(tmp_path, {"Max": copy.deepcopy(ENTRY)}))


def test_no_registry_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.1.1\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="no `x-green-api-flavours`"):
        read_registry(path)


def _max_document() -> Any:
    return load_document(ROOT / "generated" / "max.openapi.yaml")


def test_derive_reads_the_document() -> None:
    record = derive("max", ENTRY, _max_document(), ["models", "structs"])
    assert record["contact_id_field"] == "chatId"
    assert record["options"] == {"getContacts": ("count",), "getContactInfo": ("chatId",)}
    assert record["chat_id_pattern"] == "^[1-9][0-9]{0,15}$"
    assert (record["structs_module"], record["models_module"]) == ("max_structs", "max_models")


def test_derive_refuses_a_chat_id_schema_the_request_does_not_use() -> None:
    entry = copy.deepcopy(ENTRY)
    entry["chatId"]["schema"] = "#/components/schemas/IdInstance"
    with pytest.raises(RegistryError, match="not the schema GetContactInfo's body uses"):
        derive("max", entry, _max_document(), ["structs"])


def test_derive_refuses_a_user_example_outside_the_grammar() -> None:
    entry = copy.deepcopy(ENTRY)
    entry["chatId"]["user"] = "-5"
    with pytest.raises(RegistryError, match="does not match"):
        derive("max", entry, _max_document(), ["structs"])


@pytest.mark.parametrize("pattern", ["^-[0-9]{1,3}$", "^-?[0-9]+$"], ids=["misses", "user"])
def test_derive_refuses_a_group_pattern_that_misses_the_group_or_takes_the_user(
    pattern: str,
) -> None:
    entry = copy.deepcopy(ENTRY)
    entry["chatId"]["groupPattern"] = pattern
    with pytest.raises(RegistryError, match="groupPattern must match group and not user"):
        derive("max", entry, _max_document(), ["structs"])


def test_derive_needs_the_link_that_names_the_chat_id_field() -> None:
    document = copy.deepcopy(_max_document())
    del document["components"]["responses"]["MaxGetContactsOk"]["links"]
    with pytest.raises(RegistryError, match="which field is the chatId"):
        derive("max", ENTRY, document, ["structs"])


def test_render_is_plain_python_that_round_trips() -> None:
    record = derive("max", ENTRY, _max_document(), ["models", "structs"])
    ops = flavour_registry.operations(ROOT / "openapi.yaml")
    namespace: dict[str, Any] = {}
    exec(flavour_registry.render("header", [record], ops), namespace)  # our own output
    assert namespace["FLAVOURS"] == (record,)
    assert [o["name"] for o in namespace["OPERATIONS"]] == ["getContacts", "getContactInfo"]


def test_the_set_filter_keeps_shared_and_unmarked_nodes_and_drops_the_rest() -> None:
    """RFC 9535 through tools/overlay.py: a node survives if its set holds the flavour."""
    document = {
        "openapi": "3.1.1",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Mine": {"type": "string", "x-flavours": ["max"]},
                "Shared": {"type": "string", "x-flavours": ["telegram", "max"]},
                "Other": {"type": "string", "x-flavours": ["whatsapp", "telegram"]},
                "Everyone": {"type": "string"},
            },
            "examples": {"a": {"value": 1, "x-flavours": ["whatsapp"]}},
        },
    }
    overlay = {
        "overlay": "1.1.0",
        "info": {"title": "o", "version": "1"},
        "actions": [
            {"target": SET_FILTER, "remove": True},
            {"target": "$..['x-flavours']", "remove": True},
        ],
    }
    result: Any = apply_overlay(document, overlay)
    assert result["components"]["schemas"] == {
        "Mine": {"type": "string"},
        "Shared": {"type": "string"},
        "Everyone": {"type": "string"},
    }
    assert result["components"]["examples"] == {}
