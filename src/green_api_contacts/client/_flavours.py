"""The clients' flavour table, built from the flavour registry (green_api_contacts.flavours).

One `Flavour` per registered flavour, built once at import (building a decoder inspects the
whole type tree): the request builders come from the one adapter (`_calls`), the result types,
default API URL and chat-id grammar from the registry entry. Nothing here names a flavour; the
rest of the client reads a `Flavour` and never compares a flavour's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Generic, Protocol, TypeVar

from green_api_contacts import flavours as registry
from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.client import _calls

__all__ = ["CLIENT_FLAVOURS", "ErrorBody", "Flavour", "FlavourName", "QuotaBody", "client_flavour"]

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
    )


CLIENT_FLAVOURS: Final[Mapping[FlavourName, Flavour[Any, Any]]] = MappingProxyType(
    {name: _build(spec) for name, spec in registry.FLAVOURS.items()}
)
"""Every registered flavour's client table, by name, in the registry's order."""


def client_flavour(name: str) -> Flavour[Any, Any]:
    """The client table of flavour `name` (any case); a ValueError lists the known names."""
    return CLIENT_FLAVOURS[registry.get_flavour(name).name]
