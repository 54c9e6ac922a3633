"""The sans-I/O core of a call: one flow for sync and async clients.

A flow is a generator that says what to do next and never does any I/O itself: it yields
`Send(call)` (the driver sends the call, with the retry policy's attempts, and sends back the
answer) or `Wait(seconds)` (the driver sleeps with the sleep function it was given), and returns
the typed result or raises the typed error. `_sync.py` and `_async.py` are the two drivers; they
differ only in how they send and sleep, so the steps of a call (send, check, decode, repeat
GetContacts while it answers `[]`) are written once, and tests can drive a flow by hand.

The attempts inside one `Send` (429/5xx/connection errors, backoff, Retry-After, deadline) are
httpx-retries' loop driven by the `GreenAPIRetry` policy (see `_retry.py`), which takes its own
injectable clock and sleep functions; the drivers use the same sleep functions for `Wait`, so one
fake clock times a whole call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

import httpx

from green_api_contacts.client._calls import Call

__all__ = ["Flow", "Send", "Wait", "contacts_flow", "info_flow", "run", "run_async"]

T = TypeVar("T")
ContactT = TypeVar("ContactT")


@dataclass(frozen=True, slots=True)
class Send:
    """Send `call` (retries included) and send the answer back into the flow."""

    call: Call


@dataclass(frozen=True, slots=True)
class Wait:
    """Sleep `seconds`, then resume the flow (with None)."""

    seconds: float


Step = Send | Wait
Flow = Generator[Step, httpx.Response | None, T]


def _answer(reply: httpx.Response | None) -> httpx.Response:
    if reply is None:  # a driver bug, not an API answer
        raise RuntimeError("the driver resumed a Send step without an answer")
    return reply


def contacts_flow(
    call: Call,
    read: Callable[[Call, httpx.Response], list[ContactT]],
    *,
    empty_retries: int,
    empty_delay: float,
) -> Flow[list[ContactT]]:
    """GetContacts, repeated up to `empty_retries` times, `empty_delay` s apart, while `[]`."""
    remaining = empty_retries
    while True:
        contacts = read(call, _answer((yield Send(call))))
        if contacts or remaining <= 0:
            return contacts
        remaining -= 1
        if empty_delay:
            yield Wait(empty_delay)


def info_flow(call: Call, read: Callable[[Call, httpx.Response], T]) -> Flow[T]:
    """GetContactInfo: one Send, its answer read."""
    return read(call, _answer((yield Send(call))))


def run(flow: Flow[T], send: Callable[[Call], httpx.Response], sleep: Callable[[float], None]) -> T:
    """Drive `flow` with blocking I/O."""
    reply: httpx.Response | None = None
    try:
        while True:
            step = flow.send(reply)
            if isinstance(step, Send):
                reply = send(step.call)
            else:
                sleep(step.seconds)
                reply = None
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        flow.close()


async def run_async(
    flow: Flow[T],
    send: Callable[[Call], Awaitable[httpx.Response]],
    sleep: Callable[[float], Awaitable[None]],
) -> T:
    """Drive `flow` with asyncio I/O."""
    reply: httpx.Response | None = None
    try:
        while True:
            step = flow.send(reply)
            if isinstance(step, Send):
                reply = await send(step.call)
            else:
                await sleep(step.seconds)
                reply = None
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        flow.close()
