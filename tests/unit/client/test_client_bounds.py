"""Hostile answers end in typed errors, in bounded time and memory (issue 16, item 7).

Time is a fake clock the server moves one second per byte it sends; the assertions count bytes,
attempts and the fake clock, never wall-clock speed. Sizes are counted on what the client pulled
from the body and on tracemalloc's peak.
"""

from __future__ import annotations

import tracemalloc
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from green_api_contacts import (
    GreenAPIRetry,
    RequestTimeoutError,
    ResponseTooLargeError,
    ResponseValidationError,
    TransportError,
)
from green_api_contacts.client import DEFAULT_MAX_RESPONSE_SIZE
from tests.unit.client.hostile_support import (
    CHUNK,
    DribbleServer,
    SteppedClock,
    gzip_bomb,
    gzipped,
    stream_response,
    streamed,
)
from tests.unit.client_support import (
    KINDS,
    TG_ID,
    TG_TOKEN,
    WA_ID,
    WA_TOKEN,
    client_class,
    make_api,
)

MIB = 1024 * 1024


def _client(kind: str, clock: SteppedClock, url: str, sleeps: list[float], **options: Any) -> Any:
    async def asleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)

    retry = GreenAPIRetry(
        total=options.pop("total", 0),
        max_retry_time=options.pop("max_retry_time", None),
        backoff_jitter=0.0,
        clock=clock,
        sleep_func=sleep,
        async_sleep_func=asleep,
    )
    telegram = kind.endswith("telegram")
    return client_class(kind)(
        id_instance=TG_ID if telegram else WA_ID,
        api_token=TG_TOKEN if telegram else WA_TOKEN,
        api_url=url,
        retry=retry,
        **options,
    )


async def _contacts(client: Any) -> Any:
    if hasattr(client, "aclose"):
        async with client:
            return await client.get_contacts()
    with client:
        return client.get_contacts()


# ------------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize("kind", KINDS)
async def test_a_dribbling_body_ends_in_a_timeout_after_about_timeout(kind: str) -> None:
    """One byte per (fake) second: `timeout=5` stops the attempt after about 5 bytes, where a
    per-read timeout would take the whole 400-byte body."""
    clock, sleeps = SteppedClock(), list[float]()
    with DribbleServer(clock) as server:
        client = _client(kind, clock, server.url, sleeps, timeout=5)
        with pytest.raises(RequestTimeoutError, match="timeout=5 s") as caught:
            await _contacts(client)
    assert isinstance(caught.value, TransportError)
    assert server.sent[0] >= 5  # it did wait for the bytes it was allowed
    assert server.sent[0] <= 7, server.sent  # 5 s, and one more byte on its way at most
    assert len(server.sent) == 1  # total=0: no retry
    assert clock.now <= 8


@pytest.mark.parametrize("kind", KINDS)
async def test_max_retry_time_bounds_the_call_attempts_included(kind: str) -> None:
    """timeout=10, max_retry_time=16: the first attempt ends at about 10 s, the retry waits the
    1 s floor and is cut at the call's deadline, 16 s, though its own timeout would allow 21 s."""
    clock, sleeps = SteppedClock(), list[float]()
    with DribbleServer(clock) as server:
        client = _client(kind, clock, server.url, sleeps, timeout=10, total=3, max_retry_time=16)
        with pytest.raises(RequestTimeoutError):
            await _contacts(client)
    assert sleeps == [1.0]
    assert len(server.sent) == 2, server.sent
    assert 10 <= server.sent[0] <= 12, server.sent
    # About 11 s to 16 s (one more byte may be on its way as the client gives up), not the 10
    # bytes its own timeout would allow.
    assert server.sent[1] <= 7, server.sent
    assert clock.now <= 19


@pytest.mark.parametrize("kind", ["async-whatsapp", "async-telegram"])
async def test_async_attempt_is_cancelled_while_headers_dribble(kind: str) -> None:
    """The asyncio driver bounds the whole attempt, headers included (real time: the status line
    and headers alone are 480 bytes, 10 ms apart; the bound is 0.3 s)."""
    clock, sleeps = SteppedClock(), list[float]()
    with DribbleServer(clock, dribble_headers=True) as server:
        client = _client(kind, clock, server.url, sleeps, timeout=0.3)
        with pytest.raises(RequestTimeoutError):
            await _contacts(client)
    assert server.sent[0] < 480, server.sent  # it stopped before the headers were complete


# ------------------------------------------------------------------------------- size caps


def _streaming_handler(
    total: int, pulled: list[int], *, is_async: bool, piece: bytes = b" " * CHUNK, **headers: str
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        body = streamed(total, is_async=is_async, pulled=pulled, piece=piece)
        return httpx.Response(200, headers=headers, content=body)

    return handler


@pytest.mark.parametrize("kind", KINDS)
async def test_a_50_mb_answer_stops_at_a_1_mb_cap(kind: str) -> None:
    pulled: list[int] = []
    handler = _streaming_handler(50 * MIB, pulled, is_async=kind.startswith("async"))
    api = make_api(kind, handler=handler, max_response_size=MIB)
    with pytest.raises(ResponseTooLargeError, match="max_response_size") as caught:
        await api.get_contacts()
    await api.close()
    assert isinstance(caught.value, ResponseValidationError)
    assert (caught.value.limit, caught.value.status_code) == (MIB, 200)
    assert caught.value.operation == "getContacts"
    assert MIB < sum(pulled) <= MIB + 2 * CHUNK  # read to just past the cap, no further
    assert len(api.transport.requests) == 1  # not retried


@pytest.mark.parametrize("kind", KINDS)
async def test_an_endless_chunked_answer_stops_at_the_cap(kind: str) -> None:
    pulled: list[int] = []
    endless = 10**12  # never reached: the client must stop first
    handler = _streaming_handler(endless, pulled, is_async=kind.startswith("async"))
    api = make_api(kind, handler=handler, max_response_size=4 * MIB)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError):
            await api.get_contacts()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    await api.close()
    assert sum(pulled) <= 4 * MIB + 2 * CHUNK
    assert peak < 16 * MIB, peak


