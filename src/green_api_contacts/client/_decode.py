"""From a 200 answer to the typed result: one msgspec decode into the generated Structs.

A body that cannot be read as the flavour's type raises ResponseValidationError naming the
operation; nothing else escapes (never a KeyError, a raw dict or a None where a model is due).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from green_api_contacts._redact import redact
from green_api_contacts.client._errors_map import BODY_CHARS, MESSAGE_CHARS, raise_for_status
from green_api_contacts.errors import ResponseValidationError

if TYPE_CHECKING:
    from green_api_contacts.client._calls import Call
    from green_api_contacts.client._flavours import Flavour

logger = logging.getLogger("green_api_contacts.client")

T = TypeVar("T")
ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")


def decode(
    flavour: Flavour[Any, Any], call: Call, decoder: Callable[[bytes], T], response: httpx.Response
) -> T:
    """`decoder` applied to the body, or ResponseValidationError with the (redacted) body."""
    try:
        return decoder(response.content)
    except Exception as exc:  # never let a KeyError/TypeError escape as a result
        reason = redact(f"{type(exc).__name__}: {exc}")[:MESSAGE_CHARS]
    error = ResponseValidationError(
        f"the response does not match the API description ({reason})",
        status_code=response.status_code,
        operation=call.operation,
        flavour=flavour.name,
        body=redact(response.content[:BODY_CHARS].decode("utf-8", "replace")),
    )
    raise error


def contacts_result(
    flavour: Flavour[ContactT, Any], call: Call, response: httpx.Response
) -> list[ContactT]:
    """GetContacts' answer as the flavour's contacts, or its typed error."""
    raise_for_status(flavour, call, response)
    contacts = decode(flavour, call, flavour.decode_contacts, response)
    logger.debug("%s (%s): %d contacts", call.operation, flavour.name, len(contacts))
    return contacts


def info_result(flavour: Flavour[Any, InfoT], call: Call, response: httpx.Response) -> InfoT:
    """GetContactInfo's answer as the flavour's contact info, or its typed error."""
    raise_for_status(flavour, call, response)
    return decode(flavour, call, flavour.decode_info, response)
