"""The README's client examples run, unchanged but for address and token, against the mock."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

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
