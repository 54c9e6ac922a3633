"""GREEN-API's rate limit: one request per second per method per instance.

Source: none published. No GREEN-API page found so far states this limit (the description
repeats it as an assumption); the mock keeps it because clients must cope with 429 anyway,
makes it opt-in (``create_app(rate_limit=True)``) and the interval a parameter.

Semantics, exact and easy to assert on: a request is accepted when no request for the same
(instance, method) was accepted before, or when at least ``interval`` seconds (by the injected
clock) have passed since the last *accepted* one. Rejected requests do not move the window, so a
client hammering the API still gets one answer per second. Every decision is recorded (bounded)
so tests can check the limiter against the clock it actually used.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

DEFAULT_INTERVAL: Final = 1.0
DEFAULT_HISTORY: Final = 100_000


@dataclass(frozen=True, slots=True)
class RateDecision:
    """One decision of the limiter, stamped with the limiter's clock."""

    id_instance: int
    method: str
    at: float
    accepted: bool


class RateLimiter:
    """Last-accepted-timestamp limiter per (instance, method)."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        interval: float = DEFAULT_INTERVAL,
        history: int = DEFAULT_HISTORY,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self._clock = clock
        self.interval: Final = interval
        self._last: dict[tuple[int, str], float] = {}
        self.history: deque[RateDecision] = deque(maxlen=history)

    def acquire(self, id_instance: int, method: str) -> bool:
        """Accept or reject one request now; check and update happen without awaiting."""
        now = self._clock()
        key = (id_instance, method)
        last = self._last.get(key)
        accepted = last is None or now - last >= self.interval
        if accepted:
            self._last[key] = now
        self.history.append(RateDecision(id_instance, method, now, accepted))
        return accepted

    def reset(self) -> None:
        """Forget all windows and decisions (between test phases)."""
        self._last.clear()
        self.history.clear()


class ManualClock:
    """A clock that only moves when told to: inject it to test rate limits and warm-up exactly."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go back")
        self.now += seconds
