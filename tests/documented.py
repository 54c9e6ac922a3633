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
    status: int = 200


def sent_values(sent: Any, built: Any) -> Any:
    """`built` (a result as plain data) cut down to the keys `sent` has, at every level.

    Equal to `sent` exactly when every value the API sent was kept, with its type: ints stay
    ints (beyond 2**31), strings stay strings, null stays None.
    """
    if isinstance(sent, dict) and isinstance(built, dict):
        return {key: sent_values(sent[key], built[key]) for key in sent if key in built}
    if isinstance(sent, list) and isinstance(built, list) and len(sent) == len(built):
        return [sent_values(s, b) for s, b in zip(sent, built, strict=True)]
    if type(sent) is not type(built):
        return ("type changed", built)
    return built


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

ISSUE = "issue 12 (GREEN-API's published bodies)"

# Issue 12, item 1: bodies GREEN-API has published over the years (docs in EN/RU/PT/HE since
# 2020, its Postman collection, its issue tracker, its web app's types).
_PUBLISHED = [
    Documented(
        "whatsapp-getContacts-2020",
        "whatsapp",
        "getContacts",
        "response",
        f"{ISSUE}: the 2020 items have no type and no contactName; empty names; odd ids",
        [
            {"id": "79001234568@c.us", "name": "Ivan"},
            {"id": "79001234569@c.us", "name": ""},
            {"id": "null@c.us", "name": ""},
            {"id": "79001234570", "name": "Lyusya"},
        ],
    ),
    Documented(
        "whatsapp-getContactInfo-2022",
        "whatsapp",
        "getContactInfo",
        "response",
        f"{ISSUE}: the 2022 shape (avatar, name, email, category, description, products only);"
        " product ids as numbers",
        {
            "avatar": "https://pps.whatsapp.net/v/t61.24694-24/24_1349471992200940_n.jpg",
            "name": "Dealer",
            "email": "24service@tt.tt",
            "category": "Automotive Dealership",
            "description": "Official service",
            "products": [
                {
                    "id": 42079728159,
                    "imageUrls": {"requested": "https://mmg.example/1.jpg", "original": ""},
                    "reviewStatus": {"whatsapp": "APPROVED"},
                    "availability": "in stock",
                    "name": "Replacement",
                    "price": "1000",
                    "isHidden": False,
                },
                {"id": "3545870328871389", "name": "Technical maintenance", "price": None},
            ],
        },
    ),
    Documented(
        "whatsapp-getContactInfo-without-name",
        "whatsapp",
        "getContactInfo",
        "response",
        f"{ISSUE}: no name (numbers without correspondence, before a 2024 fix); lastSeen a number",
        {
            "avatar": "",
            "contactName": "",
            "email": "",
            "category": "",
            "description": "",
            "products": [],
            "chatId": "79001234567@c.us",
            "lastSeen": 1769681957,
            "isArchive": False,
            "isDisappearing": False,
            "isMute": False,
            "messageExpiration": 0,
            "muteExpiration": None,
            "isBusiness": False,
        },
    ),
    Documented(
        "telegram-getContacts-all-types",
        "telegram",
        "getContacts",
        "response",
        f"{ISSUE}: types user, group, supergroup, channel, bot; phoneNumber int or numeric string",
        [
            {"chatId": "10000000", "name": "V", "type": "user", "phoneNumber": "79876543210"},
            {"chatId": "-1001234567890", "name": "F", "type": "group", "phoneNumber": 0},
            {"chatId": "-1001234567891", "name": "N", "type": "supergroup", "phoneNumber": 0},
            {"chatId": "-1001234567892", "name": "C", "type": "channel", "phoneNumber": 0},
            {"chatId": "10000003", "name": "B", "type": "bot", "phoneNumber": 0},
        ],
    ),
    Documented(
        "telegram-getContactInfo-english-base64",
        "telegram",
        "getContactInfo",
        "response",
        f"{ISSUE}: the English page's chatType 'user' and base64Avatar; phoneNumber a string",
        {
            "avatar": "",
            "base64Avatar": "/9j/4AAQSkZJRgABAQAAAQABAAD",
            "name": "Vasilisa",
            "contactName": "",
            "chatId": "100000000",
            "lastSeen": 1769681957,
            "phoneNumber": "79876543210",
            "chatType": "user",
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

ALL: list[Documented] = [*_seed_examples(), *_VARIANTS, *_PUBLISHED, *_MAX]


def _quota(name: str, source: str, body: Any) -> list[Documented]:
    return [
        Documented(f"{f}-466-{name}", f, "getContacts", "response", source, body, 466)
        for f in ("whatsapp", "telegram", "max")
    ]


def _bad_request(name: str, message: str, flavours: tuple[Flavour, ...]) -> list[Documented]:
    body = {"statusCode": 400, "timestamp": "2026-11-21T10:00:00.000Z", "message": message}
    source = f"{ISSUE}: the 400 text {message!r}"
    return [
        Documented(f"{f}-400-{name}", f, "getContactInfo", "response", source, body, 400)
        for f in flavours
    ]


_EVERY: tuple[Flavour, ...] = ("whatsapp", "telegram", "max")
_INVOKE = {"method": "checkwhatsapp", "status": "QUOTE_EXCEEDED", "description": "Monthly quota"}
_CORRESPONDENTS = {"method": "sendmessage", "description": "Number of correspondents exceeded"}

# Error bodies GREEN-API has published (tests/unit/client/test_client_published.py reads them
# through the clients).
ERRORS: list[Documented] = [
    *_quota(
        "both-integers",
        f"{FACTS}: both parts, figures as integers (the examples)",
        {
            "invokeStatus": {**_INVOKE, "method": "getContacts", "used": 1000, "total": 1000},
            "correspondentsStatus": {"used": 3, "total": 3, "status": "QUOTE_ALLOWED"},
        },
    ),
    *_quota(
        "invoke-strings",
        f"{FACTS}: invokeStatus alone, figures as strings (the docs' tables), lowercase method",
        {"invokeStatus": {**_INVOKE, "used": "1000", "total": "1000"}},
    ),
    *_quota(
        "correspondents-only",
        f"{FACTS}: correspondentsStatus alone",
        {
            "correspondentsStatus": {
                **_CORRESPONDENTS,
                "used": 3,
                "total": 3,
                "status": "CORRESPONDENTS_QUOTE_EXCEEDED",
            }
        },
    ),
    *_quota(
        "webhook-spelling",
        f"{FACTS}: webhooks spell CORRESPONDENTS_QUOTA_EXCEEDED (the enum stays open)",
        {
            "correspondentsStatus": {
                **_CORRESPONDENTS,
                "used": "3",
                "total": "3",
                "status": "CORRESPONDENTS_QUOTA_EXCEEDED",
            }
        },
    ),
    *_bad_request("not-ready", "instance is starting or not authorized", _EVERY),
    *_bad_request("starting", "instance in starting process try later", _EVERY),
    *_bad_request("not-authorized", "instance account not authorized", _EVERY),
    *_bad_request("chat-limit", "You have used up the chat limit on your tariff", _EVERY),
    *_bad_request(
        "chatId-required", "Validation failed. Details: 'chatId' is required", ("whatsapp",)
    ),
]

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
