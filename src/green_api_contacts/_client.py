"""The four public clients: WhatsApp and Telegram, sync and async.

Everything the flavours differ in is data (`_Flavour`: generated request builders, request
Struct, decoders, default URL); everything sync and async share lives in `_ClientBase`
(validation, building requests, turning responses into results or errors). The subclasses only
do I/O. Requests come from the generated openapi-python-client modules (`_get_kwargs`), bodies
are decoded once, straight from bytes, into the generated msgspec Structs.

The token lives in a `_Secret` and nowhere else: the generated builders get a placeholder, the
token is appended to the URL in the expression that hands it to httpx, and the constructors wrap
their `api_token` (and `api_url`, which may hold one pasted by mistake) before anything can raise.
So no frame of this module that an exception passes through holds it in a plain str or dict local,
and tracebacks rendered with their locals (Sentry, rich, `pytest -l`) cannot show it.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Any, Final, Generic, Literal, Self, TypeVar, cast
from urllib.parse import quote

import httpx
import msgspec
from httpx_retries import Retry, RetryTransport, aretry_request, retry_request

from green_api_contacts._redact import install_log_filter, redact, register_secret
from green_api_contacts._retry import GreenAPIRetry, RetryAbandoned, retry_after_seconds
from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.errors import (
    APIError,
    ClientClosedError,
    ConfigurationError,
    ForbiddenError,
    GreenAPIError,
    InvalidRequestError,
    NotFoundError,
    QuotaExceededError,
    RateLimitedError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnauthorizedError,
    UnexpectedStatusError,
    bad_request_class,
)
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa
from green_api_contacts.generated.telegram_client.api.contacts import (
    get_contact_info as tg_get_contact_info,
)
from green_api_contacts.generated.telegram_client.api.contacts import (
    get_contacts as tg_get_contacts,
)
from green_api_contacts.generated.telegram_client.models import (
    TelegramGetContactInfoRequest as TgInfoBody,
)
from green_api_contacts.generated.telegram_client.types import UNSET as TG_UNSET
from green_api_contacts.generated.whatsapp_client.api.contacts import (
    get_contact_info as wa_get_contact_info,
)
from green_api_contacts.generated.whatsapp_client.api.contacts import (
    get_contacts as wa_get_contacts,
)
from green_api_contacts.generated.whatsapp_client.models import (
    WhatsAppGetContactInfoRequest as WaInfoBody,
)
from green_api_contacts.generated.whatsapp_client.types import UNSET as WA_UNSET

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncTelegramClient",
    "AsyncWhatsAppClient",
    "TelegramClient",
    "WhatsAppClient",
]

logger = logging.getLogger("green_api_contacts.client")

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")
T = TypeVar("T")
SecretT = TypeVar("SecretT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

FlavourName = Literal["whatsapp", "telegram"]
Operation = Literal["getContacts", "getContactInfo"]

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES: Final = 3
DEFAULT_MAX_RETRY_TIME: Final = 60.0
DEFAULT_RETRY_EMPTY_DELAY: Final = 5.0
ENV_API_URL: Final = "GREEN_API_URL"
ENV_ID_INSTANCE: Final = "GREEN_API_ID_INSTANCE"
ENV_TOKEN: Final = "GREEN_API_TOKEN"  # noqa: S105 - the variable's name, not a token

_MAX_ID_INSTANCE: Final = 9_999_999_999
_MAX_COUNT: Final = 2_147_483_647
_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
_MESSAGE_CHARS: Final = 300
_BODY_CHARS: Final = 2000
_TITLE_RE: Final = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG_RE: Final = re.compile(r"<[^>]+>")
_SPACE_RE: Final = re.compile(r"\s+")
# What the generated request builders get instead of the token: the URL's last path segment.
_TOKEN_SLOT: Final = "apiTokenInstance"  # noqa: S105 - a placeholder, not a token
# Part of the ValueError httpx_retries' retry_request raises for a client that retries itself.
_DOUBLE_RETRY_TEXT: Final = "does not also retry"


def _user_agent() -> str:
    try:
        release = version("green-api-contacts")
    except PackageNotFoundError:  # running from a source tree that is not installed
        release = "0+unknown"
    return f"green-api-contacts/{release} python-httpx/{httpx.__version__}"


_USER_AGENT: Final = _user_agent()

ErrorBody = wa.ErrorBody | tg.ErrorBody
QuotaBody = wa.QuotaExceededBody | tg.QuotaExceededBody


@dataclass(frozen=True, slots=True)
class _Flavour(Generic[ContactT, InfoT]):
    """What one flavour's clients differ in; one module-level instance per flavour."""

    name: FlavourName
    default_api_url: str
    contacts_kwargs: Callable[[int, str, int | None, bool | None], dict[str, Any]]
    info_kwargs: Callable[[int, str, str], dict[str, Any]]
    request_struct: type[msgspec.Struct]
    chat_id_format: str
    decode_contacts: Callable[[bytes], list[ContactT]]
    decode_info: Callable[[bytes], InfoT]
    decode_error: Callable[[bytes], ErrorBody]
    decode_quota: Callable[[bytes], QuotaBody]


