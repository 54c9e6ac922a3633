"""A client given another flavour's instance: which flavour it is, and the client to use.

Three kinds of evidence, all data of the flavour table (`_flavours.py`): the leading digits of
idInstance, a host `NNNN.api.green-api.com` named after them, and an answer's shape. Digits are
a heuristic, so a mismatch is reported only when evidence agrees:

- at construction, when idInstance and api_url's host both belong to one other flavour;
- on an answer that this flavour's description cannot read, when another flavour's reads it
  strictly (no unknown field) with some content, or tolerantly when idInstance or the host
  already pointed to that flavour.

Anything less raises what it would have raised anyway (ResponseValidationError, an API error).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import httpx
import msgspec

from green_api_contacts.client._flavours import FLAVOURS, Flavour
from green_api_contacts.errors import FlavourMismatchError, ResponseValidationError

if TYPE_CHECKING:
    from green_api_contacts.client._calls import Call

T = TypeVar("T")

__all__ = [
    "at_construction",
    "by_name",
    "checked",
    "client_name",
    "env_error",
    "in_answer",
    "read",
    "suspected",
]

# GREEN-API's hosts named after an instance's first four digits (both spellings of the domain).
_HOST_RE: Final = re.compile(r"([0-9]{4})\.api\.green-?api\.com", re.ASCII | re.IGNORECASE)
_ID_DIGITS: Final = 10  # the ranges are of 10-digit ids


def by_name(name: str) -> Flavour[Any, Any] | None:
    """The flavour called `name`, in any case and with spaces around; None if none is."""
    wanted = name.strip().lower()
    return next((flavour for flavour in FLAVOURS if flavour.name == wanted), None)


def client_name(flavour: Flavour[Any, Any], driver_prefix: str) -> str:
    """The public class of `flavour` for a driver ("" blocking, "Async" asyncio)."""
    return f"{driver_prefix}{flavour.class_prefix}Client"


def _owner(digits: str) -> Flavour[Any, Any] | None:
    owners = [flavour for flavour in FLAVOURS if digits.startswith(flavour.id_prefixes)]
    return owners[0] if len(owners) == 1 else None


def by_id(id_instance: int) -> Flavour[Any, Any] | None:
    digits = str(id_instance)
    return _owner(digits) if len(digits) == _ID_DIGITS else None


def by_host(api_url: str) -> Flavour[Any, Any] | None:
    named = _HOST_RE.fullmatch(httpx.URL(api_url).host)
    return None if named is None else _owner(named.group(1))


def _error(
    flavour: Flavour[Any, Any], other: Flavour[Any, Any], driver_prefix: str, why: str, **where: Any
) -> FlavourMismatchError:
    right = client_name(other, driver_prefix)
    return FlavourMismatchError(
        f"this looks like a {other.class_prefix} instance ({why}), not a "
        f"{flavour.class_prefix} one: use {right}",
        right_client=right,
        detected_flavour=other.name,
        flavour=flavour.name,
        **where,
    )


def at_construction(
    flavour: Flavour[Any, Any], id_instance: int, api_url: str, driver_prefix: str
) -> FlavourMismatchError | None:
    """The error when idInstance and the host agree on another flavour, else None."""
    other = by_id(id_instance)
    if other is None or other is flavour or by_host(api_url) is not other:
        return None
    why = f"idInstance {str(id_instance)[:4]}... on host {httpx.URL(api_url).host}"
    return _error(flavour, other, driver_prefix, why)


def env_error(
    flavour: Flavour[Any, Any], wanted: Flavour[Any, Any], driver_prefix: str
) -> FlavourMismatchError:
    """from_env of one flavour's client under GREEN_API_FLAVOUR naming another."""
    right = client_name(wanted, driver_prefix)
    return FlavourMismatchError(
        f"GREEN_API_FLAVOUR is {wanted.name}: use {right}.from_env(), or "
        f"green_api_contacts.client_from_env() for the client GREEN_API_FLAVOUR names",
        right_client=right,
        detected_flavour=wanted.name,
        flavour=flavour.name,
    )


def checked(
    flavour: Flavour[Any, Any], id_instance: int, api_url: str, driver_prefix: str
) -> Flavour[Any, Any] | None:
    """At construction: FlavourMismatchError when idInstance and host agree on another flavour;
    else the flavour either alone points to (None if none), for reading answers."""
    error = at_construction(flavour, id_instance, api_url, driver_prefix)
    if error is not None:
        raise error
    return suspected(flavour, id_instance, api_url)


class Reading(Protocol):
    """What `read` needs of a client (ClientBase)."""

    @property
    def _flavour(self) -> Flavour[Any, Any]: ...
    @property
    def _suspect(self) -> Flavour[Any, Any] | None: ...
    @property
    def _driver_prefix(self) -> str: ...


def read(
    client: Reading,
    reader: Callable[[Flavour[Any, Any], Call, httpx.Response], T],
    call: Call,
    response: httpx.Response,
) -> T:
    """`reader`'s result for `client`; FlavourMismatchError instead of the
    ResponseValidationError of an answer another flavour's description reads (see in_answer)."""
    try:
        return reader(client._flavour, call, response)
    except ResponseValidationError as exc:
        error = in_answer(
            client._flavour, exc, response.content, client._suspect, client._driver_prefix
        )
        if error is None:
            raise
    raise error


def suspected(
    flavour: Flavour[Any, Any], id_instance: int, api_url: str
) -> Flavour[Any, Any] | None:
    """Another flavour that idInstance or the host alone points to (weak evidence)."""
    for other in (by_id(id_instance), by_host(api_url)):
        if other is not None and other is not flavour:
            return other
    return None


def _has_content(value: object) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, msgspec.Struct):
        return any(getattr(value, name) is not msgspec.UNSET for name in value.__struct_fields__)
    return False


def _reads(other: Flavour[Any, Any], operation: str, content: bytes, tolerant: bool) -> bool:
    readers = [other.shape_of[operation]]
    if tolerant:
        readers.append(other.decode_contacts if operation == "getContacts" else other.decode_info)
    for read in readers:
        try:
            if _has_content(read(content)):
                return True
        except Exception:  # noqa: S112 - not this reader's shape; try the next
            continue
    return False


def in_answer(
    flavour: Flavour[Any, Any],
    error: ResponseValidationError,
    content: bytes,
    suspect: Flavour[Any, Any] | None,
    driver_prefix: str,
) -> FlavourMismatchError | None:
    """The error when an answer `flavour` could not read is another flavour's, else None."""
    operation = error.operation or ""
    for other in FLAVOURS:
        if other is flavour or operation not in other.shape_of:
            continue
        if _reads(other, operation, content, tolerant=other is suspect):
            why = f"its {operation} answer has the {other.class_prefix} shape"
            return _error(
                flavour,
                other,
                driver_prefix,
                why,
                status_code=error.status_code,
                operation=error.operation,
                body=error.body,
            )
    return None
