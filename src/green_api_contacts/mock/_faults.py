"""Injected faults: what the network and the proxies in front of GREEN-API do to a client.

A fault is given per request with the ``X-Mock-Fault`` header (``429``, ``429; retry-after=2``,
``502``, ``503``, ``504``, ``500``, ``slow; seconds=0.5``, ``truncate``, ``reset``), queued per
instance with :meth:`InstanceRuntime.inject`, or drawn at a seeded random rate with
:meth:`InstanceRuntime.inject_random` (soak tests). ``truncate`` cuts the body but keeps HTTP
valid; ``reset`` drops the connection halfway through the body, as a dying proxy does.
Faults apply only to requests that passed the id, token and route checks, so auth errors stay
testable, and they bypass the rate limiter.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, get_args

from ._config import METHODS, Method

FaultKind = Literal["429", "500", "502", "503", "504", "slow", "truncate", "reset"]
FAULT_KINDS: Final[tuple[FaultKind, ...]] = get_args(FaultKind)
_KINDS_BY_NAME: Final[dict[str, FaultKind]] = {kind: kind for kind in FAULT_KINDS}

FAULT_HEADER: Final = "x-mock-fault"
# A slow answer must never hang a test run.
MAX_SLOW_SECONDS: Final = 30.0
MAX_RETRY_AFTER: Final = 86_400
# Bound on queued entries per instance, so a runaway test cannot grow memory without limit.
MAX_QUEUED: Final = 10_000


@dataclass(frozen=True)
class Fault:
    """One fault. ``retry_after`` applies to 429 and 503, ``seconds`` to ``slow``."""

    kind: FaultKind
    retry_after: int | None = None
    seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; expected one of {FAULT_KINDS}")
        if self.retry_after is not None:
            if self.kind not in ("429", "503"):
                raise ValueError("retry-after applies only to 429 and 503")
            if not 0 <= self.retry_after <= MAX_RETRY_AFTER:
                raise ValueError(f"retry-after must be between 0 and {MAX_RETRY_AFTER}")
        if not math.isfinite(self.seconds) or not 0 <= self.seconds <= MAX_SLOW_SECONDS:
            raise ValueError(f"seconds must be between 0 and {MAX_SLOW_SECONDS}")

    @classmethod
    def parse(cls, text: str) -> Fault:
        """Parse the ``X-Mock-Fault`` syntax: ``KIND[; key=value]...``."""
        kind_text, *params = (part.strip() for part in text.split(";"))
        kind = _KINDS_BY_NAME.get(kind_text.lower())
        if kind is None:
            raise ValueError(
                f"unknown fault {kind_text!r}; expected one of {', '.join(FAULT_KINDS)}"
            )
        retry_after: int | None = None
        seconds = 1.0
        for param in params:
            if not param:
                continue
            key, sep, value = (piece.strip() for piece in param.partition("="))
            key = key.lower()
            if not sep:
                raise ValueError(f"fault parameter {key!r} needs a value")
            if key == "retry-after" and value.isascii() and value.isdigit():
                retry_after = int(value)
            elif key == "seconds":
                try:
                    seconds = float(value)
                except ValueError:
                    raise ValueError("seconds must be a number") from None
            else:
                raise ValueError(f"bad fault parameter {param!r}")
        return cls(kind, retry_after=retry_after, seconds=seconds)

    def __str__(self) -> str:
        """The header form, so a fault can be sent as easily as it is queued."""
        if self.kind == "slow":
            return f"slow; seconds={self.seconds:g}"
        if self.retry_after is not None:
            return f"{self.kind}; retry-after={self.retry_after}"
        return self.kind

    @property
    def status(self) -> int | None:
        """The status code a fault answers with instead of the API, if it replaces the answer."""
        return int(self.kind) if self.kind.isdigit() else None


def canonical_method(name: str) -> Method:
    """``GetContacts``/``getcontacts`` -> ``getContacts``; raises ``ValueError`` if unknown."""
    method = METHODS.get(name.lower())
    if method is None:
        raise ValueError(f"unknown method {name!r}")
    return method


@dataclass
class _Entry:
    fault: Fault
    remaining: int
    method: Method | None


class FaultQueue:
    """FIFO of "the next N requests [for method X] get fault F"."""

    def __init__(self) -> None:
        self._entries: deque[_Entry] = deque()
        self._random: tuple[random.Random, float, tuple[Fault, ...]] | None = None

    def set_random(self, faults: Sequence[Fault], rate: float, seed: int) -> None:
        """After the queue is empty, give each request one of ``faults`` with probability ``rate``.

        Seeded, so a run draws the same faults in the same request order.
        """
        if not faults or not math.isfinite(rate) or not 0 < rate <= 1:
            raise ValueError("random faults need at least one fault and 0 < rate <= 1")
        self._random = (random.Random(seed), rate, tuple(faults))  # noqa: S311 - not crypto

    def push(self, fault: Fault, times: int, method: Method | None) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        if len(self._entries) >= MAX_QUEUED:
            raise ValueError(f"at most {MAX_QUEUED} fault entries may be queued")
        self._entries.append(_Entry(fault, times, method))

    def take(self, method: Method) -> Fault | None:
        """The fault for the next request to ``method``, consuming one use of it."""
        for entry in self._entries:
            if entry.method is None or entry.method == method:
                entry.remaining -= 1
                if entry.remaining == 0:
                    self._entries.remove(entry)
                return entry.fault
        if self._random is not None:
            draw, rate, faults = self._random
            if draw.random() < rate:
                return draw.choice(faults)
        return None

    def clear(self) -> None:
        self._entries.clear()
        self._random = None

    def __len__(self) -> int:
        """Requests still to be hit by a queued fault."""
        return sum(entry.remaining for entry in self._entries)
