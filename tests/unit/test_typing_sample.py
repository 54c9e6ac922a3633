"""tests/typing/user_code.py passes mypy --strict, and runs against the mock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from green_api_contacts import (
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    InstanceStartingError,
    TelegramClient,
    WhatsAppClient,
)
from green_api_contacts.mock import ManualClock
from green_api_contacts.testing import MockTransport
from tests.typing import user_code
from tests.unit.client_support import (
    TG_ID,
    TG_TOKEN,
    TG_USER,
    WA_GROUP,
    WA_ID,
    WA_TOKEN,
    WA_USER,
    make_app,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "typing" / "user_code.py"


def test_user_code_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(SAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_user_code_runs_against_the_mock() -> None:
    app = make_app(ManualClock())
    url = "http://mock.test"
    with (
        WhatsAppClient(
            id_instance=WA_ID, api_token=WA_TOKEN, api_url=url, transport=MockTransport(app)
        ) as wa,
        TelegramClient(
            id_instance=TG_ID, api_token=TG_TOKEN, api_url=url, transport=MockTransport(app)
        ) as tg,
    ):
        lines = user_code.whatsapp_report(wa, WA_USER, WA_GROUP)
        assert lines[-1] == "groups have no contact info"
        assert lines[-2] == "unknown fields: []"
        assert user_code.telegram_report(tg, TG_USER)[-1].startswith(f"{TG_USER} seen ")
        assert user_code.guarded(wa, "bad").startswith("fix the input: getContactInfo")
        app.mock.instance(WA_ID).state = "starting"
        assert user_code.guarded(wa, WA_USER) == "starting: retry in a minute"
        assert isinstance(InstanceStartingError("x"), Exception)


async def test_async_user_code_runs_against_the_mock() -> None:
    app = make_app(ManualClock())
    url = "http://mock.test"
    async with (
        AsyncWhatsAppClient(
            id_instance=WA_ID,
            api_token=WA_TOKEN,
            api_url=url,
            transport=httpx.ASGITransport(app=app),
        ) as wa,
        AsyncTelegramClient(
            id_instance=TG_ID,
            api_token=TG_TOKEN,
            api_url=url,
            transport=httpx.ASGITransport(app=app),
        ) as tg,
    ):
        lines = await user_code.async_report(wa, tg, WA_USER, TG_USER)
    assert lines[-3:-1] == ["False", TG_USER]
    assert "is not a Telegram user's chat id" in lines[-1]
