"""From what happened to a call to the typed error the caller sees.

Three sources: a 200 answer whose body is a documented error text (`ok_body_error`), an answer
whose status is not 200 (`error_for`: status and body to one exception
class per documented failure), and an exception raised while sending (`sending_error`). Every
message and body is redacted; the callers raise outside their except blocks, because chaining
would carry the httpx exception, whose request (and traceback locals) hold the URL with the token.
"""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any, Final

import httpx

from green_api_contacts._redact import redact
from green_api_contacts.client._retry import RetryAbandoned, retry_after_seconds
from green_api_contacts.errors import (
    APIError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ForbiddenError,
    GreenAPIError,
    InstanceDeletedError,
    InstanceExpiredError,
    InstanceNotAuthorizedError,
    InstanceStartingError,
    NotFoundError,
    QuotaExceededError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnauthorizedError,
    UnexpectedStatusError,
    bad_request_class,
    documented_error_class,
)

if TYPE_CHECKING:
    from green_api_contacts.client._calls import Call
    from green_api_contacts.client._flavours import Flavour, QuotaBody

logger = logging.getLogger("green_api_contacts.client")

MESSAGE_CHARS: Final = 300
BODY_CHARS: Final = 2000
_TITLE_RE: Final = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG_RE: Final = re.compile(r"<[^>]+>")
_SPACE_RE: Final = re.compile(r"\s+")
# Part of the ValueError httpx_retries' retry_request raises for a client that retries itself.
_DOUBLE_RETRY_TEXT: Final = "does not also retry"
_SIMPLE: Final[dict[int, type[APIError]]] = {
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
}

# What to do about a failure (str() of the error says it after the message): for each class, the
# first one of the error's MRO found here. {api_url} is the scheme and host the call went to (an
# api_url holds no token: see _config.parse_api_url), {wait} what a 429 asked for.
_HINTS: Final[dict[type[GreenAPIError], str]] = {
    UnauthorizedError: (
        "check apiTokenInstance: it must be the API token the console shows for this instance"
    ),
    ForbiddenError: (
        "check idInstance, and that apiUrl ({api_url} here) is the instance's own host as the "
        "console shows it (often https://NNNN.api.green-api.com, NNNN the first four digits of "
        "idInstance)"
    ),
    NotFoundError: "check apiUrl ({api_url} here): the console's apiUrl, with no path after it",
    RateLimitedError: (
        "GREEN-API answers about 1 request per second per method and instance: wait {wait} "
        "before calling again, or let the client retry longer (max_retries, max_retry_time)"
    ),
    QuotaExceededError: (
        "the plan's quota is used up: move the instance to a larger plan in the console, or "
        "wait until the quota renews"
    ),
    InstanceStartingError: "the instance is starting: try again in a few seconds",
    InstanceNotAuthorizedError: "log the account in to the instance from the console first",
    InstanceExpiredError: "renew the instance's plan in the console",
    InstanceDeletedError: (
        "the instance was deleted: use the idInstance and token of an existing instance"
    ),
}
_CONNECT_HINT: Final = (
    "check apiUrl (the console's apiUrl for this instance), the network, and any proxy settings"
)
_TIMEOUT_HINT: Final = (
    "the API did not answer in time: raise the timeout (timeout=..., with_options(timeout=...)) "
    "or try again later"
)


def origin(call: Call) -> str:
    """Scheme, host and port the call goes to: never its path, which ends with the token."""
    url = httpx.URL(call.url_before_token)
    return str(url.copy_with(path="/", query=None, fragment=None)).rstrip("/")


def hint_for(error: GreenAPIError, call: Call) -> str | None:
    """What to do about `error` (see _HINTS), redacted like every message."""
    for cls in type(error).__mro__:
        template = _HINTS.get(cls)
        if template is not None:
            asked = getattr(error, "retry_after", None)
            wait = f"{asked:g} s" if isinstance(asked, int | float) else "at least 1 s"
            return redact(template.format(api_url=origin(call), wait=wait))
    return None


def _summary(text: str) -> str:
    """A one-line message from a text or HTML body (an nginx page becomes its title)."""
    title = _TITLE_RE.search(text)
    if title is not None:
        text = title.group(1)
    elif "<" in text and ">" in text:
        text = _TAG_RE.sub(" ", text)
    text = _SPACE_RE.sub(" ", html.unescape(text)).strip()
    if len(text) > MESSAGE_CHARS:
        text = text[: MESSAGE_CHARS - 3] + "..."
    return text


def raise_for_status(flavour: Flavour[Any, Any], call: Call, response: httpx.Response) -> None:
    """Nothing for a 200 with a result; the typed error of any other answer."""
    if response.status_code == 200:
        found = ok_body_error(flavour, call, response)
        if found is None:
            return
        error: GreenAPIError = found
    else:
        error = error_for(flavour, call, response)
    error.hint = hint_for(error, call)
    logger.debug("%s (%s): %r", call.operation, flavour.name, error)
    raise error


# A 200 body longer than this is a result, not an error text (the longest documented text is
# under 200 characters; an ErrorBody adds statusCode, timestamp and path).
_OK_ERROR_BYTES: Final = 4096


