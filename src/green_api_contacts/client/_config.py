"""Configuration of a client: option checks, from_env reading, and the `Secret` holder.

Checks return or raise `ConfigurationError` naming the option, never its value: the token (and an
api_url that may hold one pasted by mistake) is wrapped in a `Secret` before anything can raise,
and functions that see it hand back the error for the caller to raise, so that no traceback frame
holds it in a plain local (tracebacks rendered with their locals: Sentry, rich, `pytest -l`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, Generic, TypeGuard, TypeVar, cast

import httpx
from httpx_retries import Retry, RetryTransport

from green_api_contacts.client._retry import GreenAPIRetry
from green_api_contacts.errors import ConfigurationError

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_RETRY_TIME",
    "DEFAULT_RETRY_EMPTY_DELAY",
    "DEFAULT_TIMEOUT",
    "ENV_API_URL",
    "ENV_FLAVOUR",
    "ENV_ID_INSTANCE",
    "ENV_TOKEN",
    "Secret",
]

SecretT = TypeVar("SecretT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES: Final = 3
DEFAULT_MAX_RETRY_TIME: Final = 60.0
DEFAULT_RETRY_EMPTY_DELAY: Final = 5.0
# Far above a 1M-contact book (about 100 MB as JSON), far below what would exhaust a machine.
DEFAULT_MAX_RESPONSE_SIZE: Final = 256 * 1024 * 1024
ENV_API_URL: Final = "GREEN_API_URL"
ENV_FLAVOUR: Final = "GREEN_API_FLAVOUR"
ENV_ID_INSTANCE: Final = "GREEN_API_ID_INSTANCE"
ENV_TOKEN: Final = "GREEN_API_TOKEN"  # noqa: S105 - the variable's name, not a token

_MAX_ID_INSTANCE: Final = 9_999_999_999
_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
_API_URL_PROBLEM: Final = (
    "api_url must be an http:// or https:// URL such as https://api.green-api.com"
)
TIMEOUT_PROBLEM: Final = (
    "timeout must be a finite number of seconds > 0 or an httpx.Timeout "
    "(httpx.Timeout(None) for no timeout)"
)
# What a host name or IP address of an api_url may hold (httpx percent-encodes anything else).
_HOST_RE: Final = re.compile(r"[A-Za-z0-9.:-]+")
_MAX_PORT: Final = 65535


class Secret(Generic[SecretT]):
    """Holds the token so that no repr, vars() or debugger view of a client shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: SecretT) -> None:
        self._value = value

    def reveal(self) -> SecretT:
        return self._value

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__


def parse_api_url(api_url: object) -> str | ConfigurationError:
    """The normalised api_url, or the error to raise (created here, raised by the caller, so that
    the traceback holds no frame with the URL, which may contain a token, in a local)."""
    if not isinstance(api_url, str):
        return ConfigurationError(_API_URL_PROBLEM)
    text = api_url.strip()
    if any(char.isspace() or not char.isprintable() for char in text):
        return ConfigurationError(f"{_API_URL_PROBLEM}, without spaces or control characters")
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError):
        return ConfigurationError(_API_URL_PROBLEM)
    if url.scheme not in ("http", "https") or url.query or url.fragment:
        return ConfigurationError(_API_URL_PROBLEM)
    if not _HOST_RE.fullmatch(url.host):
        return ConfigurationError(f"{_API_URL_PROBLEM}: its host is empty or not a host name")
    if url.port is not None and not 1 <= url.port <= _MAX_PORT:
        return ConfigurationError(f"api_url's port must be from 1 to {_MAX_PORT}")
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


def check_api_url(api_url: Secret[object]) -> str:
    parsed = parse_api_url(api_url.reveal())
    if isinstance(parsed, ConfigurationError):
        raise parsed
    return parsed


def check_id_instance(id_instance: object) -> int:
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


def check_token(api_token: Secret[object]) -> Secret[str]:
    # Never include the value, not even in a local: it is (or was meant to be) a secret.
    if not _is_token(api_token.reveal()):
        raise ConfigurationError(
            "api_token must be 1 to 256 characters from A-Z, a-z, 0-9, '_' and '-' "
            "(GREEN-API tokens are 50 hexadecimal characters)"
        )
    return cast("Secret[str]", api_token)


def check_non_negative_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"{name} must be an integer >= 0")
    return value