# Each generated client has its own UNSET sentinel; each builder gets its own.
def _wa_contacts(id_: int, token: str, count: int | None, group: bool | None) -> dict[str, Any]:
    return wa_get_contacts._get_kwargs(
        id_,
        token,
        count=WA_UNSET if count is None else count,
        group=WA_UNSET if group is None else group,
    )


def _tg_contacts(id_: int, token: str, count: int | None, group: bool | None) -> dict[str, Any]:
    # Telegram's GetContacts has no `group`; TelegramClient.get_contacts never passes one.
    return tg_get_contacts._get_kwargs(id_, token, count=TG_UNSET if count is None else count)


def _wa_info(id_: int, token: str, chat_id: str) -> dict[str, Any]:
    return wa_get_contact_info._get_kwargs(id_, token, body=WaInfoBody(chat_id=chat_id))


def _tg_info(id_: int, token: str, chat_id: str) -> dict[str, Any]:
    return tg_get_contact_info._get_kwargs(id_, token, body=TgInfoBody(chat_id=chat_id))


# Decoders are built once, here: building one inspects the whole type tree.
_WHATSAPP: Final[_Flavour[wa.WhatsAppContact, wa.WhatsAppContactInfo | None]] = _Flavour(
    name="whatsapp",
    default_api_url="https://api.green-api.com",
    contacts_kwargs=_wa_contacts,
    info_kwargs=_wa_info,
    request_struct=wa.WhatsAppGetContactInfoRequest,
    chat_id_format=(
        "a WhatsApp chat id: '<phone number>@c.us' for a user (e.g. '71234567890@c.us') or "
        "'<id>@g.us' for a group chat"
    ),
    decode_contacts=tolerant_decoder(list[wa.WhatsAppContact]),
    decode_info=tolerant_decoder(wa.WhatsAppContactInfoOrNull),
    decode_error=tolerant_decoder(wa.ErrorBody),
    decode_quota=tolerant_decoder(wa.QuotaExceededBody),
)
_TELEGRAM: Final[_Flavour[tg.TelegramContact, tg.TelegramContactInfo]] = _Flavour(
    name="telegram",
    default_api_url="https://4100.api.green-api.com",
    contacts_kwargs=_tg_contacts,
    info_kwargs=_tg_info,
    request_struct=tg.TelegramGetContactInfoRequest,
    chat_id_format=(
        "a Telegram user's chat id: a string of digits (e.g. '10000000'); group chats "
        "(negative ids) are not supported by GetContactInfo"
    ),
    decode_contacts=tolerant_decoder(list[tg.TelegramContact]),
    decode_info=tolerant_decoder(tg.TelegramContactInfo),
    decode_error=tolerant_decoder(tg.ErrorBody),
    decode_quota=tolerant_decoder(tg.QuotaExceededBody),
)


