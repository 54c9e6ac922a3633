"""The client's house rules, checked on its source: one adapter, flavours as data."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "green_api_contacts"
ADAPTER = PACKAGE / "client" / "_calls.py"
FLAVOUR_NAMES = {"whatsapp", "telegram"}


def _modules(*parts: str) -> list[Path]:
    return sorted(path for part in parts for path in (PACKAGE / part).rglob("*.py"))


def test_only_the_adapter_reaches_into_the_generated_builders() -> None:
    reaching = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(node, ast.Attribute) and node.attr == "_get_kwargs"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert reaching == [ADAPTER.relative_to(PACKAGE)]


def test_client_and_cli_never_compare_a_flavour_name() -> None:
    """`if flavour == "whatsapp"` hides a third flavour in an else arm; use Flavour data."""
    found = []
    for path in _modules("client", "cli"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                names = {
                    operand.value
                    for operand in operands
                    if isinstance(operand, ast.Constant) and isinstance(operand.value, str)
                }
                if names & FLAVOUR_NAMES:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []
