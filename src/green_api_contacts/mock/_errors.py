"""The bodies GREEN-API and the proxies in front of it answer with, error by error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from starlette.responses import Response

from green_api_contacts import _redact

from ._book import dumps
from ._config import METHODS, PATH_PREFIXES

JSON_MEDIA_TYPE: Final = "application/json"

MESSAGE_VALIDATION: Final = "Validation failed"
MESSAGE_DETAILS: Final = "Validation failed. Details: "

STATE_MESSAGES: Final = {
    "starting": "instance in starting process try later",
    "notAuthorized": "instance account not authorized",
    "expired": "Instance account is expired. Renew your instance from personal area",
    "deleted": "Instance is deleted",
}

# What the nginx in front of the API sends when the upstream misbehaves.
_NGINX_PAGES: Final = {
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
    504: "504 Gateway Time-out",
}


class ApiError(Exception):
    """A documented error answer: status code plus the ``message`` of the JSON body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def timestamp() -> str:
    """RFC 3339 UTC with milliseconds, like JavaScript's ``Date.toISOString``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_response(
    body: bytes, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Already-serialized JSON; serializing once lets big GetContacts answers be cached."""
    return Response(body, status_code=status, media_type=JSON_MEDIA_TYPE, headers=headers)


def error_response(status: int, message: str, path: str) -> Response:
    """The ``{statusCode, timestamp, path, message}`` body; ``path`` keeps the token as upstream."""
    body = {"statusCode": status, "timestamp": timestamp(), "path": path, "message": message}
    return json_response(dumps(body), status)


def text_response(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    """Plain-text answers (403, 401, 404, 429) as the gateway sends them."""
    return Response(text, status_code=status, media_type="text/plain", headers=headers)


def nginx_response(status: int) -> Response:
    """The HTML error page of an nginx reverse proxy, for 502/503/504."""
    title = _NGINX_PAGES[status]
    page = (
        f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
        "<hr><center>nginx</center></body></html>"
    )
    return Response(page, status_code=status, media_type="text/html")


def forbidden() -> Response:
    return text_response(403, "Forbidden")


def unauthorized() -> Response:
    return text_response(401, "Unauthorized")


def not_found() -> Response:
    return text_response(404, "Not Found")


def too_many_requests(retry_after: int | None = None) -> Response:
    headers = None if retry_after is None else {"Retry-After": str(retry_after)}
    return text_response(429, "Too Many Requests", headers)


def quota_exceeded(method: str, total: int = 1000) -> Response:
    """466: the Developer plan's monthly quota for ``method`` is used up.

    The body's shape is documented (466 on the common-errors pages); the default ``total`` of
    1000 GetContacts calls a month is not: no published GREEN-API page found so far states it,
    hence ``MockInstance.monthly_quota``.
    """
    body = {
        "invokeStatus": {
            "method": method.lower(),
            "used": total,
            "total": total,
            "status": "QUOTE_EXCEEDED",
            "description": (
                "Monthly quota has been exceeded. Please go to your personal account and "
                "change the tariff to business https://console.green-api.com"
            ),
        },
        "correspondentsStatus": {
            "method": "correspondents",
            "used": 1,
            "total": 3,
            "status": "QUOTE_ALLOWED",
        },
    }
    return json_response(dumps(body), 466)


def redact_path(path: str) -> str:
    """The path with everything that may be a token replaced, so that it can be logged.

    The package's one redactor, by position; only a method name the mock knows survives, and
    a registered path prefix (e.g. MAX's ``/v3``) in front of the instance segment.
    """
    for prefix in PATH_PREFIXES:
        if prefix and path.startswith(prefix + "/"):
            return prefix + _redact.redact_path(path[len(prefix) :], METHODS)
    return _redact.redact_path(path, METHODS)
