"""Every attempt read within bounds: a deadline from connect to last byte, a cap on the body.

httpx bounds each wait (its timeouts), not an attempt: a server that sends one byte a second
never trips a read timeout. And it reads a body whole, inflating each network chunk in one go (a
64 KiB gzip chunk can become 64 MiB). So each attempt is sent with `stream=True` and its body is
read here: the deadline is checked on the injected clock whenever bytes arrive, every wait of
httpx is capped at the time left, the asyncio driver also cancels the attempt when the time is up,
and the body is inflated piece by piece and counted after decompression, so nothing past
`max_response_size` is ever read or held.

The senders are what httpx-retries' `retry_request`/`aretry_request` need of a client (their
documented contract: `build_request`, then `send(request, auth=..., follow_redirects=...)`), so
its retry loop runs unchanged around bounded attempts.

Known limit: the blocking driver cannot interrupt a server that sends its status line and
headers one byte at a time (each read is bounded, the headers' arrival is not); the body, and
the whole attempt in the asyncio driver, are.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import httpx
from httpx_retries import Retry

from green_api_contacts.client._retry import GreenAPIRetry
from green_api_contacts.errors import ResponseTooLargeError

__all__ = ["ACCEPT_ENCODING", "AsyncSender", "AttemptTimedOut", "Bounds", "SyncSender"]

# The encodings this module inflates within bounds; requests ask for these only.
ACCEPT_ENCODING: Final = "gzip, deflate"
PIECE: Final = 64 * 1024  # the most inflated bytes produced from one step of input
_WBITS: Final = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}
_DROPPED_HEADERS: Final = ("content-encoding", "content-length", "transfer-encoding")


class AttemptTimedOut(httpx.ReadTimeout):
    """An attempt ran past its deadline (`timeout`, or the call's `max_retry_time`).

    An httpx.TimeoutException, so that httpx-retries retries it like any timeout while the call's
    deadline allows; the clients raise RequestTimeoutError for it. The message names no URL.
    """


@dataclass(frozen=True, slots=True)
class Bounds:
    """The bounds of the attempts of one Send, and who they are for (for the errors)."""

    max_size: int
    attempt_seconds: float | None
    call_deadline: float | None
    clock: Callable[[], float]
    operation: str
    flavour: str

    @classmethod
    def for_send(
        cls, retry: Retry | None, *, max_size: int, attempt_seconds: float | None, **where: str
    ) -> Bounds:
        """A GreenAPIRetry brings its clock and the call's deadline; other policies neither."""
        if isinstance(retry, GreenAPIRetry):
            return cls(max_size, attempt_seconds, retry.deadline, retry.clock, **where)
        return cls(max_size, attempt_seconds, None, time.monotonic, **where)

    def deadline(self) -> float | None:
        """The deadline of an attempt starting now."""
        ends = [] if self.attempt_seconds is None else [self.clock() + self.attempt_seconds]
        if self.call_deadline is not None:
            ends.append(self.call_deadline)
        return min(ends) if ends else None

    def left(self, deadline: float | None) -> float | None:
        """Seconds left before `deadline` (None: unbounded); AttemptTimedOut when none are."""
        if deadline is None:
            return None
        left = deadline - self.clock()
        if left <= 0:
            limit = (
                f"timeout={self.attempt_seconds:g} s" if self.attempt_seconds else "max_retry_time"
            )
            raise AttemptTimedOut(f"no complete answer within {limit}")
        return left


class _Inflater:
    """One Content-Encoding undone piece by piece (gzip, or deflate with or without its zlib
    wrapper, as servers send both). Hand-written because httpx's decoders inflate a whole chunk
    at once and no library bounds HTTP content decoding; zlib's `max_length` does the work."""

    def __init__(self, encoding: str) -> None:
        self._raw_fallback = encoding == "deflate"
        self._inflate = zlib.decompressobj(_WBITS[encoding])

    def pieces(self, data: bytes) -> Iterator[bytes]:
        while data and not self._inflate.eof:
            try:
                piece = self._inflate.decompress(data, PIECE)
            except zlib.error as exc:
                if not self._raw_fallback:
                    raise httpx.DecodingError(f"the body does not inflate: {exc}") from None
                self._raw_fallback = False  # once: deflate without the zlib wrapper
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            stuck = not piece and len(self._inflate.unconsumed_tail) == len(data)
            data = self._inflate.unconsumed_tail
            if piece:
                yield piece
            if stuck:
                break

    def rest(self) -> bytes:
        return self._inflate.flush()  # at most what zlib keeps back: far under PIECE


def _encodings(response: httpx.Response) -> list[str]:
    """The Content-Encoding of an answer, in the order applied, identity left out."""
    named = (
        part.strip().lower() for part in response.headers.get("content-encoding", "").split(",")
    )
    return [name for name in named if name and name != "identity"]


class _Body:
    """The body of one attempt: raw chunks in, counted and inflated; AttemptTimedOut or
    ResponseTooLargeError as soon as a bound is crossed."""

    def __init__(
        self, response: httpx.Response, bounds: Bounds, deadline: float | None, *, raw: bool
    ) -> None:
        self._bounds, self._deadline, self._status = bounds, deadline, response.status_code
        encodings = _encodings(response) if raw else []  # read by httpx: inflated already
        unknown = [name for name in encodings if name not in _WBITS]
        if unknown:
            raise httpx.DecodingError(f"unsupported Content-Encoding {', '.join(unknown)}")
        self._stages = [_Inflater(name) for name in reversed(encodings)]
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, raw: bytes) -> None:
        self._bounds.left(self._deadline)
        self._push(raw, 0)

    def _push(self, data: bytes, stage: int) -> None:
        if stage == len(self._stages):
            self._keep(data)
            return
        for piece in self._stages[stage].pieces(data):
            self._push(piece, stage + 1)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._bounds.max_size:
            self._parts.clear()
            raise ResponseTooLargeError(
                f"the response body is larger than max_response_size "
                f"({self._bounds.max_size} bytes after decompression); it was not read further",
                limit=self._bounds.max_size,
                status_code=self._status,
                operation=self._bounds.operation,
                flavour=self._bounds.flavour,
            )
        if data:
            self._parts.append(data)

    def finish(self) -> bytes:
        for stage in range(len(self._stages)):
            self._push(self._stages[stage].rest(), stage + 1)
        return b"".join(self._parts)


def _prepare(request: httpx.Request, left: float | None) -> None:
    """Each of httpx's waits (connect, read, write, pool) at most the time left; only the
    encodings _Inflater undoes accepted."""
    if left is not None:
        waits: dict[str, float | None] = request.extensions.get("timeout", {})
        request.extensions["timeout"] = {
            name: left if wait is None else min(wait, left) for name, wait in waits.items()
        } or {name: left for name in ("connect", "read", "write", "pool")}
    request.headers["Accept-Encoding"] = ACCEPT_ENCODING


def _read(response: httpx.Response) -> bytes | None:
    """The body when the transport already read it (httpx then inflated it too), else None."""
    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


def _buffered(response: httpx.Response, body: bytes) -> httpx.Response:
    """The answer with its (inflated) body read, as httpx would have returned it."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in _DROPPED_HEADERS
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions=dict(response.extensions),
    )


class _Sender:
    """What both senders share: the client they send with, as httpx-retries looks at it."""

    def __init__(self, http: httpx.Client | httpx.AsyncClient, bounds: Bounds) -> None:
        self._http, self._bounds = http, bounds

    # httpx-retries refuses a client that retries by itself, found through these two.
    @property
    def _transport(self) -> object:
        return getattr(self._http, "_transport", None)

    @property
    def _mounts(self) -> object:
        return getattr(self._http, "_mounts", {})


class SyncSender(_Sender):
    """httpx.Client's build_request and send, each attempt bounded (see the module docs)."""

    _http: httpx.Client

    def build_request(self, method: str, url: str, **options: Any) -> httpx.Request:
        return self._http.build_request(method, url, **options)

    def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        deadline = self._bounds.deadline()
        _prepare(request, self._bounds.left(deadline))
        response = self._http.send(request, stream=True, **options)
        try:
            read = _read(response)  # a transport may hand back an answer it read (and inflated)
            body = _Body(response, self._bounds, deadline, raw=read is None)
            for chunk in response.iter_raw() if read is None else (read,):
                body.feed(chunk)
            return _buffered(response, body.finish())
        finally:
            response.close()


class AsyncSender(_Sender):
    """httpx.AsyncClient's build_request and send, each attempt bounded and, past its deadline,
    cancelled (see the module docs)."""

    _http: httpx.AsyncClient

    def build_request(self, method: str, url: str, **options: Any) -> httpx.Request:
        return self._http.build_request(method, url, **options)

    async def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        deadline = self._bounds.deadline()
        left = self._bounds.left(deadline)
        _prepare(request, left)
        try:
            async with asyncio.timeout(left):
                return await self._attempt(request, deadline, options)
        except TimeoutError:
            self._bounds.left(deadline)  # raises AttemptTimedOut when the injected clock agrees
            raise AttemptTimedOut("no complete answer within the attempt's time") from None

    async def _attempt(
        self, request: httpx.Request, deadline: float | None, options: dict[str, Any]
    ) -> httpx.Response:
        response = await self._http.send(request, stream=True, **options)
        try:
            read = _read(response)  # a transport may hand back an answer it read (and inflated)
            body = _Body(response, self._bounds, deadline, raw=read is None)
            if read is not None:
                body.feed(read)
            else:
                async for chunk in response.aiter_raw():
                    body.feed(chunk)
            return _buffered(response, body.finish())
        finally:
            await response.aclose()  # asyncio cancels once: this still runs to its end
