"""Tests for tools/overlay/: the official Overlay test data, then the spec's rules one by one."""

from __future__ import annotations

import copy
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.overlay import (
    CopySourceError,
    DocumentLoadError,
    EmptyTargetError,
    IncompatibleMergeError,
    OverlayError,
    OverlayValidationError,
    UnsupportedTargetError,
    apply_overlay,
    dump_yaml,
    load_document,
    main,
    validate_overlay,
)

SPEC_DATA = Path(__file__).resolve().parents[1] / "data" / "overlay-spec"
COMPLIANT_SETS = sorted(p.name for p in (SPEC_DATA / "compliant-sets").iterdir() if p.is_dir())
SCHEMA_CASES = sorted(
    (version, outcome, path.name)
    for version in ("v1.0", "v1.1")
    for outcome in ("pass", "fail")
    for path in (SPEC_DATA / "tests" / version / outcome).glob("*.yaml")
)

# Compliant sets with an action whose target selects nothing: they can only pass with the spec's
# no-op behaviour (allow_empty_targets=True). None of the current sets needs it; a new one that
# does must be listed here with the reason, so the deviation stays visible.
NEEDS_ALLOW_EMPTY_TARGETS: dict[str, str] = {}


def overlay(version: str, *actions: dict[str, Any]) -> dict[str, Any]:
    return {
        "overlay": version,
        "info": {"title": "test", "version": "1.0.0"},
        "actions": list(actions),
    }


