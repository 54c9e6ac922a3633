"""``python -m tools.overlay``: apply one overlay file to one OpenAPI file, write YAML."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.overlay._apply import apply_overlay
from tools.overlay._document import dump_yaml, load_document
from tools.overlay._errors import OverlayError, OverlayValidationError


def main(argv: Sequence[str] | None = None) -> int:
    """Apply one overlay file to one OpenAPI file and write the result as YAML."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.overlay", description="Apply an OpenAPI Overlay (1.0 or 1.1)."
    )
    parser.add_argument("--overlay", required=True, type=Path, help="overlay file (YAML/JSON)")
    parser.add_argument("--input", required=True, type=Path, help="OpenAPI file (YAML/JSON)")
    parser.add_argument("--output", required=True, type=Path, help="where to write the YAML")
    parser.add_argument(
        "--allow-empty-targets",
        action="store_true",
        help="let a target that selects nothing pass (the spec's behaviour) instead of failing",
    )
    args = parser.parse_args(argv)
    try:
        overlay = load_document(args.overlay)
        if not isinstance(overlay, dict):
            raise OverlayValidationError(f"{args.overlay}: an overlay document must be an object")
        result = apply_overlay(
            load_document(args.input), overlay, allow_empty_targets=args.allow_empty_targets
        )
    except OverlayError as error:
        print(f"overlay: {error}", file=sys.stderr)
        return 1
    args.output.write_text(dump_yaml(result), encoding="utf-8")
    return 0
