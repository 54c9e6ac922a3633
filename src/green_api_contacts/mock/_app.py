"""The ASGI application: routing, auth, instance state, rate limit, faults, then the operation.

``OPTIONS`` on a method path (any instance, any token) answers 204 with an empty body, as the
common-errors pages list it. Otherwise checks run in this order, and the first one that fails
answers:

1. ``[prefix]/waInstance{idInstance}`` names a known instance, and the prefix is one its
   flavour answers under (registry ``path_prefixes``; MAX: ``""`` and ``/v3``), else 403
   ``Forbidden``;
2. the token segment matches, else 401 ``Unauthorized``;
3. the method name is known and the HTTP method is the one it takes, else 404 ``Not Found``;
4. an injected fault (``X-Mock-Fault`` header, else the instance's queue), which skips step 6;
5. the instance state (400 messages, 466 quota);
6. the rate limit (429 ``Too Many Requests``); requests refused by the state do not consume it;
7. the operation: request validation (400/500) and the answer.

Everything that differs by flavour comes from the instance's registry entry (``MockInstance.spec``)
and its contact book's shape; nothing here names a flavour.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Final
from urllib.parse import parse_qsl

import anyio
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from green_api_contacts.flavours import Flavour as FlavourSpec

from ._book import ContactBook, dumps
from ._config import (
    DEFAULT_INSTANCES,
    HTTP_METHODS,
    INSTANCE_STATES,
    METHODS,
    Flavour,
    InstanceState,
    Method,
    MockInstance,
)
from ._errors import (
    STATE_MESSAGES,
    ApiError,
    error_response,
    forbidden,
    json_response,
    nginx_response,
    not_found,
    quota_exceeded,
    redact_path,
    too_many_requests,
    unauthorized,
)
from ._faults import FAULT_HEADER, Fault, FaultQueue, canonical_method
from ._limits import DEFAULT_INTERVAL, RateLimiter
from ._routes import is_method_path, lifespan, scope_header, scope_raw_path, split_path
from ._validation import parse_contacts_query, parse_info_body

logger = logging.getLogger("green_api_contacts.mock")

# body-parser's default limit, which the upstream Node.js service keeps.
MAX_BODY_BYTES: Final = 100 * 1024
# Bound on body chunks, so a client trickling empty chunks cannot keep a handler looping.
_MAX_BODY_CHUNKS: Final = 10_000


class InstanceRuntime:
    """The live side of a :class:`MockInstance`: state, warm-up, fault queue and contact book.

    Tests drive it through ``app.mock.instance(id)``: assign ``state``, call ``inject()``.
    """

    def __init__(self, config: MockInstance, clock: Callable[[], float]) -> None:
        self.config: Final = config
        self._clock = clock
        self._state: InstanceState = config.state
        self.warmup_seconds: float = config.warmup_seconds
        self.authorized_at: float = clock()
        self.faults: Final = FaultQueue()
        self._book: ContactBook | None = None

    def __repr__(self) -> str:
        return f"InstanceRuntime({self.config!r}, state={self._state!r})"

    @property
    def id_instance(self) -> int:
        return self.config.id_instance

    @property
    def flavour(self) -> Flavour:
        return self.config.flavour

    @property
    def spec(self) -> FlavourSpec:
        """The flavour's registry entry."""
        return self.config.spec

    @property
    def state(self) -> InstanceState:
        return self._state

    @state.setter
    def state(self, value: InstanceState) -> None:
        """Change state; becoming ``authorized`` again restarts the warm-up, as a new login does."""
        if value not in INSTANCE_STATES:
            raise ValueError(f"state must be one of {', '.join(INSTANCE_STATES)}")
        if value == "authorized" and self._state != "authorized":
            self.authorized_at = self._clock()
        self._state = value

    def reauthorize(self) -> None:
        """Simulate a fresh QR login: authorized, and GetContacts answers ``[]`` for a while."""
        self._state = "authorized"
        self.authorized_at = self._clock()

    def in_warmup(self) -> bool:
        return self._clock() - self.authorized_at < self.warmup_seconds

    @property
    def book(self) -> ContactBook:
        """The contact book, built on first use (or by :meth:`MockControl.prepare`)."""
        if self._book is None:
            config = self.config
            self._book = ContactBook(
                config.flavour, config.contacts, config.book_seed, config.id_instance
            )
        return self._book

    def inject(self, fault: Fault | str, times: int = 1, method: str | None = None) -> None:
        """Give the next ``times`` requests (only to ``method``, if given) the fault ``fault``.

        ``fault`` is a :class:`Fault` or its header form, e.g. ``"429; retry-after=2"``.
        """
        parsed = Fault.parse(fault) if isinstance(fault, str) else fault
        self.faults.push(parsed, times, None if method is None else canonical_method(method))

    def inject_random(self, faults: Iterable[Fault | str], rate: float, seed: int = 0) -> None:
        """Once the queue is empty, each request gets one of ``faults`` at probability ``rate``."""
        parsed = [Fault.parse(f) if isinstance(f, str) else f for f in faults]
        self.faults.set_random(parsed, rate, seed)

    def clear_faults(self) -> None:
        self.faults.clear()

    @property
    def pending_faults(self) -> int:
        return len(self.faults)