def load_yaml_text(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "doc.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_document(path)


# --------------------------------------------------------------------------- official test data


def test_official_data_is_present() -> None:
    assert len(COMPLIANT_SETS) >= 8
    assert len([case for case in SCHEMA_CASES if case[1] == "fail"]) >= 40


@pytest.mark.parametrize("name", COMPLIANT_SETS)
def test_compliant_set(name: str) -> None:
    folder = SPEC_DATA / "compliant-sets" / name
    document = load_document(folder / "openapi.yaml")
    result = apply_overlay(
        document,
        load_document(folder / "overlay.yaml"),
        allow_empty_targets=name in NEEDS_ALLOW_EMPTY_TARGETS,
    )
    assert result == load_document(folder / "output.yaml")


@pytest.mark.parametrize("name", COMPLIANT_SETS)
def test_compliant_set_needs_allow_empty_targets_only_if_listed(name: str) -> None:
    folder = SPEC_DATA / "compliant-sets" / name
    document = load_document(folder / "openapi.yaml")
    the_overlay = load_document(folder / "overlay.yaml")
    if name in NEEDS_ALLOW_EMPTY_TARGETS:
        with pytest.raises(EmptyTargetError):
            apply_overlay(document, the_overlay)
    else:
        apply_overlay(document, the_overlay)


@pytest.mark.parametrize(("version", "outcome", "name"), SCHEMA_CASES)
def test_schema_test_document(version: str, outcome: str, name: str) -> None:
    document = load_document(SPEC_DATA / "tests" / version / outcome / name)
    if outcome == "pass":
        validate_overlay(document)
    else:
        with pytest.raises(OverlayValidationError):
            validate_overlay(document)


def test_unsupported_overlay_version_is_rejected() -> None:
    with pytest.raises(OverlayValidationError, match=r"unsupported overlay version '2\.0\.0'"):
        validate_overlay(overlay("2.0.0", {"target": "$"}))


def test_copy_is_not_part_of_overlay_1_0() -> None:
    with pytest.raises(OverlayValidationError, match="copy"):
        apply_overlay({"a": {}}, overlay("1.0.0", {"target": "$.a", "copy": "$.b"}))


# --------------------------------------------------------------------------- empty targets


def test_zero_match_target_raises_and_names_the_target() -> None:
    the_overlay = overlay(
        "1.1.0", {"target": "$.info", "update": {"x": 1}}, {"target": "$.nope", "remove": True}
    )
    with pytest.raises(EmptyTargetError, match=r"actions\[1\] \(target '\$\.nope'\)") as caught:
        apply_overlay({"info": {}}, the_overlay)
    assert caught.value.action_index == 1
    assert caught.value.target == "$.nope"


def test_allow_empty_targets_gives_the_spec_no_op() -> None:
    document = {"info": {"title": "t"}}
    the_overlay = overlay("1.0.0", {"target": "$.paths['/gone']", "update": {"x": 1}})
    assert apply_overlay(document, the_overlay, allow_empty_targets=True) == document


# --------------------------------------------------------------------------- remove


def test_remove_from_map() -> None:
    document = {"info": {"title": "t", "contact": {"name": "n"}}}
    result = apply_overlay(document, overlay("1.0.0", {"target": "$.info.contact", "remove": True}))
    assert result == {"info": {"title": "t"}}


def test_remove_several_array_elements_with_a_filter() -> None:
    names = ["a", "dummy", "b", "dummy", "dummy", "c"]
    document = {"parameters": [{"name": name} for name in names]}
    the_overlay = overlay("1.0.0", {"target": "$.parameters[?@.name == 'dummy']", "remove": True})
    result = apply_overlay(document, the_overlay)
    assert result == {"parameters": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}


def test_remove_selected_by_index_list_in_any_order() -> None:
    result = apply_overlay(
        {"a": [0, 1, 2, 3, 4]}, overlay("1.1.0", {"target": "$.a[1, 3, 0]", "remove": True})
    )
    assert result == {"a": [2, 4]}


def test_remove_nested_nodes_selected_together() -> None:
    document = {
        "x": {"drop": True, "keep": {"drop": True}, "list": [{"drop": True}, {"k": 1}]},
        "y": {"k": 2},
    }
    the_overlay = overlay("1.1.0", {"target": "$..[?@.drop == true]", "remove": True})
    assert apply_overlay(document, the_overlay) == {"y": {"k": 2}}


def test_remove_primitive_array_element_in_1_1() -> None:
    document = {"paths": {"/a": {"get": {"tags": ["dummy", "x", "dummy"]}}}}
    the_overlay = overlay("1.1.0", {"target": "$.paths.*.get.tags[?@ == 'dummy']", "remove": True})
    assert apply_overlay(document, the_overlay) == {"paths": {"/a": {"get": {"tags": ["x"]}}}}


def test_remove_primitive_array_element_is_not_in_1_0() -> None:
    # 1.0: "Primitive-valued items of an array cannot be replaced or removed individually".
    the_overlay = overlay("1.0.0", {"target": "$.tags[?@ == 'dummy']", "remove": True})
    with pytest.raises(UnsupportedTargetError, match=r"Overlay 1\.0 cannot remove"):
        apply_overlay({"tags": ["dummy"]}, the_overlay)


def test_remove_primitive_map_member_in_1_0() -> None:
    # As the official compliant set remove-example does with a 1.0 overlay.
    the_overlay = overlay("1.0.0", {"target": "$.schema.example", "remove": True})
    assert apply_overlay({"schema": {"example": "house"}}, the_overlay) == {"schema": {}}


def test_remove_root_is_an_error() -> None:
    with pytest.raises(UnsupportedTargetError, match="root"):
        apply_overlay({"a": 1}, overlay("1.1.0", {"target": "$", "remove": True}))


def test_remove_wins_over_update_and_copy() -> None:
    the_overlay = overlay(
        "1.1.0",
        {"target": "$.a", "update": {"x": 1}, "remove": True},
        {"target": "$.b", "copy": "$.c", "remove": True},
    )
    assert apply_overlay({"a": {}, "b": {}, "c": {}}, the_overlay) == {"c": {}}


def test_remove_false_with_update_updates() -> None:
    the_overlay = overlay("1.0.0", {"target": "$.a", "update": {"x": 1}, "remove": False})
    assert apply_overlay({"a": {}}, the_overlay) == {"a": {"x": 1}}


def test_actions_apply_in_order_remove_then_recreate() -> None:
    document = {"openapi": "3.1.0", "servers": [{"url": "https://a"}, {"url": "https://b"}]}
    the_overlay = overlay(
        "1.0.0",
        {"target": "$.servers", "remove": True},
        {"target": "$", "update": {"servers": [{"url": "http://local"}]}},
        {"target": "$.servers[0]", "update": {"description": "local"}},
    )
    assert apply_overlay(document, the_overlay) == {
        "openapi": "3.1.0",
        "servers": [{"url": "http://local", "description": "local"}],
    }


# --------------------------------------------------------------------------- update


def test_update_merges_objects_recursively_and_concatenates_arrays() -> None:
    document = {
        "info": {"title": "old", "contact": {"name": "n"}, "x-tags": ["a"]},
        "paths": {},
    }
    the_overlay = overlay(
        "1.0.0",
        {
            "target": "$",
            "update": {
                "info": {
                    "title": "new",
                    "contact": {"email": "e@example.com"},
                    "x-tags": ["b", "c"],
                    "license": {"name": "MIT"},
                },
                "components": {"schemas": {}},
            },
        },
    )
    result = apply_overlay(document, the_overlay)
    assert result == {
        "info": {
            "title": "new",
            "contact": {"name": "n", "email": "e@example.com"},
            "x-tags": ["a", "b", "c"],
            "license": {"name": "MIT"},
        },
        "paths": {},
        "components": {"schemas": {}},
    }
    # Existing keys keep their place; new keys follow in update order.
    assert list(result) == ["info", "paths", "components"]
    assert list(result["info"]) == ["title", "contact", "x-tags", "license"]


def test_update_structured_example_with_null_values() -> None:
    # The spec's Structured Overlay Example ends with `components:` and `tags:` (null values).
    the_overlay = load_document(
        SPEC_DATA / "tests" / "v1.0" / "pass" / "actions-structured-overlay-example.yaml"
    )
    result = apply_overlay({"openapi": "3.1.0", "info": {"title": "t"}}, the_overlay)
    assert result["components"] is None
    assert result["tags"] == []
    assert result["paths"]["/pets"]["get"]["x-rate-limit"] == 100
    with pytest.raises(IncompatibleMergeError, match=r"\$\['components'\]"):
        apply_overlay({"components": {"schemas": {}}}, the_overlay)


def test_update_on_array_targets_concatenates_or_appends() -> None:
    document = {"paths": {"/a": {"get": {"parameters": [{"name": "p"}]}}}}
    the_overlay = overlay(
        "1.0.0",
        {"target": "$.paths.*.get.parameters", "update": {"name": "newParam", "in": "query"}},
        {"target": "$.paths.*.get.parameters", "update": [{"name": "q1"}, {"name": "q2"}]},
        {"target": "$.paths.*.get.parameters", "update": "plain"},
    )
    result = apply_overlay(document, the_overlay)
    assert result["paths"]["/a"]["get"]["parameters"] == [
        {"name": "p"},
        {"name": "newParam", "in": "query"},
        {"name": "q1"},
        {"name": "q2"},
        "plain",
    ]


def test_update_value_is_copied_into_each_target() -> None:
    document: dict[str, Any] = {"a": {}, "b": {}}
    result = apply_overlay(document, overlay("1.1.0", {"target": "$.*", "update": {"x": {"y": 1}}}))
    assert result == {"a": {"x": {"y": 1}}, "b": {"x": {"y": 1}}}
    assert result["a"]["x"] is not result["b"]["x"]


def test_primitive_replace_in_1_1() -> None:
    # The 1.1 spec's Targeted Overlay Example.
    document = {"paths": {"/foo": {"get": {"description": "old"}}, "/bar": {"get": {}}}}
    the_overlay = overlay(
        "1.1.0",
        {"target": "$.paths['/foo'].get.description", "update": "This is the new description"},
        {"target": "$.paths['/bar']", "update": {"post": {"description": "d", "x-safe": False}}},
        {"target": "$..description", "update": None},
    )
    assert apply_overlay(document, the_overlay) == {
        "paths": {
            "/foo": {"get": {"description": None}},
            "/bar": {"get": {}, "post": {"description": None, "x-safe": False}},
        }
    }


def test_primitive_replace_of_array_items_and_root_in_1_1() -> None:
    the_overlay = overlay("1.1.0", {"target": "$.tags[?@ == 'old']", "update": "new"})
    assert apply_overlay({"tags": ["old", "x", "old"]}, the_overlay) == {
        "tags": ["new", "x", "new"]
    }
    assert apply_overlay("old", overlay("1.1.0", {"target": "$", "update": 5})) == 5


def test_primitive_target_is_rejected_in_1_0() -> None:
    # 1.0: "The result of the target JSONPath expression MUST be zero or more objects or arrays".
    the_overlay = overlay("1.0.0", {"target": "$.info.title", "update": "new"})
    with pytest.raises(UnsupportedTargetError, match=r"actions\[0\].*1\.0"):
        apply_overlay({"info": {"title": "old"}}, the_overlay)


@pytest.mark.parametrize(
    ("document", "action", "message"),
    [
        ({"a": {"b": [1]}}, {"target": "$.a", "update": {"b": {"c": 1}}}, "object into the array"),
        ({"a": {"b": {}}}, {"target": "$.a", "update": {"b": [1]}}, "array into the object"),
        ({"a": {"b": "s"}}, {"target": "$.a", "update": {"b": [1]}}, "array into the primitive"),
        ({"a": {"b": [1]}}, {"target": "$.a", "update": {"b": "s"}}, "primitive into the array"),
        ({"a": {"b": {}}}, {"target": "$.a", "update": {"b": None}}, "primitive into the object"),
        ({"a": {}}, {"target": "$.a", "update": "s"}, "must be an object"),
        ({"a": {}}, {"target": "$.a", "update": [1]}, "must be an object"),
        ({"a": "s"}, {"target": "$.a", "update": {"b": 1}}, "must be a primitive"),
        ({"a": {}, "b": []}, {"target": "$.*", "update": {"c": 1}}, "mix of array and object"),
    ],
)
def test_incompatible_merges_raise(document: Any, action: dict[str, Any], message: str) -> None:
    with pytest.raises(IncompatibleMergeError, match=message):
        apply_overlay(document, overlay("1.1.0", action))


def test_nested_incompatible_merge_names_the_location() -> None:
    the_overlay = overlay("1.1.0", {"target": "$.a", "update": {"b": {"c": {"d": 1}}}})
    with pytest.raises(IncompatibleMergeError, match=r"at \$\['a'\]\['b'\]\['c'\]"):
        apply_overlay({"a": {"b": {"c": [1]}}}, the_overlay)


def test_traits_example_from_the_1_1_spec(tmp_path: Path) -> None:
    document = load_yaml_text(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: API with a paged collection, version: 1.0.0}
        paths:
          /items:
            get:
              x-oai-traits: ['paged']
              responses: {200: {description: OK}}
          /items/{id}/subitems:
            get:
              x-oai-traits: ['paged']
              parameters: [{name: id, in: path, required: true}]
              responses: {200: {description: OK}}
          /other:
            get:
              responses: {200: {description: OK}}
        """,
    )
    the_overlay = overlay(
        "1.0.0",
        {
            "target": "$.paths[?(@.get['x-oai-traits'][?(@ == 'paged')])].get",
            "update": {
                "parameters": [{"name": "top", "in": "query"}, {"name": "skip", "in": "query"}]
            },
        },
    )
    expected = load_yaml_text(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: API with a paged collection, version: 1.0.0}
        paths:
          /items:
            get:
              x-oai-traits: ["paged"]
              responses: {200: {description: OK}}
              parameters: [{name: top, in: query}, {name: skip, in: query}]
          /items/{id}/subitems:
            get:
              x-oai-traits: ["paged"]
              parameters:
                - {name: id, in: path, required: true}
                - {name: top, in: query}
                - {name: skip, in: query}
              responses: {200: {description: OK}}
          /other:
            get:
              responses: {200: {description: OK}}
        """,
    )
    assert apply_overlay(document, the_overlay) == expected


