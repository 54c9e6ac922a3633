"""The house Spectral ruleset (.spectral.yaml) accepts the good fixture and catches every rule.

Runs the pinned Spectral CLI from node_modules (``npx --no-install``), so a missing
``make bootstrap`` is a test failure rather than a silent skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
RULESET = REPO_ROOT / ".spectral.yaml"
FIXTURES = REPO_ROOT / "tests" / "data" / "spectral"
SPECTRAL_BIN = REPO_ROOT / "node_modules" / ".bin" / "spectral"

# Spectral's numeric severities: 0 error, 1 warn, 2 info, 3 hint.
WARN = 1

# (rule code, JSON path prefix in bad.yaml where it must fire). Components entries prove
# the rules look at components.* too, not only at inline path items.
EXPECTED_IN_BAD: list[tuple[str, tuple[str, ...]]] = [
    ("operation-operationId", ("paths",)),
    ("house-operation-description", ("paths",)),
    ("house-response-examples", ("paths",)),
    ("house-response-examples", ("components", "responses", "BadRequest")),
    ("house-request-body-examples", ("paths",)),
    ("house-request-body-examples", ("components", "requestBodies", "Lookup")),
    ("house-response-schema-ref", ("paths",)),
    ("house-response-schema-ref", ("components", "responses", "BadRequest")),
    ("house-request-body-schema-ref", ("paths",)),
    ("house-parameter-description", ("paths",)),
    ("house-parameter-schema", ("paths",)),
    ("house-api-token-password", ("paths",)),
    ("house-api-token-password", ("components", "parameters", "ApiTokenInstance")),
    ("house-schema-description", ("components", "schemas", "Contact")),
    ("house-flavour-markers", ("components", "schemas", "ChatId", "x-flavours")),
    ("house-no-single-flavour-marker", ("components", "schemas", "GroupFilter", "x-flavour")),
]


def _require_spectral() -> None:
    if not SPECTRAL_BIN.exists():
        pytest.fail(
            f"Spectral is not installed ({SPECTRAL_BIN} is missing): run `make bootstrap` "
            "(it runs `npm ci` from package-lock.json) and re-run the tests.",
            pytrace=False,
        )
    if shutil.which("npx") is None:
        pytest.fail(
            "npx is not on PATH: install Node.js/npm, then run `make bootstrap`.", pytrace=False
        )


def _lint(document: Path, out_dir: Path) -> list[dict[str, Any]]:
    """Lint one document with the house ruleset and return Spectral's JSON results."""
    _require_spectral()
    out_file = out_dir / f"{document.stem}.spectral.json"
    # --output keeps the JSON apart from Spectral's human summary line on stdout.
    proc = subprocess.run(
        [
            "npx",
            "--no-install",
            "spectral",
            "lint",
            "--ruleset",
            str(RULESET),
            "--format",
            "json",
            "--output",
            str(out_file),
            "--fail-on-unmatched-globs",
            str(document),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    # Exit 0 = clean, 1 = lint results at fail severity; anything else is a crash.
    assert proc.returncode in (0, 1), (
        f"spectral crashed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )
    assert out_file.exists(), f"spectral wrote no output:\n{proc.stdout}\n{proc.stderr}"
    results: list[dict[str, Any]] = json.loads(out_file.read_text(encoding="utf-8"))
    return results


@pytest.fixture(scope="module")
def bad_results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]] | None:
    # None when Spectral is missing: each test then fails (not errors) via _require_spectral.
    if not SPECTRAL_BIN.exists():
        return None
    return _lint(FIXTURES / "bad.yaml", tmp_path_factory.mktemp("spectral-bad"))


def _house_rules() -> dict[str, Any]:
    ruleset = yaml.safe_load(RULESET.read_text(encoding="utf-8"))
    return {k: v for k, v in ruleset["rules"].items() if k.startswith("house-")}


def test_ruleset_extends_oas_and_makes_operation_id_an_error() -> None:
    ruleset = yaml.safe_load(RULESET.read_text(encoding="utf-8"))
    assert ruleset["extends"] == ["spectral:oas"]
    assert ruleset["rules"]["operation-operationId"] == "error"


def test_every_house_rule_has_message_and_description_and_a_bad_fixture() -> None:
    house = _house_rules()
    assert house, "no house-* rules in .spectral.yaml"
    for code, rule in house.items():
        assert str(rule.get("message", "")).strip(), f"{code} has no message"
        assert str(rule.get("description", "")).strip(), f"{code} has no description"
    covered = {code for code, _ in EXPECTED_IN_BAD}
    assert set(house) <= covered, f"house rules without a bad.yaml case: {set(house) - covered}"


def test_good_fixture_has_no_errors_or_warnings(tmp_path: Path) -> None:
    results = _lint(FIXTURES / "good.yaml", tmp_path)
    failing = [r for r in results if r["severity"] <= WARN]
    assert failing == [], "\n".join(
        f"{r['code']} at {'.'.join(r['path'])}: {r['message']}" for r in failing
    )


@pytest.mark.parametrize(
    ("code", "path_prefix"),
    EXPECTED_IN_BAD,
    ids=[f"{code}@{'.'.join(prefix)}" for code, prefix in EXPECTED_IN_BAD],
)
def test_bad_fixture_reports_rule(
    bad_results: list[dict[str, Any]] | None, code: str, path_prefix: tuple[str, ...]
) -> None:
    _require_spectral()
    assert bad_results is not None
    hits = [
        r
        for r in bad_results
        if r["code"] == code and tuple(r["path"][: len(path_prefix)]) == path_prefix
    ]
    assert hits, f"expected {code} under {'.'.join(path_prefix)} in bad.yaml; got: " + ", ".join(
        sorted({f"{r['code']}@{'.'.join(r['path'])}" for r in bad_results})
    )
    assert all(r["severity"] <= WARN for r in hits), f"{code} must fail --fail-severity=warn"
