"""The four public clients: WhatsApp and Telegram, blocking and asyncio.

Each is its flavour's `Flavour` (data) on a driver (`SyncClient` or `AsyncClient`), with the
flavour's method signatures and types; the work is in `_base`, `_flow` and the drivers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from green_api_contacts.client._async import AsyncClient
from green_api_contacts.client._bulk import DEFAULT_CONCURRENCY
from green_api_contacts.client._flavours import TELEGRAM, WHATSAPP
from green_api_contacts.client._sync import SyncClient
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa

if TYPE_CHECKING:
    from green_api_contacts.errors import GreenAPIError

__all__ = ["AsyncTelegramClient", "AsyncWhatsAppClient", "TelegramClient", "WhatsAppClient"]


class WhatsAppClient(SyncClient[wa.WhatsAppContact, wa.WhatsAppContactInfo | None]):
    """GetContacts and GetContactInfo of a WhatsApp instance (blocking)."""

    _flavour = WHATSAPP

    def get_contacts(
        self, count: int | None = None, group: bool | None = None, *, retry_empty: int | None = None
    ) -> list[wa.WhatsAppContact]:
        """The account's contacts; `group=True` only group chats, `False` only personal ones.

        `count` caps the answer (all contacts when None). `[]` is a documented answer while
        contact data is still loading (up to 5 minutes after login): `retry_empty` (default: the
        client's `retry_empty_contacts`) repeats the call up to that many times,
        `retry_empty_delay` seconds apart, while the answer is empty.
        """
        return self._run(self._contacts_flow(count, group, retry_empty))

    def get_contact_info(self, chat_id: str) -> wa.WhatsAppContactInfo | None:
        """What WhatsApp knows about `chat_id`; None for a group chat (as the API answers)."""
        return self._run(self._info_flow(chat_id))

    def get_contact_infos(
        self,
        chat_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> list[wa.WhatsAppContactInfo | GreenAPIError | None]:
        """get_contact_info for each chat id, in order; a failed call's typed error in its place.

        At most `concurrency` calls in flight (threads); `rate`: at most that many starts per
        second (None: no pacing). 429s are retried as usual, and one that outlives its retries
        holds later starts back for its Retry-After. A group chat's item is None.
        """
        return self._infos(chat_ids, concurrency, rate)


class TelegramClient(SyncClient[tg.TelegramContact, tg.TelegramContactInfo]):
    """GetContacts and GetContactInfo of a Telegram instance (blocking)."""

    _flavour = TELEGRAM

    def get_contacts(
        self, count: int | None = None, *, retry_empty: int | None = None
    ) -> list[tg.TelegramContact]:
        """The account's contacts (at most `count`; all when None).

        `retry_empty` repeats the call while the answer is `[]`, as for WhatsAppClient.
        """
        return self._run(self._contacts_flow(count, None, retry_empty))

    def get_contact_info(self, chat_id: str) -> tg.TelegramContactInfo:
        """What Telegram knows about the user `chat_id` (group chats are refused before sending)."""
        return self._run(self._info_flow(chat_id))

    def get_contact_infos(
        self,
        chat_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> list[tg.TelegramContactInfo | GreenAPIError]:
        """get_contact_info for each chat id, in order; a failed call's typed error in its place.

        At most `concurrency` calls in flight (threads); `rate`: at most that many starts per
        second (None: no pacing). 429s are retried as usual, and one that outlives its retries
        holds later starts back for its Retry-After.
        """
        return self._infos(chat_ids, concurrency, rate)


class AsyncWhatsAppClient(AsyncClient[wa.WhatsAppContact, wa.WhatsAppContactInfo | None]):
    """GetContacts and GetContactInfo of a WhatsApp instance (asyncio)."""

    _flavour = WHATSAPP

    async def get_contacts(
        self, count: int | None = None, group: bool | None = None, *, retry_empty: int | None = None
    ) -> list[wa.WhatsAppContact]:
        """The account's contacts; `group=True` only group chats, `False` only personal ones.

        `count` caps the answer (all contacts when None). `[]` is a documented answer while
        contact data is still loading (up to 5 minutes after login): `retry_empty` (default: the
        client's `retry_empty_contacts`) repeats the call up to that many times,
        `retry_empty_delay` seconds apart, while the answer is empty.
        """
        return await self._run(self._contacts_flow(count, group, retry_empty))

    async def get_contact_info(self, chat_id: str) -> wa.WhatsAppContactInfo | None:
        """What WhatsApp knows about `chat_id`; None for a group chat (as the API answers)."""
        return await self._run(self._info_flow(chat_id))

    async def get_contact_infos(
        self,
        chat_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> list[wa.WhatsAppContactInfo | GreenAPIError | None]:
        """get_contact_info for each chat id, in order; a failed call's typed error in its place.

        At most `concurrency` calls in flight; `rate`: at most that many starts per
        second (None: no pacing). 429s are retried as usual, and one that outlives its retries
        holds later starts back for its Retry-After. A group chat's item is None.
        """
        return await self._infos(chat_ids, concurrency, rate)


class AsyncTelegramClient(AsyncClient[tg.TelegramContact, tg.TelegramContactInfo]):
    """GetContacts and GetContactInfo of a Telegram instance (asyncio)."""

    _flavour = TELEGRAM

    async def get_contacts(
        self, count: int | None = None, *, retry_empty: int | None = None
    ) -> list[tg.TelegramContact]:
        """The account's contacts (at most `count`; all when None).

        `retry_empty` repeats the call while the answer is `[]`, as for WhatsAppClient.
        """
        return await self._run(self._contacts_flow(count, None, retry_empty))

    async def get_contact_info(self, chat_id: str) -> tg.TelegramContactInfo:
        """What Telegram knows about the user `chat_id` (group chats are refused before sending)."""
        return await self._run(self._info_flow(chat_id))

    async def get_contact_infos(
        self,
        chat_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> list[tg.TelegramContactInfo | GreenAPIError]:
        """get_contact_info for each chat id, in order; a failed call's typed error in its place.

        At most `concurrency` calls in flight; `rate`: at most that many starts per
        second (None: no pacing). 429s are retried as usual, and one that outlives its retries
        holds later starts back for its Retry-After.
        """
        return await self._infos(chat_ids, concurrency, rate)
