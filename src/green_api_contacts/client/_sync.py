"""The blocking driver: sends with httpx.Client and sleeps, nothing else (the flow is `_flow`)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from types import TracebackType
from typing import Self, TypeVar, cast

import httpx
from httpx_retries import Retry, retry_request

from green_api_contacts.client import _bulk, _config, _flow
from green_api_contacts.client._base import ClientBase
from green_api_contacts.client._bounded import SyncSender
from green_api_contacts.client._calls import Call
from green_api_contacts.client._config import Secret
from green_api_contacts.client._errors_map import detached, last_answer
from green_api_contacts.client._retry import GreenAPIRetry, RetryAbandoned
from green_api_contacts.errors import ClientClosedError, GreenAPIError

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")
T = TypeVar("T")


class SyncClient(ClientBase[ContactT, InfoT]):
    """The blocking I/O: one httpx.Client per client, reused for every call."""

    _driver_prefix = ""

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
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Configure a client; nothing is sent until the first call.

        - `id_instance`, `api_token`: from the console (the token is never shown by this
          library); `api_url`: the console's apiUrl (default: the flavour's default host).
        - `timeout`: seconds that each attempt may take, connect to last byte, or an
          httpx.Timeout (its largest part bounds an attempt; default 60 s, 10 s to connect).
        - `max_retries` (default 3, 0 switches retries off) and `max_retry_time` (default 60 s
          per call, retries and their attempts included) configure the default GreenAPIRetry;
          `retry` replaces it with your own httpx_retries.Retry (then both are ignored). A
          GreenAPIRetry's clock and sleep functions also time the waits of
          `retry_empty_contacts` and the attempts' deadlines.
        - `max_response_size`: bytes a body may have after decompression (default 256 MiB);
          past it ResponseTooLargeError, and nothing more is read.
        - `retry_empty_contacts`, `retry_empty_delay`: repeat GetContacts while it answers `[]`
          (off by default; see get_contacts).
        - `http_client` (yours to close) or `transport`: how requests travel. An http_client
          that already retries through httpx_retries.RetryTransport (as its transport or any
          mounted one) is not retried again.
        """
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
        self._http: httpx.Client = self._adopt_http(http_client, transport, timeout, httpx.Client)

    def _http_closed(self) -> bool:
        return self._http.is_closed

    def _execute(self, call: Call) -> httpx.Response:
        """Send `call` with the retry policy's attempts; every failure a typed error."""
        self._check_open(call)
        retry, bounds = self._prepare(call)
        sender = SyncSender(self._http, bounds)
        try:
            if retry is None:
                return sender.send(
                    sender.build_request(
                        call.method, call.url(self._token), timeout=self._timeout, **call.options
                    )
                )
            return retry_request(  # it needs only build_request and send of a client
                cast("httpx.Client", sender),
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

    def _sleep(self, seconds: float) -> None:
        """The retry policy's sleep when it has one (tests inject it), else time.sleep."""
        policy = self._retry
        (policy.sleep_func if isinstance(policy, GreenAPIRetry) else time.sleep)(seconds)

    def _run(self, flow: _flow.Flow[T]) -> T:
        return _flow.run(flow, self._execute, self._sleep)

    def _infos(
        self, chat_ids: Iterable[str], concurrency: int, rate: float | None
    ) -> list[InfoT | GreenAPIError]:
        """get_contact_infos: see `_bulk`."""
        return _bulk.infos(
            lambda chat_id: self._run(self._info_flow(chat_id)),
            chat_ids,
            concurrency=concurrency,
            rate=rate,
            flavour=self._flavour.name,
            clock=_bulk.policy_clock(self._retry),
            sleep=self._sleep,
        )

    def close(self) -> None:
        """Close the connection pool (not an http_client you passed in: that one is yours).

        Later calls raise ClientClosedError, whether or not the http_client was ours.
        """
        self._closed = True
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        if self._closed:
            raise ClientClosedError("the client is closed; create a new client")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
