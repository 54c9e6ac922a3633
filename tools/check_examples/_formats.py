"""Format checks: Draft 2020-12's, OpenAPI's (int32, int64, ...) and three we own.

jsonschema only checks ``uri`` with an optional package we do not pin, and its ``date-time``
check depends on another optional one; these are small enough to own so the result does not
depend on what happens to be installed.
"""

from __future__ import annotations

import datetime as dt
import re

from jsonschema import Draft202012Validator, FormatChecker
from openapi_schema_validator import oas31_format_checker

_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def _is_uri_reference(instance: object) -> bool:
    return not isinstance(instance, str) or bool(_URI_CHARS.match(instance))


def _is_uri(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    return bool(_URI_SCHEME.match(instance)) and _is_uri_reference(instance)


def _is_date_time(instance: object) -> bool:
    """RFC 3339 date-time; leap second 60 is allowed as the RFC does."""
    if not isinstance(instance, str):
        return True
    match = _DATE_TIME.match(instance)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = match.group(8)
    try:
        dt.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    if hour > 23 or minute > 59 or second > 60:
        return False
    if offset not in ("Z", "z"):
        off_h, off_m = int(offset[1:3]), int(offset[4:6])
        if off_h > 23 or off_m > 59:
            return False
    return True


def _build_format_checker() -> object:
    """Draft 2020-12 format checks plus OpenAPI's (int32, int64, ...) and ours."""
    checker = FormatChecker(formats=())
    checker.checkers.update(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checkers.update(oas31_format_checker.checkers)
    checker.checks("uri")(_is_uri)
    checker.checks("uri-reference")(_is_uri_reference)
    checker.checks("date-time")(_is_date_time)
    return checker


FORMAT_CHECKER = _build_format_checker()
