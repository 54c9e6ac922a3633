"""Every request the suite sends passes one guard: it counts, throttles and rations them.

On the live API the guard keeps at least ``min_interval`` seconds between requests (GREEN-API allows
1 request per second per method and instance) and refuses the request after ``max_calls`` (the
Developer plan allows 1000 GetContacts calls a month). A refused request raises
:class:`CallBudgetExceededError`, which fails the test loudly: a silent stop would look like a pass.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final


class CallBudgetExceededError(RuntimeError):
    """More requests than the run may send; the suite's configuration must be tightened."""


class CallGuard:
    """Throttle and budget for outgoing requests.

    :meth:`reserve` books the next slot and returns how long the caller must wait before sending,
    so that sync callers can ``time.sleep`` and async callers ``await anyio.sleep``.
    """

    def __init__(
        self,
        *,
        min_interval: float = 0.0,
        max_calls: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if min_interval < 0:
            raise ValueError("min_interval must be >= 0")
        if max_calls is not None and max_calls < 0:
            raise ValueError("max_calls must be >= 0")
        self.min_interval: Final = min_interval
        self.max_calls: Final = max_calls
        self._clock = clock
        self._lock = threading.Lock()
        self._next_slot: float | None = None
        self.calls = 0

    def reserve(self) -> float:
        """Count one request and return the seconds to wait before sending it."""
        with self._lock:
            if self.max_calls is not None and self.calls >= self.max_calls:
                raise CallBudgetExceededError(
                    f"this run may send at most {self.max_calls} requests to the target"
                )
            now = self._clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.min_interval
            self.calls += 1
            return slot - now

    def wait(self, sleep: Callable[[float], None] = time.sleep) -> None:
        """Reserve a slot and block until it comes."""
        delay = self.reserve()
        if delay > 0:
            sleep(delay)
