"""GREEN-API's own Python SDKs, unchanged, against our mock (`make sdk-compat`).

The official SDKs, pointed at the mock with `host=`, must work as they do against the real API.
This script runs in a separate venv holding only those SDKs (requirements/sdk-compat.txt), so it
cannot import green_api_contacts: it reads the flavour registry straight from the generated
module (plain literals, standard library only). It starts the mock with the project's own CLI,
whose path is the first argument, with one instance per registered flavour, and for every
flavour and every path prefix the flavour answers under (MAX: with and without /v3) calls
GetContacts and GetContactInfo (a listed user, and the registry's group example) through that
flavour's SDK. Which SDK serves which flavour is the table `SDKS`; nothing here branches on a
flavour's name. It uses the SDKs and copies none of their code.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

REGISTRY_FILE = (
    Path(__file__).resolve().parents[1]
    / "generated"
    / "green_api_contacts"
    / "generated"
    / "registry.py"
)
# Registry flavour -> the module of GREEN-API's SDK for it, whose `GreenAPI(idInstance,
# apiTokenInstance, host=...)` has `serviceMethods.getContacts()` and `.getContactInfo(chatId)`.
SDKS = {
    "whatsapp": "whatsapp_api_client_python.API",
    "telegram": "telegram_api_client_python.API",
    "max": "max_api_client_python.API",
}
CONTACTS = 200
STARTUP_SECONDS = 20.0


def _registry() -> tuple[dict[str, Any], ...]:
    spec = importlib.util.spec_from_file_location("_flavour_registry", REGISTRY_FILE)
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    flavours: tuple[dict[str, Any], ...] = module.FLAVOURS
    return flavours


def _token(index: int) -> str:
    """A fake token per instance, 50 hex characters like a real one (the mock echoes it)."""
    return f"{index:x}" * 50


def _start(cli: str, flavours: tuple[dict[str, Any], ...]) -> tuple[subprocess.Popen[str], str]:
    instances = [
        arg
        for index, flavour in enumerate(flavours, 1)
        for arg in (
            "--instance",
            f"{flavour['id_instance_example']}:{_token(index)}:{flavour['name']}:{CONTACTS}",
        )
    ]
    proc = subprocess.Popen(  # noqa: S603
        [cli, "mock", "--port", "0", "--no-rate-limit", *instances],
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


def _check(flavour: dict[str, Any], sdk: Any, host: str, token: str) -> None:
    """GetContacts, GetContactInfo of a listed user and of the registry's group example."""
    api = sdk.GreenAPI(str(flavour["id_instance_example"]), token, host=host)
    print(f"{sdk.__name__} against {host}")
    contacts = _ok("getContacts", api.serviceMethods.getContacts())
    assert len(contacts) == CONTACTS, len(contacts)
    id_field = flavour["contact_id_field"]
    user = next(c for c in contacts if c["type"] == "user")
    info = _ok("getContactInfo (user)", api.serviceMethods.getContactInfo(user[id_field]))
    assert info["chatId"] == user[id_field], info
    assert info["name"] == user["name"], info
    group = flavour["chat_id_group_example"]
    if group is not None:
        answer = api.serviceMethods.getContactInfo(group)
        assert answer.code == flavour["group_info_status"], (group, answer.code)
        assert answer.data is None, answer.data  # null on 200, and no data on an error
        print(f"  getContactInfo (group): {answer.code}")


def main() -> int:
    """Every registered flavour through its SDK, under each of its prefixes."""
    flavours = _registry()
    missing = [f["name"] for f in flavours if f["name"] not in SDKS]
    assert not missing, f"no official SDK named for {missing}: add it to SDKS"
    proc, url = _start(sys.argv[1], flavours)
    try:
        for index, flavour in enumerate(flavours, 1):
            sdk = importlib.import_module(SDKS[flavour["name"]])
            # The SDK's default host is the registry's apiUrl, prefix included.
            default = inspect.signature(sdk.GreenAPI.__init__).parameters["host"].default
            assert default == flavour["api_url"], (default, flavour["api_url"])
            for prefix in flavour["path_prefixes"]:
                _check(flavour, sdk, url + prefix, _token(index))
        print(f"sdk-compat: {len(flavours)} official SDKs work unchanged against the mock")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
