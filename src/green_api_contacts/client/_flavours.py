"""The clients' flavour table, built from the flavour registry (green_api_contacts.flavours).

One `Flavour` per registered flavour, built once at import (building a decoder inspects the
whole type tree): the request builders come from the one adapter (`_calls`), the result types,
default API URL, class prefix and chat-id grammar from the registry entry. Nothing here
compares a flavour's name; the rest of the client reads a `Flavour`.

It also holds what tells the flavours apart when a client is given the wrong kind of instance:
the leading digits of idInstance seen for each flavour, the hosts named after them, and the
shape of each flavour's answers. Digits are a heuristic (GREEN-API does not publish its ranges),
so `_mismatch.py` reports a mismatch only when evidence agrees; see there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Generic, Protocol, TypeVar

import msgspec

from green_api_contacts import flavours as registry
from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.client import _calls

__all__ = [
    "CLIENT_FLAVOURS",
    "FLAVOURS",
    "ErrorBody",
    "Flavour",
    "FlavourName",
    "QuotaBody",
    "client_flavour",
]

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")

# A registered flavour's name (green_api_contacts.flavours.flavour_names()).
FlavourName = str


class ErrorBody(Protocol):
    """What the client reads of any flavour's generated `ErrorBody` Struct."""

    @property
    def message(self) -> object: ...


class QuotaBody(Protocol):
    """What the client reads of any flavour's generated `QuotaExceededBody` Struct."""

    # Any: each flavour's generated module has its own QuotaStatus class, the same shape.
    @property
    def invoke_status(self) -> Any: ...

    @property
    def correspondents_status(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class Flavour(Generic[ContactT, InfoT]):
    """What one flavour's clients differ in; one instance per registered flavour."""

    name: FlavourName
    spec: registry.Flavour
    default_api_url: str
    contacts_kwargs: _calls.ContactsBuilder
    info_kwargs: _calls.InfoBuilder
    chat_id_format: str
    decode_contacts: Callable[[bytes], list[ContactT]]
    decode_info: Callable[[bytes], InfoT]
    decode_error: Callable[[bytes], ErrorBody]
    decode_quota: Callable[[bytes], QuotaBody]
    # The public classes are named f"{driver prefix}{class_prefix}Client" (TelegramClient, ...).
    class_prefix: str
    # Leading digits of the idInstance of this flavour's instances, as seen in GREEN-API's docs
    # and SDKs; hosts `NNNN.api.green-api.com` carry the same four digits (green-api-facts.md).
    id_prefixes: tuple[str, ...]
    # Strict decoders (no unknown field, no fallback): an answer they read has this flavour's shape.
    shape_of: dict[str, Callable[[bytes], object]] = field(repr=False, compare=False)

    def is_chat_id(self, chat_id: str) -> bool:
        """Whether `chat_id` is in this flavour's grammar: the registry's full match, so
        "71234567890@c.us\n" is refused before sending (msgspec's `re.search` would take it)."""
        return self.spec.is_chat_id(chat_id)


# Leading digits of idInstance per flavour, as seen in GREEN-API's docs and SDKs (WhatsApp 1101
# and 7103, Telegram 4100, MAX 3100: green-api-facts.md and the registry's examples). Data keyed
# by name, never a branch; a flavour missing here is simply never guessed from its digits.
ID_PREFIXES: Final[Mapping[FlavourName, tuple[str, ...]]] = MappingProxyType(
    {"whatsapp": ("1101", "7103"), "telegram": ("4100",), "max": ("3100",)}
)


def _strict(kind: Any) -> Callable[[bytes], object]:
    return msgspec.json.Decoder(kind).decode


def _build(spec: registry.Flavour) -> Flavour[Any, Any]:
    structs = spec.structs()
    return Flavour(
        name=spec.name,
        spec=spec,
        default_api_url=spec.api_url,
        contacts_kwargs=_calls.contacts_builder(spec),
        info_kwargs=_calls.info_builder(spec),
        chat_id_format=spec.chat_id_description,
        decode_contacts=tolerant_decoder(list[spec.struct(spec.contact_struct)]),  # type: ignore[misc]
        decode_info=tolerant_decoder(spec.info_type()),
        decode_error=tolerant_decoder(structs.ErrorBody),
        decode_quota=tolerant_decoder(structs.QuotaExceededBody),
        class_prefix=spec.class_prefix,
        id_prefixes=ID_PREFIXES.get(spec.name, ()),
        shape_of={
            "getContacts": _strict(list[spec.struct(spec.contact_struct)]),  # type: ignore[misc]
            "getContactInfo": _strict(spec.struct(spec.info_struct)),
        },
    )


CLIENT_FLAVOURS: Final[Mapping[FlavourName, Flavour[Any, Any]]] = MappingProxyType(
    {name: _build(spec) for name, spec in registry.FLAVOURS.items()}
)
"""Every registered flavour's client table, by name, in the registry's order."""

# Every flavour, in the order lists and messages give them (the registry's).
FLAVOURS: Final[tuple[Flavour[Any, Any], ...]] = tuple(CLIENT_FLAVOURS.values())


def client_flavour(name: str) -> Flavour[Any, Any]:
    """The client table of flavour `name` (any case); a ValueError lists the known names."""
    return CLIENT_FLAVOURS[registry.get_flavour(name).name]
