"""The asyncio driver: sends with httpx.AsyncClient and sleeps, nothing else (see `_flow`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from types import TracebackType
from typing import Self, TypeVar, cast

import httpx
from httpx_retries import Retry, aretry_request

from green_api_contacts.client import _bulk, _config, _flow
from green_api_contacts.client._base import ClientBase
from green_api_contacts.client._bounded import AsyncSender
from green_api_contacts.client._calls import Call
from green_api_contacts.client._config import Secret
from green_api_contacts.client._errors_map import detached, last_answer
from green_api_contacts.client._retry import GreenAPIRetry, RetryAbandoned
from green_api_contacts.client._transport import default_async_transport
from green_api_contacts.errors import ClientClosedError, GreenAPIError

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")
T = TypeVar("T")


class AsyncClient(ClientBase[ContactT, InfoT]):
    """The asyncio I/O: one httpx.AsyncClient per client, reused for every call."""

    _driver_prefix = "Async"

    def __init__(
        self,
        *,
        id_instance: int | str,
        api_token: str,
        api_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        max_retry_time: float | None = _config.DEFAULT_MAX_RETRY_TIME,
        retry: Retry | None = None,
        retry_empty_contacts: int = 0,
        retry_empty_delay: float = _config.DEFAULT_RETRY_EMPTY_DELAY,
        max_response_size: int = _config.DEFAULT_MAX_RESPONSE_SIZE,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Configure a client; the options are the blocking clients' (see SyncClient), with
        an httpx.AsyncClient or httpx.AsyncBaseTransport. Without either, requests go through
        aiohttp's pool when the `[aiohttp]` extra is installed (see `_transport`)."""
        # Parameters are frame locals, which tracebacks with locals print: the token (and an
        # api_url that may hold one) go into Secret, and out of this frame, before anything raises.
        token, url = Secret[object](api_token), Secret[object](api_url)
        del api_token, api_url
        super().__init__(
            id_instance=id_instance,
            api_token=token,
            api_url=url,
            max_retries=max_retries,
            max_retry_time=max_retry_time,
            retry=retry,
            retry_empty_contacts=retry_empty_contacts,
            retry_empty_delay=retry_empty_delay,
            max_response_size=max_response_size,
        )
        if http_client is None and transport is None:  # aiohttp's pool when the extra is there
            transport = default_async_transport()
        self._http: httpx.AsyncClient = self._adopt_http(
            http_client, transport, timeout, httpx.AsyncClient
        )

    def _http_closed(self) -> bool:
        return self._http.is_closed

    async def _execute(self, call: Call) -> httpx.Response:
        """Send `call` with the retry policy's attempts; every failure a typed error."""
        self._check_open(call)
        retry, bounds = self._prepare(call)
        sender = AsyncSender(self._http, bounds)
        try:
            if retry is None:
                return await sender.send(
                    sender.build_request(
                        call.method, call.url(self._token), timeout=self._timeout, **call.options
                    )
                )
            return await aretry_request(  # it needs only build_request and send of a client
                cast("httpx.AsyncClient", sender),
                call.method,
                call.url(self._token),
                retry=retry,
                timeout=self._timeout,
                **call.options,
            )
        except RetryAbandoned as abandoned:  # GreenAPIRetry gave up: the last answer stands
            return last_answer(abandoned)
        except GreenAPIError as exc:  # raised by the bounded reader inside httpx-retries' loop
            error = detached(exc)
        except (httpx.HTTPError, RuntimeError, ValueError) as exc:
            found = self._sending_error(call, exc)
            if found is None:
                raise
            error = found
        raise error  # outside the except block: no chained httpx exception (its URL has the token)

    async def _sleep(self, seconds: float) -> None:
        """The retry policy's async sleep when it has one (tests inject it), else asyncio's."""
        policy = self._retry
        await (policy.async_sleep_func if isinstance(policy, GreenAPIRetry) else asyncio.sleep)(
            seconds
        )

    async def _run(self, flow: _flow.Flow[T]) -> T:
        return await _flow.run_async(flow, self._execute, self._sleep)

    async def _infos(
        self, chat_ids: Iterable[str], concurrency: int, rate: float | None
    ) -> list[InfoT | GreenAPIError]:
        """get_contact_infos: see `_bulk`."""
        return await _bulk.infos_async(
            lambda chat_id: self._run(self._info_flow(chat_id)),
            chat_ids,
            concurrency=concurrency,
            rate=rate,
            flavour=self._flavour.name,
            clock=_bulk.policy_clock(self._retry),
            sleep=self._sleep,
        )

    async def aclose(self) -> None:
        """Close the connection pool (not an http_client you passed in: that one is yours).

        Later calls raise ClientClosedError, whether or not the http_client was ours.
        """
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        if self._closed:
            raise ClientClosedError("the client is closed; create a new client")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
