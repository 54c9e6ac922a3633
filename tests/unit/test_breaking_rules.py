"""The rule table of tools.breaking: every rule fires on its own minimal pair of documents.

A rule without a pair here fails ``test_every_rule_has_exactly_one_minimal_pair``; a rule that
stops firing fails ``test_rule_fires_on_its_minimal_pair`` for its id (and level).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.breaking_support import REPO, STRING, make_doc, obj
from tools.breaking import RULES, Finding, main
from tools.breaking._model import Change, Ctx
from tools.breaking._walk import Walker
from tools.breaking.rules import RULES_BY_ID, rules_markdown
from tools.breaking.sources import _compare_one

INTEGER: dict[str, Any] = {"type": "integer"}
ARRAY: dict[str, Any] = {"type": "array", "items": STRING}
OBJECT: dict[str, Any] = {"type": "object"}

# --------------------------------------------------------------------------- schema pairs
# rule id -> (old schema, new schema); placed in the request and/or the response body,
# whichever groups the rule has a level in.

SchemaPair = tuple[Any, Any]


def _with(base: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {**base, **more}


def _bound_pairs() -> dict[str, SchemaPair]:
    bases = {
        "minLength": STRING,
        "maxLength": STRING,
        "minimum": INTEGER,
        "maximum": INTEGER,
        "exclusiveMinimum": INTEGER,
        "exclusiveMaximum": INTEGER,
        "minItems": ARRAY,
        "maxItems": ARRAY,
        "minProperties": OBJECT,
        "maxProperties": OBJECT,
    }
    pairs: dict[str, SchemaPair] = {}
    for keyword, base in bases.items():
        name = re.sub(r"(?<!^)(?=[A-Z])", "-", keyword).lower()
        one, two = _with(base, **{keyword: 1}), _with(base, **{keyword: 2})
        pairs[f"{name}-added"] = (base, one)
        pairs[f"{name}-removed"] = (one, base)
        pairs[f"{name}-increased"] = (one, two)
        pairs[f"{name}-decreased"] = (two, one)
    return pairs


def _keyword_pairs() -> dict[str, SchemaPair]:
    pairs: dict[str, SchemaPair] = {}
    for name, base, keyword, first, second in (
        ("format", STRING, "format", "email", "uri"),
        ("pattern", STRING, "pattern", "^a$", "^b$"),
        ("multiple-of", INTEGER, "multipleOf", 2, 3),
    ):
        one, two = _with(base, **{keyword: first}), _with(base, **{keyword: second})
        pairs[f"{name}-added"] = (base, one)
        pairs[f"{name}-removed"] = (one, base)
        pairs[f"{name}-changed"] = (one, two)
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        name = re.sub(r"(?<!^)(?=[A-Z])", "-", keyword).lower()
        closed = {**obj({"a": STRING}), keyword: False}
        pairs[f"{name}-disallowed"] = (obj({"a": STRING}), closed)
        pairs[f"{name}-allowed"] = (closed, obj({"a": STRING}))
    return pairs


NULLABLE = {"type": ["string", "null"]}
ENUM_A = {"type": "string", "enum": ["a"]}
ENUM_AB = {"type": "string", "enum": ["a", "b"]}
THREE = {"anyOf": [STRING, INTEGER, {"type": "boolean"}]}
TWO = {"anyOf": [STRING, INTEGER]}
ALL_A = {"allOf": [obj({"a": STRING})]}
ALL_AB = {"allOf": [obj({"a": STRING}), obj({"b": STRING})]}

SCHEMA_PAIRS: dict[str, SchemaPair] = {
    **{
        f"{d}-{rule}": pair
        for d in ("request", "response")
        for rule, pair in {
            "property-removed": (obj({"a": STRING, "b": STRING}), obj({"a": STRING})),
            "property-added": (obj({"a": STRING}), obj({"a": STRING, "b": STRING})),
            "property-added-required": (obj({}), obj({"b": STRING}, ["b"])),
            "property-became-required": (obj({"a": STRING}), obj({"a": STRING}, ["a"])),
            "property-became-optional": (obj({"a": STRING}, ["a"]), obj({"a": STRING})),
            "nullable-removed": (NULLABLE, STRING),
            "nullable-added": (STRING, NULLABLE),
        }.items()
    },
    "type-narrowed": ({"type": "number"}, INTEGER),
    "type-widened": (INTEGER, {"type": "number"}),
    "type-changed": (STRING, {"type": "boolean"}),
    "enum-added": (STRING, ENUM_A),
    "enum-removed": (ENUM_A, STRING),
    "enum-value-removed": (ENUM_AB, ENUM_A),
    "enum-value-added": (ENUM_A, ENUM_AB),
    "response-enum-value-added": (ENUM_A, ENUM_AB),
    "unique-items-added": (ARRAY, _with(ARRAY, uniqueItems=True)),
    "unique-items-removed": (_with(ARRAY, uniqueItems=True), ARRAY),
    "union-branch-removed": (THREE, TWO),
    "union-branch-added": (TWO, THREE),
    "all-of-branch-removed": (ALL_AB, ALL_A),
    "all-of-branch-added": (ALL_A, ALL_AB),
    "schema-disallowed": (_with(ARRAY, items=True), _with(ARRAY, items=False)),
    "schema-allowed": (_with(ARRAY, items=False), _with(ARRAY, items=True)),
    **_bound_pairs(),
    **_keyword_pairs(),
}

# --------------------------------------------------------------------------- document pairs
# rule id -> () -> (old document, new document or None when it is gone)


def _edit(change: Callable[[dict[str, Any]], object], **doc: Any) -> dict[str, Any]:
    result = make_doc(**doc)
    change(result)
    return result


def _op(doc: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"]["/things"]["post"]
    return op


def _param(**more: Any) -> dict[str, Any]:
    return make_doc(parameters=[{"name": "limit", "in": "query", "schema": STRING, **more}])


def _other_path(doc: dict[str, Any]) -> None:
    doc["paths"]["/other"] = {"get": {"operationId": "other", "responses": {}}}


def _get_too(doc: dict[str, Any]) -> None:
    doc["paths"]["/things"]["get"] = {"operationId": "listThings", "responses": {}}


def _optional_body(doc: dict[str, Any]) -> None:
    _op(doc)["requestBody"]["required"] = False


def _status_404(doc: dict[str, Any]) -> None:
    _op(doc)["responses"]["404"] = {"description": "missing"}


def _text_request(doc: dict[str, Any]) -> None:
    _op(doc)["requestBody"]["content"]["text/plain"] = {"schema": STRING}


def _text_response(doc: dict[str, Any]) -> None:
    _op(doc)["responses"]["200"]["content"]["text/plain"] = {"schema": STRING}


DocPair = Callable[[], tuple[dict[str, Any], dict[str, Any] | None]]

DOC_PAIRS: dict[str, DocPair] = {
    "document-removed": lambda: (make_doc(), None),
    "server-removed": lambda: (make_doc(), _edit(lambda d: d.update(servers=[]))),
    "path-removed": lambda: (_edit(_other_path), make_doc()),
    "path-added": lambda: (make_doc(), _edit(_other_path)),
    "operation-removed": lambda: (_edit(_get_too), make_doc()),
    "operation-added": lambda: (make_doc(), _edit(_get_too)),
    "operation-id-changed": lambda: (
        make_doc(),
        _edit(lambda d: _op(d).update(operationId="makeThing")),
    ),
    "parameter-removed": lambda: (_param(), make_doc()),
    "parameter-added-required": lambda: (make_doc(), _param(required=True)),
    "parameter-added": lambda: (make_doc(), _param()),
    "parameter-became-required": lambda: (_param(), _param(required=True)),
    "parameter-became-optional": lambda: (_param(required=True), _param()),
    "parameter-style-changed": lambda: (_param(), _param(explode=False)),
    "request-body-removed": lambda: (make_doc(request=STRING), make_doc()),
    "request-body-added-required": lambda: (make_doc(), make_doc(request=STRING)),
    "request-body-added": lambda: (make_doc(), _edit(_optional_body, request=STRING)),
    "request-body-became-required": lambda: (
        _edit(_optional_body, request=STRING),
        make_doc(request=STRING),
    ),
    "request-body-became-optional": lambda: (
        make_doc(request=STRING),
        _edit(_optional_body, request=STRING),
    ),
    "response-status-removed": lambda: (_edit(_status_404), make_doc()),
    "response-status-added": lambda: (make_doc(), _edit(_status_404)),
    "request-media-type-removed": lambda: (
        _edit(_text_request, request=STRING),
        make_doc(request=STRING),
    ),
    "request-media-type-added": lambda: (
        make_doc(request=STRING),
        _edit(_text_request, request=STRING),
    ),
    "response-media-type-removed": lambda: (_edit(_text_response), make_doc()),
    "response-media-type-added": lambda: (make_doc(), _edit(_text_response)),
}


def _cases() -> list[Any]:
    cases = []
    for rule in RULES:
        for group in rule.levels:
            cases.append(pytest.param(rule.id, group, id=f"{rule.id}-in-{group}"))
    return cases


def _findings(rule_id: str, group: str) -> list[Finding]:
    if rule_id in DOC_PAIRS:
        old, new = DOC_PAIRS[rule_id]()
        return _compare_one("doc.yaml", old, new).findings
    old, new = SCHEMA_PAIRS[rule_id]
    key = "request" if group == "requests" else "response"
    return _compare_one("doc.yaml", make_doc(**{key: old}), make_doc(**{key: new})).findings


def test_every_rule_has_exactly_one_minimal_pair() -> None:
    assert not set(SCHEMA_PAIRS) & set(DOC_PAIRS)
    assert sorted({*SCHEMA_PAIRS, *DOC_PAIRS}) == sorted(RULES_BY_ID)


@pytest.mark.parametrize(("rule_id", "group"), _cases())
def test_rule_fires_on_its_minimal_pair(rule_id: str, group: str) -> None:
    findings = _findings(rule_id, group)
    matching = [f for f in findings if f.rule == rule_id]
    assert len(matching) == 1, [(f.rule, f.pointer) for f in findings]
    (finding,) = matching
    assert finding.group == group
    assert finding.severity == RULES_BY_ID[rule_id].levels[group]
    assert finding.message
    assert finding.used_by


def test_a_minimal_pair_triggers_nothing_breaking_but_its_rule() -> None:
    """Minimal means minimal: no pair drags in a second breaking finding."""
    for rule in RULES:
        for group in rule.levels:
            extra = [
                f.rule
                for f in _findings(rule.id, group)
                if f.rule != rule.id and f.severity == "breaking"
            ]
            assert extra == [], (rule.id, group)


def test_a_detector_that_names_a_rule_outside_its_rows_is_a_bug() -> None:
    def rogue(w: Any, ctx: Any, old: Any, new: Any) -> Any:
        yield Change("path-removed", "old", "#", "not mine")

    walker = Walker(make_doc(), make_doc())
    with pytest.raises(RuntimeError, match="rogue reported 'path-removed'"):
        walker.run(rogue, Ctx(None, "x"), None, None)


# --------------------------------------------------------------------------- --rules


def test_rules_text_lists_every_rule_with_its_level(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "level", "description"]
    assert [line.split()[0] for line in lines[1:]] == [rule.id for rule in RULES]
    by_id = {line.split()[0]: line for line in lines[1:]}
    assert "info in requests, breaking in responses" in by_id["type-widened"]
    assert by_id["server-removed"].split()[1] == "warning"


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == [rule.id for rule in RULES]
    assert rows[0].keys() == {"id", "levels", "description", "detector"}
    widened = next(row for row in rows if row["id"] == "type-widened")
    assert widened["levels"] == {"requests": "info", "responses": "breaking"}
    assert widened["detector"] == "detect_type"


def test_rules_does_not_mix_with_a_comparison() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--rules", "--base", "HEAD"])
    assert exit_info.value.code == 2


def test_docs_table_is_generated_from_the_rules() -> None:
    """docs/breaking-rules.md holds `python -m tools.breaking --rules --format markdown`."""
    text = (REPO / "docs" / "breaking-rules.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- rules:begin -->\n(.*?)\n<!-- rules:end -->", text, re.DOTALL)
    assert match is not None
    assert match[1] == rules_markdown(), "run: python -m tools.breaking --rules --format markdown"
