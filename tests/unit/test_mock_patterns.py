"""openapi.yaml's `pattern`s mean in Python what they mean in ECMA-262, and the mock full-matches.

OpenAPI takes `pattern` as an ECMA-262 regular expression. Python reads the same text another
way: `$` also matches before a final newline, so `re.search("^[0-9]{1,20}$", "100\\n")` succeeds
where JavaScript's `/^[0-9]{1,20}$/u.test("100\\n")` fails. These tests run every pattern of
openapi.yaml through Node.js (the ECMA-262 engine of the repo's toolchain) and compare, probe by
probe, with: the Python translation the repo's Python code must use (`ecma_to_python`), the
validator of the contract checks (jsonschema_rs, as schemathesis uses it), and the mock's own
chat-id validation. Naive Python (`re.search` on the raw text) is shown to differ, which is why a
trailing newline must never pass.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
import yaml

from green_api_contacts.flavours import FLAVOURS
from green_api_contacts.mock import MockInstance, create_app
from green_api_contacts.mock._errors import ApiError
from green_api_contacts.mock._validation import parse_info_body

REPO = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
# Variations that tell the two dialects apart, applied to every example and to fixed strings.
SUFFIXES = ["", "\n", "\r\n", "\n\n", " ", "\u2028"]
PREFIXES = ["", "\n", " "]
FIXED = ["", "\n", "0", "100", "100\n", "abc", "\u0661\u0662\u0663", "71234567890@c.us\n"]


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@cache
def pattern_probes() -> dict[str, list[str]]:
    """Every pattern in openapi.yaml with probe strings built from its schema's examples."""
    document = yaml.safe_load((REPO / "openapi.yaml").read_text(encoding="utf-8"))
    probes: dict[str, set[str]] = {}
    for schema in walk(document):
        pattern = schema.get("pattern")
        if not isinstance(pattern, str):
            continue
        examples = [e for e in schema.get("examples", []) if isinstance(e, str)] or ["x"]
        found = probes.setdefault(pattern, set(FIXED))
        found.update(p + e + s for e in examples for p in PREFIXES for s in SUFFIXES)
    assert probes, "openapi.yaml has no pattern"
    return {pattern: sorted(strings) for pattern, strings in probes.items()}


_NODE_SCRIPT = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const [pattern, probes] of Object.entries(input)) {
  const re = new RegExp(pattern, "u");
  out[pattern] = probes.map((s) => re.test(s));
}
process.stdout.write(JSON.stringify(out));
"""


@cache
def ecma_results() -> dict[str, list[bool]]:
    """What ECMA-262 (Node.js, `new RegExp(pattern, "u").test(s)`) says for every probe."""
    if NODE is None:
        pytest.fail("node is required (it is part of make bootstrap's toolchain)")
    result = subprocess.run(
        [NODE, "-e", _NODE_SCRIPT],
        input=json.dumps(pattern_probes()),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(result.stdout))


def ecma_to_python(pattern: str) -> str:
    """An ECMA-262 pattern (as OpenAPI's `pattern`) rewritten to mean the same under re.search.

    `$` outside a character class becomes `\\Z` (ECMA: end of input; Python's `$` also matches
    before a final newline). Escapes whose classes differ between the dialects (\\d \\w \\s \\b)
    are refused rather than guessed; openapi.yaml uses explicit classes.
    """
    if re.search(r"\\[dDwWsSbB]", pattern):
        raise ValueError(f"pattern {pattern!r} uses an escape whose meaning differs in Python")
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
        else:
            out.append(r"\Z" if char == "$" else char)
    return "".join(out)


def cases() -> list[tuple[str, str, bool]]:
    ecma = ecma_results()
    return [
        (pattern, probe, ecma[pattern][index])
        for pattern, probes in pattern_probes().items()
        for index, probe in enumerate(probes)
    ]


def test_every_pattern_has_probes_that_both_match_and_fail() -> None:
    for pattern, probes in pattern_probes().items():
        outcomes = set(ecma_results()[pattern])
        assert outcomes == {True, False}, (pattern, probes)


def test_the_python_translation_means_what_ecma_262_means() -> None:
    wrong = [
        (pattern, probe, expected)
        for pattern, probe, expected in cases()
        if (re.search(ecma_to_python(pattern), probe) is not None) != expected
    ]
    assert wrong == []


def test_the_contract_checks_validator_means_what_ecma_262_means() -> None:
    """schemathesis validates with jsonschema_rs: it must agree with ECMA-262 on every probe."""
    wrong = []
    for pattern, probe, expected in cases():
        validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
        if validator.is_valid(probe) != expected:
            wrong.append((pattern, probe, expected))
    assert wrong == []


def test_naive_python_search_accepts_a_trailing_newline_that_ecma_262_refuses() -> None:
    """Why the translation exists: raw `re.search` differs exactly on the trailing newline."""
    differ = {
        probe
        for pattern, probe, expected in cases()
        if (re.search(pattern, probe) is not None) != expected
    }
    assert "100\n" in differ or "71234567890@c.us\n" in differ
    assert all(probe.endswith("\n") for probe in differ)


def chat_id_pattern(name: str) -> str:
    document = yaml.safe_load((REPO / "openapi.yaml").read_text(encoding="utf-8"))
    return str(document["components"]["schemas"][name]["pattern"])


@pytest.mark.parametrize(
    ("flavour", "schema"), [("whatsapp", "WhatsAppChatId"), ("telegram", "TelegramChatId")]
)
def test_the_mock_accepts_exactly_the_chat_ids_ecma_262_accepts(flavour: str, schema: str) -> None:
    pattern = chat_id_pattern(schema)
    probes = pattern_probes()[pattern]
    expected = ecma_results()[pattern]
    accepted = []
    for probe in probes:
        try:
            parse_info_body(FLAVOURS[flavour], json.dumps({"chatId": probe}).encode())
        except ApiError:
            accepted.append(False)
        else:
            accepted.append(True)
    assert dict(zip(probes, accepted, strict=True)) == dict(zip(probes, expected, strict=True))


@pytest.mark.parametrize(
    ("path", "chat_id"),
    [
        ("/waInstance11/getContactInfo/wa", "71234567890@c.us\n"),
        ("/waInstance11/getContactInfo/wa", "120363043968066561@g.us\n"),
        ("/waInstance41/getContactInfo/tg", "100\n"),
    ],
)
async def test_the_mock_refuses_a_chat_id_with_a_trailing_newline(path: str, chat_id: str) -> None:
    app = create_app(
        [
            MockInstance(11, "wa", "whatsapp", contacts=5),
            MockInstance(41, "tg", "telegram", contacts=5),
        ],
        rate_limit=False,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        answer = await client.post(path, json={"chatId": chat_id})
        clean = await client.post(path, json={"chatId": chat_id.rstrip("\n")})
    assert answer.status_code == 400
    assert clean.status_code == 200
