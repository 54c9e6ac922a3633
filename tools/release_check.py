"""The release gate: every check a release needs, one summary table, any failure fails.

`make release-check` runs `python -m tools.release_check`. Each step is a make target or a
command, run in order; the gate goes on after a failure, so that the table shows everything
that is wrong at once, and exits 1 if any step failed. Publishing stays a manual step
(README, "Releasing").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tools._openapi import ROOT

# Lines that say nothing about the step: make's directory notes, installer chatter.
_NOISE = ("make[", "WARNING: Location", "npm warn")

LIVE_VARIABLES = ("GREEN_API_URL", "GREEN_API_ID_INSTANCE", "GREEN_API_TOKEN", "GREEN_API_FLAVOUR")


@dataclass(frozen=True)
class Step:
    """One line of the gate: what it checks and the command that checks it."""

    name: str
    command: tuple[str, ...]
    skip_reason: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How a step ended, for the summary table."""

    step: Step
    status: str  # "pass", "FAIL" or "skip"
    seconds: float
    detail: str


def _git(*args: str) -> str | None:
    proc = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def breaking_base() -> str:
    """The last release tag (vX.Y.Z), or the first commit when there is none yet.

    Before the first release the first commit holds no API description, so the step can only
    report the documents as new: the gate says so in its table rather than implying a check.
    """
    tag = _git("describe", "--tags", "--abbrev=0", "--match", "v[0-9]*")
    if tag:
        return tag
    roots = _git("rev-list", "--max-parents=0", "HEAD")
    if roots is None:
        raise SystemExit("release-check: not a git work tree with commits")
    return roots.splitlines()[-1]


def steps(environ: dict[str, str]) -> list[Step]:
    """The gate, in order."""
    missing = [name for name in LIVE_VARIABLES if not environ.get(name)]
    live_skip = f"not set: {', '.join(missing)}" if missing else None
    base = breaking_base()
    return [
        Step("lint (spec, Spectral, examples, ruff, mypy, workflows)", ("make", "lint")),
        Step("generated/ matches a fresh generation", ("make", "check-generated")),
        Step("tests (unit, golden, functional)", ("make", "test")),
        Step("tests at the lowest declared dependency bounds", ("make", "test-lowest")),
        Step("fault soak: bounded concurrent and sequential calls", ("make", "test-soak")),
        Step("contract: embedded mock", ("make", "contract")),
        Step("contract: Prism", ("make", "contract-prism")),
        Step("contract: live API", ("make", "contract-live"), skip_reason=live_skip),
        Step("GREEN-API's official SDKs against the mock", ("make", "sdk-compat")),
        Step(
            f"breaking changes since {base if base.startswith('v') else base[:12]}",
            ("make", "breaking", f"BASE={base}"),
        ),
        Step("build, twine check, wheel imports in a fresh venv", ("make", "dist")),
        Step("installed wheel: smoke calls against its own mock", ("make", "smoke")),
    ]


def run(step: Step, *, verbose: bool) -> Outcome:
    """Run one step; its output is shown only when it fails (or with --verbose)."""
    if step.skip_reason:
        return Outcome(step, "skip", 0.0, step.skip_reason)
    print(f"--- {step.name}: {' '.join(step.command)}", flush=True)
    started = time.monotonic()
    proc = subprocess.run(  # noqa: S603
        step.command, cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    output = (proc.stdout + proc.stderr).strip()
    if verbose or proc.returncode != 0:
        print(output, flush=True)
    meaningful = [line for line in output.splitlines() if not line.startswith(_NOISE)]
    last = meaningful[-1].strip() if meaningful else ""
    status = "pass" if proc.returncode == 0 else "FAIL"
    return Outcome(step, status, seconds, last[:90])


def table(outcomes: Sequence[Outcome]) -> str:
    """The summary, one row a step."""
    width = max(len(o.step.name) for o in outcomes)
    rows = [f"{'step':<{width}}  result  seconds  last line", "-" * (width + 40)]
    for o in outcomes:
        rows.append(f"{o.step.name:<{width}}  {o.status:<6}  {o.seconds:7.1f}  {o.detail}")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gate and print the table; 1 if any step failed."""
    parser = argparse.ArgumentParser(prog="python -m tools.release_check", description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="show every step's output")
    args = parser.parse_args(argv)
    outcomes = [run(step, verbose=args.verbose) for step in steps(dict(os.environ))]
    print("\nrelease-check summary\n" + table(outcomes))
    failed = [o for o in outcomes if o.status == "FAIL"]
    print(f"\n{len(failed)} step(s) failed." if failed else "\nThe release gate passed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
