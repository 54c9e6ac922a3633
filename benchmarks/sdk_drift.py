"""Time GREEN-API's official SDK on one body, in the SDK's own venv (see benchmarks/drift.py).

Run by `make bench` as `build/sdk-venv/bin/python -I benchmarks/sdk_drift.py URL ID OPERATION
CHAT ROUNDS`, the token on stdin (never in argv). Prints JSON: median seconds of the SDK call and
of json.loads of the same body in this process, and the body's length. Standard library and
the SDK only: this venv has none of our packages.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable

from whatsapp_api_client_python import API


def main() -> int:
    """Interleave the SDK call with json.loads of the body it got, and print the medians."""
    url, id_instance, operation, chat, rounds = sys.argv[1:6]
    api = API.GreenApi(id_instance, sys.stdin.read().strip(), host=url, raise_errors=True)

    def call() -> object:
        if operation == "info":
            response = api.serviceMethods.getContactInfo(chat)
        else:
            response = api.serviceMethods.getContacts()
        if response.code != 200:
            raise SystemExit(f"the SDK's call answered {response.code}")
        return response.data

    body = _body(api, url, id_instance, operation, chat)
    cases: dict[str, Callable[[], object]] = {"sdk": call, "json_loads": lambda: json.loads(body)}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    call()
    for round_ in range(int(rounds)):
        names = list(cases)[round_ % 2 :] + list(cases)[: round_ % 2]
        for name in names:
            gc.collect()
            started = time.perf_counter()
            cases[name]()
            samples[name].append(time.perf_counter() - started)
    found: dict[str, float] = {k: statistics.median(v) for k, v in samples.items()}
    print(json.dumps({**found, "bytes": len(body)}))
    return 0


def _body(api: API.GreenApi, url: str, id_instance: str, operation: str, chat: str) -> bytes:
    """The exact bytes the SDK receives (the fixture server answers any path alike)."""
    method = "POST" if operation == "info" else "GET"
    path = "getContactInfo" if operation == "info" else "getContacts"
    response = api.session.request(
        method,
        f"{url}/waInstance{id_instance}/{path}/{api.apiTokenInstance}",
        json={"chatId": chat} if operation == "info" else None,
        timeout=120,
    )
    content: bytes = response.content
    return content


if __name__ == "__main__":
    sys.exit(main())