# --------------------------------------------------------------------------- copy (1.1)

COPY_SOURCE = {
    "openapi": "3.1.0",
    "info": {"title": "Example API", "version": "1.0.0"},
    "paths": {
        "/items": {"get": {"responses": {"200": {"description": "OK"}}}},
        "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}},
    },
}
OK = {"responses": {"200": {"description": "OK"}}}


def test_simple_copy() -> None:
    the_overlay = overlay(
        "1.1.0", {"target": '$.paths["/some-items"]', "copy": '$.paths["/items"]'}
    )
    result = apply_overlay(COPY_SOURCE, the_overlay)
    assert result["paths"] == {"/items": {"get": OK}, "/some-items": {"delete": OK, "get": OK}}
    assert result["paths"]["/some-items"]["get"] is not result["paths"]["/items"]["get"]


def test_ensure_target_then_copy() -> None:
    the_overlay = overlay(
        "1.1.0",
        {"target": "$.paths", "update": {"/other-items": {}}},
        {"target": '$.paths["/other-items"]', "copy": '$.paths["/items"]'},
    )
    assert apply_overlay(COPY_SOURCE, the_overlay)["paths"] == {
        "/items": {"get": OK},
        "/some-items": {"delete": OK},
        "/other-items": {"get": OK},
    }