class _Secret(Generic[SecretT]):
    """Holds the token so that no repr, vars() or debugger view of a client shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: SecretT) -> None:
        self._value = value

    def reveal(self) -> SecretT:
        return self._value

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class _Call:
    """One validated request, ready to send (and to send again for retry_empty).

    It holds no token: `url_before_token` ends with the slash after the method name, and
    `url(token)` is called in the expression that hands the URL to httpx.
    """

    operation: Operation
    method: str
    url_before_token: str
    options: dict[str, Any]  # params, json, headers: what httpx.Client.request takes besides

    def url(self, token: _Secret[str]) -> str:
        return self.url_before_token + quote(token.reveal(), safe="")

    def __repr__(self) -> str:
        return f"<_Call {self.operation}>"


_API_URL_PROBLEM: Final = (
    "api_url must be an http:// or https:// URL such as https://api.green-api.com"
)


def _parse_api_url(api_url: object) -> str | ConfigurationError:
    """The normalised api_url, or the error to raise (created here, raised by the caller, so that
    the traceback holds no frame with the URL, which may contain a token, in a local)."""
    if not isinstance(api_url, str):
        return ConfigurationError(_API_URL_PROBLEM)
    try:
        url = httpx.URL(api_url.strip())
    except (httpx.InvalidURL, TypeError):
        return ConfigurationError(_API_URL_PROBLEM)
    if url.scheme not in ("http", "https") or not url.host or url.query or url.fragment:
        return ConfigurationError(_API_URL_PROBLEM)
    if url.userinfo:
        return ConfigurationError(
            "api_url must not contain a user name or password ('user:password@host'); "
            "give the console's apiUrl, such as https://1101.api.green-api.com"
        )
    if "wainstance" in url.path.lower():
        return ConfigurationError(
            "api_url looks like a full method URL (its path contains 'waInstance', and the "
            "token may follow): give only the console's apiUrl, such as "
            "https://1101.api.green-api.com, and the token as api_token"
        )
    return str(url).rstrip("/")


def _check_api_url(api_url: _Secret[object]) -> str:
    parsed = _parse_api_url(api_url.reveal())
    if isinstance(parsed, ConfigurationError):
        raise parsed
    return parsed


def _check_id_instance(id_instance: object) -> int:
    problem = "id_instance must be an integer from 1 to 9999999999 (1 to 10 digits)"
    if isinstance(id_instance, str) and id_instance.strip().isascii():
        text = id_instance.strip()
        if text.isdigit():
            id_instance = int(text)
    if isinstance(id_instance, bool) or not isinstance(id_instance, int):
        raise ConfigurationError(problem)
    if not 1 <= id_instance <= _MAX_ID_INSTANCE:
        raise ConfigurationError(problem)
    return id_instance


def _is_token(value: object) -> bool:
    return isinstance(value, str) and _TOKEN_RE.fullmatch(value) is not None


def _check_token(api_token: _Secret[object]) -> _Secret[str]:
    # Never include the value, not even in a local: it is (or was meant to be) a secret.
    if not _is_token(api_token.reveal()):
        raise ConfigurationError(
            "api_token must be 1 to 256 characters from A-Z, a-z, 0-9, '_' and '-' "
            "(GREEN-API tokens are 50 hexadecimal characters)"
        )
    return cast("_Secret[str]", api_token)


def _read_env(env: Mapping[str, str]) -> tuple[int, _Secret[str], _Secret[str | None]] | str:
    """from_env's settings, or what is wrong with them (raised by the caller: see _parse_api_url;
    the environment's repr holds every secret of the process)."""
    for name in (ENV_ID_INSTANCE, ENV_TOKEN):
        if not env.get(name, "").strip():
            return (
                f"environment variable {name} is not set "
                f"(needed: {ENV_ID_INSTANCE}, {ENV_TOKEN}; optional: {ENV_API_URL})"
            )
    raw_id = env[ENV_ID_INSTANCE].strip()
    if not (raw_id.isascii() and raw_id.isdigit()):
        return f"{ENV_ID_INSTANCE} must be an integer of 1 to 10 digits"
    if not _is_token(env[ENV_TOKEN].strip()):
        return (
            f"{ENV_TOKEN} is not a valid token (1 to 256 characters from A-Z, a-z, 0-9, "
            "'_' and '-')"
        )
    return (
        int(raw_id),
        _Secret(env[ENV_TOKEN].strip()),
        _Secret(env.get(ENV_API_URL, "").strip() or None),
    )


