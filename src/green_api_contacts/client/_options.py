"""Per-call options without a new client: `client.with_options(timeout=..., max_retries=...)`.

Modelled on openai-python's `with_options`: the derived client is a shallow copy of the client,
of the same class, that shares its httpx client (so its connection pool) and its token holder, and
differs only in the options given. Ownership is decided once, here: the derived client never owns
the pool. Closing it (or leaving its `with` block) ends only the derived client; the pool stays
open for the client it came from, and closing that one closes the pool for both (a derived client
then raises ClientClosedError saying so). Options are checked as the constructor checks them.
"""

from __future__ import annotations

import copy
from typing import Any, Final, Protocol, TypeVar

import httpx
from httpx_retries import Retry

from green_api_contacts.client import _config
from green_api_contacts.client._retry import GreenAPIRetry
from green_api_contacts.errors import ClientClosedError, ConfigurationError

__all__ = ["NOT_GIVEN", "NotGiven", "WithOptions", "check_timeout", "derive"]


class NotGiven:
    """The default of every with_options argument: keep the client's setting."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = NotGiven()


class _Options(Protocol):
    """The attributes of a client (ClientBase) that with_options changes."""

    _closed: bool
    _derived: bool
    _owns_http: bool
    _timeout: Any
    _attempt_seconds: float | None
    _retry: Retry | None
    _retry_empty: int
    _retry_empty_delay: float


ClientT = TypeVar("ClientT", bound=_Options)


def check_timeout(timeout: object) -> float | httpx.Timeout:
    """A timeout as httpx takes it per request, checked as the constructor checks it (None,
    the constructor's "default", is refused: httpx would read it as no timeout)."""
    checked = None if timeout is None else _config.check_timeout(timeout)
    if checked is None:
        raise ConfigurationError(_config.TIMEOUT_PROBLEM)
    if isinstance(timeout, httpx.Timeout) or checked.read is None:
        return checked
    return checked.read  # a number of seconds: every part of `checked` is that number


def _derived_retry(
    retry: Retry | None, max_retries: int | NotGiven, max_retry_time: float | NotGiven | None
) -> Retry | None:
    """`retry` with the new bounds; the other settings (backoff, clock, sleep) carried over.

    As in the constructor, there is nothing to change when the http_client retries by itself
    (`retry` is None), and max_retry_time applies to a GreenAPIRetry only.
    """
    if retry is None:
        return None
    if isinstance(max_retries, NotGiven) and (
        isinstance(max_retry_time, NotGiven) or not isinstance(retry, GreenAPIRetry)
    ):
        return retry
    total = retry.total if isinstance(max_retries, NotGiven) else max_retries
    derived = retry.copy_with(total=total)
    if isinstance(retry, GreenAPIRetry) and isinstance(derived, GreenAPIRetry):
        derived._adopt(retry)  # httpx-retries' copy_with knows only its own fields
        if not isinstance(max_retry_time, NotGiven):
            derived.max_retry_time = max_retry_time
    return derived


def derive(
    client: ClientT,
    *,
    timeout: float | httpx.Timeout | NotGiven,
    max_retries: int | NotGiven,
    max_retry_time: float | NotGiven | None,
    retry_empty_contacts: int | NotGiven,
    retry_empty_delay: float | NotGiven,
) -> ClientT:
    """A copy of `client` sharing its pool and token, with the given options (see module)."""
    if client._closed:
        raise ClientClosedError("the client is closed; with_options needs an open client")
    checked_timeout = None if isinstance(timeout, NotGiven) else check_timeout(timeout)
    if not isinstance(max_retries, NotGiven):
        _config.check_non_negative_int("max_retries", max_retries)
    if not isinstance(max_retry_time, NotGiven):
        _config.check_max_retry_time(max_retry_time)
    derived = copy.copy(client)
    derived._derived = True
    derived._owns_http = False  # the pool stays with the client it came from
    if checked_timeout is not None:
        derived._timeout = checked_timeout
        derived._attempt_seconds = _config.attempt_seconds(httpx.Timeout(checked_timeout))
    derived._retry = _derived_retry(client._retry, max_retries, max_retry_time)
    if not isinstance(retry_empty_contacts, NotGiven):
        derived._retry_empty = _config.check_non_negative_int(
            "retry_empty_contacts", retry_empty_contacts
        )
    if not isinstance(retry_empty_delay, NotGiven):
        derived._retry_empty_delay = _config.check_non_negative_float(
            "retry_empty_delay", retry_empty_delay
        )
    return derived


class WithOptions:
    """The with_options method of the four clients (a mixin of ClientBase)."""

    def with_options(
        self: ClientT,
        *,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_retry_time: float | NotGiven | None = NOT_GIVEN,
        retry_empty_contacts: int | NotGiven = NOT_GIVEN,
        retry_empty_delay: float | NotGiven = NOT_GIVEN,
    ) -> ClientT:
        """A client of the same class, connection pool and token, with these options changed.

        `timeout` is per request (seconds or an httpx.Timeout); the others are the
        constructor's. Closing the new client leaves the pool open; closing this one closes it
        for both. Example: ``client.with_options(timeout=5, max_retries=0).get_contacts()``.
        """
        return derive(
            self,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_time=max_retry_time,
            retry_empty_contacts=retry_empty_contacts,
            retry_empty_delay=retry_empty_delay,
        )
