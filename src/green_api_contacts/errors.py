"""Every way a GetContacts or GetContactInfo call can fail, as one exception hierarchy.

Catch `GreenAPIError` for everything, or a subclass for one documented failure::

    GreenAPIError
    ├── ConfigurationError (also ValueError)   bad constructor argument or environment variable
    │   └── FlavourMismatchError               the client of another flavour is needed (named)
    ├── InvalidRequestError (also ValueError)  bad call argument, caught before anything is sent
    ├── APIError                               the API answered with an error status
    │   ├── BadRequestError                    400 (bad request data, malformed JSON, ...)
    │   │   ├── ValidationFailedError          400 "Validation failed..."
    │   │   ├── InstanceStartingError          400 "instance in starting process try later"
    │   │   ├── InstanceNotAuthorizedError     400 "instance account not authorized"
    │   │   │   └── InstanceNotReadyError      400 "instance is starting or not authorized" (both)
    │   │   ├── InstanceExpiredError           400 "Instance account is expired..."
    │   │   └── InstanceDeletedError           400 "Instance is deleted"
    │   ├── UnauthorizedError                  401 wrong apiTokenInstance
    │   ├── ForbiddenError                     403 wrong idInstance or URL
    │   ├── NotFoundError                      404 wrong method or URL
    │   ├── RateLimitedError                   429 (after retries), with retry_after
    │   ├── QuotaExceededError                 466 plan quota used up, with its figures
    │   │   └── ChatLimitExceededError         400 "You have used up the chat limit..." (also 400)
    │   ├── ServerError                        5xx (after retries for 502/503/504)
    │   └── UnexpectedStatusError              any status the API does not document
    ├── ResponseValidationError                a body that does not match the API description
    │   └── ResponseTooLargeError              a body over max_response_size (read no further)
    ├── TransportError                         no answer (connection error, timeout), after retries
    │   └── RequestTimeoutError                an attempt over `timeout`, or the call over
    │                                          max_retry_time, with no complete answer
    └── ClientClosedError (also RuntimeError)  a call on a client after close() or its with block

The 400 classes are chosen by the documented texts, and a 200 body holding one of those texts
raises the same class (GREEN-API's Portuguese pages list the instance-state errors with HTTP 200).

Every exception carries `status_code` (None when there was no answer), `message` (the API's own
message where it sent one), `operation`/`flavour` and, where the library knows what to do about
it, a `hint` that str() adds after the message (401: check apiTokenInstance; 403: check idInstance
and apiUrl; no answer: the host that was tried; 429/466: how to wait or what to change).
No text an exception holds contains the token: messages and bodies are redacted, and transport
errors are raised without chaining to the httpx exception (whose request carries the URL).
Tracebacks rendered with local variables (Sentry, rich, `pytest -l`) do not show it either: no
frame of this library that an exception passes through holds the token, or a URL or dict
containing it, in a plain local.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from green_api_contacts.generated import telegram_structs, whatsapp_structs

    QuotaStatus = whatsapp_structs.QuotaStatus | telegram_structs.QuotaStatus

__all__ = [
    "APIError",
    "BadRequestError",
    "ChatLimitExceededError",
    "ClientClosedError",
    "ConfigurationError",
    "FlavourMismatchError",
    "ForbiddenError",
    "GreenAPIError",
    "InstanceDeletedError",
    "InstanceExpiredError",
    "InstanceNotAuthorizedError",
    "InstanceNotReadyError",
    "InstanceStartingError",
    "InvalidRequestError",
    "NotFoundError",
    "QuotaExceededError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "TransportError",
    "UnauthorizedError",
    "UnexpectedStatusError",
    "ValidationFailedError",
    "bad_request_class",
    "documented_error_class",
]


class GreenAPIError(Exception):
    """Base of every error this library raises."""

    # What to do about it, where the library knows (the clients set it: client/_errors_map.py);
    # str() says it after the message, so that logs and the CLI carry it.
    hint: str | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        operation: str | None = None,
        flavour: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.operation = operation
        self.flavour = flavour
        # The response body as text, redacted and trimmed; None when there was none.
        self.body = body

    def __str__(self) -> str:
        where = self.operation or ""
        if self.flavour:
            where = f"{where} ({self.flavour})" if where else self.flavour
        status = f"HTTP {self.status_code}: " if self.status_code is not None else ""
        prefix = f"{where}: " if where else ""
        text = f"{prefix}{status}{self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status_code={self.status_code!r}, "
            f"operation={self.operation!r}, flavour={self.flavour!r})"
        )


class ConfigurationError(GreenAPIError, ValueError):
    """A client was given a bad api_url, id_instance, token or option, or a variable is missing."""


class FlavourMismatchError(ConfigurationError):
    """The instance is of another flavour than the client's: `right_client` names the class to
    use (e.g. "TelegramClient"). Raised only on agreeing evidence: the idInstance and api_url
    both belong to that flavour, or an answer that only that flavour's description reads."""

    def __init__(
        self,
        message: str,
        *,
        right_client: str = "",
        detected_flavour: str = "",
        status_code: int | None = None,
        operation: str | None = None,
        flavour: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, operation=operation, flavour=flavour, body=body
        )
        self.right_client = right_client
        self.detected_flavour = detected_flavour


class InvalidRequestError(GreenAPIError, ValueError):
    """A call argument does not match the API description; nothing was sent."""


class APIError(GreenAPIError):
    """The API answered with an error status."""


class BadRequestError(APIError):
    """400: the request or the instance's state does not allow the call."""


class ValidationFailedError(BadRequestError):
    """400 "Validation failed": the API rejected a parameter (e.g. a chatId, a Telegram group)."""


