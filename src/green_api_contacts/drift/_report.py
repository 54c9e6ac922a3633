"""The drift report as text (for people) or JSON (for tools).

Values from answers are printed only where they are the finding (new enum values), and the whole
output passes the token redaction: recordings are scrubbed, but a report must not depend on it.
"""

from __future__ import annotations

import json
from typing import Any, Final

from .._redact import redact
from ._compare import Finding, Group, Kind, Report

_LABELS: Final[dict[Kind, str]] = {
    "undocumented_status": "undocumented status",
    "type_change": "type change",
    "new_field": "new field",
    "new_enum_value": "new enum value",
    "missing_required": "missing required",
    "never_seen": "never seen",
}


def _path(path: str) -> str:
    return path or "(body)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _line(finding: Finding) -> str:
    where = ", ".join(_path(p) for p in finding.paths)
    observed = finding.observed.describe() if finding.observed is not None else ""
    detail = {
        "undocumented_status": f"{observed}",
        "type_change": f"{observed} (documented: {finding.documented})",
        "new_field": f"{observed}",
        "new_enum_value": ", ".join(map(redact, finding.values))
        + f" (known: {finding.documented})",
        "missing_required": f"absent from {_plural(finding.count, 'object')}",
        "never_seen": f"{finding.documented}, in none of {_plural(finding.count, 'object')}",
    }[finding.kind]
    owner = f" [{finding.component}]" if finding.component else ""
    return f"  {_LABELS[finding.kind]:<20} {where}: {detail}{owner}"


def _by_group(report: Report) -> list[tuple[Group, list[Finding]]]:
    return [
        (
            group,
            [
                f
                for f in report.findings
                if (f.flavour, f.operation, f.status)
                == (group.flavour, group.operation, group.status)
            ],
        )
        for group in report.groups
    ]


def render_text(report: Report) -> str:
    """One block per flavour, operation and status, then a total."""
    lines = []
    for group, findings in _by_group(report):
        head = (
            f"{group.flavour} {group.operation} {group.status} ({_plural(group.answers, 'answer')})"
        )
        lines.append(head + (":" if findings else ": nothing new"))
        lines.extend(_line(f) for f in findings)
    answers = sum(g.answers for g in report.groups)
    lines.append(f"{_plural(len(report.findings), 'finding')} in {_plural(answers, 'answer')}.")
    return redact("\n".join(lines) + "\n")


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "paths": list(finding.paths),
        "component": finding.component,
        "field": finding.field,
        "count": finding.count,
        "observed": finding.observed.describe() if finding.observed is not None else None,
        "observed_schema": finding.observed.schema() if finding.observed is not None else None,
        "documented": finding.documented or None,
        "values": [redact(v) for v in finding.values],
    }


def render_json(report: Report) -> str:
    """The same content as the text, as one JSON object."""
    groups = [
        {
            "flavour": group.flavour,
            "operation": group.operation,
            "status": group.status,
            "answers": group.answers,
            "findings": [finding_json(f) for f in findings],
        }
        for group, findings in _by_group(report)
    ]
    out = {
        "answers": sum(g.answers for g in report.groups),
        "findings": len(report.findings),
        "groups": groups,
    }
    return redact(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
