"""``python -m tools.check_examples FILE ...``: one line per problem, one summary per file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tools._openapi import DocumentLoadError
from tools.check_examples._walk import check_document


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: one line per problem, one summary line per file."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.check_examples",
        description="Validate every example in OpenAPI 3.1 documents against its schema.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        try:
            report = check_document(path)
        except DocumentLoadError as exc:
            print(f"{path}: {exc}")
            print(f"0 examples checked in {path}, 1 failures")
            status = 1
            continue
        for failure in report.failures:
            print(f"{path}: {failure}")
        print(f"{report.checked} examples checked in {path}, {len(report.failures)} failures")
        if not report.ok:
            status = 1
    return status
