"""The README's client examples run, unchanged but for address and token, against the mock."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

import green_api_contacts
from green_api_contacts.flavours import FLAVOURS, get_flavour
from green_api_contacts.mock import (
    DEFAULT_INSTANCES,
    BackgroundServer,
    MockInstance,
    create_app,
)
from tools.generate import ROOT


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the client", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


# The mock's own default instances: a README example runs against the mock once it serves
# that flavour (every registered flavour has an example either way, see below).
SERVED: Final[dict[str, MockInstance]] = {i.flavour: i for i in DEFAULT_INSTANCES}


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    app = create_app(
        [
            MockInstance(instance.id_instance, instance.token, instance.flavour, contacts=100)
            for instance in SERVED.values()
        ],
        rate_limit=False,
    )
    with BackgroundServer(app) as running:
        yield running


def _client_named(example: str) -> list[str]:
    names = {f"{flavour.class_prefix}Client": flavour.name for flavour in FLAVOURS.values()}
    found = [name for name in re.findall(r"\b(\w+Client)\b", example) if name in names]
    return list(dict.fromkeys(found))


def test_the_readme_has_one_short_example_per_flavour() -> None:
    examples = _examples()
    assert [_client_named(e) for e in examples] == [
        [f"{flavour.class_prefix}Client"] for flavour in FLAVOURS.values()
    ]
    assert all(len(e.strip().splitlines()) <= 6 for e in examples)


@pytest.mark.parametrize("flavour", list(SERVED))
def test_each_flavours_example_runs(
    flavour: str,
    server: BackgroundServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unchanged but for the mock's address and token (in the code or the environment)."""
    spec, instance = get_flavour(flavour), SERVED[flavour]
    code = _examples()[list(FLAVOURS).index(flavour)]
    code = code.replace(
        f"id_instance={spec.id_instance_example},", f"id_instance={instance.id_instance},"
    )
    code = code.replace('api_token="…"', f'api_token="{instance.token}", api_url=URL')
    monkeypatch.setenv("GREEN_API_URL", server.url)
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(instance.id_instance))
    monkeypatch.setenv("GREEN_API_TOKEN", instance.token)
    exec(compile(code, "README.md", "exec"), {"URL": server.url})
    printed = capsys.readouterr().out
    assert printed.startswith("[(")
    # The contacts listed are the flavour's: their chat ids follow its grammar.
    assert any(spec.is_chat_id(text) for text in re.findall(r"'([^']*)'", printed)), printed


# The README's "Testing your code" file is the user file, kept verbatim: its test
# functions take pytest fixtures untyped, as users write them. Their bodies are still checked
# (--strict turns on --check-untyped-defs); only the missing annotations are allowed.
_UNTYPED_ALLOWED = "def test_sync_client_against_the_mock(green_api_mock):"


def _mypy_strict(paths: list[Path], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *extra, *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _natural_code() -> str:
    """What users write first (issue 13): a list of names, per flavour with a public client."""
    lines = ["from __future__ import annotations", "import green_api_contacts as g", ""]
    for flavour in FLAVOURS.values():
        prefix = flavour.class_prefix
        if not hasattr(green_api_contacts, f"{prefix}Client"):
            continue
        lines += [
            f"def {flavour.name}_names(client: g.{prefix}Client) -> list[str]:",
            "    contacts = client.get_contacts()",
            "    names: list[str] = [c.name for c in contacts]",
            "    phone_book: list[str] = [c.contact_name for c in contacts]",
            "    return names + phone_book",
            "",
        ]
    return "\n".join(lines)


def test_the_readme_snippets_and_the_natural_comprehension_pass_mypy_strict(
    tmp_path: Path,
) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    typed: list[Path] = []
    untyped: list[Path] = []
    for i, block in enumerate(blocks):
        path = tmp_path / f"readme_block_{i}.py"
        path.write_text(block, encoding="utf-8")
        (untyped if _UNTYPED_ALLOWED in block else typed).append(path)
    assert len(untyped) == 1
    natural = tmp_path / "natural_comprehension.py"
    natural.write_text(_natural_code(), encoding="utf-8")
    assert natural.read_text(encoding="utf-8").count("def ") >= 2
    result = _mypy_strict([*typed, natural])
    assert result.returncode == 0, result.stdout + result.stderr
    allow = ("--allow-untyped-defs", "--allow-incomplete-defs", "--allow-untyped-calls")
    result = _mypy_strict(untyped, *allow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_sees_the_result_types(tmp_path: Path) -> None:
    """The check above could not pass on Any: a wrong element type is caught."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        _natural_code().replace("names: list[str] =", "names: list[int] =", 1), encoding="utf-8"
    )
    result = _mypy_strict([wrong])
    assert result.returncode == 1
    assert "wrong.py:6: error: List comprehension has incompatible type" in result.stdout
