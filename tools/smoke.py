"""Smoke test of an installed wheel: its CLI serves the mock, its public clients call it.

Run by `make smoke` with the interpreter of the fresh venv that `make dist` installs the wheel
into, isolated (-I) so that nothing from this checkout is importable: what passes here is what
users get from `pip install`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from green_api_contacts import TelegramClient, WhatsAppClient
from green_api_contacts.mock import (
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
)

STARTUP_SECONDS = 20.0


def main() -> int:
    """Start the installed CLI's mock on a free loopback port, call every public method once."""
    cli = Path(sys.executable).parent / "green-api-contacts"
    proc = subprocess.Popen(  # noqa: S603
        [str(cli), "mock", "--host", "127.0.0.1", "--port", "0", "--no-rate-limit"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        url = None
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            url = found.group(1) if found else None
        if url is None:
            print("smoke: the mock did not start", file=sys.stderr)
            return 1
        with WhatsAppClient(
            api_url=url, id_instance=EXAMPLE_WHATSAPP_ID, api_token=EXAMPLE_WHATSAPP_TOKEN
        ) as wa:
            contacts = wa.get_contacts(count=5)
            assert len(contacts) == 5, contacts
            assert wa.get_contact_info(contacts[0].id) is not None or contacts[0].type == "group"
            assert wa.get_contact_info("120363043968066561@g.us") is None
        with TelegramClient(
            api_url=url, id_instance=EXAMPLE_TELEGRAM_ID, api_token=EXAMPLE_TELEGRAM_TOKEN
        ) as tg:
            people = [c for c in tg.get_contacts() if c.type == "user"]
            info = tg.get_contact_info(people[0].chat_id)
            assert info.chat_id == people[0].chat_id, info
        print(f"smoke: installed wheel OK ({len(contacts)} WhatsApp contacts, Telegram info)")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
