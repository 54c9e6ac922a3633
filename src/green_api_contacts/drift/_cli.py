"""``green-api-contacts drift PATH...``: the command line of the drift report.

:func:`add_parser` and :func:`run` plug into the package's CLI; :func:`main` runs alone
(``python -m green_api_contacts.drift``). Exit codes: 0 nothing to report, 1 findings, 2 input
that cannot be read (a message naming the file, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from ._compare import compare
from ._overlay import build_overlay, render_overlay
from ._record import RecordError, read_answers
from ._report import render_json, render_text

EXIT_CLEAN: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_UNREADABLE: Final = 2

DESCRIPTION: Final = (
    "Compare recorded answers (files, or folders searched for *.json) with the API description "
    "and report what it does not know: new fields, new enum values, type changes, missing "
    "required fields, documented fields never seen, undocumented statuses."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="recorded answers")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    parser.add_argument(
        "--overlay",
        type=Path,
        metavar="FILE",
        help="also write the findings as an OpenAPI Overlay 1.1 document against openapi.yaml",
    )


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    """Add the ``drift`` subcommand; like the others, it sets ``handler`` (:func:`run`)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "drift",
        help="report what recorded answers show that the description does not know",
        description=DESCRIPTION,
    )
    configure(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the report for parsed arguments; returns the exit code."""
    try:
        report = compare(read_answers(args.paths))
    except RecordError as exc:
        print(f"drift: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(report))
    if args.overlay is not None:
        overlay = build_overlay(report)
        if overlay is None:
            print(
                "drift: no finding to write as an overlay action; no overlay written",
                file=sys.stderr,
            )
        else:
            try:
                args.overlay.write_text(render_overlay(overlay), encoding="utf-8")
            except OSError as exc:
                print(
                    f"drift: {args.overlay}: cannot write ({exc.strerror or exc})", file=sys.stderr
                )
                return EXIT_UNREADABLE
    return EXIT_FINDINGS if report.findings else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m green_api_contacts.drift", description=DESCRIPTION
    )
    configure(parser)
    return run(parser.parse_args(argv))
