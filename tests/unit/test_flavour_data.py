"""Flavours are data: hand-written code never compares a flavour's name, and everything that
lists flavours (public clients, CLI, README) holds every registered flavour.
"""

from __future__ import annotations

import ast
import inspect
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

import green_api_contacts
from green_api_contacts.cli import _commands
from green_api_contacts.client import async_client_class, client_class
from green_api_contacts.client._flavours import CLIENT_FLAVOURS
from green_api_contacts.flavours import FLAVOURS, Flavour, flavour_names

ROOT: Final = Path(__file__).resolve().parents[2]
# Hand-written code that must not branch on a flavour's name (tests/ and the contract
# suite's test modules assert on data, which is what they are for).
SCANNED: Final = ("src", "tools", "benchmarks", "contract_tests")
# Comparisons still allowed while a branch catches up, as "path: expression". Each entry must
# still be found (so the list cannot go stale): delete it when it is gone. None are left.
PENDING: Final[frozenset[str]] = frozenset()


def _is_name(node: ast.AST, names: frozenset[str]) -> bool:
    """A flavour-name string, or a literal tuple/set/list holding one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip().lower() in names
    if isinstance(node, ast.Tuple | ast.Set | ast.List):
        return any(_is_name(element, names) for element in node.elts)
    return False


_COMPARING: Final = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)


def name_comparisons(source: str, names: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(line, expression) of every comparison of a value with a flavour name in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, _COMPARING) for op in node.ops):
            if any(_is_name(side, names) for side in (node.left, *node.comparators)):
                yield node.lineno, ast.unparse(node)
        elif isinstance(node, ast.MatchValue) and _is_name(node.value, names):
            yield node.lineno, f"case {ast.unparse(node.value)}"


def _scanned_files() -> Iterator[Path]:
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if folder == "contract_tests" and path.name.startswith("test_"):
                continue
            yield path


def test_the_scanner_finds_every_form_of_comparison() -> None:
    source = (
        "if flavour == 'whatsapp': pass\n"
        "if 'MAX' != name: pass\n"
        "ok = flavour in ('telegram', 'x')\n"
        "match flavour:\n    case 'telegram': pass\n"
        "fine = flavour == other or FLAVOURS['max'] or flavour in names\n"
    )
    found = list(name_comparisons(source, frozenset(flavour_names())))
    assert [line for line, _ in found] == [1, 2, 3, 5]


def test_hand_written_code_compares_no_flavour_name() -> None:
    names = frozenset(flavour_names())
    found = {
        f"{path.relative_to(ROOT)}: {expression}": line
        for path in _scanned_files()
        for line, expression in name_comparisons(path.read_text(encoding="utf-8"), names)
    }
    unexpected = sorted(f"{key} (line {line})" for key, line in found.items() if key not in PENDING)
    assert not unexpected, "compare data of the registry instead:\n" + "\n".join(unexpected)
    assert not PENDING - found.keys(), (
        f"gone, delete from PENDING: {sorted(PENDING - found.keys())}"
    )


def _plain(annotation: object) -> object:
    """A type without Annotated metadata; unions as sets (`X | None` == `Optional[X]`)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return frozenset(_plain(arg) for arg in typing.get_args(annotation))
    return annotation


@pytest.mark.parametrize("flavour", FLAVOURS.values(), ids=flavour_names())
def test_every_flavour_has_public_clients_typed_as_the_registry_says(flavour: Flavour) -> None:
    contact, info = flavour.struct(flavour.contact_struct), flavour.info_type()
    for cls in (client_class(flavour.name), async_client_class(flavour.name)):
        assert getattr(green_api_contacts, cls.__name__) is cls
        assert cls.__name__.endswith(f"{flavour.class_prefix}Client")
        assert cls._flavour is CLIENT_FLAVOURS[flavour.name]
        (base,) = cls.__orig_bases__
        assert [_plain(arg) for arg in typing.get_args(base)] == [contact, _plain(info)]
        parameters = set(inspect.signature(cls.get_contacts).parameters)
        options = set(flavour.options["getContacts"])
        assert parameters - {"self", "retry_empty"} == options


@pytest.mark.parametrize("flavour", FLAVOURS.values(), ids=flavour_names())
def test_client_tables_come_from_the_registry(flavour: Flavour) -> None:
    table = CLIENT_FLAVOURS[flavour.name]
    assert (table.spec, table.default_api_url) == (flavour, flavour.api_url)
    assert table.chat_id_format == flavour.chat_id_description
    token = "a1" * 25  # a realistic token: registered secrets are redacted process-wide
    client = client_class(flavour.name)(id_instance=flavour.id_instance_example, api_token=token)
    assert (client.api_url, client.flavour) == (flavour.api_url.rstrip("/"), flavour.name)
    client.close()


def test_the_cli_offers_every_flavour_in_registry_order() -> None:
    assert tuple(_commands.CLIENTS) == flavour_names()
    assert [cls.__name__ for cls in _commands.CLIENTS.values()] == [
        f"{f.class_prefix}Client" for f in FLAVOURS.values()
    ]
    assert (
        tuple(f.name for f in FLAVOURS.values() if "group" in f.options["getContacts"])
        == _commands.GROUP_FLAVOURS
    )


def flavour_table() -> str:
    """README's flavour table, as the registry says it must read (one row per flavour)."""
    lines = [
        "| flavour | clients | `--flavour` | default `api_url` | example idInstance "
        "| generated modules |",
        "|---|---|---|---|---|---|",
    ]
    for f in FLAVOURS.values():
        clients = f"`{f.class_prefix}Client`, `Async{f.class_prefix}Client`"
        modules = f"`{f.client_package}`, `{f.models_module}`, `{f.structs_module}`"
        lines.append(
            f"| {f.title} | {clients} | `--flavour {f.name}` | `{f.api_url}` "
            f"| `{f.id_instance_example}` | {modules} |"
        )
    return "\n".join(lines) + "\n"


def test_readme_flavour_table_is_the_registrys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert flavour_table() in readme, "README.md's flavour table should read:\n" + flavour_table()


@pytest.mark.parametrize("flavour", FLAVOURS.values(), ids=flavour_names())
def test_readme_names_every_flavours_clients_and_modules(flavour: Flavour) -> None:
    """Outside the table too: the intro line, the client example, the CLI's flavours."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme.split("| flavour |", 1)[0]
    assert f"**{flavour.title}**" in intro
    assert f"from green_api_contacts import {flavour.class_prefix}Client" in readme
    assert f"Async{flavour.class_prefix}Client`" in readme.split("| flavour |", 1)[1]
    assert f"`{flavour.name}`" in readme.split("### Command line", 1)[1]
