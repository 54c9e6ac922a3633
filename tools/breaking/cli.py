"""``python -m tools.breaking``: parse the arguments, run the check or list the rules, print."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.breaking._model import BreakingError
from tools.breaking.rules import RULES, rules_markdown, rules_text
from tools.breaking.sources import compare_files, compare_with_base


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.breaking",
        description="List the changes to the API descriptions that break clients.",
    )
    parser.add_argument("--base", help="git ref to compare the work tree with (default HEAD)")
    parser.add_argument("--old", type=Path, help="compare this file ... (with --new)")
    parser.add_argument("--new", type=Path, help="... with this one, instead of git")
    parser.add_argument(
        "--repo", type=Path, help="git work tree to use (default: the one around the cwd)"
    )
    parser.add_argument("--rules", action="store_true", help="print the rule table and exit")
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="output format (markdown: --rules only)",
    )
    parser.add_argument("--verbose", action="store_true", help="also list info-level changes")
    return parser


def _print_rules(output_format: str) -> int:
    if output_format == "json":
        print(json.dumps([rule.as_json() for rule in RULES], indent=2))
    else:
        print(rules_markdown() if output_format == "markdown" else rules_text())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; exit 0 (nothing breaks or major bumped), 1 (breaks) or 2 (usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.rules:
        if args.old is not None or args.new is not None or args.base is not None:
            parser.error("--rules lists the rule table: it compares nothing")
        return _print_rules(args.format)
    if args.format == "markdown":
        parser.error("--format markdown goes with --rules")
    if (args.old is None) != (args.new is None):
        parser.error("--old and --new go together")
    if args.old is not None and (args.base is not None or args.repo is not None):
        parser.error("--old/--new compare files; --base/--repo compare with git: pick one")
    try:
        if args.old is not None:
            report = compare_files(args.old, args.new)
        else:
            report = compare_with_base(args.base or "HEAD", root=args.repo)
    except BreakingError as error:
        print(f"breaking: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.as_json(verbose=args.verbose), indent=2, ensure_ascii=False))
    else:
        print(report.as_text(verbose=args.verbose))
    return report.exit_code