class InstanceStartingError(BadRequestError):
    """400: the instance is still starting; try again later."""


class InstanceNotAuthorizedError(BadRequestError):
    """400: no account is logged in on the instance (scan the QR code in the console)."""


class InstanceNotReadyError(InstanceStartingError, InstanceNotAuthorizedError):
    """400 "instance is starting or not authorized", the newer wording of both states.

    One text for two states, so it is both: code that catches either older class catches it.
    """


class InstanceExpiredError(BadRequestError):
    """400: the instance's paid period is over; renew it in the console."""


class InstanceDeletedError(BadRequestError):
    """400: the instance was deleted."""


class UnauthorizedError(APIError):
    """401: wrong apiTokenInstance."""


class ForbiddenError(APIError):
    """403: wrong idInstance or URL."""


class NotFoundError(APIError):
    """404: unknown method or wrong HTTP method."""


class RateLimitedError(APIError):
    """429 after the retries: more than 1 request per second per method and instance."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status_code: int | None = None,
        operation: str | None = None,
        flavour: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, operation=operation, flavour=flavour, body=body
        )
        # Seconds the API asked us to wait (Retry-After), when it said.
        self.retry_after = retry_after


class QuotaExceededError(APIError):
    """466: the plan's quota is used up (the Developer plan allows 1000 GetContacts a month).

    `method`, `used`, `total`, `status` and `description` describe the quota that ran out
    (invokeStatus unless only correspondentsStatus is exceeded); both parts are kept as given.
    """

    def __init__(
        self,
        message: str,
        *,
        invoke_status: QuotaStatus | None = None,
        correspondents_status: QuotaStatus | None = None,
        status_code: int | None = None,
        operation: str | None = None,
        flavour: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, operation=operation, flavour=flavour, body=body
        )
        self.invoke_status = invoke_status
        self.correspondents_status = correspondents_status
        exceeded = _exceeded(invoke_status, correspondents_status)
        self.method: str | None = _str_or_none(getattr(exceeded, "method", None))
        self.used: int | None = _int_or_none(getattr(exceeded, "used", None))
        self.total: int | None = _int_or_none(getattr(exceeded, "total", None))
        self.status: str | None = _str_or_none(getattr(exceeded, "status", None))
        self.description: str | None = _str_or_none(getattr(exceeded, "description", None))


class ChatLimitExceededError(QuotaExceededError, BadRequestError):
    """400 "You have used up the chat limit on your tariff...": the historic quota error.

    A quota error (catch QuotaExceededError for both forms) that came as a 400 with a text, so it
    is a BadRequestError too; the text carries no figures, so `used` and `total` are None.
    """


class ServerError(APIError):
    """5xx: the API or the proxy in front of it failed (502/503/504 after the retries)."""


class UnexpectedStatusError(APIError):
    """A status code the API description does not document for this operation."""


class ResponseValidationError(GreenAPIError):
    """The body does not match the API description: not JSON, truncated, the wrong shape, or a
    Content-Encoding that does not decode (then `status_code` is None: httpx drops the response)."""


class ResponseTooLargeError(ResponseValidationError):
    """The body grew past the client's `max_response_size` (bytes after decompression); nothing
    more was read. A ResponseValidationError because no described answer is that large."""

    def __init__(
        self,
        message: str,
        *,
        limit: int = 0,
        status_code: int | None = None,
        operation: str | None = None,
        flavour: str | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, operation=operation, flavour=flavour)
        # The max_response_size that was exceeded, in bytes.
        self.limit = limit


class TransportError(GreenAPIError):
    """No answer: the connection failed or timed out, after the retries."""


class RequestTimeoutError(TransportError):
    """No complete answer in time: an attempt took longer than the client's `timeout` (connect
    to last byte, or one silent read), or the call longer than `max_retry_time`."""


class ClientClosedError(GreenAPIError, RuntimeError):
    """The client (or the http_client it was given) is closed: close()/aclose() was called or its
    `with` block ended. Nothing was sent; create a new client."""


_ALLOWED: Final = "QUOTE_ALLOWED"


def _exceeded(*parts: QuotaStatus | None) -> QuotaStatus | None:
    present = [part for part in parts if part is not None]
    for part in present:
        if getattr(part, "status", None) not in (None, _ALLOWED):
            return part
    return present[0] if present else None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int_or_none(value: object) -> int | None:
    """An int, also from the numeric strings the docs' tables type `used` and `total` as."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Documented 400 messages (lowercased prefixes) and the class each one means.
_BAD_REQUEST_MESSAGES: Final[tuple[tuple[str, type[BadRequestError]], ...]] = (
    ("validation failed", ValidationFailedError),
    ("instance in starting process", InstanceStartingError),
    ("instance account not authorized", InstanceNotAuthorizedError),
    ("instance is starting or not authorized", InstanceNotReadyError),
    ("instance account is expired", InstanceExpiredError),
    ("instance is deleted", InstanceDeletedError),
    ("you have used up the chat limit", ChatLimitExceededError),
)


def documented_error_class(message: str) -> type[BadRequestError] | None:
    """The class of a documented error text, or None for any other text.

    Also read in 200 bodies: GREEN-API's Portuguese pages list "instance in starting process try
    later" and "instance account not authorized" with HTTP 200.
    """
    lowered = message.strip().lower()
    for prefix, cls in _BAD_REQUEST_MESSAGES:
        if lowered.startswith(prefix):
            return cls
    return None


def bad_request_class(message: str) -> type[BadRequestError]:
    """The BadRequestError subclass for a 400 message, by the documented texts."""
    return documented_error_class(message) or BadRequestError