@pytest.mark.parametrize("kind", KINDS)
async def test_a_gzip_bomb_is_inflated_only_up_to_the_cap(kind: str) -> None:
    """About 1 MiB of gzip that inflates to 1 GiB: the client inflates past 1 MiB by at most a
    piece, reading a few KiB of it, in a few MiB of memory (httpx alone would take 1 GiB)."""
    bomb = gzip_bomb()
    assert len(bomb) < 2 * MIB
    is_async = kind.startswith("async")

    def handler(request: httpx.Request) -> httpx.Response:
        return stream_response(bomb, is_async=is_async, headers={"Content-Encoding": "gzip"})

    api = make_api(kind, handler=handler, max_response_size=MIB)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError, match="after decompression"):
            await api.get_contacts()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    await api.close()
    assert peak < 12 * MIB, peak


def _contacts_body(count: int) -> bytes:
    return msgspec.json.encode(
        [{"id": f"7900{index:07d}@c.us", "name": "n", "type": "user"} for index in range(count)]
    )


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("kind", ["sync-whatsapp", "async-whatsapp"])
@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzipped),
        ("x-gzip", gzipped),
        ("deflate", zlib.compress),
        ("deflate", _raw_deflate),  # deflate without its zlib wrapper, as some servers send it
        ("identity", lambda data: data),
        ("gzip, gzip", lambda data: gzipped(gzipped(data))),
    ],
)
async def test_encoded_answers_are_read_in_full_under_the_cap(
    kind: str, encoding: str, encode: Callable[[bytes], bytes]
) -> None:
    body = _contacts_body(3000)  # about 170 KB inflated: several pieces
    is_async = kind.startswith("async")

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Accept-Encoding"] == "gzip, deflate"
        return stream_response(
            encode(body), is_async=is_async, headers={"Content-Encoding": encoding}
        )

    api = make_api(kind, handler=handler, max_response_size=len(body))  # the cap is inclusive
    contacts = await api.get_contacts()
    await api.close()
    assert len(contacts) == 3000
    assert contacts[-1].id == "79000002999@c.us"


@pytest.mark.parametrize("kind", ["sync-telegram", "async-telegram"])
@pytest.mark.parametrize(
    ("encoding", "content"),
    [("br", b"\x1b\x00"), ("gzip", b"not gzip at all"), ("deflate", b"\xff\xfe\xfd")],
)
async def test_bodies_that_do_not_decode_are_response_validation_errors(
    kind: str, encoding: str, content: bytes
) -> None:
    is_async = kind.startswith("async")

    def handler(request: httpx.Request) -> httpx.Response:
        return stream_response(content, is_async=is_async, headers={"Content-Encoding": encoding})

    api = make_api(kind, handler=handler)
    with pytest.raises(ResponseValidationError, match="could not be decoded"):
        await api.get_contacts()
    await api.close()


@pytest.mark.parametrize("kind", KINDS)
async def test_an_error_answer_over_the_cap_is_not_read_either(kind: str) -> None:
    pulled: list[int] = []
    is_async = kind.startswith("async")

    def handler(request: httpx.Request) -> httpx.Response:
        body = streamed(10 * MIB, is_async=is_async, pulled=pulled, piece=b"x" * CHUNK)
        return httpx.Response(503, content=body)

    api = make_api(kind, handler=handler, max_response_size=MIB)
    with pytest.raises(ResponseTooLargeError) as caught:
        await api.get_contacts()
    await api.close()
    assert caught.value.status_code == 503
    assert len(api.transport.requests) == 1  # a body over the cap is not retried
    assert sum(pulled) <= MIB + CHUNK


@pytest.mark.parametrize("kind", KINDS)
async def test_an_answer_a_transport_already_read_is_capped_too(kind: str) -> None:
    """Transports such as httpx.MockTransport hand back answers already read (and inflated)."""
    body = _contacts_body(100)
    api = make_api(
        kind,
        handler=lambda request: httpx.Response(
            200, content=gzipped(body), headers={"Content-Encoding": "gzip"}
        ),
        max_response_size=len(body) - 1,
    )
    with pytest.raises(ResponseTooLargeError):
        await api.get_contacts()
    await api.close()


def test_the_default_cap_is_256_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_SIZE == 256 * MIB
    for kind in ("sync-whatsapp", "sync-telegram"):
        with client_class(kind)(
            id_instance=WA_ID, api_token=WA_TOKEN, api_url="http://h"
        ) as client:
            assert client._max_size == DEFAULT_MAX_RESPONSE_SIZE
