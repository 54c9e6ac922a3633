"""Print the contract run's per-flavour summary and decide whether the run passed.

    python -m contract_tests.summary build/contract/mock

Reads ``summary.json`` (written by contract_tests/conftest.py at the end of the pytest session)
and fails (exit 1) when:

* the file is missing (the suite did not finish) or pytest's exit status was not 0;
* a targeted flavour had a failed check or test, or fewer generated cases than the minimum
  (1,000 per flavour on the mock, url and Prism targets; ``--min-cases`` overrides);
* any file in the report directory contains a token: the known ones (the mock's example tokens,
  ``CONTRACT_TOKEN``, ``GREEN_API_TOKEN``) or any unredacted path segment after a method name.

A flavour the target does not cover is printed as SKIPPED with the reason; it is never counted
as a pass, and a run where every flavour was skipped says so.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TextIO

from ._redact import TOKEN_SEGMENT_RE, Redactor
from ._target import EXAMPLE_CREDENTIALS, MOCK_CREDENTIALS

TOKEN_VARS: Final = ("CONTRACT_TOKEN", "GREEN_API_TOKEN")


@dataclass(frozen=True)
class Verdict:
    lines: list[str]
    problems: list[str]
    nothing_tested: bool

    @property
    def passed(self) -> bool:
        return not self.problems


def known_tokens(env: Mapping[str, str]) -> list[str]:
    examples = [*EXAMPLE_CREDENTIALS.values(), *MOCK_CREDENTIALS.values()]
    tokens = sorted({token for _, token in examples})
    tokens += [env[name].strip() for name in TOKEN_VARS if env.get(name, "").strip()]
    return tokens


def find_leaks(report_dir: Path, tokens: Sequence[str]) -> list[str]:
    """Files under ``report_dir`` holding a token (never the token itself in the message)."""
    redactor = Redactor(tokens)
    leaks = []
    for path in sorted(p for p in report_dir.rglob("*") if p.is_file()):
        raw = path.read_text(encoding="utf-8", errors="replace")
        # JUnit XML escapes `<redacted>`; read it the way a person or a CI viewer would.
        text = html.unescape(raw)
        if redactor.leaks(raw) or redactor.leaks(text):
            leaks.append(f"{path}: contains an apiTokenInstance")
        elif TOKEN_SEGMENT_RE.search(text):
            leaks.append(f"{path}: contains an unredacted token segment after a method name")
    return leaks


def _failures(stats: Mapping[str, Any]) -> int:
    failed_tests = sum(outcomes.get("failed", 0) for outcomes in stats["tests"].values())
    return int(stats["check_failures"]) + int(failed_tests)


def _tests(stats: Mapping[str, Any], suite: str) -> str:
    outcomes = stats["tests"].get(suite, {})
    return "/".join(str(outcomes.get(key, 0)) for key in ("passed", "failed", "skipped"))


def evaluate(summary: Mapping[str, Any], min_cases: int | None, leaks: list[str]) -> Verdict:
    minimum = int(summary["min_cases"]) if min_cases is None else min_cases
    lines = [
        f"contract target: {summary['target']}   requests sent: {summary['requests']:,}   "
        f"pytest exit status: {summary['exitstatus']}   minimum cases per flavour: {minimum:,}",
        "",
        f"{'flavour':<10}{'operations':>11}{'cases':>9}{'checks':>10}{'failures':>10}"
        f"{'schemathesis':>15}{'client':>10}  result",
    ]
    problems: list[str] = []
    targeted = 0
    for flavour, stats in summary["flavours"].items():
        if not stats["targeted"]:
            lines.append(f"{flavour:<10}  SKIPPED: {stats['not_targeted_reason']}")
            continue
        targeted += 1
        failures = _failures(stats)
        result = "ok"
        if failures:
            result = "FAILED"
            problems.append(f"{flavour}: {failures} failure(s)")
        if stats["cases"] < minimum:
            result = "FAILED"
            problems.append(f"{flavour}: {stats['cases']} generated cases, fewer than {minimum}")
        lines.append(
            f"{flavour:<10}{len(stats['operations']):>11}{stats['cases']:>9,}{stats['checks']:>10,}"
            f"{failures:>10}{_tests(stats, 'schemathesis'):>15}{_tests(stats, 'client'):>10}"
            f"  {result}"
        )
        phases = ", ".join(f"{k} {v}" for k, v in stats["cases_by_phase"].items())
        statuses = ", ".join(f"{k}: {v}" for k, v in stats["statuses"].items())
        lines.append(f"{'':<10}  cases by phase/mode: {phases or '-'}")
        lines.append(f"{'':<10}  status codes: {statuses or '-'}")
        for reason, count in stats.get("adjusted", {}).items():
            lines.append(f"{'':<10}  adjusted for the target ({count}): {reason}")
        for reason in stats["skip_reasons"]:
            lines.append(f"{'':<10}  skipped tests: {reason}")
    lines.append("")
    lines.append("(schemathesis/client columns: tests passed/failed/skipped)")
    if summary["exitstatus"] != 0:
        problems.append(f"pytest exited with status {summary['exitstatus']}")
    problems += leaks
    if targeted == 0:
        lines.append("SKIPPED: the target covers no flavour; nothing was tested.")
    return Verdict(lines, problems, targeted == 0)


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m contract_tests.summary", description=__doc__)
    parser.add_argument("report_dir", type=Path, help="e.g. build/contract/mock")
    parser.add_argument("--min-cases", type=int, default=None, help="override the minimum")
    args = parser.parse_args(argv)
    path: Path = args.report_dir / "summary.json"
    if not path.is_file():
        print(f"contract summary: {path} is missing; the suite did not finish", file=out)
        return 1
    summary = json.loads(path.read_text(encoding="utf-8"))
    leaks = find_leaks(args.report_dir, known_tokens(os.environ))
    verdict = evaluate(summary, args.min_cases, leaks)
    print("\n".join(verdict.lines), file=out)
    if not verdict.passed:
        print("\ncontract summary: FAILED", file=out)
        for problem in verdict.problems:
            print(f"  - {problem}", file=out)
        return 1
    if verdict.nothing_tested:
        print("contract summary: SKIPPED (nothing was tested; not a pass)", file=out)
    else:
        print("contract summary: passed", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
