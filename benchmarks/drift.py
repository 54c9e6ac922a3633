"""`make bench`, section "drift": bodies from a newer API, read end to end over loopback.

Each body is served as fixed bytes by a tiny ASGI app on 127.0.0.1, so that all readers get the
same bytes: our client against httpx + json.loads of the same body (interleaved, same process),
and against GREEN-API's official SDK (requests + json, returns dicts).

The SDK runs in its own venv (build/sdk-venv, made by `make sdk-compat`): it pins other
versions of pydantic and requests than our dev lock, so importing it here would make the lock
lie. benchmarks/sdk_drift.py times it there, next to json.loads of the same body in that same
process; both readers are compared through their ratio to json.loads measured in their own
process, which cancels the two processes' differences in speed.
"""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from benchmarks._procs import ID_INSTANCE as ID
from benchmarks._procs import TOKEN
from green_api_contacts import WhatsAppClient
from green_api_contacts.mock import BackgroundServer, ContactBook

ROOT = Path(__file__).resolve().parent.parent
SDK_PYTHON = ROOT / "build" / "sdk-venv" / "bin" / "python"
CHAT = "79001234567@c.us"
CONTACTS = f"/waInstance{ID}/getContacts/{TOKEN}"
INFO = f"/waInstance{ID}/getContactInfo/{TOKEN}"
PRODUCTS = 25_000  # about as many objects as 100k contacts' worth of strings
# Not a contact list: one card whose 75,000 nested Structs all carry new fields (a stress row).
CARD = f"one card, new fields in each of {PRODUCTS:,} products[] (nested Structs)"


def _contacts(change: Callable[[int, dict[str, Any]], None]) -> bytes:
    items = json.loads(ContactBook("whatsapp", 100_000, ID, ID).contacts_json())
    for i, item in enumerate(items):
        change(i, item)
    return json.dumps(items, ensure_ascii=False).encode()


def _new_field(i: int, item: dict[str, Any]) -> None:
    item["fieldFromANewerApi"] = i


def _new_object(i: int, item: dict[str, Any]) -> None:
    item["profileFromANewerApi"] = {"about": f"status {i}", "badges": [i % 7, "verified"]}


def _new_enum(i: int, item: dict[str, Any]) -> None:
    if i % 3 == 0:
        item["type"] = "channel"


def _changed_type(i: int, item: dict[str, Any]) -> None:
    item["name"] = None if i % 2 == 0 else i  # documented as a string


def _nested_info() -> bytes:
    rng = random.Random(15)
    products = []
    for i in range(PRODUCTS):
        image = f"https://mmg.whatsapp.net/v/t45.5328-4/{rng.randrange(10**12)}_n.jpg"
        products.append(
            {
                "id": str(rng.randrange(10**10, 10**16)),
                "imageUrls": {"requested": image + "?p100", "original": image, "webp": image},
                "reviewStatus": {"whatsapp": "APPROVED", "reason": None},
                "availability": "in stock",
                "name": f"Product {i}",
                "price": f"{rng.randrange(5, 500) * 10}.00",
                "currency": "RUB",
                "isHidden": False,
            }
        )
    info = {"chatId": CHAT, "name": "Shop", "isBusiness": True, "products": products}
    return json.dumps({**info, "businessHours": {"mon": "9-18"}}).encode()


def bodies() -> dict[str, tuple[str, bytes]]:
    """Row label -> (path, body): each with something this version does not know on every item."""
    return {
        "new field on every contact (flat)": (CONTACTS, _contacts(_new_field)),
        "new object field on every contact (nested)": (CONTACTS, _contacts(_new_object)),
        "new enum value on every third contact": (CONTACTS, _contacts(_new_enum)),
        "changed type of `name` on every contact": (CONTACTS, _contacts(_changed_type)),
        CARD: (INFO, _nested_info()),
    }


class _Fixed:
    """An ASGI app answering every request with the body of the current row."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        while (await receive()).get("more_body"):
            pass
        body = self.bodies[scope["path"]]
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _sdk(url: str, path: str, body: bytes, rounds: int) -> dict[str, float] | None:
    """The official SDK's median seconds and json.loads's, both measured in the SDK's venv."""
    if not SDK_PYTHON.exists():
        print("drift: build/sdk-venv missing (make sdk-compat): rows against the SDK skipped")
        return None
    operation = "info" if path == INFO else "contacts"
    command = [str(SDK_PYTHON), "-I", str(ROOT / "benchmarks" / "sdk_drift.py")]
    command += [url, str(ID), operation, CHAT, str(rounds)]
    proc = subprocess.run(
        command, input=TOKEN, capture_output=True, text=True, check=False, timeout=900
    )
    if proc.returncode != 0:
        print(f"drift: the SDK run failed (exit {proc.returncode}): {proc.stderr[-500:]}")
        return None
    found: dict[str, float] = json.loads(proc.stdout)
    if found.get("bytes") != len(body):
        print("drift: the SDK did not read the same body; its rows are skipped")
        return None
    return found


def _readers(
    client: WhatsAppClient, plain: httpx.Client, path: str
) -> tuple[Callable[[], object], Callable[[], object]]:
    """Our client's call for `path`, and httpx + json.loads of the same request."""
    if path == INFO:
        return (
            lambda: client.get_contact_info(CHAT),
            lambda: json.loads(plain.post(path, json={"chatId": CHAT}).content),
        )
    return client.get_contacts, lambda: json.loads(plain.get(path).content)


def bench_drift(
    rounds: int,
    interleaved: Callable[[dict[str, Callable[[], object]], int], dict[str, float]],
    peak_bytes: Callable[[Callable[[], object]], int],
    row: Callable[..., Any],
) -> list[Any]:
    """Rows: our client against httpx + json.loads, and against the official SDK."""
    app = _Fixed()
    rows: list[Any] = []
    with (
        BackgroundServer(app) as server,
        httpx.Client(base_url=server.url, timeout=120) as plain,
        WhatsAppClient(
            api_url=server.url, id_instance=ID, api_token=TOKEN, timeout=120, max_retries=0
        ) as client,
    ):
        for label, (path, body) in bodies().items():
            app.bodies = {path: body}
            ours, base = _readers(client, plain, path)
            base(), ours()  # warm both pools
            # An even count, twice the others: each reader goes first in half the rounds (here
            # the second of a pair ran about 8% slower, whichever it was), and a row near its
            # target needs the steadier median; a round takes a fraction of a second.
            times = interleaved({"base": base, "ours": ours}, 2 * rounds)
            loads = interleaved({"json.loads": partial(json.loads, body)}, rounds)
            memory = peak_bytes(ours) / peak_bytes(base)
            size = {"bytes": len(body), "path": label, "card": label == CARD}
            rows.append(
                row(
                    "drift",
                    f"whatsapp {label}: client, over loopback",
                    times["ours"] / times["base"],
                    "httpx + json.loads",
                    times["ours"],
                    times["base"],
                    memory,
                    size,
                )
            )
            sdk = _sdk(server.url, path, body, rounds)
            if sdk is None:
                continue
            ours_norm = times["ours"] / loads["json.loads"]
            sdk_norm = sdk["sdk"] / sdk["json_loads"]
            rows.append(
                row(
                    "drift",
                    f"whatsapp {label}: client vs official SDK",
                    ours_norm / sdk_norm,
                    "official SDK (requests + json), each / json.loads in its own process",
                    times["ours"],
                    sdk["sdk"],
                    None,
                    {**size, "vs": "sdk", "ours_to_json": ours_norm, "sdk_to_json": sdk_norm},
                )
            )
    return rows
