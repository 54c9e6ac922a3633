"""Smoke test of an installed wheel: a mock served by another process, the public clients call it.

Run by `make smoke`, isolated (-I) so that nothing from this checkout is importable: what passes
here is what users get from `pip install`. Twice:

- ``--core``: in a venv with the bare wheel (no extras). The clients must work; the server stack
  and pydantic must be absent, and importing the mock or the pydantic models must raise an
  ImportError that names the extra to install;
- without ``--core``: in the venv with ``[all]``, the extras' parts must import as well.

The mock always runs from ``--server`` (the ``green-api-contacts`` script of the ``[all]`` venv),
in its own process on 127.0.0.1 with a free port, with instances and tokens made up per run.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
import secrets
import subprocess
import sys
import time

from green_api_contacts import TelegramClient, WhatsAppClient

STARTUP_SECONDS = 20.0
WA_ID, TG_ID = 1101999001, 4199999001
# Not in a core install: the server stack, the pydantic models, and dateutil (imported nowhere).
EXTRA_MODULES = {"starlette": "mock", "uvicorn": "mock", "pydantic": "pydantic"}
GUARDED = {
    "green_api_contacts.mock": "mock",
    "green_api_contacts.generated.whatsapp_models": "pydantic",
    "green_api_contacts.generated.telegram_models": "pydantic",
}


def check_core_install() -> None:
    """Only the core dependencies are installed, and each optional part names its extra."""
    for module in [*EXTRA_MODULES, "dateutil"]:
        assert importlib.util.find_spec(module) is None, f"{module} is installed in a core venv"
    for module, extra in GUARDED.items():
        message = ""
        try:
            importlib.import_module(module)
        except ImportError as exc:
            message = str(exc)
        if f"green-api-contacts[{extra}]" not in message:
            raise AssertionError(f"{module} without [{extra}]: {message or 'imported'}")
    print("smoke: core install has no extras; mock and pydantic models name their extra")


def check_extras() -> None:
    for module in GUARDED:
        importlib.import_module(module)
    print("smoke: [all] install imports the mock and the pydantic models")


def start_mock(server: str, wa_token: str, tg_token: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(  # noqa: S603
        [
            server,
            "mock",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-rate-limit",
            "--instance",
            f"{WA_ID}:{wa_token}:whatsapp:20",
            "--instance",
            f"{TG_ID}:{tg_token}:telegram:20",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return proc, found.group(1)
    proc.terminate()
    proc.wait(timeout=10)
    raise RuntimeError("smoke: the mock did not start")


def call_clients(url: str, wa_token: str, tg_token: str) -> int:
    """Every public method once, both flavours; returns the WhatsApp contacts read."""
    with WhatsAppClient(api_url=url, id_instance=WA_ID, api_token=wa_token) as wa:
        contacts = wa.get_contacts(count=5)
        assert len(contacts) == 5, contacts
        assert wa.get_contact_info(contacts[0].id) is not None or contacts[0].type == "group"
        assert wa.get_contact_info("120363043968066561@g.us") is None
    with TelegramClient(api_url=url, id_instance=TG_ID, api_token=tg_token) as tg:
        people = [c for c in tg.get_contacts() if c.type == "user"]
        info = tg.get_contact_info(people[0].chat_id)
        assert info.chat_id == people[0].chat_id, info
    return len(contacts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="green-api-contacts script to serve")
    parser.add_argument("--core", action="store_true", help="this venv has no extras")
    args = parser.parse_args(argv)
    if args.core:
        check_core_install()
    else:
        check_extras()
    wa_token, tg_token = secrets.token_hex(25), secrets.token_hex(25)
    proc, url = start_mock(args.server, wa_token, tg_token)
    try:
        read = call_clients(url, wa_token, tg_token)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    kind = "core" if args.core else "[all]"
    print(f"smoke: {kind} install OK ({read} WhatsApp contacts, Telegram info) against {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
