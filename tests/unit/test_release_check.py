"""The release gate runs at least what CI runs: a release never skips a check that main passes."""

from __future__ import annotations

import re
from pathlib import Path

from tools import release_check

ROOT = Path(__file__).resolve().parents[2]


def _ci_targets() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    return {match[1] for match in re.finditer(r"\bmake ([a-z][a-z-]*)", text)}


def test_every_ci_target_is_a_release_step() -> None:
    gate = {step.command[1] for step in release_check.steps({}) if step.command[0] == "make"}
    # bootstrap prepares the tools; lint covers spec-lint, ruff and mypy.
    expected = _ci_targets() - {"bootstrap", "spec-lint", "ruff", "mypy"}
    assert expected, "no make target found in .ci/run"
    assert expected <= gate, sorted(expected - gate)
    assert "lint" in gate


def test_live_step_is_skipped_with_the_missing_variables_named() -> None:
    live = [step for step in release_check.steps({}) if step.command[1:] == ("contract-live",)]
    assert len(live) == 1
    assert live[0].skip_reason is not None
    assert "GREEN_API_TOKEN" in live[0].skip_reason
