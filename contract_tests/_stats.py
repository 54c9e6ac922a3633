"""Counting what the contract suite did, per flavour, for build/contract/<target>/summary.json.

conftest.py feeds it from schemathesis hooks (one case per call of the test function, one check
per entry of ``after_validate``'s results) and from pytest's reports (test outcomes). The file
holds counts and operation labels only: no request data, so no token.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from ._target import FLAVOURS, Flavour, Target

Suite = Literal["schemathesis", "client", "other"]
Outcome = Literal["passed", "failed", "skipped"]
SUMMARY_VERSION: Final = 1


@dataclass
class FlavourStats:
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    cases_by_phase: Counter[str] = field(default_factory=Counter)
    checks: int = 0
    check_failures: int = 0
    checks_by_name: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    tests: dict[Suite, Counter[Outcome]] = field(default_factory=dict)
    skip_reasons: set[str] = field(default_factory=set)
    # Cases not sent, or sent with a check left out, because of a target's known deviation.
    adjusted: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "operations": sorted(self.operations),
            "cases": self.cases,
            "cases_by_phase": dict(sorted(self.cases_by_phase.items())),
            "checks": self.checks,
            "check_failures": self.check_failures,
            "checks_by_name": dict(sorted(self.checks_by_name.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "tests": {suite: dict(sorted(c.items())) for suite, c in sorted(self.tests.items())},
            "skip_reasons": sorted(self.skip_reasons),
            "adjusted": dict(sorted(self.adjusted.items())),
        }


class Stats:
    """Mutable run statistics, one :class:`FlavourStats` per flavour."""

    def __init__(self) -> None:
        self.flavours: dict[Flavour, FlavourStats] = {f: FlavourStats() for f in FLAVOURS}
        self.requests = 0
        # Tests of no particular flavour (the harness's own tests).
        self.other: Counter[Outcome] = Counter()

    def record_case(self, flavour: Flavour, operation: str, phase: str, mode: str) -> None:
        stats = self.flavours[flavour]
        stats.operations.add(operation)
        stats.cases += 1
        stats.cases_by_phase[f"{phase}/{mode}"] += 1

    def record_adjusted(self, flavour: Flavour, reason: str) -> None:
        self.flavours[flavour].adjusted[reason] += 1

    def record_checks(self, flavour: Flavour, results: list[tuple[str, bool]]) -> None:
        stats = self.flavours[flavour]
        for name, passed in results:
            stats.checks += 1
            stats.checks_by_name[name] += 1
            if not passed:
                stats.check_failures += 1

    def record_status(self, flavour: Flavour, status: int) -> None:
        self.flavours[flavour].statuses[str(status)] += 1

    def record_test(
        self, flavour: Flavour, suite: Suite, outcome: Outcome, skip_reason: str | None = None
    ) -> None:
        stats = self.flavours[flavour]
        stats.tests.setdefault(suite, Counter())[outcome] += 1
        if outcome == "skipped" and skip_reason:
            stats.skip_reasons.add(skip_reason)

    def record_other(self, outcome: Outcome) -> None:
        self.other[outcome] += 1

    def to_dict(self, target: Target, exitstatus: int) -> dict[str, Any]:
        return {
            "version": SUMMARY_VERSION,
            "target": target.kind,
            "min_cases": target.min_cases,
            "exitstatus": exitstatus,
            "requests": self.requests,
            "other_tests": dict(sorted(self.other.items())),
            "flavours": {
                flavour: {
                    "targeted": target.endpoint(flavour) is not None,
                    "not_targeted_reason": target.skip_reasons.get(flavour),
                    **stats.to_dict(),
                }
                for flavour, stats in self.flavours.items()
            },
        }

    def write(self, path: Path, target: Target, exitstatus: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(target, exitstatus), indent=2, sort_keys=False)
        path.write_text(text + "\n", encoding="utf-8")