def test_move_example_from_the_1_1_spec() -> None:
    the_overlay = overlay(
        "1.1.0",
        {"target": "$.paths", "update": {"/new-items": {}}},
        {"target": '$.paths["/new-items"]', "copy": '$.paths["/items"]'},
        {"target": '$.paths["/items"]', "remove": True},
    )
    result = apply_overlay(COPY_SOURCE, the_overlay)
    assert result == {
        **COPY_SOURCE,
        "paths": {"/some-items": {"delete": OK}, "/new-items": {"get": OK}},
    }


def test_copy_onto_arrays_and_primitives() -> None:
    document = {"a": [1], "b": [2, 3], "c": "x", "d": "y"}
    the_overlay = overlay(
        "1.1.0", {"target": "$.a", "copy": "$.b"}, {"target": "$.c", "copy": "$.d"}
    )
    assert apply_overlay(document, the_overlay) == {"a": [1, 2, 3], "b": [2, 3], "c": "y", "d": "y"}


def test_copy_into_own_descendant_uses_a_snapshot() -> None:
    the_overlay = overlay("1.1.0", {"target": "$.a.b", "copy": "$.a"})
    assert apply_overlay({"a": {"b": {}}}, the_overlay) == {"a": {"b": {"b": {}}}}


@pytest.mark.parametrize(("query", "count"), [("$.missing", 0), ("$.paths.*", 2)])
def test_copy_source_must_select_exactly_one_node(query: str, count: int) -> None:
    the_overlay = overlay("1.1.0", {"target": "$.info", "copy": query})
    with pytest.raises(CopySourceError, match=f"selects {count}"):
        apply_overlay(COPY_SOURCE, the_overlay)


