"""defaults_as_required (tools/generate.py): defaulted properties become required."""

from __future__ import annotations

import copy
from typing import Any

from tools.generate import defaults_as_required


def test_defaulted_properties_become_required_at_every_level() -> None:
    document: dict[str, Any] = {
        "components": {
            "schemas": {
                "Contact": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string", "default": ""},
                        "lastSeen": {"type": ["string", "null"]},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"n": {"type": "integer", "default": 0}},
                            },
                        },
                    },
                }
            }
        }
    }
    before = copy.deepcopy(document)
    result = defaults_as_required(document)
    contact = result["components"]["schemas"]["Contact"]
    assert contact["required"] == ["id", "name"]  # lastSeen has no default: stays optional
    assert contact["properties"]["items"]["items"]["required"] == ["n"]
    assert document == before  # the flavour document itself is not touched


def test_a_document_without_defaults_comes_back_equal() -> None:
    document = {"type": "object", "properties": {"a": {"type": "string"}}, "x": [1, {"b": 2}]}
    assert defaults_as_required(document) == document
