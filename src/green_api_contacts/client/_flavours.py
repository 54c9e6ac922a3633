"""The flavour table: what the WhatsApp and Telegram clients differ in, as data.

One `Flavour` per flavour, built once here (building a decoder inspects the whole type tree).
This is the one place that will be replaced by the flavour registry (flavours.py): everything
else in the client reads a `Flavour` and never compares a flavour's name.

It also holds what tells the flavours apart when a client is given the wrong kind of instance:
the leading digits of idInstance seen for each flavour, the hosts named after them, and the
shape of each flavour's answers. Digits are a heuristic (GREEN-API does not publish its ranges),
so `_mismatch.py` reports a mismatch only when evidence agrees; see there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Generic, Literal, TypeVar

import msgspec
import msgspec.inspect

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
    # The public classes are named f"{driver prefix}{class_prefix}Client" (TelegramClient, ...).
    class_prefix: str
    # Leading digits of the idInstance of this flavour's instances, as seen in GREEN-API's docs
    # and SDKs; hosts `NNNN.api.green-api.com` carry the same four digits (green-api-facts.md).
    id_prefixes: tuple[str, ...]
    # Strict decoders (no unknown field, no fallback): an answer they read has this flavour's shape.
    shape_of: dict[str, Callable[[bytes], object]] = field(repr=False, compare=False)
    # The chat-id grammar, read off the generated request Struct; used with fullmatch only.
    chat_id_regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chat_id_regex", _chat_id_regex(self.request_struct))


def _chat_id_regex(request_struct: type[msgspec.Struct]) -> re.Pattern[str]:
    """The `chatId` pattern of a request Struct, compiled as ECMA-262 reads it (ASCII classes).

    msgspec checks patterns with `re.search`, where `$` also matches before a final newline; the
    clients use `fullmatch` with this regex, so "71234567890@c.us\n" is refused before sending.
    """
    info = msgspec.inspect.type_info(request_struct)
    assert isinstance(info, msgspec.inspect.StructType)
    for item in info.fields:
        kind = item.type.type if isinstance(item.type, msgspec.inspect.Metadata) else item.type
        if item.encode_name == "chatId" and isinstance(kind, msgspec.inspect.StrType):
            return re.compile(kind.pattern or ".*", re.ASCII)
    raise RuntimeError(f"{request_struct.__name__} has no chatId string field")


def _strict(kind: Any) -> Callable[[bytes], object]:
    return msgspec.json.Decoder(kind).decode


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
    class_prefix="WhatsApp",
    id_prefixes=("1101", "7103"),
    shape_of={
        "getContacts": _strict(list[wa.WhatsAppContact]),
        "getContactInfo": _strict(wa.WhatsAppContactInfo),
    },
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
    class_prefix="Telegram",
    id_prefixes=("4100",),
    shape_of={
        "getContacts": _strict(list[tg.TelegramContact]),
        "getContactInfo": _strict(tg.TelegramContactInfo),
    },
)
# Every flavour, in the order lists and messages give them.
FLAVOURS: Final[tuple[Flavour[Any, Any], ...]] = (WHATSAPP, TELEGRAM)
