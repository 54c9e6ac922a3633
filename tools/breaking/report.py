"""What a run of the checker hands back: per-document findings, versions and the exit code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from tools.breaking._model import GROUPS, Finding


@dataclass
class DocumentReport:
    """One document's outcome: compared, new (not at BASE), absent (nowhere) or removed."""

    name: str
    status: Literal["compared", "new", "absent", "removed"]
    findings: list[Finding] = field(default_factory=list)

    def as_json(self, *, verbose: bool) -> dict[str, Any]:
        """The document's part of ``--format json``."""
        return {
            "name": self.name,
            "status": self.status,
            "findings": [f.as_json() for f in _shown(self.findings, verbose=verbose)],
        }


@dataclass
class Report:
    """All documents, both versions, and the exit code they give."""

    old_label: str
    new_label: str
    documents: list[DocumentReport]
    old_version: str | None
    new_version: str | None

    @property
    def breaking(self) -> int:
        """How many breaking findings, over all documents."""
        return sum(f.severity == "breaking" for d in self.documents for f in d.findings)

    @property
    def major_moved(self) -> bool:
        """Whether the major version went up from BASE to now (0.y.z: the minor, see `_major`)."""
        old, new = _major(self.old_version), _major(self.new_version)
        return old is not None and new is not None and new > old

    @property
    def exit_code(self) -> int:
        """0 without breaking changes or with a major bump, else 1."""
        return 1 if self.breaking and not self.major_moved else 0

    def summary(self) -> str:
        """The closing line: counts, versions and what they mean for the exit code."""
        warnings = sum(f.severity == "warning" for d in self.documents for f in d.findings)
        counts = f"{self.breaking} breaking, {warnings} warnings"
        if not self.breaking:
            return f"{counts}: no breaking change"
        versions = f"from {self.old_version} to {self.new_version}"
        if self.major_moved:
            return f"{counts}: allowed: major version moved {versions}"
        return f"{counts}: major version did not move ({versions}): failing"

    def as_json(self, *, verbose: bool) -> dict[str, Any]:
        """The whole report for ``--format json``."""
        return {
            "old": self.old_label,
            "new": self.new_label,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "major_moved": self.major_moved,
            "breaking": self.breaking,
            "exit_code": self.exit_code,
            "documents": [d.as_json(verbose=verbose) for d in self.documents],
        }

    def as_text(self, *, verbose: bool) -> str:
        """A readable report: per document, per group, one block per finding."""
        lines = [f"breaking-change check: {self.old_label} -> {self.new_label}"]
        for document in self.documents:
            if document.status == "new":
                lines.append(f"{document.name}: new (not at the base), nothing to compare")
                continue
            if document.status == "absent":
                lines.append(f"{document.name}: absent at the base and now, nothing to compare")
                continue
            lines.append(f"{document.name}:")
            lines += _groups(_shown(document.findings, verbose=verbose))
        lines.append(self.summary())
        return "\n".join(lines)


def _groups(shown: list[Finding]) -> list[str]:
    lines: list[str] = []
    for group in GROUPS:
        in_group = [f for f in shown if f.group == group]
        lines.append(f"  {group}:" if in_group else f"  {group}: none")
        for f in in_group:
            lines.append(f"    {f.severity.upper()} {f.rule}: {f.message}")
            lines.append(f"      at {f.document} {f.pointer}")
            if f.used_by:
                lines.append(f"      used by {', '.join(f.used_by)}")
    return lines


def _shown(findings: list[Finding], *, verbose: bool) -> list[Finding]:
    return [f for f in findings if verbose or f.severity != "info"]


def _major(version: str | None) -> tuple[int, int] | None:
    """The part of a version that must move for a breaking change.

    SemVer 2.0 item 4 lets anything change in 0.y.z; like Cargo, we read a 0.y release's minor
    as its major, so 0.1.0 -> 0.2.0 may break and 0.1.0 -> 0.1.1 may not.
    """
    match = re.match(r"v?(\d+)(?:\.(\d+))?", version or "")
    if not match:
        return None
    major, minor = int(match[1]), int(match[2] or 0)
    return (0, minor) if major == 0 else (major, 0)
