"""The GitHub workflows: same make targets as .ci/run, pinned actions, make-only release steps."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
MAKE = re.compile(r"^make ([a-z][a-z0-9-]*)$")


def workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def run_steps(doc: dict[Any, Any]) -> list[str]:
    return [step["run"] for job in doc["jobs"].values() for step in job["steps"] if "run" in step]


def test_ci_runs_every_make_target_of_ci_run() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    local = set(re.findall(r"\bmake ([a-z][a-z0-9-]*)", script))
    in_ci = {match[1] for run in run_steps(workflow("ci.yml")) if (match := MAKE.fullmatch(run))}
    assert local <= in_ci, f".ci/run targets missing from ci.yml: {sorted(local - in_ci)}"
    assert {"test-lowest", "workflow-lint"} <= in_ci


def test_ci_covers_python_3_11_to_3_13() -> None:
    matrix = workflow("ci.yml")["jobs"]["test"]["strategy"]["matrix"]["python"]
    assert matrix == ["3.11", "3.12", "3.13"]


def test_every_step_of_every_workflow_runs_one_make_target() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for run in run_steps(workflow(path.name)):
            assert MAKE.fullmatch(run), f"{path.name}: {run!r} is not a single make target"


def test_actions_are_pinned_by_commit_sha() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in workflow(path.name)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_release_publishes_from_tags_with_trusted_publishing_and_attestations() -> None:
    doc = workflow("release.yml")
    assert doc[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    assert doc["permissions"] == {}
    jobs = doc["jobs"]
    assert run_steps({"jobs": {"gate": jobs["release-check"]}}) == ["make release-check"]
    assert "make dist" in run_steps({"jobs": {"build": jobs["build"]}})
    assert jobs["build"]["needs"] == "release-check"
    assert jobs["build"]["permissions"]["attestations"] == "write"
    assert any("attest-build-provenance" in s.get("uses", "") for s in jobs["build"]["steps"])
    publish = jobs["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uses = [s["uses"] for s in publish["steps"]]
    assert uses[-1].startswith("pypa/gh-action-pypi-publish@")
    # Trusted publishing: no password or token handed to the publish action.
    assert all("with" not in s or "password" not in s["with"] for s in publish["steps"])


def test_regenerate_fails_on_a_stale_generated_tree() -> None:
    assert run_steps(workflow("regenerate.yml")) == ["make check-generated"]


def test_actionlint_and_zizmor_pass() -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "workflow-lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings" in done.stdout + done.stderr


def test_make_help_has_no_colour_codes_off_a_terminal() -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "\x1b" not in done.stdout
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    documented = re.findall(r"^([a-zA-Z_-]+):.*## ", makefile, flags=re.M)
    listed = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    assert listed == documented