def _retries_by_itself(http: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether `http` retries through an httpx_retries.RetryTransport, as its main transport or
    any mounted one: detected the way httpx_retries' retry_request does, which refuses such a
    client (our retries on top would square the attempts)."""
    mounts: Mapping[object, object] = getattr(http, "_mounts", None) or {}
    transports = [getattr(http, "_transport", None), *mounts.values()]
    return any(isinstance(transport, RetryTransport) for transport in transports)


def _last_answer(abandoned: RetryAbandoned) -> httpx.Response:
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


def _check_non_negative_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"{name} must be an integer >= 0")
    return value


def _check_non_negative_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ConfigurationError(f"{name} must be a number >= 0")
    return float(value)


def _summary(text: str) -> str:
    """A one-line message from a text or HTML body (an nginx page becomes its title)."""
    title = _TITLE_RE.search(text)
    if title is not None:
        text = title.group(1)
    elif "<" in text and ">" in text:
        text = _TAG_RE.sub(" ", text)
    text = _SPACE_RE.sub(" ", html.unescape(text)).strip()
    if len(text) > _MESSAGE_CHARS:
        text = text[: _MESSAGE_CHARS - 3] + "..."
    return text


def _short_repr(value: str, limit: int = 60) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


class _ClientBase(Generic[ContactT, InfoT]):
    """Configuration, validation and response handling shared by all four clients."""

    _flavour: _Flavour[ContactT, InfoT]

    def __init__(
        self,
        *,
        id_instance: int | str,
        api_token: _Secret[object],
        api_url: _Secret[object],
        max_retries: int,
        max_retry_time: float | None,
        retry: Retry | None,
        retry_empty_contacts: int,
        retry_empty_delay: float,
    ) -> None:
        self._closed = False
        self._id_instance = _check_id_instance(id_instance)
        self._token = _check_token(api_token)
        register_secret(self._token.reveal())
        install_log_filter()
        if api_url.reveal() is None:
            api_url = _Secret(self._flavour.default_api_url)
        self._api_url = _check_api_url(api_url)
        _check_non_negative_int("max_retries", max_retries)
        if max_retry_time is not None and not (
            isinstance(max_retry_time, int | float) and max_retry_time > 0
        ):
            raise ConfigurationError("max_retry_time must be a number > 0 (or None)")
        if retry is not None and not isinstance(retry, Retry):
            raise ConfigurationError("retry must be an httpx_retries.Retry (e.g. GreenAPIRetry)")
        self._retry: Retry | None = (
            retry
            if retry is not None
            else GreenAPIRetry(total=max_retries, max_retry_time=max_retry_time)
        )
        self._retry_empty = _check_non_negative_int("retry_empty_contacts", retry_empty_contacts)
        self._retry_empty_delay = _check_non_negative_float("retry_empty_delay", retry_empty_delay)

    def _adopt_http(
        self, http_client: HttpT | None, transport: Any, timeout: Any, http_class: type[HttpT]
    ) -> HttpT:
        """The caller's httpx client as it is, or one of our own (which close() closes)."""
        if http_client is not None and transport is not None:
            raise ConfigurationError("pass http_client or transport, not both")
        if http_client is not None and not isinstance(http_client, http_class):
            raise ConfigurationError(f"http_client must be an httpx.{http_class.__name__}")
        self._owns_http = http_client is None
        self._timeout: Any = httpx.USE_CLIENT_DEFAULT
        if http_client is None:
            return http_class(
                transport=transport, timeout=DEFAULT_TIMEOUT if timeout is None else timeout
            )
        if timeout is not None:
            self._timeout = timeout
        if _retries_by_itself(http_client):
            self._retry = None  # it retries already; retrying again would square attempts
        return http_client

    # -- configuration --------------------------------------------------------------------------

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """A client configured from GREEN_API_ID_INSTANCE, GREEN_API_TOKEN and GREEN_API_URL.

        GREEN_API_URL is optional (the flavour's default host). `options` are passed on to the
        constructor (timeout, max_retries, http_client, ...).
        """
        settings = _read_env(os.environ if environ is None else environ)
        del environ  # a frame local: tracebacks with locals would print it
        if isinstance(settings, str):
            raise ConfigurationError(settings)
        id_instance, token, api_url = settings
        # The concrete clients take str arguments (_ClientBase's own __init__ takes _Secrets).
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
        # api_url cannot hold a method path or user info (see _parse_api_url); redact() anyway.
        # getattr: a traceback with locals shows `self` of a constructor that raised half-way.
        api_url = getattr(self, "_api_url", None)
        id_instance = getattr(self, "_id_instance", None)
        return redact(f"{type(self).__name__}(api_url={api_url!r}, id_instance={id_instance})")

    # -- requests -------------------------------------------------------------------------------

    def _finish(self, operation: Operation, kwargs: dict[str, Any]) -> _Call:
        """A _Call from what a generated builder returned for the token _TOKEN_SLOT."""
        method = kwargs.pop("method")
        before_token, slot = kwargs.pop("url").rsplit("/", 1)
        if slot != _TOKEN_SLOT:  # the generated URL layout changed: the token is not last
            raise RuntimeError(f"{operation}: the token is not the URL's last path segment")
        headers = dict(kwargs.get("headers") or {})
        headers["User-Agent"] = _USER_AGENT
        headers.setdefault("Accept", "application/json")
        kwargs["headers"] = headers
        return _Call(operation, method, f"{self._api_url}{before_token}/", kwargs)

    def _contacts_call(self, count: int | None, group: bool | None) -> _Call:
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= _MAX_COUNT
        ):
            raise InvalidRequestError(
                f"count must be an integer from 1 to {_MAX_COUNT}, or None for all contacts; "
                f"got {count!r}",
                operation="getContacts",
                flavour=self._flavour.name,
            )
        if group is not None and not isinstance(group, bool):
            raise InvalidRequestError(
                f"group must be True, False or None; got {group!r}",
                operation="getContacts",
                flavour=self._flavour.name,
            )
        kwargs = self._flavour.contacts_kwargs(self._id_instance, _TOKEN_SLOT, count, group)
        return self._finish("getContacts", kwargs)

    def _info_call(self, chat_id: str) -> _Call:
        flavour = self._flavour
        if not isinstance(chat_id, str):
            raise InvalidRequestError(
                f"chat_id must be a str ({flavour.chat_id_format}); got {type(chat_id).__name__}",
                operation="getContactInfo",
                flavour=flavour.name,
            )
        try:
            msgspec.convert({"chatId": chat_id}, flavour.request_struct)
        except msgspec.ValidationError:
            problem = f"chat_id {_short_repr(chat_id)} is not {flavour.chat_id_format}"
        else:
            return self._unchecked_info_call(chat_id)
        raise InvalidRequestError(problem, operation="getContactInfo", flavour=flavour.name)

    def _unchecked_info_call(self, chat_id: str) -> _Call:
        """The request without client-side validation (tests use it to reach the API's 400)."""
        kwargs = self._flavour.info_kwargs(self._id_instance, _TOKEN_SLOT, chat_id)
        return self._finish("getContactInfo", kwargs)

    def _retry_for_call(self) -> Retry:
        assert self._retry is not None
        if isinstance(self._retry, GreenAPIRetry):
            return self._retry.for_request()
        return self._retry

    def _empty_retries(self, retry_empty: int | None) -> int:
        if retry_empty is None:
            return self._retry_empty
        if isinstance(retry_empty, bool) or not isinstance(retry_empty, int) or retry_empty < 0:
            raise InvalidRequestError(
                f"retry_empty must be an integer >= 0 or None; got {retry_empty!r}",
                operation="getContacts",
                flavour=self._flavour.name,
            )
        return retry_empty

    def _check_open(self, call: _Call) -> None:
        if self._closed or self._http_closed():
            raise self._closed_error(call)

    def _http_closed(self) -> bool:
        raise NotImplementedError

    def _closed_error(self, call: _Call) -> ClientClosedError:
        if self._closed:
            message = "the client is closed (close() was called or its with block ended)"
        else:
            message = "the http_client given to this client has been closed"
        return ClientClosedError(
            f"{message}; create a new client", operation=call.operation, flavour=self._flavour.name
        )

    def _sending_error(self, call: _Call, exc: Exception) -> GreenAPIError | None:
        """The error to raise for what sending `call` raised, or None to let `exc` propagate.

        The caller raises it outside its except block: chaining would carry the httpx exception,
        whose request (and traceback locals) hold the URL with the token.
        """
        detail = redact(str(exc)) or "no details"
        where: dict[str, Any] = {"operation": call.operation, "flavour": self._flavour.name}
        if isinstance(exc, httpx.DecodingError):  # an answer whose Content-Encoding is broken
            return ResponseValidationError(
                f"the response body could not be decoded ({type(exc).__name__}: {detail})", **where
            )
        if isinstance(exc, httpx.HTTPError):
            return TransportError(
                f"no answer from the API ({type(exc).__name__}: {detail})", **where
            )
        if isinstance(exc, RuntimeError) and self._http_closed():  # closed while we checked
            return self._closed_error(call)
        if isinstance(exc, ValueError) and _DOUBLE_RETRY_TEXT in str(exc):
            return ConfigurationError(
                "the http_client retries by itself (httpx_retries.RetryTransport) in a way this "
                "library did not detect, and httpx_retries refuses to retry on top of it: pass "
                "an http_client without RetryTransport",
                **where,
            )
        return None

    # -- responses ------------------------------------------------------------------------------

    def _decode(self, call: _Call, decoder: Callable[[bytes], T], response: httpx.Response) -> T:
        try:
            return decoder(response.content)
        except Exception as exc:  # never let a KeyError/TypeError escape as a result
            reason = redact(f"{type(exc).__name__}: {exc}")[:_MESSAGE_CHARS]
        error = ResponseValidationError(
            f"the response does not match the API description ({reason})",
            status_code=response.status_code,
            operation=call.operation,
            flavour=self._flavour.name,
            body=redact(response.content[:_BODY_CHARS].decode("utf-8", "replace")),
        )
        raise error

    def _contacts_result(self, call: _Call, response: httpx.Response) -> list[ContactT]:
        self._raise_for_status(call, response)
        contacts = self._decode(call, self._flavour.decode_contacts, response)
        logger.debug("%s (%s): %d contacts", call.operation, self._flavour.name, len(contacts))
        return contacts

    def _info_result(self, call: _Call, response: httpx.Response) -> InfoT:
        self._raise_for_status(call, response)
        return self._decode(call, self._flavour.decode_info, response)

    def _raise_for_status(self, call: _Call, response: httpx.Response) -> None:
        status = response.status_code
        if status == 200:
            return
        error = self._error_for(call, response)
        logger.debug("%s (%s): %r", call.operation, self._flavour.name, error)
        raise error

    def _error_for(self, call: _Call, response: httpx.Response) -> GreenAPIError:
        status = response.status_code
        content = response.content
        body = redact(content[:_BODY_CHARS].decode("utf-8", "replace"))
        message: str | None = None
        if content.lstrip()[:1] == b"{":
            try:
                parsed = self._flavour.decode_error(content)
            except Exception:  # not an ErrorBody after all: fall back to the text
                parsed = None
            if parsed is not None and isinstance(parsed.message, str) and parsed.message.strip():
                message = parsed.message.strip()
        if message is None:
            message = _summary(body) or response.reason_phrase or f"HTTP {status}"
        message = redact(message)
        common: dict[str, Any] = {
            "status_code": status,
            "operation": call.operation,
            "flavour": self._flavour.name,
            "body": body,
        }
        if status == 400:
            return bad_request_class(message)(message, **common)
        if status == 429:
            return RateLimitedError(
                message, retry_after=retry_after_seconds(response.headers), **common
            )
        if status == 466:
            return self._quota_error(content, message, common)
        simple: dict[int, type[APIError]] = {
            401: UnauthorizedError,
            403: ForbiddenError,
            404: NotFoundError,
        }
        if status in simple:
            return simple[status](message, **common)
        if 500 <= status <= 599:
            return ServerError(message, **common)
        return UnexpectedStatusError(message, **common)

    def _quota_error(
        self, content: bytes, fallback: str, common: dict[str, Any]
    ) -> QuotaExceededError:
        try:
            quota: QuotaBody | None = self._flavour.decode_quota(content)
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
            figures = (
                f" ({error.method}: {error.used} of {error.total} used)" if error.method else ""
            )
            error.message = redact(f"{error.description or 'quota exceeded'}{figures}")
            error.args = (error.message,)
        return error