def test_update_and_copy_together_are_rejected() -> None:
    # 1.1: update "has no impact if ... the copy field contains a value", and copy "has no impact
    # if ... the update field contains a value": together the action would do nothing.
    the_overlay = overlay("1.1.0", {"target": "$.info", "update": {"x": 1}, "copy": "$.paths"})
    with pytest.raises(OverlayValidationError, match="both 'update' and 'copy'"):
        apply_overlay(COPY_SOURCE, the_overlay)


# --------------------------------------------------------------------------- JSONPath strictness


@pytest.mark.parametrize(
    "query",
    [
        "$.a[?@.b =~ /x/]",  # python-jsonpath regex operator
        "$.a.~",  # python-jsonpath keys selector
        "$.a[?@.b in ['x']]",  # python-jsonpath membership operator
        "$.a[?@.b == 'x' and @.c]",  # python-jsonpath word operators
        "$.a | $.b",  # union of queries
        "$.a[?startswith(@.b, 'x')]",  # non-standard function
        "$.a[?@.b <> 'x']",  # not an RFC 9535 operator, though strict python-jsonpath takes it
        "$.x-foo",  # RFC 9535 shorthand names have no '-': use $['x-foo']
        "$.paths.*.get[?@.x-oai-traits.paged]",  # the 1.0 spec's Traits example target
        "$.a[?(@.b > 1)].`this`",  # jsonpath-ng named operator
        "$.a.length()",  # jsonpath-ng / JS-style method call
        "$.a ",  # whitespace around the query
        "$.a[?@.* == 1]",  # non-singular query in a comparison
    ],
)
def test_non_rfc9535_jsonpath_is_rejected(query: str) -> None:
    with pytest.raises(OverlayValidationError, match="not an RFC 9535 JSONPath query"):
        apply_overlay({"a": [{"b": "x"}]}, overlay("1.1.0", {"target": query, "remove": True}))


