"""The result types of the clients: the generated msgspec Structs, re-exported.

Fields the API did not send are `msgspec.UNSET` (test with `is UNSET`, or `UnsetType` in
annotations); fields it sent that this version does not know are in `.extra`; contact types
other than "user" and "group" stay plain strings.
"""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from green_api_contacts.generated.max_structs import MaxContact, MaxContactInfo
from green_api_contacts.generated.max_structs import QuotaStatus as MaxQuotaStatus
from green_api_contacts.generated.telegram_structs import (
    QuotaStatus as TelegramQuotaStatus,
)
from green_api_contacts.generated.telegram_structs import (
    TelegramContact,
    TelegramContactInfo,
)
from green_api_contacts.generated.whatsapp_structs import (
    QuotaStatus as WhatsAppQuotaStatus,
)
from green_api_contacts.generated.whatsapp_structs import (
    WhatsAppContact,
    WhatsAppContactInfo,
    WhatsAppProduct,
    WhatsAppProductImageUrls,
    WhatsAppProductReviewStatus,
)

__all__ = [
    "UNSET",
    "MaxContact",
    "MaxContactInfo",
    "MaxQuotaStatus",
    "TelegramContact",
    "TelegramContactInfo",
    "TelegramQuotaStatus",
    "UnsetType",
    "WhatsAppContact",
    "WhatsAppContactInfo",
    "WhatsAppProduct",
    "WhatsAppProductImageUrls",
    "WhatsAppProductReviewStatus",
    "WhatsAppQuotaStatus",
]
