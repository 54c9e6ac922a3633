"""MockTransport: serve an ASGI app (the mock) in-process to sync and async httpx clients.

Hand-written because no library does it: httpx.ASGITransport is async-only, and httpx has no
sync ASGI transport. The sync side runs the app on a private event loop in a daemon thread,
started on first use and stopped by close(); a later request starts a new one, so one transport
can serve a client, be closed with it, and serve the next client (as users write tests).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Coroutine
from typing import Any, TypeVar

import anyio
import httpx

__all__ = ["MockTransport"]

T = TypeVar("T")


class _LoopThread:
    """One asyncio event loop running forever in a daemon thread (never blocks interpreter exit)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="green-api-contacts MockTransport", daemon=True
        )
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def stop(self) -> None:
        """Cancel what still runs (a request whose caller timed out), then end the thread."""
        if self.loop.is_closed():
            return
        if threading.current_thread() is self.thread:
            self.loop.stop()
            return
        asyncio.run_coroutine_threadsafe(_cancel_others(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


async def _cancel_others() -> None:
    current = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not current]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def _read_timeout(request: httpx.Request) -> float | None:
    """The client's read timeout for this request: the mock answers in one piece, as it reads."""
    timeout: dict[str, float | None] = request.extensions.get("timeout", {})
    return timeout.get("read")


class MockTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serve ``app`` (e.g. ``green_api_contacts.mock.create_app(...)``) without a network.

    Pass it as ``transport=`` to the package's clients, sync or async, or to plain
    ``httpx.Client`` / ``httpx.AsyncClient``; the host in the URL is ignored. The client's read
    timeout applies (a ``slow`` fault longer than it raises ``httpx.ReadTimeout``), as it would
    over a network.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self._asgi = httpx.ASGITransport(app=app)
        self._lock = threading.Lock()
        self._loop: _LoopThread | None = None

    def __repr__(self) -> str:
        return f"MockTransport({self.app!r})"

    async def _serve(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(
            response.status_code, headers=response.headers.raw, stream=httpx.ByteStream(content)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # the body becomes a ByteStream, which the async side can read too
        with self._lock:
            if self._loop is None:
                self._loop = _LoopThread()
                weakref.finalize(self, self._loop.stop)
            loop = self._loop
        try:
            return loop.run(self._serve(request), _read_timeout(request))
        except TimeoutError:
            raise httpx.ReadTimeout("the mock did not answer in time", request=request) from None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            with anyio.fail_after(_read_timeout(request)):  # asyncio or trio, as httpx
                return await self._serve(request)
        except TimeoutError:
            raise httpx.ReadTimeout("the mock did not answer in time", request=request) from None

    def close(self) -> None:
        """Stop the sync side's event loop thread; the next sync request starts a new one."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is not None:
            loop.stop()

    async def aclose(self) -> None:
        """Nothing to release on the async side: requests run on the caller's event loop."""