def test_hyphenated_shorthand_error_suggests_brackets() -> None:
    the_overlay = overlay("1.1.0", {"target": "$.info.x-logo", "remove": True})
    with pytest.raises(OverlayValidationError, match=re.escape("$['x-foo'], not $.x-foo")):
        apply_overlay({"info": {"x-logo": {}}}, the_overlay)


def test_non_rfc9535_copy_query_is_rejected() -> None:
    the_overlay = overlay("1.1.0", {"target": "$.a", "copy": "$.x-foo"})
    with pytest.raises(OverlayValidationError, match=r"copy '\$\.x-foo'"):
        apply_overlay({"a": {}, "x-foo": {}}, the_overlay)


def test_bad_query_fails_before_any_action_runs() -> None:
    # Validation of every query comes first, so no partial result is ever observable.
    the_overlay = overlay("1.1.0", {"target": "$.nope", "remove": True}, {"target": "$.x-y"})
    with pytest.raises(OverlayValidationError, match=r"actions\[1\]"):
        apply_overlay({"a": 1}, the_overlay)


def test_rfc9535_features_work() -> None:
    document = {"x-foo": {"n": 1}, "list": [{"n": 1, "s": "abc"}, {"n": 2, "s": "b"}]}
    the_overlay = overlay(
        "1.1.0",
        {"target": "$['x-foo']", "update": {"seen": True}},
        {"target": "$.list[?match(@.s, 'a.c') && @.n < 2]", "update": {"m": True}},
        {"target": "$.list[?length(@.s) == 1]", "update": {"short": True}},
    )
    assert apply_overlay(document, the_overlay) == {
        "x-foo": {"n": 1, "seen": True},
        "list": [{"n": 1, "s": "abc", "m": True}, {"n": 2, "s": "b", "short": True}],
    }


# --------------------------------------------------------------------------- inputs and outputs


def test_input_document_and_overlay_are_not_mutated() -> None:
    document = {"a": {"b": [1]}, "c": [{"d": 1}], "e": "s"}
    the_overlay = overlay(
        "1.1.0",
        {"target": "$.a", "update": {"b": [2], "n": {"m": 1}}},
        {"target": "$.c", "update": {"d": 2}},
        {"target": "$.c[0]", "remove": True},
        {"target": "$.e", "update": "t"},
        {"target": "$.a.n", "update": {"o": 1}},
    )
    document_before, overlay_before = copy.deepcopy(document), copy.deepcopy(the_overlay)
    result = apply_overlay(document, the_overlay)
    assert document == document_before
    assert the_overlay == overlay_before
    assert result == {"a": {"b": [1, 2], "n": {"m": 1, "o": 1}}, "c": [{"d": 2}], "e": "t"}


