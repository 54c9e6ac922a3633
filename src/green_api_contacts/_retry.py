"""The retry policy: httpx-retries' `Retry`, fitted to GREEN-API.

httpx-retries runs the loop (which statuses and exceptions to retry, exponential backoff with
jitter, Retry-After, a bound on attempts). This subclass adds only what GREEN-API needs and the
library lacks:

- POST is retried: getContactInfo is a read-only POST, so repeating it is safe;
- a floor of `min_backoff` seconds (1 s by default) under every computed backoff, because the API
  allows 1 request per second per method: retrying sooner only earns another 429. A Retry-After
  header overrides the floor (the server knows best), up to `max_backoff_wait`;
- a wall-clock bound, `max_retry_time`, on one call including its retries (httpx-retries'
  `total_timeout` only sums the sleeps): no attempt starts after the deadline, and no sleep runs
  past it;
- injectable `clock`, `sleep_func` and `async_sleep_func`, so tests run without sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from http import HTTPMethod, HTTPStatus

import httpx
from httpx_retries import Retry

__all__ = ["GreenAPIRetry", "retry_after_seconds"]

Clock = Callable[[], float]
SleepFunc = Callable[[float], None]
AsyncSleepFunc = Callable[[float], Awaitable[None]]


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """Seconds a Retry-After header asks for (number or HTTP date), or None if absent/invalid."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        # Retry.parse_retry_after takes no state; any instance parses the same way.
        return Retry().parse_retry_after(value)
    except ValueError:
        return None


class GreenAPIRetry(Retry):
    """Retry 429, 502, 503, 504 and connection errors, GREEN-API style (see the module docs).

    `total` is the number of retries after the first attempt (0 switches retries off).
    """

    def __init__(
        self,
        total: int = 3,
        allowed_methods: Iterable[HTTPMethod | str] | None = ("GET", "POST"),
        status_forcelist: Iterable[HTTPStatus | int] | None = None,
        retry_on_exceptions: Iterable[type[Exception]] | None = None,
        backoff_factor: float = 0.5,
        respect_retry_after_header: bool = True,
        max_backoff_wait: float = 30.0,
        backoff_jitter: float = 0.5,
        attempts_made: int = 0,
        total_timeout: float | None = None,
        elapsed_sleep: float = 0.0,
        validate_response: Callable[[httpx.Response], Awaitable[None] | None] | None = None,
        *,
        max_retry_time: float | None = 60.0,
        min_backoff: float = 1.0,
        clock: Clock = time.monotonic,
        sleep_func: SleepFunc = time.sleep,
        async_sleep_func: AsyncSleepFunc = asyncio.sleep,
    ) -> None:
        super().__init__(
            total=total,
            allowed_methods=allowed_methods,
            status_forcelist=status_forcelist,
            retry_on_exceptions=retry_on_exceptions,
            backoff_factor=backoff_factor,
            respect_retry_after_header=respect_retry_after_header,
            max_backoff_wait=max_backoff_wait,
            backoff_jitter=backoff_jitter,
            attempts_made=attempts_made,
            total_timeout=total_timeout,
            elapsed_sleep=elapsed_sleep,
            validate_response=validate_response,
        )
        if max_retry_time is not None and not max_retry_time > 0:
            raise ValueError("max_retry_time must be positive (or None for no bound)")
        if not min_backoff >= 0:
            raise ValueError("min_backoff must be >= 0")
        self.max_retry_time = max_retry_time
        self.min_backoff = min_backoff
        self.clock = clock
        self.sleep_func = sleep_func
        self.async_sleep_func = async_sleep_func
        self.deadline: float | None = None

    def _adopt(self, other: GreenAPIRetry) -> GreenAPIRetry:
        # httpx-retries' copy_with only knows its own fields; carry ours over.
        self.max_retry_time = other.max_retry_time
        self.min_backoff = other.min_backoff
        self.clock = other.clock
        self.sleep_func = other.sleep_func
        self.async_sleep_func = other.async_sleep_func
        self.deadline = other.deadline
        return self

    def for_request(self) -> GreenAPIRetry:
        """A fresh copy for one call, its deadline counted from now."""
        fresh = self.copy_with(attempts_made=0, elapsed_sleep=0.0)
        assert isinstance(fresh, GreenAPIRetry)
        fresh._adopt(self)
        if self.max_retry_time is not None:
            fresh.deadline = self.clock() + self.max_retry_time
        return fresh

    def increment(self) -> GreenAPIRetry:
        following = super().increment()
        assert isinstance(following, GreenAPIRetry)
        return following._adopt(self)

    def is_exhausted(self) -> bool:
        if super().is_exhausted():
            return True
        return self.deadline is not None and self.clock() >= self.deadline

    def wait_seconds(self, response: httpx.Response | Exception) -> float:
        """How long to sleep before the next attempt, after `response` (or an exception)."""
        wait: float | None = None
        if isinstance(response, httpx.Response) and self.respect_retry_after_header:
            asked = retry_after_seconds(response.headers)
            if asked is not None:
                wait = min(asked, self.max_backoff_wait)
        if wait is None:
            wait = min(max(self.backoff_strategy(), self.min_backoff), self.max_backoff_wait)
        if self.deadline is not None:
            wait = min(wait, max(0.0, self.deadline - self.clock()))
        if self.total_timeout is not None:
            wait = min(wait, max(0.0, self.total_timeout - self.elapsed_sleep))
        return wait

    def sleep(self, response: httpx.Response | Exception) -> None:
        wait = self.wait_seconds(response)
        if wait > 0:
            self.sleep_func(wait)
        self.elapsed_sleep += wait

    async def asleep(self, response: httpx.Response | Exception) -> None:
        wait = self.wait_seconds(response)
        if wait > 0:
            await self.async_sleep_func(wait)
        self.elapsed_sleep += wait

    def __repr__(self) -> str:
        return (
            f"<GreenAPIRetry(total={self.total}, attempts_made={self.attempts_made}, "
            f"max_retry_time={self.max_retry_time})>"
        )
