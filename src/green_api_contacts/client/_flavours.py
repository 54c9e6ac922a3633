"""The flavour table: what the WhatsApp and Telegram clients differ in, as data.

One `Flavour` per flavour, built once here (building a decoder inspects the whole type tree).
This is the one place that will be replaced by the flavour registry (flavours.py): everything
else in the client reads a `Flavour` and never compares a flavour's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Generic, Literal, TypeVar

import msgspec

from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.client import _calls
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")

FlavourName = Literal["whatsapp", "telegram"]
ErrorBody = wa.ErrorBody | tg.ErrorBody
QuotaBody = wa.QuotaExceededBody | tg.QuotaExceededBody


@dataclass(frozen=True, slots=True)
class Flavour(Generic[ContactT, InfoT]):
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


WHATSAPP: Final[Flavour[wa.WhatsAppContact, wa.WhatsAppContactInfo | None]] = Flavour(
    name="whatsapp",
    default_api_url="https://api.green-api.com",
    contacts_kwargs=_calls.whatsapp_contacts,
    info_kwargs=_calls.whatsapp_info,
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
TELEGRAM: Final[Flavour[tg.TelegramContact, tg.TelegramContactInfo]] = Flavour(
    name="telegram",
    default_api_url="https://4100.api.green-api.com",
    contacts_kwargs=_calls.telegram_contacts,
    info_kwargs=_calls.telegram_info,
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
