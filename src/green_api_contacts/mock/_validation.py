"""Request validation with the messages each flavour's backend uses.

The registry says which backend family a flavour has (`validation`): ``joi`` validates like
Node.js's Joi (first error wins, declared keys before unknown ones; the WhatsApp backend);
``go`` answers a plain "Validation failed" and panics on a non-string ``chatId`` with a 500
whose message names Go's dynamic type (Telegram's page). Chat ids and group chats are checked
against the registry's full-match grammars; which options GetContacts takes is the flavour
document's.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Protocol

from green_api_contacts.flavours import Flavour as FlavourSpec

from ._errors import MESSAGE_DETAILS, MESSAGE_VALIDATION, ApiError
from ._jsonerror import JSONSyntaxError, parse_json

_INTEGER_RE: Final = re.compile(r"[+-]?[0-9]+")
# Longer digit strings are "huge" for our purposes; it also keeps int() far from its digit limit.
_MAX_INT_DIGITS: Final = 18

_CONTACTS: Final = "getContacts"

# Joi's chatId rule message, as the WhatsApp backend words it.
JOI_CHAT_ID_FORMAT: Final = (
    MESSAGE_DETAILS
    + "'chatId' must be one of the next formats: 'phone_number@c.us' or 'group_id@g.us'"
)
# Returned when a valid body nests deeper than Python's parser can follow.
BAD_REQUEST_DATA: Final = "bad request data"


def _details(text: str) -> ApiError:
    return ApiError(400, MESSAGE_DETAILS + text)


def _parse_count(values: list[str]) -> int:
    if len(values) != 1:  # a repeated parameter arrives as an array upstream
        raise _details("'count' must be a number")
    text = values[0].strip()
    if not text.isascii() or "_" in text:
        raise _details("'count' must be a number")
    if _INTEGER_RE.fullmatch(text):
        digits = text.lstrip("+-")
        negative = text.startswith("-")
        if len(digits) > _MAX_INT_DIGITS:
            value = -sys.maxsize if negative else sys.maxsize
        else:
            value = int(text)
    else:
        try:
            number = float(text)
        except ValueError:
            raise _details("'count' must be a number") from None
        if not math.isfinite(number):
            raise _details("'count' must be a number")
        if not number.is_integer():
            raise _details("'count' must be an integer")
        value = int(number)
    if value < 1:
        raise _details("'count' must be greater than or equal to 1")
    return value


def _parse_group(values: list[str]) -> bool:
    if len(values) == 1 and values[0].lower() in ("true", "false"):
        return values[0].lower() == "true"
    raise _details("'group' must be a boolean")


def parse_contacts_query(
    spec: FlavourSpec, params: list[tuple[str, str]]
) -> tuple[int | None, bool | None]:
    """The GetContacts options the flavour's document declares; other parameters are ignored."""
    count = group = None
    if spec.has_option(_CONTACTS, "count"):
        counts = [value for key, value in params if key == "count"]
        count = _parse_count(counts) if counts else None
    if spec.has_option(_CONTACTS, "group"):
        groups = [value for key, value in params if key == "group"]
        group = _parse_group(groups) if groups else None
    return count, group


def go_type_name(value: object) -> str:
    """The dynamic type Go's encoding/json gives a decoded value inside ``interface {}``."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "string"


class ValidationStyle(Protocol):
    """How a backend family words a refused GetContactInfo body (the registry's `validation`)."""

    def required(self) -> ApiError:
        """No body, not an object, or no ``chatId``."""

    def not_string(self, value: object) -> ApiError:
        """``chatId`` is there but not a string."""

    def empty(self) -> ApiError:
        """``chatId`` is the empty string."""

    def bad_format(self) -> ApiError:
        """``chatId`` matches neither the flavour's chat-id nor its group-chat grammar."""

    def unknown_key(self, key: str) -> ApiError:
        """A key the method does not take (the request schema forbids it)."""


class JoiStyle:
    """Node.js Joi, as the WhatsApp backend uses it: one "Details: ..." text per rule."""

    def required(self) -> ApiError:
        return _details("'chatId' is required")

    def not_string(self, value: object) -> ApiError:
        return _details("'chatId' must be a string")

    def empty(self) -> ApiError:
        return _details("'chatId' is not allowed to be empty")

    def bad_format(self) -> ApiError:
        return ApiError(400, JOI_CHAT_ID_FORMAT)

    def unknown_key(self, key: str) -> ApiError:
        return _details(f"'{key}' is not allowed")


class GoStyle:
    """The Go backend (Telegram's page documents it): one plain text, and a panic (500) when
    ``chatId`` is not a string, naming Go's dynamic type."""

    def required(self) -> ApiError:
        return ApiError(400, MESSAGE_VALIDATION)

    def not_string(self, value: object) -> ApiError:
        type_name = go_type_name(value)
        return ApiError(500, f"interface conversion: interface {{}} is {type_name}, not string")

    def empty(self) -> ApiError:
        return ApiError(400, MESSAGE_VALIDATION)

    def bad_format(self) -> ApiError:
        return ApiError(400, MESSAGE_VALIDATION)

    def unknown_key(self, key: str) -> ApiError:
        return ApiError(400, MESSAGE_VALIDATION)


# One entry per style the registry may declare (flavours.VALIDATION_STYLES).
STYLES: Final[Mapping[str, ValidationStyle]] = MappingProxyType(
    {"joi": JoiStyle(), "go": GoStyle()}
)


def parse_info_body(spec: FlavourSpec, raw: bytes) -> str:
    """Validate a GetContactInfo body and return its ``chatId``; raises :class:`ApiError`.

    A group chat the flavour refuses raises its registry status and message; one it answers
    (200 and null) is returned like any other chat id.
    """
    style = STYLES[spec.validation]
    # Like body-parser: invalid UTF-8 becomes U+FFFD instead of failing the request.
    text = raw.decode("utf-8", errors="replace")
    if not text.strip(" \t\n\r"):
        raise style.required()
    try:
        body = parse_json(text)
    except JSONSyntaxError as exc:
        raise ApiError(400, str(exc)) from None
    except RecursionError:
        raise ApiError(400, BAD_REQUEST_DATA) from None
    if not isinstance(body, dict) or "chatId" not in body:
        raise style.required()
    chat_id = body["chatId"]
    if not isinstance(chat_id, str):
        raise style.not_string(chat_id)
    if not chat_id:
        raise style.empty()
    group = spec.is_group_chat(chat_id)
    if group and not spec.group_info_is_null:
        raise ApiError(spec.group_info_status, spec.group_info_message or MESSAGE_VALIDATION)
    if not group and not spec.is_chat_id(chat_id):
        raise style.bad_format()
    for key in body:
        if key != "chatId":
            raise style.unknown_key(key)
    return chat_id