class MockControl:
    """Everything a test may want to inspect or change while the app runs."""

    def __init__(
        self,
        instances: Iterable[MockInstance],
        *,
        rate_limit: bool,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        rate_interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self.clock: Final = clock
        # What a ``slow`` fault awaits; inject a recorder to test slow answers without waiting.
        self.sleep: Final = sleep
        self.rate_limit = rate_limit
        self.limiter: Final = RateLimiter(clock, interval=rate_interval)
        self._instances: dict[int, InstanceRuntime] = {}
        for config in instances:
            if config.id_instance in self._instances:
                raise ValueError(f"duplicate idInstance {config.id_instance}")
            self._instances[config.id_instance] = InstanceRuntime(config, clock)

    @property
    def instances(self) -> tuple[InstanceRuntime, ...]:
        return tuple(self._instances.values())

    def instance(self, id_instance: int) -> InstanceRuntime:
        """The runtime of a configured instance; ``KeyError`` if there is none."""
        return self._instances[id_instance]

    def find(self, id_instance: int) -> InstanceRuntime | None:
        return self._instances.get(id_instance)

    def prepare(self) -> None:
        """Build every contact book now, so that no request pays for it."""
        for runtime in self._instances.values():
            runtime.book.contacts_json()


class MockApp:
    """An ASGI app that answers GetContacts and GetContactInfo like GREEN-API does."""

    def __init__(self, control: MockControl) -> None:
        self.mock: Final = control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        try:
            response = await self._handle(scope, receive, path)
        except _ClientGone:
            return
        except Exception:  # the mock must answer even when it has a bug; log without token
            logger.exception("mock failed on %s %s", scope["method"], redact_path(path))
            response = error_response(500, "Internal Server Error", scope_raw_path(scope))
        logger.debug("%s %s -> %d", scope["method"], redact_path(path), response.status_code)
        await response(scope, receive, send)

    def _route(self, path: str, http_method: str) -> tuple[InstanceRuntime, Method] | Response:
        """Steps 1-3: prefix and instance, token, method name and HTTP method."""
        split = split_path(path)
        runtime = None if split is None else self.mock.find(split.id_instance)
        if split is None or runtime is None or split.prefix not in runtime.spec.path_prefixes:
            return forbidden()
        rest = split.rest
        if len(rest) < 2 or not _same_secret(rest[1], runtime.config.token):
            return unauthorized()
        method = METHODS.get(rest[0].lower())
        if len(rest) != 2 or method is None or HTTP_METHODS[method] != http_method:
            return not_found()
        return runtime, method

    async def _handle(self, scope: Scope, receive: Receive, path: str) -> Response:
        if scope["method"] == "OPTIONS" and is_method_path(path):
            return Response(status_code=204)
        routed = self._route(path, scope["method"])
        if isinstance(routed, Response):
            return routed
        runtime, method = routed
        raw_path = scope_raw_path(scope)
        header = scope_header(scope, FAULT_HEADER)
        try:
            fault = Fault.parse(header) if header is not None else runtime.faults.take(method)
        except ValueError as exc:
            return error_response(400, f"X-Mock-Fault: {exc}", raw_path)
        if fault is not None and fault.status is not None:
            return _fault_response(fault, raw_path)
        if fault is not None and fault.kind == "slow":
            await self.mock.sleep(fault.seconds)
        if runtime.state == "quotaExceeded":
            return quota_exceeded(method, runtime.config.monthly_quota)
        if runtime.state != "authorized":
            return error_response(400, STATE_MESSAGES[runtime.state], raw_path)
        limited = fault is None and self.mock.rate_limit
        if limited and not self.mock.limiter.acquire(runtime.id_instance, method):
            return too_many_requests()
        try:
            if method == "getContacts":
                response = self._get_contacts(runtime, scope)
            else:
                response = _get_contact_info(runtime, await _read_body(scope, receive))
        except ApiError as exc:
            response = error_response(exc.status, exc.message, raw_path)
        if fault is not None and fault.kind == "truncate":
            return _truncated(response)
        if fault is not None and fault.kind == "reset":
            return _ResetResponse(response)
        return response

    @staticmethod
    def _get_contacts(runtime: InstanceRuntime, scope: Scope) -> Response:
        query = bytes(scope.get("query_string", b"")).decode("utf-8", errors="replace")
        params = parse_qsl(query, keep_blank_values=True)
        count, group = parse_contacts_query(runtime.spec, params)
        if runtime.config.ignore_count_and_group:
            count = group = None
        if runtime.in_warmup():
            return json_response(b"[]")
        return json_response(runtime.book.contacts_json(count, group))


def _get_contact_info(runtime: InstanceRuntime, raw: bytes) -> Response:
    """A group chat the flavour accepts answers 200 and null; refused ones never get here."""
    chat_id = parse_info_body(runtime.spec, raw)
    if runtime.spec.is_group_chat(chat_id):
        return json_response(b"null")
    return json_response(dumps(runtime.book.info(chat_id)))


class _ClientGone(Exception):  # noqa: N818 - control flow: nobody is left to answer
    pass


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    """The request body, refusing (413) more than body-parser's 100 KiB limit."""
    too_large = ApiError(413, "request entity too large")
    declared = scope_header(scope, "content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    for _ in range(_MAX_BODY_CHUNKS):
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
    raise too_large


def _fault_response(fault: Fault, raw_path: str) -> Response:
    if fault.kind == "429":
        return too_many_requests(fault.retry_after)
    if fault.kind == "500":
        return error_response(500, "Internal Server Error", raw_path)
    response = nginx_response(int(fault.kind))
    if fault.retry_after is not None:
        response.headers["Retry-After"] = str(fault.retry_after)
    return response


def _truncated(response: Response) -> Response:
    """The same answer with its body cut in half; Content-Length matches, so HTTP stays valid."""
    body = bytes(response.body)
    return Response(
        body[: len(body) // 2], status_code=response.status_code, media_type=response.media_type
    )


class _ResetResponse(Response):
    """Announces the whole body, sends half of it, then returns: the server drops the socket."""

    def __init__(self, response: Response) -> None:
        super().__init__(bytes(response.body), response.status_code, media_type=response.media_type)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        half = bytes(self.body)[: len(self.body) // 2]
        await send({"type": "http.response.body", "body": half, "more_body": True})


def _same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def create_app(
    instances: Iterable[MockInstance] | None = None,
    *,
    rate_limit: bool = False,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    rate_interval: float = DEFAULT_INTERVAL,
) -> MockApp:
    """Build the mock API.

    ``instances`` defaults to :data:`DEFAULT_INSTANCES`. GREEN-API's rate limit (1 request per
    second per method) is opt-in, ``rate_limit=True``, so that tests of your code stay fast; no
    published page states it, so ``rate_interval`` (seconds between accepted requests) is a
    setting too. ``clock`` (monotonic seconds) drives the rate limiter and the warm-up window,
    ``sleep`` the delay of ``slow`` faults; inject fakes in tests so that nothing depends on the
    machine's speed.
    """
    control = MockControl(
        DEFAULT_INSTANCES if instances is None else instances,
        rate_limit=rate_limit,
        rate_interval=rate_interval,
        clock=time.monotonic if clock is None else clock,
        sleep=anyio.sleep if sleep is None else sleep,
    )
    return MockApp(control)