class _SyncClient(_ClientBase[ContactT, InfoT]):
    """The blocking I/O: one httpx.Client per client, reused for every call."""

    def __init__(
        self,
        *,
        id_instance: int | str,
        api_token: str,
        api_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_time: float | None = DEFAULT_MAX_RETRY_TIME,
        retry: Retry | None = None,
        retry_empty_contacts: int = 0,
        retry_empty_delay: float = DEFAULT_RETRY_EMPTY_DELAY,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Configure a client; nothing is sent until the first call.

        - `id_instance`, `api_token`: from the console (the token is never shown by this
          library); `api_url`: the console's apiUrl (default: the flavour's default host).
        - `timeout`: seconds, or an httpx.Timeout (default 60 s, 10 s to connect).
        - `max_retries` (default 3, 0 switches retries off) and `max_retry_time` (default 60 s
          per call, retries included) configure the default GreenAPIRetry; `retry` replaces it
          with your own httpx_retries.Retry (then both are ignored).
        - `retry_empty_contacts`, `retry_empty_delay`: repeat GetContacts while it answers `[]`
          (off by default; see get_contacts).
        - `http_client` (yours to close) or `transport`: how requests travel. An http_client
          that already retries through httpx_retries.RetryTransport (as its transport or any
          mounted one) is not retried again.
        """
        # Parameters are frame locals, which tracebacks with locals print: the token (and an
        # api_url that may hold one) go into _Secret, and out of this frame, before anything raises.
        token, url = _Secret[object](api_token), _Secret[object](api_url)
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
        )
        self._http: httpx.Client = self._adopt_http(http_client, transport, timeout, httpx.Client)

    def _http_closed(self) -> bool:
        return self._http.is_closed

    def _execute(self, call: _Call) -> httpx.Response:
        self._check_open(call)
        try:
            if self._retry is None:
                return self._http.request(
                    call.method, call.url(self._token), timeout=self._timeout, **call.options
                )
            return retry_request(
                self._http,
                call.method,
                call.url(self._token),
                retry=self._retry_for_call(),
                timeout=self._timeout,
                **call.options,
            )
        except RetryAbandoned as abandoned:  # GreenAPIRetry gave up: the last answer stands
            return _last_answer(abandoned)
        except (httpx.HTTPError, RuntimeError, ValueError) as exc:
            error = self._sending_error(call, exc)
            if error is None:
                raise
        raise error  # outside the except block: no chained httpx exception (its URL has the token)

    def _contacts(
        self, count: int | None, group: bool | None, retry_empty: int | None
    ) -> list[ContactT]:
        call = self._contacts_call(count, group)
        remaining = self._empty_retries(retry_empty)
        while True:
            contacts = self._contacts_result(call, self._execute(call))
            if contacts or remaining <= 0:
                return contacts
            remaining -= 1
            if self._retry_empty_delay:
                time.sleep(self._retry_empty_delay)

    def _info(self, chat_id: str) -> InfoT:
        call = self._info_call(chat_id)
        return self._info_result(call, self._execute(call))

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


class _AsyncClient(_ClientBase[ContactT, InfoT]):
    """The asyncio I/O: one httpx.AsyncClient per client, reused for every call."""

    def __init__(
        self,
        *,
        id_instance: int | str,
        api_token: str,
        api_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_time: float | None = DEFAULT_MAX_RETRY_TIME,
        retry: Retry | None = None,
        retry_empty_contacts: int = 0,
        retry_empty_delay: float = DEFAULT_RETRY_EMPTY_DELAY,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Configure a client; the options are the blocking clients' (see _SyncClient), with
        an httpx.AsyncClient or httpx.AsyncBaseTransport."""
        # Parameters are frame locals, which tracebacks with locals print: the token (and an
        # api_url that may hold one) go into _Secret, and out of this frame, before anything raises.
        token, url = _Secret[object](api_token), _Secret[object](api_url)
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
        )
        self._http: httpx.AsyncClient = self._adopt_http(
            http_client, transport, timeout, httpx.AsyncClient
        )

    def _http_closed(self) -> bool:
        return self._http.is_closed

    async def _execute(self, call: _Call) -> httpx.Response:
        self._check_open(call)
        try:
            if self._retry is None:
                return await self._http.request(
                    call.method, call.url(self._token), timeout=self._timeout, **call.options
                )
            return await aretry_request(
                self._http,
                call.method,
                call.url(self._token),
                retry=self._retry_for_call(),
                timeout=self._timeout,
                **call.options,
            )
        except RetryAbandoned as abandoned:  # GreenAPIRetry gave up: the last answer stands
            return _last_answer(abandoned)
        except (httpx.HTTPError, RuntimeError, ValueError) as exc:
            error = self._sending_error(call, exc)
            if error is None:
                raise
        raise error  # outside the except block: no chained httpx exception (its URL has the token)

    async def _contacts(
        self, count: int | None, group: bool | None, retry_empty: int | None
    ) -> list[ContactT]:
        call = self._contacts_call(count, group)
        remaining = self._empty_retries(retry_empty)
        while True:
            contacts = self._contacts_result(call, await self._execute(call))
            if contacts or remaining <= 0:
                return contacts
            remaining -= 1
            if self._retry_empty_delay:
                await asyncio.sleep(self._retry_empty_delay)

    async def _info(self, chat_id: str) -> InfoT:
        call = self._info_call(chat_id)
        return self._info_result(call, await self._execute(call))

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


