"""The public clients: one blocking and one asyncio class per registered flavour.

The work is in `_base`, `_flow` and the drivers; what a flavour differs in is its table in
`_flavours` (built from the registry). What is left here is what mypy must see: a class name
and its result types. A flavour's classes are two one-line declarations on a shape base, which
fixes the get_contacts signature (`count`, or `count` and `group`, as the flavour's document
declares); `tests/unit/test_flavour_data.py` checks every registered flavour has both, with the
registry's result types and options.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from green_api_contacts.client._async import AsyncClient
from green_api_contacts.client._bulk import DEFAULT_CONCURRENCY
from green_api_contacts.client._flavours import client_flavour
from green_api_contacts.client._sync import SyncClient
from green_api_contacts.flavours import get_flavour
from green_api_contacts.generated import max_structs as mx
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa

if TYPE_CHECKING:
    from green_api_contacts.errors import GreenAPIError

__all__ = [
    "AnyAsyncClient",
    "AnySyncClient",
    "AsyncMaxClient",
    "AsyncTelegramClient",
    "AsyncWhatsAppClient",
    "MaxClient",
    "TelegramClient",
    "WhatsAppClient",
    "async_client_class",
    "client_class",
]

ContactT = TypeVar("ContactT")
InfoT = TypeVar("InfoT")

_CONTACTS_DOC = """The account's contacts (at most `count`; all when None).

        `[]` is a documented answer while contact data is still loading (up to 5 minutes after
        login): `retry_empty` (default: the client's `retry_empty_contacts`) repeats the call up
        to that many times, `retry_empty_delay` seconds apart, while the answer is empty.
        """
_GROUP_DOC = "`group=True` only group chats, `False` only personal ones (None: both).\n\n"
_INFO_DOC = """What the flavour knows about `chat_id`.

        The chat id is checked against the flavour's grammar before anything is sent. Flavours
        whose API answers a group chat with null return None for it (WhatsApp); the others
        refuse group chats before sending.
        """

_INFOS_DOC = """get_contact_info for each chat id, in order; a failed call's typed error in place.

        At most `concurrency` calls in flight ({how}); `rate`: at most that many starts per
        second (None: no pacing). 429s are retried as usual, and one that outlives its retries
        holds later starts back for its Retry-After. Where the flavour answers a group chat with
        null, that item is None.
        """
_SYNC_INFOS_DOC = _INFOS_DOC.format(how="threads")
_ASYNC_INFOS_DOC = _INFOS_DOC.format(how="tasks")


class _Declared:
    """`class XClient(Shape[Contact, Info], flavour="x")` binds the flavour's client table."""

    def __init_subclass__(cls, *, flavour: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if flavour is not None:
            cls._flavour = client_flavour(flavour)  # type: ignore[attr-defined]


class _SyncInfo(SyncClient[ContactT, InfoT]):
    """GetContactInfo, one chat or many, the same for every blocking shape."""

    def get_contact_info(self, chat_id: str) -> InfoT:
        return self._run(self._info_flow(chat_id))

    def get_contact_infos(
        self,
        chat_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> list[InfoT | GreenAPIError]:
        return self._infos(chat_ids, concurrency, rate)

    get_contact_info.__doc__ = _INFO_DOC
    get_contact_infos.__doc__ = _SYNC_INFOS_DOC


class _AsyncInfo(AsyncClient[ContactT, InfoT]):
    """GetContactInfo, one chat or many, the same for every asyncio shape."""

    async def get_contact_info(self, chat_id: str) -> InfoT:
        return await self._run(self._info_flow(chat_id))

    async def get_contact_infos(
        self,
        chat_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
    ) -> list[InfoT | GreenAPIError]:
        return await self._infos(chat_ids, concurrency, rate)

    get_contact_info.__doc__ = _INFO_DOC
    get_contact_infos.__doc__ = _ASYNC_INFOS_DOC


class CountSyncClient(_Declared, _SyncInfo[ContactT, InfoT]):
    """The blocking shape of a flavour whose GetContacts takes `count` only."""

    def get_contacts(
        self, count: int | None = None, *, retry_empty: int | None = None
    ) -> list[ContactT]:
        return self._run(self._contacts_flow(count, None, retry_empty))

    get_contacts.__doc__ = _CONTACTS_DOC


class GroupSyncClient(_Declared, _SyncInfo[ContactT, InfoT]):
    """The blocking shape of a flavour whose GetContacts takes `count` and `group`."""

    def get_contacts(
        self, count: int | None = None, group: bool | None = None, *, retry_empty: int | None = None
    ) -> list[ContactT]:
        return self._run(self._contacts_flow(count, group, retry_empty))

    get_contacts.__doc__ = _GROUP_DOC + _CONTACTS_DOC


class CountAsyncClient(_Declared, _AsyncInfo[ContactT, InfoT]):
    """The asyncio shape of a flavour whose GetContacts takes `count` only."""

    async def get_contacts(
        self, count: int | None = None, *, retry_empty: int | None = None
    ) -> list[ContactT]:
        return await self._run(self._contacts_flow(count, None, retry_empty))

    get_contacts.__doc__ = _CONTACTS_DOC


class GroupAsyncClient(_Declared, _AsyncInfo[ContactT, InfoT]):
    """The asyncio shape of a flavour whose GetContacts takes `count` and `group`."""

    async def get_contacts(
        self, count: int | None = None, group: bool | None = None, *, retry_empty: int | None = None
    ) -> list[ContactT]:
        return await self._run(self._contacts_flow(count, group, retry_empty))

    get_contacts.__doc__ = _GROUP_DOC + _CONTACTS_DOC


# One declaration per flavour and driver: the name, the shape, the registry's result types.


class WhatsAppClient(
    GroupSyncClient[wa.WhatsAppContact, wa.WhatsAppContactInfo | None], flavour="whatsapp"
):
    """GetContacts and GetContactInfo of a WhatsApp instance (blocking)."""


class AsyncWhatsAppClient(
    GroupAsyncClient[wa.WhatsAppContact, wa.WhatsAppContactInfo | None], flavour="whatsapp"
):
    """GetContacts and GetContactInfo of a WhatsApp instance (asyncio)."""


class TelegramClient(
    CountSyncClient[tg.TelegramContact, tg.TelegramContactInfo], flavour="telegram"
):
    """GetContacts and GetContactInfo of a Telegram instance (blocking)."""


class AsyncTelegramClient(
    CountAsyncClient[tg.TelegramContact, tg.TelegramContactInfo], flavour="telegram"
):
    """GetContacts and GetContactInfo of a Telegram instance (asyncio)."""


class MaxClient(CountSyncClient[mx.MaxContact, mx.MaxContactInfo], flavour="max"):
    """GetContacts and GetContactInfo of a MAX instance (blocking)."""


class AsyncMaxClient(CountAsyncClient[mx.MaxContact, mx.MaxContactInfo], flavour="max"):
    """GetContacts and GetContactInfo of a MAX instance (asyncio)."""


AnySyncClient: TypeAlias = CountSyncClient[Any, Any] | GroupSyncClient[Any, Any]
AnyAsyncClient: TypeAlias = CountAsyncClient[Any, Any] | GroupAsyncClient[Any, Any]


def _declared(name: str, flavour: str) -> type[Any]:
    found = globals().get(name)
    if not isinstance(found, type):
        raise LookupError(f"flavour {flavour}: declare {name} in green_api_contacts.client")
    return found


def client_class(flavour: str) -> type[AnySyncClient]:
    """The blocking class of a registered flavour (any case): `<class_prefix>Client`."""
    spec = get_flavour(flavour)
    return _declared(f"{spec.class_prefix}Client", spec.name)


def async_client_class(flavour: str) -> type[AnyAsyncClient]:
    """The asyncio class of a registered flavour (any case): `Async<class_prefix>Client`."""
    spec = get_flavour(flavour)
    return _declared(f"Async{spec.class_prefix}Client", spec.name)