def _is_seconds(value: object, *, zero: bool) -> TypeGuard[int | float]:
    """A finite number of seconds (not a bool), > 0, or >= 0 when `zero`; NaN and inf are not."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    return value >= 0 if zero else value > 0


def check_non_negative_float(name: str, value: object) -> float:
    if not _is_seconds(value, zero=True):
        raise ConfigurationError(f"{name} must be a finite number >= 0")
    return float(value)


def check_max_retry_time(value: object) -> float | None:
    if value is None:
        return None
    if not _is_seconds(value, zero=False):
        raise ConfigurationError("max_retry_time must be a finite number of seconds > 0 (or None)")
    return float(value)


def check_retry(retry: object, max_retries: object, max_retry_time: object) -> Retry:
    """The caller's `retry`, or a GreenAPIRetry from max_retries and max_retry_time."""
    total = check_non_negative_int("max_retries", max_retries)
    seconds = check_max_retry_time(max_retry_time)
    if retry is None:
        return GreenAPIRetry(total=total, max_retry_time=seconds)
    if not isinstance(retry, Retry):
        raise ConfigurationError("retry must be an httpx_retries.Retry (e.g. GreenAPIRetry)")
    return retry


def check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be an integer >= 1")
    return value


def check_timeout(value: object) -> httpx.Timeout | None:
    """`timeout` as an httpx.Timeout (None: the default), each part a finite number > 0.

    A number bounds each attempt from connect to last byte, and each of httpx's waits with it;
    an httpx.Timeout gives httpx's waits as they are, its largest part bounding each attempt.
    """
    problem = TIMEOUT_PROBLEM
    if value is None:
        return None
    if isinstance(value, httpx.Timeout):
        parts = (value.connect, value.read, value.write, value.pool)
        if not all(part is None or _is_seconds(part, zero=False) for part in parts):
            raise ConfigurationError(f"{problem}; each part of an httpx.Timeout > 0 or None")
        return value
    if not _is_seconds(value, zero=False):
        raise ConfigurationError(problem)
    return httpx.Timeout(value)


def attempt_seconds(timeout: httpx.Timeout) -> float | None:
    """How long one attempt may take, connect to last byte: the largest part of `timeout`."""
    parts = [part for part in (timeout.connect, timeout.read, timeout.write, timeout.pool) if part]
    return max(parts) if parts else None


def read_env(env: Mapping[str, str]) -> tuple[int, Secret[str], Secret[str | None]] | str:
    """from_env's settings, or what is wrong with them (raised by the caller: see parse_api_url;
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
        Secret(env[ENV_TOKEN].strip()),
        Secret(env.get(ENV_API_URL, "").strip() or None),
    )


def read_env_flavour(env: Mapping[str, str]) -> str | None:
    """GREEN_API_FLAVOUR as set (None when unset or blank); names are matched in any case."""
    return env.get(ENV_FLAVOUR, "").strip() or None


def env_flavour_problem(names: Iterable[str]) -> str:
    return f"{ENV_FLAVOUR} must be one of {', '.join(names)} (in any case), or unset"


def retries_by_itself(http: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether `http` retries through an httpx_retries.RetryTransport, as its main transport or
    any mounted one: detected the way httpx_retries' retry_request does, which refuses such a
    client (our retries on top would square the attempts)."""
    mounts: Mapping[object, object] = getattr(http, "_mounts", None) or {}
    transports = [getattr(http, "_transport", None), *mounts.values()]
    return any(isinstance(transport, RetryTransport) for transport in transports)


def adopt_http(
    http_client: HttpT | None,
    transport: Any,
    timeout: httpx.Timeout | None,
    http_class: type[HttpT],
) -> tuple[HttpT, bool, Any, float | None]:
    """(the httpx client to use, whether it is ours to close, the timeout of each request, the
    bound of each attempt in seconds).

    Ours gets the timeout (default DEFAULT_TIMEOUT) and the transport; a caller's http_client
    is used as it is, with `timeout` per request when given (else its own timeout bounds).
    """
    if http_client is not None and transport is not None:
        raise ConfigurationError("pass http_client or transport, not both")
    if http_client is None:
        effective = DEFAULT_TIMEOUT if timeout is None else timeout
        own = http_class(transport=transport, timeout=effective)
        return own, True, httpx.USE_CLIENT_DEFAULT, attempt_seconds(effective)
    if not isinstance(http_client, http_class):
        raise ConfigurationError(f"http_client must be an httpx.{http_class.__name__}")
    if timeout is None:
        return http_client, False, httpx.USE_CLIENT_DEFAULT, attempt_seconds(http_client.timeout)
    return http_client, False, timeout, attempt_seconds(timeout)
