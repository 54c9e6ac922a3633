"""What user code looks like: every public method, sync and async, both flavours, every error.

tests/unit/test_typing_sample.py type-checks this file with ``mypy --strict`` (assert_type pins
the exact result types) and runs the functions below against the mock.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import assert_type

import httpx

from green_api_contacts import (
    UNSET,
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    BadRequestError,
    ConfigurationError,
    ForbiddenError,
    GreenAPIError,
    GreenAPIRetry,
    InstanceNotAuthorizedError,
    InstanceStartingError,
    InvalidRequestError,
    QuotaExceededError,
    RateLimitedError,
    ResponseValidationError,
    ServerError,
    TelegramClient,
    TelegramContact,
    TelegramContactInfo,
    TransportError,
    UnauthorizedError,
    ValidationFailedError,
    WhatsAppClient,
    WhatsAppContact,
    WhatsAppContactInfo,
    redact,
)

log = logging.getLogger("user_code")


def describe(contact: WhatsAppContact | TelegramContact) -> str:
    name = contact.name or "(no name)"  # absent reads as "" (README, Fields and absent values)
    if isinstance(contact, WhatsAppContact):
        return f"{contact.id} {name} {contact.type or 'user'}"
    return f"{contact.chat_id} {name} +{contact.phone_number}"


def names(contacts: list[WhatsAppContact] | list[TelegramContact]) -> list[str]:
    """The natural comprehension (issue 13): every name is a str, "" when not sent."""
    found: list[str] = [c.name for c in contacts]
    return found


def muted_until(info: WhatsAppContactInfo) -> str:
    """UNSET stays where absent and null differ: null is "not muted", absent "not reported"."""
    if info.mute_expiration is UNSET:
        return "not reported"
    return "not muted" if info.mute_expiration is None else str(info.mute_expiration)


def whatsapp_report(client: WhatsAppClient, chat_id: str, group_id: str) -> list[str]:
    contacts = client.get_contacts()
    assert_type(contacts, list[WhatsAppContact])
    people = client.get_contacts(count=5, group=False)
    groups = client.get_contacts(group=True, retry_empty=0)
    lines = [describe(contact) for contact in contacts[:3]]
    lines.append(f"{len(people)} people, {len(groups)} groups")
    info = client.get_contact_info(chat_id)
    assert_type(info, WhatsAppContactInfo | None)
    if info is not None:
        lines.append(f"{info.chat_id}: business={info.is_business}, products={len(info.products)}")
        lines.append(f"muted: {muted_until(info)}, names: {names(contacts)[:1]}")
        lines.append(f"unknown fields: {sorted(info.extra)}")
    if client.get_contact_info(group_id) is None:
        lines.append("groups have no contact info")
    return lines


def telegram_report(client: TelegramClient, chat_id: str) -> list[str]:
    contacts = client.get_contacts(count=3)
    assert_type(contacts, list[TelegramContact])
    info = client.get_contact_info(chat_id)
    assert_type(info, TelegramContactInfo)
    return [describe(contact) for contact in contacts] + [f"{info.chat_id} seen {info.last_seen}"]


def explain(error: GreenAPIError) -> str:
    """The hierarchy, most specific first, as an application would branch on it."""
    try:
        raise error
    except InvalidRequestError as exc:
        return f"fix the input: {exc}"
    except ConfigurationError as exc:
        return f"fix the configuration: {exc}"
    except InstanceStartingError:
        return "starting: retry in a minute"
    except InstanceNotAuthorizedError:
        return "scan the QR code in the console"
    except ValidationFailedError as exc:
        return f"the API refused a parameter: {exc.message}"
    except BadRequestError as exc:
        return f"bad request ({exc.status_code}): {exc.message}"
    except (UnauthorizedError, ForbiddenError) as exc:
        return f"check the id and token: HTTP {exc.status_code}"
    except RateLimitedError as exc:
        wait: float | None = exc.retry_after
        return f"slow down (retry after {wait})"
    except QuotaExceededError as exc:
        used: int | None = exc.used
        return f"quota {exc.method}: {used}/{exc.total} ({exc.status})"
    except ServerError as exc:
        return f"server error {exc.status_code} in {exc.operation}"
    except ResponseValidationError as exc:
        return f"unexpected answer to {exc.operation} ({exc.flavour})"
    except TransportError as exc:
        return f"network: {exc}"
    except GreenAPIError as exc:
        return f"other: {exc}"


def guarded(client: WhatsAppClient | TelegramClient, chat_id: str) -> str:
    try:
        info = client.get_contact_info(chat_id)
    except GreenAPIError as error:
        log.warning("lookup failed: %s", error)  # safe: errors never carry the token
        return explain(error)
    return "none" if info is None else str(info.name)


async def async_report(
    whatsapp: AsyncWhatsAppClient, telegram: AsyncTelegramClient, wa_chat: str, tg_chat: str
) -> list[str]:
    wa_contacts, tg_contacts = await asyncio.gather(
        whatsapp.get_contacts(count=2, group=None), telegram.get_contacts(2)
    )
    assert_type(wa_contacts, list[WhatsAppContact])
    assert_type(tg_contacts, list[TelegramContact])
    wa_info = await whatsapp.get_contact_info(wa_chat)
    assert_type(wa_info, WhatsAppContactInfo | None)
    tg_info = await telegram.get_contact_info(tg_chat)
    assert_type(tg_info, TelegramContactInfo)
    try:
        await telegram.get_contact_info("-100")
    except InvalidRequestError as error:
        refused = explain(error)
    described = [describe(c) for c in wa_contacts] + [describe(c) for c in tg_contacts]
    return [*described, str(wa_info is None), str(tg_info.chat_id), refused]


def configure_clients() -> None:
    """Every way to build a client (not run by the tests: it would talk to GREEN-API)."""
    with WhatsAppClient.from_env() as from_env:
        print(from_env.api_url, from_env.id_instance, from_env.flavour)
    retry = GreenAPIRetry(total=5, backoff_factor=1.0, max_retry_time=120.0, min_backoff=1.0)
    with (
        httpx.Client(timeout=30.0) as http,
        TelegramClient(
            id_instance=int(os.environ["TG_ID"]),
            api_token=os.environ["TG_TOKEN"],
            api_url="https://4100.api.green-api.com",
            retry=retry,
            retry_empty_contacts=3,
            retry_empty_delay=10.0,
            http_client=http,
        ) as telegram,
    ):
        print(telegram_report(telegram, "10000000"))
    with WhatsAppClient(
        id_instance="1101000001",
        api_token=os.environ["WA_TOKEN"],
        timeout=httpx.Timeout(20.0, connect=5.0),
        max_retries=0,
        transport=httpx.HTTPTransport(retries=1),
    ) as whatsapp:
        print(guarded(whatsapp, "79001234567@c.us"))
    print(redact(f"https://api.green-api.com/waInstance1/getContacts/{os.environ['WA_TOKEN']}"))

    async def run() -> None:
        async with (
            AsyncWhatsAppClient.from_env(max_retry_time=30.0) as wa,
            AsyncTelegramClient.from_env(transport=httpx.AsyncHTTPTransport()) as tg,
        ):
            print(await async_report(wa, tg, "79001234567@c.us", "10000000"))

    asyncio.run(run())