def test_yaml_aliases_become_independent_nodes(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text("base: &b {x: 1}\nother: *b\n", encoding="utf-8")
    document = load_document(path)
    result = apply_overlay(document, overlay("1.1.0", {"target": "$.base", "update": {"y": 2}}))
    assert result == {"base": {"x": 1, "y": 2}, "other": {"x": 1}}


def test_json_files_load_and_apply(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(
        json.dumps({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}), encoding="utf-8"
    )
    (tmp_path / "overlay.json").write_text(
        json.dumps(overlay("1.1.0", {"target": "$.info", "update": {"summary": "s"}})),
        encoding="utf-8",
    )
    result = apply_overlay(
        load_document(tmp_path / "openapi.json"), load_document(tmp_path / "overlay.json")
    )
    assert result["info"] == {"title": "t", "version": "1", "summary": "s"}


def test_yaml_loads_with_the_yaml_1_2_core_schema(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            date: 2024-01-01
            stamp: 2024-01-01T10:00:00Z
            words: [yes, no, on, off, y, n]
            bools: [true, False, TRUE]
            ints: [010, 0o17, 0x1F, -3, 1_000]
            floats: [1.5, 1e3, .inf, -.Inf]
            nulls: [~, null, Null, NULL]
            empty:
            200: ok
            true: key
            'quoted': 1
            """
        ),
        encoding="utf-8",
    )
    assert load_document(path) == {
        "date": "2024-01-01",
        "stamp": "2024-01-01T10:00:00Z",
        "words": ["yes", "no", "on", "off", "y", "n"],
        "bools": [True, False, True],
        "ints": [10, 15, 31, -3, "1_000"],
        "floats": [1.5, 1000.0, float("inf"), float("-inf")],
        "nulls": [None, None, None, None],
        "empty": None,
        "200": "ok",
        "true": "key",
        "quoted": 1,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "merge key"),
        ("? [a, b]\n: 1\n", "non-scalar key"),
        ("a: !!binary aGVsbG8=\n", "no JSON equivalent"),
        ("a: !!timestamp 2024-01-01\n", "no JSON equivalent"),
        ("a: !!set {x}\n", "no JSON equivalent"),
        ("a: &a [*a]\n", "cycle"),
        ("a: !Ref x\n", "could not determine a constructor"),
        ("--- 1\n--- 2\n", "single document"),
    ],
)
def test_yaml_that_is_not_json_compatible_is_rejected(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentLoadError, match=message):
        load_document(path)


@pytest.mark.parametrize(
    ("text", "message"), [('{"a": 1, "a": 2}', "duplicate key"), ('{"a": NaN}', "NaN")]
)
def test_invalid_json_is_rejected(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentLoadError, match=message):
        load_document(path)


def test_dump_yaml_round_trips_strings_that_look_like_other_types(tmp_path: Path) -> None:
    document = {
        "strings": ["2024-01-01", "yes", "on", "0o17", "1e3", "null", "true", ".nan", "010", "~"],
        "numbers": [1, 1.5, True, None],
        "long": "word " * 100,
        "unicode": "Привет",
    }
    text = dump_yaml(document)
    assert "Привет" in text
    assert "&" not in text
    assert f"long: '{document['long']}'" in text.splitlines()  # not folded
    path = tmp_path / "out.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_document(path) == document
    assert yaml.safe_load(text) == document


def test_output_is_deterministic() -> None:
    document = load_document(SPEC_DATA / "compliant-sets" / "remove-property" / "openapi.yaml")
    the_overlay = overlay("1.1.0", {"target": "$..properties", "update": {"z": {}, "a": {}}})
    first = dump_yaml(apply_overlay(document, the_overlay))
    assert first == dump_yaml(apply_overlay(document, the_overlay))


# --------------------------------------------------------------------------- CLI


def test_cli_writes_yaml(tmp_path: Path) -> None:
    folder = SPEC_DATA / "compliant-sets" / "add-a-license"
    out = tmp_path / "out.yaml"
    code = main(
        [
            "--overlay",
            str(folder / "overlay.yaml"),
            "--input",
            str(folder / "openapi.yaml"),
            "--output",
            str(out),
        ]
    )
    assert code == 0
    assert load_document(out) == load_document(folder / "output.yaml")


def test_cli_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "overlay.yaml").write_text(
        yaml.safe_dump(overlay("1.1.0", {"target": "$.nope", "remove": True})), encoding="utf-8"
    )
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    args = ["--overlay", str(tmp_path / "overlay.yaml"), "--input", str(tmp_path / "openapi.yaml")]
    assert main([*args, "--output", str(tmp_path / "out.yaml")]) == 1
    assert "$.nope" in capsys.readouterr().err
    assert not (tmp_path / "out.yaml").exists()
    assert main([*args, "--output", str(tmp_path / "out.yaml"), "--allow-empty-targets"]) == 0
    assert load_document(tmp_path / "out.yaml") == {"openapi": "3.1.0"}


def test_every_error_is_an_overlay_error() -> None:
    for error in (
        OverlayValidationError,
        DocumentLoadError,
        EmptyTargetError,
        IncompatibleMergeError,
        UnsupportedTargetError,
        CopySourceError,
    ):
        assert issubclass(error, OverlayError)
