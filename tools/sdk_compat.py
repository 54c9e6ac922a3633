"""GREEN-API's own Python SDKs, unchanged, against our mock (`make sdk-compat`).

The issue that asked for the mock says that the official SDKs, pointed at it with `host=`, must
work as they do against the real API. This script runs in a separate venv holding only those
SDKs (requirements/sdk-compat.txt); it starts the mock with the project's own CLI, whose path is
the first argument, and calls GetContacts and GetContactInfo through each SDK. It uses the SDKs
and copies none of their code.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

from telegram_api_client_python import API as telegram_sdk  # noqa: N811
from whatsapp_api_client_python import API as whatsapp_sdk  # noqa: N811

WA_ID, WA_TOKEN = "1101000001", "a" * 50
TG_ID, TG_TOKEN = "4100000000", "b" * 50
STARTUP_SECONDS = 20.0


def _start(cli: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(  # noqa: S603
        [
            cli,
            "mock",
            "--port",
            "0",
            "--no-rate-limit",
            "--instance",
            f"{WA_ID}:{WA_TOKEN}:whatsapp:200",
            "--instance",
            f"{TG_ID}:{TG_TOKEN}:telegram:200",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return proc, found.group(1)
        if not line:
            break
    proc.terminate()
    raise SystemExit("sdk-compat: the mock did not start")


def _ok(what: str, response: Any) -> Any:
    assert response.code == 200, f"{what}: status {response.code}"
    print(f"  {what}: 200")
    return response.data


def main() -> int:
    """Call both methods through both SDKs; any assertion fails the run."""
    proc, url = _start(sys.argv[1])
    try:
        wa = whatsapp_sdk.GreenAPI(WA_ID, WA_TOKEN, host=url)
        print(f"whatsapp-api-client-python against {url}")
        contacts = _ok("getContacts", wa.serviceMethods.getContacts())
        assert len(contacts) == 200, len(contacts)
        user = next(c for c in contacts if c["type"] == "user")
        info = _ok("getContactInfo (user)", wa.serviceMethods.getContactInfo(user["id"]))
        assert info["chatId"] == user["id"], info
        group = next(c for c in contacts if c["type"] == "group")
        assert _ok("getContactInfo (group)", wa.serviceMethods.getContactInfo(group["id"])) is None

        tg = telegram_sdk.GreenAPI(TG_ID, TG_TOKEN, host=url)
        print(f"telegram-api-client-python against {url}")
        contacts = _ok("getContacts", tg.serviceMethods.getContacts())
        assert len(contacts) == 200, len(contacts)
        user = next(c for c in contacts if c["type"] == "user")
        info = _ok("getContactInfo (user)", tg.serviceMethods.getContactInfo(user["chatId"]))
        assert info["chatId"] == user["chatId"], info
        assert isinstance(info["phoneNumber"], int), info
        print("sdk-compat: both official SDKs work unchanged against the mock")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
