"""Info for many chats: what every client's `get_contact_infos(chat_ids, concurrency=N)` does.

Hand-written because no library does this job on top of our typed calls: results in the order
of `chat_ids`, one typed error in place of each call that failed, at most `concurrency` calls in
flight (threads for the blocking clients, tasks for the asyncio ones), and the instance's rate
limit honoured:

- each call goes through the client's usual flow, so a 429 is retried by the retry policy
  (Retry-After first, never sooner than 1 s) like any other call;
- `rate` (calls started per second; None: no pacing) spaces the starts, so that a known limit is
  not hit in the first place;
- a 429 that outlived its retries (RateLimitedError) holds every later start back for its
  Retry-After: the instance said so, and the other workers would only earn more 429s.

Waits use the retry policy's clock and sleep functions when it has them (tests inject a fake
clock), so one clock times retries and pacing alike.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from httpx_retries import Retry

from green_api_contacts.client._retry import GreenAPIRetry
from green_api_contacts.errors import GreenAPIError, InvalidRequestError, RateLimitedError

__all__ = ["DEFAULT_CONCURRENCY", "Pacer", "infos", "infos_async", "policy_clock"]

InfoT = TypeVar("InfoT")
DEFAULT_CONCURRENCY: Final = 10
_OPERATION: Final = "getContactInfo"


def policy_clock(policy: Retry | None) -> Callable[[], float]:
    """The retry policy's clock (a fake one in tests), else time.monotonic."""
    return policy.clock if isinstance(policy, GreenAPIRetry) else time.monotonic


class Pacer:
    """Hands out start times: at most `rate` starts per second, none before a pause ends."""

    def __init__(self, clock: Callable[[], float], rate: float | None) -> None:
        self._clock = clock
        self._interval = 0.0 if rate is None else 1.0 / rate
        self._next = -math.inf
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Seconds to wait before starting the next call (its slot is taken)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
            return start - now

    def pause(self, seconds: float) -> None:
        """No start earlier than `seconds` from now (after a 429 that outlived its retries)."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


def _checked(chat_ids: Iterable[str], concurrency: object, rate: object, flavour: str) -> list[str]:
    """The chat ids as a list; wrong arguments raise (they are not any one item's fault)."""
    problem = None
    if isinstance(chat_ids, str | bytes):
        problem = "chat_ids must be a list of chat ids, not one string"
    elif isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        problem = f"concurrency must be an integer >= 1; got {concurrency!r}"
    elif rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate < math.inf
    ):
        problem = f"rate must be a number > 0 or None; got {rate!r}"
    if problem is not None:
        raise InvalidRequestError(problem, operation=_OPERATION, flavour=flavour)
    return list(chat_ids)


def _settle(pacer: Pacer, error: GreenAPIError) -> GreenAPIError:
    if isinstance(error, RateLimitedError) and error.retry_after:
        pacer.pause(error.retry_after)
    return error


def infos(
    get_one: Callable[[str], InfoT],
    chat_ids: Iterable[str],
    *,
    concurrency: int,
    rate: float | None,
    flavour: str,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> list[InfoT | GreenAPIError]:
    """The blocking clients' bulk call: `concurrency` threads (the caller's when 1)."""
    ids = _checked(chat_ids, concurrency, rate, flavour)
    pacer = Pacer(clock, rate)
    results: dict[int, InfoT | GreenAPIError] = {}
    positions = iter(range(len(ids)))
    taking = threading.Lock()

    def work() -> None:
        while True:
            with taking:
                position = next(positions, None)
            if position is None:
                return
            wait = pacer.reserve()
            if wait > 0:
                sleep(wait)
            try:
                results[position] = get_one(ids[position])
            except GreenAPIError as error:
                results[position] = _settle(pacer, error)

    workers = min(concurrency, len(ids))
    if workers <= 1:
        work()
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="green-api-infos") as pool:
            for future in [pool.submit(work) for _ in range(workers)]:
                future.result()  # re-raises what is not a GreenAPIError (a bug, not an answer)
    return [results[position] for position in range(len(ids))]


async def infos_async(
    get_one: Callable[[str], Awaitable[InfoT]],
    chat_ids: Iterable[str],
    *,
    concurrency: int,
    rate: float | None,
    flavour: str,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
) -> list[InfoT | GreenAPIError]:
    """The asyncio clients' bulk call: `concurrency` tasks taking chat ids in turn."""
    ids = _checked(chat_ids, concurrency, rate, flavour)
    pacer = Pacer(clock, rate)
    results: dict[int, InfoT | GreenAPIError] = {}
    positions = iter(range(len(ids)))

    async def work() -> None:
        for position in positions:  # shared: each position is taken by one task
            wait = pacer.reserve()
            if wait > 0:
                await sleep(wait)
            try:
                results[position] = await get_one(ids[position])
            except GreenAPIError as error:
                results[position] = _settle(pacer, error)

    tasks = [asyncio.ensure_future(work()) for _ in range(min(concurrency, len(ids)))]
    try:
        await asyncio.gather(*tasks)
    except BaseException:  # not a GreenAPIError (a bug) or a cancellation: stop the others
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise  # as it is, not wrapped in an ExceptionGroup as a TaskGroup would
    return [results[position] for position in range(len(ids))]
