"""The README's client examples run, unchanged but for address and token, against the mock."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import green_api_contacts
from green_api_contacts.flavours import FLAVOURS
from green_api_contacts.mock import (
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
    BackgroundServer,
    MockInstance,
    create_app,
)
from tools.generate import ROOT


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the client", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    app = create_app(
        [
            MockInstance(EXAMPLE_WHATSAPP_ID, EXAMPLE_WHATSAPP_TOKEN, "whatsapp", contacts=100),
            MockInstance(EXAMPLE_TELEGRAM_ID, EXAMPLE_TELEGRAM_TOKEN, "telegram", contacts=100),
        ],
        rate_limit=False,
    )
    with BackgroundServer(app) as running:
        yield running


def test_the_readme_has_one_short_example_per_flavour() -> None:
    examples = _examples()
    assert [("WhatsAppClient" in e, "TelegramClient" in e) for e in examples] == [
        (True, False),
        (False, True),
    ]
    assert all(len(e.strip().splitlines()) <= 6 for e in examples)


def test_the_whatsapp_example_runs(
    server: BackgroundServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _examples()[0]
    code = code.replace("id_instance=1101000001,", f"id_instance={EXAMPLE_WHATSAPP_ID},")
    code = code.replace('api_token="…"', f'api_token="{EXAMPLE_WHATSAPP_TOKEN}", api_url=URL')
    exec(compile(code, "README.md", "exec"), {"URL": server.url})
    printed = capsys.readouterr().out
    assert "@c.us" in printed
    assert "'user')" in printed


def test_the_telegram_example_runs(
    server: BackgroundServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREEN_API_URL", server.url)
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(EXAMPLE_TELEGRAM_ID))
    monkeypatch.setenv("GREEN_API_TOKEN", EXAMPLE_TELEGRAM_TOKEN)
    exec(compile(_examples()[1], "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert re.search(r"\('\d+', '[^']*', \d+\)", printed)


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
