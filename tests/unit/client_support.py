"""Shared helpers for the client tests: the four clients behind one async-callable face.

Every client test runs against the mock in-process: async clients through httpx.ASGITransport,
sync clients through green_api_contacts.testing.MockTransport (the same ASGI app, run on a
private event-loop thread, so a sync client can even be called from an async test). Time is a
ManualClock shared by the mock (rate limit, warm-up) and the retry policy (deadline, sleeps), so
nothing ever really sleeps.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from green_api_contacts import (
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    GreenAPIRetry,
    TelegramClient,
    WhatsAppClient,
)
from green_api_contacts.mock import ManualClock, MockApp, MockInstance, create_app
from green_api_contacts.testing import MockTransport

WA_ID = 1101000001
WA_TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef01"
TG_ID = 4100000000
TG_TOKEN = "fedcba9876543210fedcba9876543210fedcba9876543210fe"
TOKENS = (WA_TOKEN, TG_TOKEN)
API_URL = "http://mock.test"

WA_USER = "79001234567@c.us"
WA_GROUP = "120363043968066561@g.us"
TG_USER = "10000000"

KINDS = ("sync-whatsapp", "sync-telegram", "async-whatsapp", "async-telegram")
Flavour = Literal["whatsapp", "telegram"]


def mock_instances(contacts: int = 30, warmup_seconds: float = 0.0) -> list[MockInstance]:
    return [
        MockInstance(WA_ID, WA_TOKEN, "whatsapp", contacts=contacts, warmup_seconds=warmup_seconds),
        MockInstance(TG_ID, TG_TOKEN, "telegram", contacts=contacts, warmup_seconds=warmup_seconds),
    ]


def make_app(
    clock: ManualClock, *, rate_limit: bool = False, warmup_seconds: float = 0.0
) -> MockApp:
    return create_app(
        mock_instances(warmup_seconds=warmup_seconds), rate_limit=rate_limit, clock=clock
    )


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport: records every request, can fail the first N with a connection error."""

    def __init__(
        self,
        inner: httpx.BaseTransport | httpx.AsyncBaseTransport,
        *,
        fail_first: int = 0,
        error: Callable[[httpx.Request], Exception] | None = None,
        on_request: Callable[[httpx.Request], None] | None = None,
    ) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []
        self.failures_left = fail_first
        self.error = error or (lambda r: httpx.ConnectError("connection refused", request=r))
        self.on_request = on_request

    def _before(self, request: httpx.Request) -> None:
        self.requests.append(request)
        if self.on_request is not None:
            self.on_request(request)
        if self.failures_left > 0:
            self.failures_left -= 1
            raise self.error(request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._before(request)
        assert isinstance(self.inner, httpx.BaseTransport)
        return self.inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._before(request)
        assert isinstance(self.inner, httpx.AsyncBaseTransport)
        return await self.inner.handle_async_request(request)

    def close(self) -> None:
        if isinstance(self.inner, httpx.BaseTransport):
            self.inner.close()

    async def aclose(self) -> None:
        if isinstance(self.inner, httpx.AsyncBaseTransport):
            await self.inner.aclose()


@dataclass
class Sleeps:
    """Records the retry policy's sleeps and moves the shared clock instead of sleeping."""

    clock: ManualClock
    seconds: list[float] = field(default_factory=list)

    def __call__(self, wait: float) -> None:
        self.seconds.append(wait)
        self.clock.advance(wait)

    async def asleep(self, wait: float) -> None:
        self(wait)


def fake_retry(clock: ManualClock, sleeps: Sleeps, **options: Any) -> GreenAPIRetry:
    settings: dict[str, Any] = {"total": 3, "backoff_jitter": 0.0}
    settings.update(options)
    return GreenAPIRetry(clock=clock, sleep_func=sleeps, async_sleep_func=sleeps.asleep, **settings)


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@dataclass
class Api:
    """One of the four clients, callable the same way from async tests."""

    kind: str
    client: Any
    transport: Recording
    clock: ManualClock
    sleeps: Sleeps

    @property
    def flavour(self) -> Flavour:
        return "telegram" if self.kind.endswith("telegram") else "whatsapp"

    @property
    def is_async(self) -> bool:
        return self.kind.startswith("async")

    @property
    def token(self) -> str:
        return TG_TOKEN if self.flavour == "telegram" else WA_TOKEN

    @property
    def id_instance(self) -> int:
        return TG_ID if self.flavour == "telegram" else WA_ID

    @property
    def user_chat_id(self) -> str:
        return TG_USER if self.flavour == "telegram" else WA_USER

    async def get_contacts(self, *args: Any, **kwargs: Any) -> Any:
        return await _maybe(self.client.get_contacts(*args, **kwargs))

    async def get_contact_info(self, chat_id: Any) -> Any:
        return await _maybe(self.client.get_contact_info(chat_id))

    async def unchecked_info(self, chat_id: str) -> Any:
        """GetContactInfo without client-side validation, to reach the API's own 400."""
        call = self.client._unchecked_info_call(chat_id)
        response = await _maybe(self.client._execute(call))
        return self.client._info_result(call, response)

    async def close(self) -> None:
        if self.is_async:
            await self.client.aclose()
        else:
            self.client.close()


def client_class(kind: str) -> Any:
    return {
        "sync-whatsapp": WhatsAppClient,
        "sync-telegram": TelegramClient,
        "async-whatsapp": AsyncWhatsAppClient,
        "async-telegram": AsyncTelegramClient,
    }[kind]


def make_api(
    kind: str,
    *,
    app: Any = None,
    handler: Callable[[httpx.Request], httpx.Response] | None = None,
    clock: ManualClock | None = None,
    fail_first: int = 0,
    error: Callable[[httpx.Request], Exception] | None = None,
    on_request: Callable[[httpx.Request], None] | None = None,
    retry: Any = "fake",
    **options: Any,
) -> Api:
    """A client of `kind` on the mock `app` (or on a synthetic `handler`), with a fake clock."""
    clock = clock or ManualClock()
    sleeps = Sleeps(clock)
    inner: httpx.BaseTransport | httpx.AsyncBaseTransport
    if handler is not None:
        inner = httpx.MockTransport(handler)
    elif kind.startswith("async"):
        inner = httpx.ASGITransport(app=app)
    else:
        inner = MockTransport(app)
    transport = Recording(inner, fail_first=fail_first, error=error, on_request=on_request)
    flavour = "telegram" if kind.endswith("telegram") else "whatsapp"
    if retry == "fake":
        retry = fake_retry(clock, sleeps)
    client = client_class(kind)(
        id_instance=TG_ID if flavour == "telegram" else WA_ID,
        api_token=TG_TOKEN if flavour == "telegram" else WA_TOKEN,
        api_url=options.pop("api_url", API_URL),
        transport=transport,
        retry=retry,
        **options,
    )
    return Api(kind, client, transport, clock, sleeps)
