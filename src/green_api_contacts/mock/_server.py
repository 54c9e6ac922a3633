"""Serving the mock over real HTTP: for the CLI and for tests of real HTTP clients."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Final

import uvicorn
from starlette.types import ASGIApp

_POLL_SECONDS: Final = 0.01


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen before the server runs, so port 0 works and early clients just queue.

    The protocol is spelled out as IPPROTO_TCP: asyncio only sets TCP_NODELAY on sockets that
    say so, and without it every answer waits ~40 ms for a delayed ACK (Nagle).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def socket_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket (IPv6 hosts in brackets)."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def server_config(app: ASGIApp, *, log_config: bool) -> uvicorn.Config:
    """uvicorn settings: no access log, because request paths carry the token."""
    return uvicorn.Config(
        app,
        lifespan="on",
        access_log=False,
        log_level="warning",
        log_config=uvicorn.config.LOGGING_CONFIG if log_config else None,
        server_header=False,
        timeout_graceful_shutdown=5,
    )


class BackgroundServer:
    """Run an ASGI app with uvicorn on a daemon thread, bound to ``host`` (loopback by default).

    ``with BackgroundServer(create_app()) as server: httpx.get(server.url + ...)``.
    Start and stop wait at most ``timeout`` seconds.
    """

    def __init__(
        self, app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0
    ) -> None:
        self._sock = bind_socket(host, port)
        self.url: Final = socket_url(self._sock)
        self._timeout = timeout
        self._server = uvicorn.Server(server_config(app, log_config=False))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + self._timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the mock server stopped during startup")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("the mock server did not start in time")
            time.sleep(_POLL_SECONDS)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(self._timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(self._timeout)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
