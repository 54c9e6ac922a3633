"""Every body GREEN-API documents for the two methods, as test data.

The seed pages' examples are extracted verbatim into tests/data/seed_examples.json; the variants
below come from shared/green-api-facts.md (other versions of the docs, the docs' tables, the
English Telegram page, GREEN-API's MAX documentation, which has no seed page) and are written out
here, each with its source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

DATA = Path(__file__).parent / "data"

Flavour = Literal["whatsapp", "telegram", "max"]
Operation = Literal["getContacts", "getContactInfo"]


@dataclass(frozen=True)
class Documented:
    """One documented body: what it is, where it comes from, and the body itself."""

    id: str
    flavour: Flavour
    operation: Operation
    kind: Literal["request", "response"]
    source: str
    body: Any


def _seed_examples() -> list[Documented]:
    raw = json.loads((DATA / "seed_examples.json").read_text(encoding="utf-8"))
    return [
        Documented(e["id"], e["flavour"], e["operation"], e["kind"], e["source"], e["body"])
        for e in raw["examples"]
    ]


FACTS = "shared/green-api-facts.md"

_VARIANTS = [
    Documented(
        "whatsapp-getContacts-empty",
        "whatsapp",
        "getContacts",
        "response",
        "seed pages: 'If an empty data array is received - repeat the method call'",
        [],
    ),
    Documented(
        "telegram-getContacts-empty",
        "telegram",
        "getContacts",
        "response",
        "seed pages: 'Метод возвращает пустой массив []'",
        [],
    ),
    Documented(
        "whatsapp-getContacts-older-docs",
        "whatsapp",
        "getContacts",
        "response",
        f"{FACTS}: contactName absent on groups; older docs omit it entirely; new-style group ids",
        [
            {"id": "79001234568@c.us", "name": "", "type": "user"},
            {"id": "120363043968066561@g.us", "name": "My group", "type": "group"},
        ],
    ),
    Documented(
        "telegram-getContacts-english-page",
        "telegram",
        "getContacts",
        "response",
        f"{FACTS}: the English page adds username; phoneNumber 0 when hidden",
        [
            {
                "chatId": "10000000",
                "name": "Vasilisa",
                "contactName": "Vasilisa the Wise",
                "type": "user",
                "phoneNumber": 79876543210,
                "username": "@vasilisa",
            },
            {
                "chatId": "10000002",
                "name": "Frog",
                "contactName": "",
                "type": "user",
                "phoneNumber": 0,
            },
        ],
    ),
    Documented(
        "whatsapp-getContactInfo-group-null",
        "whatsapp",
        "getContactInfo",
        "response",
        "seed page 003: 'status code 200 with a null body' for a group chat",
        None,
    ),
    Documented(
        "whatsapp-getContactInfo-group-request",
        "whatsapp",
        "getContactInfo",
        "request",
        f"{FACTS}: group ids like 79001234569-1479621234@g.us",
        {"chatId": "79001234569-1479621234@g.us"},
    ),
    Documented(
        "whatsapp-getContactInfo-older-docs",
        "whatsapp",
        "getContactInfo",
        "response",
        f"{FACTS}: older docs have no contactName and no isBusiness",
        {
            "avatar": "",
            "name": "Ivan",
            "email": "",
            "category": "",
            "description": "",
            "products": [],
            "chatId": "71234567890@c.us",
            "lastSeen": None,
            "isArchive": False,
            "isDisappearing": False,
            "isMute": False,
            "messageExpiration": 604800,
            "muteExpiration": 1769681957,
        },
    ),
    Documented(
        "whatsapp-getContactInfo-table-spelling",
        "whatsapp",
        "getContactInfo",
        "response",
        f"{FACTS}: the docs table spells messageexpiration and muteexpiration in lowercase",
        {
            "chatId": "71234567890@c.us",
            "name": "Ivan",
            "messageexpiration": 0,
            "muteexpiration": None,
            "lastSeen": "1769681957",
        },
    ),
    Documented(
        "telegram-getContactInfo-english-page",
        "telegram",
        "getContactInfo",
        "response",
        f"{FACTS}: the English page adds chatType, username, isPremium, isVerified, isScam and"
        " description",
        {
            "avatar": "",
            "name": "Vasilisa",
            "contactName": "Vasilisa the Beautiful",
            "chatId": "100000000",
            "lastSeen": 0,
            "phoneNumber": 79876543210,
            "chatType": "private",
            "username": "@vasilisa",
            "isPremium": False,
            "isVerified": False,
            "isScam": False,
            "description": "",
        },
    ),
]

MAX_FACTS = f"{FACTS}, MAX"

_MAX = [
    Documented(
        "max-getContacts-response",
        "max",
        "getContacts",
        "response",
        f"{MAX_FACTS}: items chatId, name, contactName, type 'user', phoneNumber (0 when hidden)",
        [
            {
                "chatId": "10000000",
                "name": "Ivan",
                "contactName": "Ivan Petrov",
                "type": "user",
                "phoneNumber": 79876543210,
            },
            {
                "chatId": "10000001",
                "name": "Maria",
                "contactName": "",
                "type": "user",
                "phoneNumber": 0,
            },
        ],
    ),
    Documented(
        "max-getContacts-empty",
        "max",
        "getContacts",
        "response",
        f"{MAX_FACTS}: contact data can take up to 5 minutes to update; [] is a 200 answer",
        [],
    ),
    Documented(
        "max-getContactInfo-request",
        "max",
        "getContactInfo",
        "request",
        f"{MAX_FACTS}: GetContactInfo is a POST of chatId, a positive numeric string",
        {"chatId": "10000000"},
    ),
    Documented(
        "max-getContactInfo-request-16-characters",
        "max",
        "getContactInfo",
        "request",
        f"{MAX_FACTS}: chatId has at most 16 characters",
        {"chatId": "1234567890123456"},
    ),
    Documented(
        "max-getContactInfo-response-docs",
        "max",
        "getContactInfo",
        "response",
        f"{MAX_FACTS}: the docs type lastSeen as a string of UNIX time",
        {
            "avatar": "",
            "name": "Ivan",
            "contactName": "Ivan Petrov",
            "chatId": "10000000",
            "lastSeen": "1769681957",
            "phoneNumber": 79876543210,
        },
    ),
    Documented(
        "max-getContactInfo-response-web-app",
        "max",
        "getContactInfo",
        "response",
        f"{MAX_FACTS}: GREEN-API's web app reads lastSeen as a number, chatType and"
        " phoneNumberTimestamp",
        {
            "avatar": "",
            "name": "Ivan",
            "contactName": "",
            "chatId": "10000000",
            "lastSeen": 1769681957,
            "phoneNumber": 0,
            "chatType": "user",
            "phoneNumberTimestamp": 1769681000,
        },
    ),
    Documented(
        "max-getContactInfo-response-no-account",
        "max",
        "getContactInfo",
        "response",
        f"{MAX_FACTS}: name is '' and lastSeen null when the account does not exist",
        {
            "avatar": "",
            "name": "",
            "contactName": "",
            "chatId": "10000009",
            "lastSeen": None,
            "phoneNumber": 0,
        },
    ),
]

ALL: list[Documented] = [*_seed_examples(), *_VARIANTS, *_MAX]

# Requests the API documents as refused: each flavour's document must reject them up front.
REFUSED: list[Documented] = [
    Documented(
        "telegram-getContactInfo-group-request",
        "telegram",
        "getContactInfo",
        "request",
        "seed page 004: GetContactInfo is documented to answer group chats with 400",
        {"chatId": "-1001234567890"},
    ),
    Documented(
        "max-getContactInfo-group-request",
        "max",
        "getContactInfo",
        "request",
        f"{MAX_FACTS}: GetContactInfo takes individual chats only (groups have negative ids)",
        {"chatId": "-10000000000"},
    ),
    Documented(
        "max-getContactInfo-17-characters",
        "max",
        "getContactInfo",
        "request",
        f"{MAX_FACTS}: chatId has at most 16 characters",
        {"chatId": "12345678901234567"},
    ),
]
