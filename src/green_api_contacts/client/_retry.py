"""The retry policy: httpx-retries' `Retry`, fitted to GREEN-API.

httpx-retries runs the loop (which statuses and exceptions to retry, exponential backoff with
jitter, Retry-After, a bound on attempts). This subclass adds only what GREEN-API needs and the
library lacks:

- POST is retried: getContactInfo is a read-only POST, so repeating it is safe;
- a floor of `min_backoff` seconds (1 s by default) under every computed backoff, because the API
  allows 1 request per second per method: retrying sooner only earns another 429. A Retry-After
  header overrides the floor (the server knows best);
- a wall-clock bound, `max_retry_time`, on one call including its retries (httpx-retries'
  `total_timeout` only sums the sleeps);
- giving up instead of cutting a wait short. When the wait the next attempt needs (the server's
  Retry-After, or the floored backoff) is longer than `max_backoff_wait`, than what is left of
  `total_timeout`, or would reach the deadline, no attempt is made: sending earlier is sending a
  request the server already said it would refuse, and sending at the deadline breaks the bound.
  The call then ends as if the attempts were exhausted (the clients raise the last answer's
  error, e.g. RateLimitedError with its retry_after);
- injectable `clock`, `sleep_func` and `async_sleep_func`, so tests run without sleeping;
- an INFO line on the `green_api_contacts.retry` logger before each wait ("HTTP 429: waiting
  1.0 s before retry 1 of 3"), which the CLI shows on stderr.

How giving up fits httpx-retries' loop (`_retry_operation` in httpx_retries/transport.py): after
each attempt it asks `is_exhausted()` (and returns the response or re-raises the error when true);
otherwise it calls `increment()`, then `sleep(response)`, then sends again. Only `sleep()` sees the
answer that decides the wait, so that is where GreenAPIRetry gives up: it re-raises the last error
(exactly what the loop does when exhausted) or raises `RetryAbandoned` carrying the last response,
which the clients turn back into that response. Code that runs GreenAPIRetry in its own loop (for
example through `httpx_retries.RetryTransport`) sees `RetryAbandoned`, an `httpx.HTTPError`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from http import HTTPMethod, HTTPStatus
from typing import NoReturn

import httpx
from httpx_retries import Retry

__all__ = ["GreenAPIRetry", "RetryAbandoned", "retry_after_seconds"]

logger = logging.getLogger("green_api_contacts.retry")

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


class RetryAbandoned(httpx.HTTPError):
    """GreenAPIRetry stopped retrying because the next attempt could not be made in time.

    `response` is the last answer (already read when httpx-retries' helpers ran the loop; only its
    status and headers are left when a RetryTransport did). The message names no URL.
    """

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


def _announce(retry: Retry, response: httpx.Response | Exception, wait: float) -> None:
    """One INFO line before each wait (the CLI prints these on stderr): what failed, no URL."""
    failed = (
        f"HTTP {response.status_code}"
        if isinstance(response, httpx.Response)
        else type(response).__name__
    )
    logger.info(
        "%s: waiting %.1f s before retry %d of %d", failed, wait, retry.attempts_made, retry.total
    )


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
        """How long the next attempt must wait after `response` (or an exception), uncut.

        The server's Retry-After when it sent one (and `respect_retry_after_header`), else the
        exponential backoff (capped at `max_backoff_wait` by httpx-retries) under the
        `min_backoff` floor.
        """
        if isinstance(response, httpx.Response) and self.respect_retry_after_header:
            asked = retry_after_seconds(response.headers)
            if asked is not None:
                return asked
        return max(self.backoff_strategy(), self.min_backoff)

    def give_up_reason(self, wait: float) -> str | None:
        """Why no attempt should follow a wait of `wait` seconds, or None if one may."""
        if wait > self.max_backoff_wait:
            return f"the next attempt would have to wait {wait:g} s, over max_backoff_wait"
        if self.total_timeout is not None and self.elapsed_sleep + wait > self.total_timeout:
            return f"the next attempt would have to wait {wait:g} s, past total_timeout"
        if self.deadline is not None and self.clock() + wait >= self.deadline:
            return f"the next attempt would have to wait {wait:g} s, reaching the deadline"
        return None

    def _planned_wait(self, response: httpx.Response | Exception) -> float:
        wait = self.wait_seconds(response)
        reason = self.give_up_reason(wait)
        if reason is not None:
            self._abandon(response, reason)
        _announce(self, response, wait)
        return wait

    def _after_sleeping(self, response: httpx.Response | Exception) -> None:
        # A sleep may overrun; an attempt must still never start at or after the deadline.
        if self.deadline is not None and self.clock() >= self.deadline:
            self._abandon(response, "the wait overran the deadline")

    def _abandon(self, response: httpx.Response | Exception, reason: str) -> NoReturn:
        logger.debug("not retrying after attempt %d: %s", self.attempts_made, reason)
        if isinstance(response, Exception):
            raise response  # what httpx-retries' loop raises when the retries are exhausted
        raise RetryAbandoned(f"stopped retrying: {reason}", response=response)

    def sleep(self, response: httpx.Response | Exception) -> None:
        wait = self._planned_wait(response)
        if wait > 0:
            self.sleep_func(wait)
        self.elapsed_sleep += wait
        self._after_sleeping(response)

    async def asleep(self, response: httpx.Response | Exception) -> None:
        wait = self._planned_wait(response)
        if wait > 0:
            await self.async_sleep_func(wait)
        self.elapsed_sleep += wait
        self._after_sleeping(response)

    def __repr__(self) -> str:
        return (
            f"<GreenAPIRetry(total={self.total}, attempts_made={self.attempts_made}, "
            f"max_retry_time={self.max_retry_time})>"
        )