def ok_body_error(
    flavour: Flavour[Any, Any], call: Call, response: httpx.Response
) -> BadRequestError | None:
    """The typed error for a 200 whose body is a documented error text, else None.

    GREEN-API's Portuguese pages list `instance in starting process try later` and `instance
    account not authorized` with HTTP 200; such a body raises what the 400 would, not
    ResponseValidationError. Cheap for results: a list, or a body over 4 KiB, is not looked at.
    """
    content = response.content
    head = content[:16].lstrip()[:1]
    if head in (b"", b"[") or len(content) > _OK_ERROR_BYTES:
        return None
    if head == b"{" and b'"message"' not in content:
        return None
    body = redact(content.decode("utf-8", "replace"))
    message = _message(flavour, response, body)
    cls = documented_error_class(message)
    if cls is None:
        return None
    return cls(message, status_code=200, operation=call.operation, flavour=flavour.name, body=body)


def _message(flavour: Flavour[Any, Any], response: httpx.Response, body: str) -> str:
    """The API's `message` when the body is its JSON error, else a summary of the text."""
    content = response.content
    if content.lstrip()[:1] == b"{":
        try:
            parsed = flavour.decode_error(content)
        except Exception:  # not an ErrorBody after all: fall back to the text
            parsed = None
        if parsed is not None and isinstance(parsed.message, str) and parsed.message.strip():
            return redact(parsed.message.strip())
    status = response.status_code
    return redact(_summary(body) or response.reason_phrase or f"HTTP {status}")


def error_for(flavour: Flavour[Any, Any], call: Call, response: httpx.Response) -> GreenAPIError:
    """The exception for an answer that is not a 200: one class per documented failure."""
    status = response.status_code
    body = redact(response.content[:BODY_CHARS].decode("utf-8", "replace"))
    message = _message(flavour, response, body)
    common: dict[str, Any] = {
        "status_code": status,
        "operation": call.operation,
        "flavour": flavour.name,
        "body": body,
    }
    if status == 400:
        return bad_request_class(message)(message, **common)
    if status == 429:
        return RateLimitedError(
            message, retry_after=retry_after_seconds(response.headers), **common
        )
    if status == 466:
        return _quota_error(flavour, response.content, message, common)
    if status in _SIMPLE:
        return _SIMPLE[status](message, **common)
    if 500 <= status <= 599:
        return ServerError(message, **common)
    return UnexpectedStatusError(message, **common)


def _quota_error(
    flavour: Flavour[Any, Any], content: bytes, fallback: str, common: dict[str, Any]
) -> QuotaExceededError:
    try:
        quota: QuotaBody | None = flavour.decode_quota(content)
    except Exception:  # a 466 without the documented body is still a quota error
        quota = None
    invoke = correspondents = None
    if quota is not None:
        invoke = quota.invoke_status or None
        correspondents = quota.correspondents_status or None
    error = QuotaExceededError(
        fallback, invoke_status=invoke, correspondents_status=correspondents, **common
    )
    if error.description or error.method:
        figures = f" ({error.method}: {error.used} of {error.total} used)" if error.method else ""
        error.message = redact(f"{error.description or 'quota exceeded'}{figures}")
        error.args = (error.message,)
    return error


def closed_error(
    flavour: Flavour[Any, Any], call: Call, *, by_us: bool, derived: bool = False
) -> ClientClosedError:
    """A call on a closed client (`by_us`), or on a client whose own http_client was closed
    (for a `derived` one, by closing the client whose with_options made it)."""
    if by_us:
        message = "the client is closed (close() was called or its with block ended)"
    elif derived:
        message = (
            "the connection pool this client shares with the one it was derived from "
            "(with_options) is closed: that client, or the http_client given to it, was closed"
        )
    else:
        message = "the http_client given to this client has been closed"
    return ClientClosedError(
        f"{message}; create a new client", operation=call.operation, flavour=flavour.name
    )


def sending_error(
    flavour: Flavour[Any, Any], call: Call, exc: Exception, *, http_closed: bool
) -> GreenAPIError | None:
    """The error to raise for what sending `call` raised, or None to let `exc` propagate."""
    detail = redact(str(exc)) or "no details"
    where: dict[str, Any] = {"operation": call.operation, "flavour": flavour.name}
    if isinstance(exc, httpx.DecodingError):  # an answer whose Content-Encoding is broken
        return ResponseValidationError(
            f"the response body could not be decoded ({type(exc).__name__}: {detail})", **where
        )
    if isinstance(exc, httpx.HTTPError):
        timed_out = isinstance(exc, httpx.TimeoutException)  # a wait, an attempt or the call
        kind = RequestTimeoutError if timed_out else TransportError
        error = kind(f"no answer from {origin(call)} ({type(exc).__name__}: {detail})", **where)
        error.hint = _TIMEOUT_HINT if timed_out else _CONNECT_HINT
        return error
    if isinstance(exc, RuntimeError) and http_closed:  # closed while we checked
        return closed_error(flavour, call, by_us=False)
    if isinstance(exc, ValueError) and _DOUBLE_RETRY_TEXT in str(exc):
        return ConfigurationError(
            "the http_client retries by itself (httpx_retries.RetryTransport) in a way this "
            "library did not detect, and httpx_retries refuses to retry on top of it: pass "
            "an http_client without RetryTransport",
            **where,
        )
    return None


def detached(error: GreenAPIError) -> GreenAPIError:
    """One of our errors raised inside httpx or httpx-retries, without the frames it passed
    through there (their locals hold the request, whose URL holds the token)."""
    error.__context__ = None
    return error.with_traceback(None)


def last_answer(abandoned: RetryAbandoned) -> httpx.Response:
    """The answer GreenAPIRetry gave up after, readable (a RetryTransport closes it unread)."""
    response = abandoned.response
    try:
        response.content  # noqa: B018 - raises if the body was never read
    except httpx.ResponseNotRead:
        # Status and headers only; without the headers that describe the lost body.
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers)
    return response
