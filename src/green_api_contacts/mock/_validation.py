"""Request validation with the messages each flavour's backend uses.

The WhatsApp backend validates like Node.js's Joi (first error wins, declared keys before unknown
ones); the Telegram backend is written in Go and panics on a non-string ``chatId`` with a 500
whose message names Go's dynamic type.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Final

from ._config import Flavour
from ._errors import MESSAGE_DETAILS, MESSAGE_VALIDATION, ApiError
from ._jsonerror import JSONSyntaxError, parse_json

_INTEGER_RE: Final = re.compile(r"[+-]?[0-9]+")
# Longer digit strings are "huge" for our purposes; it also keeps int() far from its digit limit.
_MAX_INT_DIGITS: Final = 18

_WA_USER_RE: Final = re.compile(r"[0-9]{1,20}@c\.us")
_WA_GROUP_RE: Final = re.compile(r"[0-9]{1,20}(?:-[0-9]{1,20})?@g\.us")
_TG_CHAT_RE: Final = re.compile(r"-?[0-9]{1,20}")

WA_CHAT_ID_FORMAT: Final = (
    MESSAGE_DETAILS
    + "'chatId' must be one of the next formats: 'phone_number@c.us' or 'group_id@g.us'"
)
TG_GROUP_UNSUPPORTED: Final = (
    MESSAGE_DETAILS
    + "The method GetContactInfo does not support group chats, to work with groups, "
    "use the GetGroupData method"
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
    flavour: Flavour, params: list[tuple[str, str]]
) -> tuple[int | None, bool | None]:
    """``count`` (both flavours) and ``group`` (WhatsApp only); other parameters are ignored."""
    counts = [value for key, value in params if key == "count"]
    groups = [value for key, value in params if key == "group"]
    count = _parse_count(counts) if counts else None
    group = _parse_group(groups) if groups and flavour == "whatsapp" else None
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


def parse_info_body(flavour: Flavour, raw: bytes) -> str:
    """Validate a GetContactInfo body and return its ``chatId``; raises :class:`ApiError`."""
    telegram = flavour == "telegram"
    required = ApiError(400, MESSAGE_VALIDATION) if telegram else _details("'chatId' is required")
    # Like body-parser: invalid UTF-8 becomes U+FFFD instead of failing the request.
    text = raw.decode("utf-8", errors="replace")
    if not text.strip(" \t\n\r"):
        raise required
    try:
        body = parse_json(text)
    except JSONSyntaxError as exc:
        raise ApiError(400, str(exc)) from None
    except RecursionError:
        raise ApiError(400, BAD_REQUEST_DATA) from None
    if not isinstance(body, dict) or "chatId" not in body:
        raise required
    chat_id = body["chatId"]
    if not isinstance(chat_id, str):
        if telegram:
            type_name = go_type_name(chat_id)
            raise ApiError(500, f"interface conversion: interface {{}} is {type_name}, not string")
        raise _details("'chatId' must be a string")
    if not chat_id:
        # Telegram's page documents one text for an empty body or a wrong chatId; the
        # "Details: ..." wording is the WhatsApp backend's.
        raise (
            ApiError(400, MESSAGE_VALIDATION)
            if telegram
            else _details("'chatId' is not allowed to be empty")
        )
    if telegram:
        if _TG_CHAT_RE.fullmatch(chat_id) is None:
            raise ApiError(400, MESSAGE_VALIDATION)
        if chat_id.startswith("-"):
            raise ApiError(400, TG_GROUP_UNSUPPORTED)
    elif _WA_USER_RE.fullmatch(chat_id) is None and _WA_GROUP_RE.fullmatch(chat_id) is None:
        raise ApiError(400, WA_CHAT_ID_FORMAT)
    for key in body:
        if key != "chatId":
            # A key the method does not take is refused (the request schema forbids it); on
            # Telegram with the plain text its page documents.
            raise (
                ApiError(400, MESSAGE_VALIDATION)
                if telegram
                else _details(f"'{key}' is not allowed")
            )
    return chat_id


def is_whatsapp_group(chat_id: str) -> bool:
    return chat_id.endswith("@g.us")
