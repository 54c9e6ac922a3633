"""What all four clients share and that does no I/O: configuration, requests, flows.

`ClientBase` checks the options (through `_config`), builds calls (through the one adapter,
`_calls`) and hands the drivers (`_sync.py`, `_async.py`) the flows of `_flow.py` to run. What a
flavour differs in is its `Flavour` (`_flavours.py`), a class attribute of the public classes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar

import httpx
from httpx_retries import Retry

from green_api_contacts._redact import install_log_filter, redact
from green_api_contacts.client import (
    _calls,
    _config,
    _decode,
    _env,
    _errors_map,
    _flow,
    _mismatch,
)
from green_api_contacts.client._bounded import Bounds
from green_api_contacts.client._calls import Call
from green_api_contacts.client._config import Secret
from green_api_contacts.client._flavours import Flavour, FlavourName
from green_api_contacts.client._options import WithOptions
from green_api_contacts.client._retry import GreenAPIRetry
from green_api_contacts.errors import GreenAPIError

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")
T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class ClientBase(WithOptions, Generic[ContactT, InfoT]):
    """Configuration, validation and the flows shared by all four clients (with_options: see
    `_options`)."""

    _flavour: Flavour[ContactT, InfoT]
    _driver_prefix: ClassVar[str]  # of the public class names: "" blocking, "Async" asyncio

    def __init__(
        self,
        *,
        id_instance: int | str,
        api_token: Secret[object],
        api_url: Secret[object],
        max_retries: int,
        max_retry_time: float | None,
        retry: Retry | None,
        retry_empty_contacts: int,
        retry_empty_delay: float,
        max_response_size: int,
    ) -> None:
        self._closed = False
        self._derived = False  # made by with_options: shares the pool of the client it came from
        self._id_instance = _config.check_id_instance(id_instance)
        self._token = _config.check_token(api_token)
        install_log_filter()
        if api_url.reveal() is None:
            api_url = Secret(self._flavour.default_api_url)
        self._api_url = _config.check_api_url(api_url)
        self._suspect = _mismatch.checked(
            self._flavour, self._id_instance, self._api_url, self._driver_prefix
        )
        self._retry: Retry | None = _config.check_retry(retry, max_retries, max_retry_time)
        self._retry_empty = _config.check_non_negative_int(
            "retry_empty_contacts", retry_empty_contacts
        )
        self._retry_empty_delay = _config.check_non_negative_float(
            "retry_empty_delay", retry_empty_delay
        )
        self._max_size = _config.check_positive_int("max_response_size", max_response_size)

    def _adopt_http(
        self, http_client: HttpT | None, transport: Any, timeout: Any, http_class: type[HttpT]
    ) -> HttpT:
        """The caller's httpx client as it is, or one of our own (which close() closes)."""
        http, self._owns_http, self._timeout, self._attempt_seconds = _config.adopt_http(
            http_client, transport, _config.check_timeout(timeout), http_class
        )
        if not self._owns_http and _config.retries_by_itself(http):
            self._retry = None  # it retries already; retrying again would square attempts
        return http

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """A client configured from GREEN_API_ID_INSTANCE, GREEN_API_TOKEN and GREEN_API_URL.

        GREEN_API_URL is optional (the flavour's default host); GREEN_API_FLAVOUR, when set,
        must name this client's flavour (else FlavourMismatchError names the right client).
        `options` are passed on to the constructor (timeout, max_retries, http_client, ...).
        """
        environment = Secret(os.environ if environ is None else environ)
        del environ  # a frame local: tracebacks with locals would print it
        settings = _env.settings(cls._flavour, cls._driver_prefix, environment)
        if isinstance(settings, GreenAPIError):
            raise settings
        id_instance, token, api_url = settings
        # The concrete clients take str arguments (ClientBase's own __init__ takes Secrets).
        client: Callable[..., Self] = cls
        return client(
            id_instance=id_instance, api_token=token.reveal(), api_url=api_url.reveal(), **options
        )

    @property
    def api_url(self) -> str:
        return self._api_url

    @property
    def id_instance(self) -> int:
        return self._id_instance

    @property
    def flavour(self) -> FlavourName:
        return self._flavour.name

    def __repr__(self) -> str:
        # api_url cannot hold a method path or user info (see parse_api_url); redact() anyway.
        # getattr: a traceback with locals shows `self` of a constructor that raised half-way.
        api_url = getattr(self, "_api_url", None)
        id_instance = getattr(self, "_id_instance", None)
        return redact(f"{type(self).__name__}(api_url={api_url!r}, id_instance={id_instance})")

    # -- flows ----------------------------------------------------------------------------------

    def _contacts_flow(
        self, count: int | None, group: bool | None, retry_empty: int | None
    ) -> _flow.Flow[list[ContactT]]:
        """Arguments are checked here, before the flow (and anything it sends) starts."""
        flavour = self._flavour
        call = _calls.contacts_call(flavour, self._api_url, self._id_instance, count, group)
        empty_retries = _calls.empty_retries(flavour, retry_empty, default=self._retry_empty)
        return _flow.contacts_flow(
            call,
            self._contacts_result,
            empty_retries=empty_retries,
            empty_delay=self._retry_empty_delay,
        )

    def _info_flow(self, chat_id: str) -> _flow.Flow[InfoT]:
        call = _calls.info_call(self._flavour, self._api_url, self._id_instance, chat_id)
        return _flow.info_flow(call, self._info_result)

    def _unchecked_info_call(self, chat_id: str) -> Call:
        """The request without client-side validation (tests use it to reach the API's 400)."""
        return _calls.unchecked_info_call(self._flavour, self._api_url, self._id_instance, chat_id)

    # An answer no reader of this flavour takes may be another flavour's: see _mismatch.read.
    def _contacts_result(self, call: Call, response: httpx.Response) -> list[ContactT]:
        return _mismatch.read(self, _decode.contacts_result, call, response)

    def _info_result(self, call: Call, response: httpx.Response) -> InfoT:
        info: InfoT = _mismatch.read(self, _decode.info_result, call, response)
        return info

    # -- sending --------------------------------------------------------------------------------

    def _prepare(self, call: Call) -> tuple[Retry | None, Bounds]:
        """A fresh retry policy for one Send of `call`, and the bounds of its attempts."""
        retry = self._retry.for_request() if isinstance(self._retry, GreenAPIRetry) else self._retry
        where = {"operation": call.operation, "flavour": self._flavour.name}
        size, seconds = self._max_size, self._attempt_seconds
        return retry, Bounds.for_send(retry, max_size=size, attempt_seconds=seconds, **where)

    def _check_open(self, call: Call) -> None:
        if self._closed or self._http_closed():
            raise _errors_map.closed_error(
                self._flavour, call, by_us=self._closed, derived=self._derived
            )

    def _http_closed(self) -> bool:
        raise NotImplementedError

    def _sending_error(self, call: Call, exc: Exception) -> GreenAPIError | None:
        """See _errors_map.sending_error; the caller raises it outside its except block."""
        return _errors_map.sending_error(self._flavour, call, exc, http_closed=self._http_closed())
