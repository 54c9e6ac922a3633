"""ARCHITECTURE.md's map matches the ground, and imports flow the way it draws them.

The map ("## The map") has one table row per hand-written module and one per generated family;
a module nobody mapped, or a row whose module is gone, fails here. Import directions are
import-linter's contracts (`[tool.importlinter]` in pyproject.toml), run with lint-imports on a
copy of the source laid out as in the wheel: grimp follows only the first folder of a package
that `pkgutil.extend_path` spreads over `src/` and `generated/`, so without the merge it would
not see generated code at all. The last test plants one violation per contract in such a copy
and expects each contract to catch it.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from green_api_contacts.flavours import FLAVOURS

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
# Folders whose every module needs a row; in contract_tests/ the test modules aside.
MAPPED = ("src/green_api_contacts", "tools", "contract_tests", "benchmarks")
GENERATED = "generated/green_api_contacts/generated"
FAMILY = "<flavour>"
FLAVOUR_NAMES = tuple(FLAVOURS)  # the registry, in declaration order
ROW = re.compile(r"^\| `([^`]*/[^`]*)` \|")  # a path in the first cell
CONTRACT_ROW = re.compile(r"^\| `([a-z-]+)` \|")


def map_rows(text: str) -> list[str]:
    """The first cell of every table row of the "## The map" section."""
    start = text.index("\n## The map\n")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else len(text)]
    return [m.group(1) for line in section.splitlines() if (m := ROW.match(line))]


def module_row(path: Path, root: Path) -> str:
    """How the map names a module: a package by its folder, any other module by its file."""
    if path.name == "__init__.py":
        return f"{path.parent.relative_to(root).as_posix()}/"
    return path.relative_to(root).as_posix()


def modules_on_disk(root: Path) -> set[str]:
    """Every hand-written module that needs a row."""
    found = set()
    for part in MAPPED:
        for path in (root / part).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            if part == "contract_tests" and path.name.startswith("test_"):
                continue
            found.add(module_row(path, root))
    return found


def expand(row: str, flavours: Sequence[str]) -> list[str]:
    """A family row as the paths it stands for; any other row as itself."""
    return [row.replace(FAMILY, name) for name in flavours] if FAMILY in row else [row]


def unmapped(root: Path, rows: list[str], flavours: Sequence[str]) -> list[str]:
    """Modules and generated files without a row, sorted."""
    named = {path for row in rows for path in expand(row, flavours)}
    missing = modules_on_disk(root) - named
    generated = [*(root / "generated").glob("*.*"), *(root / GENERATED).iterdir()]
    for path in generated:
        if path.name == "__pycache__":
            continue
        name = module_row(path / "__init__.py" if path.is_dir() else path, root)
        if name not in named:
            missing.add(name)
    return sorted(missing)


def stale(root: Path, rows: list[str], flavours: Sequence[str]) -> list[str]:
    """Rows naming a path that does not exist (for a family: for some flavour), in map order."""
    return [row for row in rows if not all((root / p).exists() for p in expand(row, flavours))]


def test_every_module_has_one_row_and_every_row_a_module() -> None:
    rows = map_rows(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(rows) > len(MAPPED)
    assert [row for row in set(rows) if rows.count(row) > 1] == []
    assert unmapped(ROOT, rows, FLAVOUR_NAMES) == []
    assert stale(ROOT, rows, FLAVOUR_NAMES) == []


def _tree(root: Path, files: Iterable[str]) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text('"""A module."""\n', encoding="utf-8")
    return root


def test_the_map_check_names_what_is_missing_and_what_is_gone(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        [
            "src/green_api_contacts/__init__.py",
            "src/green_api_contacts/new.py",
            "src/green_api_contacts/part/__init__.py",
            "tools/tool.py",
            "contract_tests/test_suite.py",
            "contract_tests/_helper.py",
            "benchmarks/bench.py",
            f"{GENERATED}/__init__.py",
            f"{GENERATED}/a_structs.py",
            f"{GENERATED}/b_structs.py",
            f"{GENERATED}/unknown.py",
            "generated/a.openapi.yaml",
        ],
    )
    text = "\n".join(
        [
            "# Architecture",
            "## The map",
            "| module | what it owns |",
            "|---|---|",
            "| `src/green_api_contacts/` | the root |",
            "| `src/green_api_contacts/part/` | a part |",
            "| `src/green_api_contacts/gone.py` | removed since |",
            "| `benchmarks/bench.py` | the bench |",
            f"| `{GENERATED}/` | generated |",
            f"| `{GENERATED}/{FAMILY}_structs.py` | Structs |",
            f"| `{GENERATED}/{FAMILY}_models.py` | models |",
            f"| `generated/{FAMILY}.openapi.yaml` | documents |",
            "## Next section",
            "| `tools/tool.py` | outside the map section: does not count |",
        ]
    )
    rows = map_rows(text)
    assert "tools/tool.py" not in rows
    assert unmapped(root, rows, ["a", "b"]) == [
        "contract_tests/_helper.py",
        "generated/green_api_contacts/generated/unknown.py",
        "src/green_api_contacts/new.py",
        "tools/tool.py",
    ]
    assert stale(root, rows, ["a", "b"]) == [
        "src/green_api_contacts/gone.py",
        f"{GENERATED}/{FAMILY}_models.py",
        f"generated/{FAMILY}.openapi.yaml",
    ]


# --- import directions -------------------------------------------------------------------------


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _contract_names() -> list[str]:
    return [str(contract["name"]) for contract in _contracts()]


def test_the_map_lists_the_contracts_that_run() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text[text.index("\n### Which way imports flow\n") :]
    section = section[: section.index("\n### ", 1)]
    listed = [m.group(1) for line in section.splitlines() if (m := CONTRACT_ROW.match(line))]
    assert listed == [contract["id"] for contract in _contracts()]


def _view(tmp_path: Path) -> Path:
    """The import roots as the wheel lays them out: src/ and generated/ in one package folder."""
    view = tmp_path / "view"
    skip = shutil.ignore_patterns("__pycache__")
    for tree in ("src/green_api_contacts", "generated/green_api_contacts"):
        shutil.copytree(ROOT / tree, view / "green_api_contacts", dirs_exist_ok=True, ignore=skip)
    for package in ("tools", "contract_tests", "benchmarks"):
        shutil.copytree(ROOT / package, view / package, ignore=skip)
    return view


def _lint_imports(view: Path) -> subprocess.CompletedProcess[str]:
    script = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert script is not None, "lint-imports is missing: make bootstrap"
    env = {**os.environ, "COLUMNS": "1000"}  # one import per line, however long
    env.pop("PYTHONPATH", None)  # lint-imports puts its working directory first
    return subprocess.run(
        [script, "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=view,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_imports_flow_as_the_contracts_say(tmp_path: Path) -> None:
    names = _contract_names()
    result = _lint_imports(_view(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(names)} kept, 0 broken." in result.stdout
    for name in names:
        assert f"{name} KEPT" in result.stdout


def _plant(view: Path, module: str, imported: str) -> str:
    """Append a function that imports `imported` lazily; return the line lint-imports prints."""
    path = view / (module.replace(".", "/") + ".py")
    if not path.is_file():
        path = path.with_suffix("") / "__init__.py"
    assert path.is_file(), path
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\n\ndef _planted() -> None:\n    import {imported}\n")
    return f"{module} -> {imported} (l."


def test_each_contract_catches_a_planted_import(tmp_path: Path) -> None:
    view = _view(tmp_path)
    structs = f"green_api_contacts.generated.{FLAVOUR_NAMES[0]}_structs"
    expected = [
        # layers: generated code on hand-written code, client <-> mock, and lazily at that
        _plant(view, structs, "green_api_contacts.errors"),
        _plant(view, "green_api_contacts.client._decode", "green_api_contacts.mock"),
        _plant(view, "green_api_contacts.mock._limits", "green_api_contacts.client"),
        # import-loads-the-core-only
        _plant(view, "green_api_contacts", "green_api_contacts.mock._server"),
        # core-needs-no-extra
        _plant(view, "green_api_contacts.client._retry", "starlette"),
        # package-stands-alone
        _plant(view, "green_api_contacts.flavours", "tools._openapi"),
        # tools-do-not-run-the-package
        _plant(view, "tools.generate", "green_api_contacts.flavours"),
        # tools-read-yaml-in-one-place
        _plant(view, "tools.sizes", "yaml"),
        # outer-rings-independent
        _plant(view, "benchmarks.mock_bench", "contract_tests._target"),
    ]
    (view / "green_api_contacts" / "_unplaced.py").write_text('"""New."""\n', encoding="utf-8")
    names = _contract_names()

    result = _lint_imports(view)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Contracts: 0 kept, {len(names)} broken." in result.stdout
    for line in expected:
        assert line in result.stdout
    assert "- green_api_contacts._unplaced\n" in result.stdout  # every module has a layer


def test_each_cli_module_says_whether_it_parses_or_does() -> None:
    """Issue 14: parsing and doing live apart in cli/, and each module's docstring says which."""
    cli = ROOT / "src/green_api_contacts/cli"
    roles = {}
    for path in sorted(cli.glob("_*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        roles[path.name] = docstring.split(":")[0].split(",")[0]
    assert set(roles.values()) <= {"Parsing", "Doing", "Formatting"}, roles
    assert {"Parsing", "Doing"} <= set(roles.values()), roles
