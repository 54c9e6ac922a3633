"""The async clients' default transport: aiohttp under httpx when the `[aiohttp]` extra is there.

Why: httpx's own async connection pool (httpcore) slows down sharply once many requests wait
for a connection: 500 concurrent calls over 100 connections take tens of seconds on a loopback
mock that raw aiohttp answers in under half a second (`make bench`, "many calls"). httpx-aiohttp
(the transport openai-python uses for its `[aiohttp]` extra) keeps httpx's API and sends through
aiohttp's pool. With the extra installed, `AsyncWhatsAppClient()` and `AsyncTelegramClient()`
use it unless given an `http_client` or a `transport`; without it they use httpx's own.

Hand-written because the library lets aiohttp exceptions it does not map escape as they are
(their messages carry the request URL, with the token), and maps some to the wrong httpx class
(a refused connection becomes a ConnectTimeout): `SafeAiohttpTransport` maps every aiohttp error
to the httpx exception httpx's own transport raises for the same failure (by the most specific
class in the error's MRO), with a redacted message, while sending and while the body is read.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import AsyncIterator, Callable
from typing import Any, Final

import httpx

from green_api_contacts._redact import install_log_filter, redact

__all__ = ["DEFAULT_LIMITS", "aiohttp_available", "default_async_transport"]

# httpx's default connection limit, so that both transports open at most as many connections.
DEFAULT_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=100)

# aiohttp's error classes by name (so this module imports without aiohttp), most specific first
# in each one's MRO; what httpx's own transport raises for the same failure.
_HTTPX_ERRORS: Final[dict[str, type[httpx.TransportError]]] = {
    "ConnectionTimeoutError": httpx.ConnectTimeout,
    "SocketTimeoutError": httpx.ReadTimeout,
    "ServerTimeoutError": httpx.ReadTimeout,
    "ClientConnectorError": httpx.ConnectError,
    "ServerDisconnectedError": httpx.RemoteProtocolError,
    "ClientPayloadError": httpx.RemoteProtocolError,
    "ClientResponseError": httpx.RemoteProtocolError,
    "InvalidURL": httpx.UnsupportedProtocol,
    "ClientOSError": httpx.ReadError,
    "ClientConnectionError": httpx.NetworkError,
}


def aiohttp_available() -> bool:
    """Whether the `[aiohttp]` extra (httpx-aiohttp and aiohttp) is installed (not imported)."""
    return all(importlib.util.find_spec(name) is not None for name in ("httpx_aiohttp", "aiohttp"))


def _transport_error(exc: BaseException) -> httpx.TransportError:
    """The httpx error for an aiohttp one (or for httpx-aiohttp's mapping of one)."""
    cause = exc.__cause__ if isinstance(exc, httpx.HTTPError) else exc
    cause = cause if cause is not None else exc
    error_class: type[httpx.TransportError] = httpx.TransportError
    for klass in type(cause).__mro__:
        if klass.__name__ in _HTTPX_ERRORS and klass.__module__.startswith("aiohttp"):
            error_class = _HTTPX_ERRORS[klass.__name__]
            break
    return error_class(redact(f"{type(cause).__name__}: {cause}"))


@functools.cache
def _safe_transport_class() -> Callable[..., httpx.AsyncBaseTransport]:
    """SafeAiohttpTransport, built on first use: importing aiohttp costs every program ~80 ms,
    and the blocking clients and the CLI never need it."""
    import aiohttp
    from httpx_aiohttp import AiohttpTransport

    def from_aiohttp(exc: BaseException) -> bool:
        return isinstance(exc, aiohttp.ClientError) or isinstance(
            exc.__cause__, aiohttp.ClientError
        )

    class SafeStream(httpx.AsyncByteStream):
        """The body of an aiohttp answer, with aiohttp's errors turned into httpx's."""

        def __init__(self, inner: httpx.AsyncByteStream) -> None:
            self._inner = inner

        async def __aiter__(self) -> AsyncIterator[bytes]:
            try:
                async for chunk in self._inner:
                    yield chunk
            except (aiohttp.ClientError, httpx.TransportError) as exc:
                if not from_aiohttp(exc):
                    raise
                error = _transport_error(exc)
            else:
                return
            raise error  # outside the except block: the aiohttp error (and URL) is not chained

        async def aclose(self) -> None:
            await self._inner.aclose()

    class SafeAiohttpTransport(AiohttpTransport):
        """httpx-aiohttp's transport; no aiohttp exception (nor its URL) gets past it."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            try:
                response: httpx.Response = await super().handle_async_request(request)
            except (aiohttp.ClientError, httpx.TransportError) as exc:
                if not from_aiohttp(exc):
                    raise
                error = _transport_error(exc)
            else:
                response.stream = SafeStream(response.stream)  # type: ignore[arg-type]
                return response
            raise error  # outside the except block, as above

    return SafeAiohttpTransport


def default_async_transport(**options: Any) -> httpx.AsyncBaseTransport | None:
    """An aiohttp-based transport when the extra is installed, else None (httpx's own pool)."""
    if not aiohttp_available():
        return None
    transport = _safe_transport_class()(limits=DEFAULT_LIMITS, **options)
    install_log_filter()  # aiohttp's loggers exist now
    return transport