class WhatsAppClient(_SyncClient[wa.WhatsAppContact, wa.WhatsAppContactInfo | None]):
    """GetContacts and GetContactInfo of a WhatsApp instance (blocking)."""

    _flavour = _WHATSAPP

    def get_contacts(
        self, count: int | None = None, group: bool | None = None, *, retry_empty: int | None = None
    ) -> list[wa.WhatsAppContact]:
        """The account's contacts; `group=True` only group chats, `False` only personal ones.

        `count` caps the answer (all contacts when None). `[]` is a documented answer while
        contact data is still loading (up to 5 minutes after login): `retry_empty` (default: the
        client's `retry_empty_contacts`) repeats the call up to that many times,
        `retry_empty_delay` seconds apart, while the answer is empty.
        """
        return self._contacts(count, group, retry_empty)

    def get_contact_info(self, chat_id: str) -> wa.WhatsAppContactInfo | None:
        """What WhatsApp knows about `chat_id`; None for a group chat (as the API answers)."""
        return self._info(chat_id)


class TelegramClient(_SyncClient[tg.TelegramContact, tg.TelegramContactInfo]):
    """GetContacts and GetContactInfo of a Telegram instance (blocking)."""

    _flavour = _TELEGRAM

    def get_contacts(
        self, count: int | None = None, *, retry_empty: int | None = None
    ) -> list[tg.TelegramContact]:
        """The account's contacts (at most `count`; all when None).

        `retry_empty` repeats the call while the answer is `[]`, as for WhatsAppClient.
        """
        return self._contacts(count, None, retry_empty)

    def get_contact_info(self, chat_id: str) -> tg.TelegramContactInfo:
        """What Telegram knows about the user `chat_id` (group chats are refused before sending)."""
        return self._info(chat_id)


