"""Size limits of hand-written code: no module over 400 lines, no class over 150.

Big rooms are hard to live in (issue 14): a module's size is its line count, a class's is
`end_lineno - lineno + 1` of its `ClassDef` (decorators excluded, nested classes counted on their
own too). Hand-written because it is a dozen lines of `ast` and no standard linter measures class
length (ruff's and pylint's limits count statements, branches or a module's lines only).

    python -m tools.sizes [PATH ...]    # default: src tools; exits 1 when a limit is exceeded
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

MAX_MODULE_LINES: Final = 400
MAX_CLASS_LINES: Final = 150
DEFAULT_PATHS: Final = ("src", "tools")


@dataclass(frozen=True, slots=True)
class Oversize:
    """One module or class over its limit."""

    path: Path
    name: str  # "" for the module itself, else the class's name
    lines: int
    limit: int

    def __str__(self) -> str:
        what = f"class {self.name}" if self.name else "module"
        return f"{self.path}: {what} has {self.lines} lines (limit {self.limit})"


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .py file under `paths` (files are taken as they are), sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        else:
            yield path


def measure(path: Path) -> list[Oversize]:
    """What in the module at `path` exceeds the limits."""
    text = path.read_text(encoding="utf-8")
    found: list[Oversize] = []
    module_lines = len(text.splitlines())
    if module_lines > MAX_MODULE_LINES:
        found.append(Oversize(path, "", module_lines, MAX_MODULE_LINES))
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_CLASS_LINES:
                found.append(Oversize(path, node.name, lines, MAX_CLASS_LINES))
    return found


def oversized(paths: Iterable[Path]) -> list[Oversize]:
    """Everything over its limit in the .py files under `paths`."""
    return [item for path in python_files(paths) for item in measure(path)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.sizes", description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(p) for p in DEFAULT_PATHS])
    args = parser.parse_args(argv)
    found = oversized(args.paths)
    for item in found:
        print(item)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
