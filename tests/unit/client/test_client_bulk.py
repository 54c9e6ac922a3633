"""get_contact_infos (green_api_contacts.client._bulk) on all four clients, against the mock.

Order kept, one typed error per failed item, the concurrency bound, pacing and the pause after
a 429 that outlived its retries. Time is the shared ManualClock: waits are counted, never slept.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from typing import Any

import httpx
import pytest

from green_api_contacts import (
    GreenAPIError,
    InvalidRequestError,
    RateLimitedError,
    ServerError,
)
from green_api_contacts.mock import ManualClock, MockApp
from tests.unit.client_support import Api, Sleeps, _maybe, fake_retry, make_api

WA_USERS = ["79001234567@c.us", "79001234568@c.us", "79001234569@c.us", "79001234570@c.us"]
TG_USERS = ["10000000", "10000001", "10000002", "10000003"]


def users(api: Api) -> list[str]:
    return TG_USERS if api.flavour == "telegram" else WA_USERS


async def infos(api: Api, chat_ids: Any, **options: Any) -> list[Any]:
    result: list[Any] = await _maybe(api.client.get_contact_infos(chat_ids, **options))
    return result


def sent_chat_ids(api: Api) -> list[str]:
    return [json.loads(request.content)["chatId"] for request in api.transport.requests]


async def test_order_is_kept_and_each_failure_is_typed_in_place(api: Api) -> None:
    chat_ids = [*users(api)[:2], "not a chat id", users(api)[2]]
    results = await infos(api, chat_ids, concurrency=3)
    assert len(results) == 4
    for position in (0, 1, 3):
        assert not isinstance(results[position], GreenAPIError)
        assert results[position].chat_id == chat_ids[position]
    assert isinstance(results[2], InvalidRequestError)
    assert sorted(sent_chat_ids(api)) == sorted(chat_ids[:2] + chat_ids[3:])  # never sent


async def test_an_api_error_takes_only_its_items_place(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("500", times=1, method="getContactInfo")
    results = await infos(api, users(api), concurrency=1)
    assert isinstance(results[0], ServerError)
    assert [r.chat_id for r in results[1:]] == users(api)[1:]


async def test_a_429_is_retried_after_its_retry_after(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject(
        "429; retry-after=2", times=1, method="getContactInfo"
    )
    results = await infos(api, users(api), concurrency=1)
    assert [r.chat_id for r in results] == users(api)
    assert api.sleeps.seconds == [2.0]
    assert len(api.transport.requests) == len(users(api)) + 1


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-telegram"])
async def test_a_429_that_outlives_its_retries_holds_later_starts_back(
    kind: str, app: MockApp, clock: ManualClock
) -> None:
    sleeps = Sleeps(clock)
    api = make_api(kind, app=app, clock=clock, retry=fake_retry(clock, sleeps, total=0))
    app.mock.instance(api.id_instance).inject(
        "429; retry-after=7", times=1, method="getContactInfo"
    )
    try:
        results = await infos(api, users(api), concurrency=1)
    finally:
        await api.close()
    assert isinstance(results[0], RateLimitedError) and results[0].retry_after == 7
    assert [r.chat_id for r in results[1:]] == users(api)[1:]
    assert sleeps.seconds == [7.0]  # the next start waited for the instance, once


async def test_rate_spaces_the_starts(api: Api) -> None:
    results = await infos(api, users(api), concurrency=1, rate=2)
    assert [r.chat_id for r in results] == users(api)
    # The first start is immediate; each next one half a second (by the fake clock) later.
    assert api.sleeps.seconds == [0.5, 0.5, 0.5]
    assert api.clock() == 1.5


@pytest.mark.parametrize(
    ("chat_ids", "options"),
    [
        ("79001234567@c.us", {}),
        (["79001234567@c.us"], {"concurrency": 0}),
        (["79001234567@c.us"], {"concurrency": True}),
        (["79001234567@c.us"], {"rate": 0}),
        (["79001234567@c.us"], {"rate": float("inf")}),
    ],
)
async def test_wrong_arguments_raise_before_anything_is_sent(
    api: Api, chat_ids: Any, options: dict[str, Any]
) -> None:
    with pytest.raises(InvalidRequestError):
        await infos(api, chat_ids, **options)
    assert api.transport.requests == []


async def test_an_empty_list_sends_nothing(api: Api) -> None:
    assert await infos(api, []) == []
    assert api.transport.requests == []


async def test_what_is_not_an_api_error_propagates(app: MockApp, clock: ManualClock) -> None:
    def explode(request: httpx.Request) -> None:
        if b"79001234569" in request.content:
            raise ZeroDivisionError("a bug, not an answer")

    for kind in ("sync-whatsapp", "async-whatsapp"):
        api = make_api(kind, app=app, clock=clock, on_request=explode)
        try:
            with pytest.raises(ZeroDivisionError):
                await infos(api, WA_USERS, concurrency=2)
        finally:
            await api.close()


async def test_async_concurrency_is_bounded(app: MockApp, clock: ManualClock) -> None:
    api = make_api("async-whatsapp", app=app, clock=clock)
    inner = api.client._http._transport
    state = {"now": 0, "most": 0}

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            try:
                for _ in range(5):  # let the other tasks run while this one is in flight
                    await asyncio.sleep(0)
                answer: httpx.Response = await inner.handle_async_request(request)
                return answer
            finally:
                state["now"] -= 1

    api.client._http._transport = Counting()
    chat_ids = [f"7900123{n:04d}@c.us" for n in range(20)]
    try:
        results = await infos(api, chat_ids, concurrency=3)
    finally:
        await api.close()
    assert [r.chat_id for r in results] == chat_ids
    assert state["most"] == 3


async def test_sync_concurrency_runs_that_many_threads_and_no_more(
    app: MockApp, clock: ManualClock
) -> None:
    lock = threading.Lock()
    state = {"now": 0, "most": 0, "seen": 0}
    together = threading.Barrier(3, timeout=30)  # the first three calls must overlap

    def enter(request: httpx.Request) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            state["seen"] += 1
            first_three = state["seen"] <= 3
        if first_three:
            together.wait()

    api = make_api("sync-whatsapp", app=app, clock=clock, on_request=enter)
    inner = api.client._http._transport
    original = inner.handle_request

    def leave(request: httpx.Request) -> httpx.Response:
        try:
            answer: httpx.Response = original(request)
            return answer
        finally:
            with lock:
                state["now"] -= 1

    inner.handle_request = leave
    chat_ids = [f"7900123{n:04d}@c.us" for n in range(9)]
    try:
        results = await infos(api, chat_ids, concurrency=3)
    finally:
        await api.close()
    assert [r.chat_id for r in results] == chat_ids
    assert state["most"] == 3
    assert not together.broken


async def test_the_readme_many_calls_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from green_api_contacts.mock import BackgroundServer
    from tests.unit.client_support import WA_ID, WA_TOKEN, make_app
    from tools.generate import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Many calls", 1)[1].split("\n### ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    with BackgroundServer(make_app(ManualClock())) as server:
        monkeypatch.setenv("GREEN_API_URL", server.url)
        monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(WA_ID))
        monkeypatch.setenv("GREEN_API_TOKEN", WA_TOKEN)
        await namespace["enrich"]([WA_USERS[0], "not a chat id", WA_USERS[1]])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [WA_USERS[0], "not", WA_USERS[1]]
    assert "failed:" in lines[1] and "failed:" not in lines[0] + lines[2]