class AsyncWhatsAppClient(_AsyncClient[wa.WhatsAppContact, wa.WhatsAppContactInfo | None]):
    """GetContacts and GetContactInfo of a WhatsApp instance (asyncio)."""

    _flavour = _WHATSAPP

    async def get_contacts(
        self, count: int | None = None, group: bool | None = None, *, retry_empty: int | None = None
    ) -> list[wa.WhatsAppContact]:
        """The account's contacts; `group=True` only group chats, `False` only personal ones.

        `count` caps the answer (all contacts when None). `[]` is a documented answer while
        contact data is still loading (up to 5 minutes after login): `retry_empty` (default: the
        client's `retry_empty_contacts`) repeats the call up to that many times,
        `retry_empty_delay` seconds apart, while the answer is empty.
        """
        return await self._contacts(count, group, retry_empty)

    async def get_contact_info(self, chat_id: str) -> wa.WhatsAppContactInfo | None:
        """What WhatsApp knows about `chat_id`; None for a group chat (as the API answers)."""
        return await self._info(chat_id)


class AsyncTelegramClient(_AsyncClient[tg.TelegramContact, tg.TelegramContactInfo]):
    """GetContacts and GetContactInfo of a Telegram instance (asyncio)."""

    _flavour = _TELEGRAM

    async def get_contacts(
        self, count: int | None = None, *, retry_empty: int | None = None
    ) -> list[tg.TelegramContact]:
        """The account's contacts (at most `count`; all when None).

        `retry_empty` repeats the call while the answer is `[]`, as for WhatsAppClient.
        """
        return await self._contacts(count, None, retry_empty)

    async def get_contact_info(self, chat_id: str) -> tg.TelegramContactInfo:
        """What Telegram knows about the user `chat_id` (group chats are refused before sending)."""
        return await self._info(chat_id)
