"""Lean installs: the clients import without the extras; the extras' parts name what is missing.

Each case runs in a fresh interpreter where the extra's modules are blocked (``sys.modules[name] =
None`` makes their import fail as if they were not installed).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

BLOCK = "import sys\nfor name in {names!r}: sys.modules[name] = None\n"


def run(blocked: list[str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK.format(names=blocked) + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_clients_need_no_extra() -> None:
    result = run(
        ["starlette", "uvicorn", "pydantic", "pydantic_core", "dateutil"],
        "import green_api_contacts as g\n"
        "from green_api_contacts.generated import whatsapp_structs, telegram_structs\n"
        "from green_api_contacts.generated import whatsapp_client, telegram_client\n"
        "c = g.WhatsAppClient(id_instance=1101000001, api_token='t' * 50)\n"
        "c.close()\n"
        "assert 'starlette' not in sys.modules or sys.modules['starlette'] is None\n"
        "print('core ok')\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "core ok"


@pytest.mark.parametrize(
    ("blocked", "module", "extra"),
    [
        (["starlette"], "green_api_contacts.mock", "mock"),
        (["uvicorn"], "green_api_contacts.mock", "mock"),
        (["pydantic"], "green_api_contacts.generated.whatsapp_models", "pydantic"),
        (["pydantic"], "green_api_contacts.generated.telegram_models", "pydantic"),
    ],
)
def test_a_part_without_its_extra_names_the_extra(
    blocked: list[str], module: str, extra: str
) -> None:
    result = run(
        blocked,
        "import importlib\n"
        "try:\n"
        f"    importlib.import_module({module!r})\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc.name, '|', exc)\n"
        "else:\n"
        "    print('imported')\n",
    )
    assert result.returncode == 0, result.stderr
    assert f"pip install 'green-api-contacts[{extra}]'" in result.stdout
    assert result.stdout.startswith(f"MissingExtraError {blocked[0]} |")
    assert blocked[0] in result.stdout


def test_with_the_extras_everything_imports() -> None:
    result = run(
        [],
        "import green_api_contacts.mock\n"
        "from green_api_contacts.generated import whatsapp_models, telegram_models\n"
        "print('all ok')\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "all ok"
