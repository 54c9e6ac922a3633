"""What the example check reports: where each problem is, and how many examples it saw."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExampleFailure:
    """One problem: where the example (or broken reference) is, and what is wrong."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class ExampleReport:
    """Outcome for one document: how many examples were validated and what failed."""

    checked: int = 0
    failures: list[ExampleFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures
