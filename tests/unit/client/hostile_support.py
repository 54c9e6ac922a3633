"""Hostile servers for the bounds tests: a loopback server that dribbles, bodies that never end.

`DribbleServer` binds 127.0.0.1 on an ephemeral port and answers every request with a body sent
one byte at a time. It moves a `SteppedClock` one second per byte and, in lockstep mode, sends
the next byte only once the client has read the clock again (the client reads it whenever bytes
arrive), so how many bytes a client takes before it gives up is a count, not a race: nothing
asserts on wall-clock speed. Every loop is bounded in bytes and in (real) waiting time.
"""

from __future__ import annotations

import gzip
import socket
import threading
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import httpx

CHUNK = 64 * 1024


class SteppedClock:
    """A fake monotonic clock that counts its readers (thread-safe)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.reads = 0
        self._changed = threading.Condition()

    def __call__(self) -> float:
        with self._changed:
            self.reads += 1
            self._changed.notify_all()
            return self.now

    def advance(self, seconds: float) -> None:
        with self._changed:
            self.now += seconds

    def wait_for_read(self, since: int, timeout: float, stop: threading.Event) -> bool:
        """Whether the clock was read after `since` reads, waiting at most `timeout` s (or
        until `stop` is set and `wake` called)."""
        with self._changed:
            self._changed.wait_for(lambda: self.reads > since or stop.is_set(), timeout)
            return self.reads > since and not stop.is_set()

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()


@dataclass
class DribbleServer:
    """An HTTP/1.1 server on 127.0.0.1 that answers each request with `body`, one byte per
    clock second. `dribble_headers`: the status line and headers are dribbled too (and not in
    lockstep: nothing reads the clock while headers arrive)."""

    clock: SteppedClock
    body: bytes = b"[" + b" " * 398 + b"]"
    lockstep: bool = True
    dribble_headers: bool = False
    gap: float = 0.01  # real seconds between bytes when not in lockstep
    patience: float = 2.0  # real seconds to wait for the client's next clock read
    sent: list[int] = field(default_factory=list)  # bytes sent, per connection

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self.clock.wake()
        self._thread.join(timeout=10)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set() and len(self.sent) < 10:
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            with connection:
                self.sent.append(0)
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65536:
            data = connection.recv(4096)
            if not data:
                return
            request += data
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"X-Padding: " + b"p" * 400 + b"\r\n"
            b"Content-Length: " + str(len(self.body)).encode() + b"\r\n\r\n"
        )
        if not self.dribble_headers:
            connection.sendall(head)
        payload = (head if self.dribble_headers else b"") + self.body
        for index in range(len(payload)):
            if self._stop.is_set() or _gone(connection):
                return  # a client that hung up moves the clock no further
            reads = self.clock.reads
            try:
                connection.sendall(payload[index : index + 1])
            except OSError:  # the client hung up: what the tests expect
                return
            self.sent[-1] += 1
            self.clock.advance(1.0)
            if self.lockstep and not self.dribble_headers:
                if not self.clock.wait_for_read(reads, self.patience, self._stop):
                    return
            elif self._stop.wait(self.gap):
                return


def _gone(connection: socket.socket) -> bool:
    """Whether the client closed its end (peeked without waiting)."""
    timeout = connection.gettimeout()
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        connection.settimeout(timeout)


def streamed(
    total: int, *, is_async: bool, pulled: list[int], piece: bytes = b" " * CHUNK
) -> Iterator[bytes] | AsyncIterator[bytes]:
    """`total` bytes (a JSON list padded with spaces, or `piece` repeated when it is not
    spaces), in chunks of len(piece), counting each chunk handed out in `pulled`."""

    def chunks() -> Iterator[bytes]:
        sent = 0
        first = piece.strip() == b""
        while sent < total:
            chunk = (b"[" + piece[1:]) if first and sent == 0 else piece
            pulled.append(len(chunk))
            sent += len(chunk)
            yield chunk

    if not is_async:
        return chunks()

    async def achunks() -> AsyncIterator[bytes]:
        for chunk in chunks():
            yield chunk

    return achunks()


def gzip_bomb(gibibytes: int = 1) -> bytes:
    """A gzip stream of `gibibytes` GiB of zeros in about 1 MiB per GiB: full-flushed deflate
    blocks of 1 MiB of zeros, repeated (a full flush resets the window, so the copies are
    valid). Without its trailer: a client that stops early never gets there."""
    zeros = b"\0" * (1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + block * (1024 * gibibytes - 1)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def stream_response(
    content: bytes, *, is_async: bool, headers: dict[str, str], chunk: int = 16 * 1024
) -> httpx.Response:
    """An answer whose body arrives in `chunk`-byte pieces (raw, not yet decoded by httpx)."""
    pieces = [content[start : start + chunk] for start in range(0, len(content), chunk)]

    async def apieces() -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    return httpx.Response(200, headers=headers, content=apieces() if is_async else iter(pieces))
