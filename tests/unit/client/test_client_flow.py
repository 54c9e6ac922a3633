"""The sans-I/O flow of a call, driven by hand and by the two drivers, with no HTTP at all."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

from green_api_contacts.client._calls import Call
from green_api_contacts.client._flow import (
    Send,
    Wait,
    contacts_flow,
    info_flow,
    run,
    run_async,
)

CALL = Call("getContacts", "GET", "http://mock.test/waInstance1/getContacts/", {})


def _answer(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


def _read(call: Call, response: httpx.Response) -> Any:
    assert call is CALL
    return response.json()


def test_contacts_flow_by_hand_repeats_while_empty() -> None:
    flow = contacts_flow(CALL, _read, empty_retries=2, empty_delay=5.0)
    assert next(flow) == Send(CALL)
    assert flow.send(_answer([])) == Wait(5.0)
    assert flow.send(None) == Send(CALL)
    assert flow.send(_answer([])) == Wait(5.0)
    assert flow.send(None) == Send(CALL)
    with pytest.raises(StopIteration) as done:
        flow.send(_answer([{"id": "1"}]))
    assert done.value.value == [{"id": "1"}]


def test_contacts_flow_gives_up_after_its_retries_and_skips_zero_waits() -> None:
    flow = contacts_flow(CALL, _read, empty_retries=1, empty_delay=0.0)
    assert next(flow) == Send(CALL)
    assert flow.send(_answer([])) == Send(CALL)  # no Wait(0)
    with pytest.raises(StopIteration) as done:
        flow.send(_answer([]))
    assert done.value.value == []


def test_a_send_resumed_without_an_answer_is_a_driver_bug() -> None:
    flow = info_flow(CALL, _read)
    assert next(flow) == Send(CALL)
    with pytest.raises(RuntimeError, match="without an answer"):
        flow.send(None)


class Driver:
    """Answers from a script and records every wait, sync and async."""

    def __init__(self, *answers: Any) -> None:
        self.answers = [_answer(body) for body in answers]
        self.sent: list[Call] = []
        self.waits: list[float] = []

    def send(self, call: Call) -> httpx.Response:
        self.sent.append(call)
        return self.answers.pop(0)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asend(self, call: Call) -> httpx.Response:
        return self.send(call)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.mark.parametrize("is_async", [False, True])
async def test_both_drivers_run_the_same_steps(is_async: bool) -> None:
    driver = Driver([], [], [{"id": "1"}])
    flow = contacts_flow(CALL, _read, empty_retries=3, empty_delay=2.0)
    if is_async:
        result = await run_async(flow, driver.asend, driver.asleep)
    else:
        result = run(flow, driver.send, driver.sleep)
    assert result == [{"id": "1"}]
    assert driver.sent == [CALL] * 3
    assert driver.waits == [2.0, 2.0]


@pytest.mark.parametrize("is_async", [False, True])
async def test_an_error_while_sending_ends_and_closes_the_flow(is_async: bool) -> None:
    flow = contacts_flow(CALL, _read, empty_retries=3, empty_delay=2.0)

    def fail(call: Call) -> httpx.Response:
        raise LookupError("typed errors pass through unchanged")

    async def afail(call: Call) -> httpx.Response:
        return fail(call)

    async def drive() -> None:
        if is_async:
            await run_async(flow, afail, Driver().asleep)
        else:
            run(flow, fail, Driver().sleep)

    with pytest.raises(LookupError):
        await drive()
    assert inspect.getgeneratorstate(flow) == inspect.GEN_CLOSED
