"""The WhatsApp book: users with and without names, business accounts, old and new group ids."""

from __future__ import annotations

import random
from typing import Final

from ._draw import NOW, digits, media_path, person, phone, token
from ._shape import InfoContext, JSONObject, Kind, Slot
from ._words import BUSINESS_WORDS, CATEGORIES, GROUP_NAMES, LAST_NAMES, PRODUCT_NAMES

_EXPIRATIONS: Final = (86_400, 604_800, 7_776_000)  # WhatsApp's 24 h, 7 days, 90 days.


class WhatsAppShape:
    """Items ``{id, name, contactName?, type}``; info with business details and products."""

    name: Final = "whatsapp"
    id_key: Final = "id"
    kinds: Final = (
        Kind("group", "group", 0.05),
        Kind("group_legacy", "group", 0.03),  # creator's number and a timestamp
        Kind("business", "user", 0.04, business=True),
        Kind("user_no_name", "user", 0.18),  # no incoming correspondence: name ""
        Kind("user_no_contact_name", "user", 0.10),  # not in the phone book: no contactName
        Kind("user_empty_contact_name", "user", 0.08),  # removed from it: contactName ""
        Kind("user", "user", 0.52),
    )

    def item(self, rng: random.Random, kind: Kind, slot: Slot) -> JSONObject:
        if kind.name == "group":
            chat_id = f"120363{digits(rng, 4, slot.key)}@g.us"
            return {"id": chat_id, "name": rng.choice(GROUP_NAMES), "type": "group"}
        if kind.name == "group_legacy":
            created = rng.randrange(1_400_000_000, 1_600_000_000)
            chat_id = f"{phone(rng, slot.key)}-{created}@g.us"
            return {"id": chat_id, "name": rng.choice(GROUP_NAMES), "type": "group"}
        chat_id = f"{phone(rng, slot.key)}@c.us"
        name, contact_name = person(rng)
        if kind.business:
            name = f"{rng.choice(LAST_NAMES)} {rng.choice(BUSINESS_WORDS)}"
            contact_name = name
        elif kind.name == "user_no_name":
            name = ""
        elif kind.name == "user_empty_contact_name":
            contact_name = ""
        if kind.name == "user_no_contact_name":
            return {"id": chat_id, "name": name, "type": "user"}
        return {"id": chat_id, "name": name, "contactName": contact_name, "type": "user"}

    def info(self, context: InfoContext) -> JSONObject:
        """Unknown users get the documented empty values (groups never get here: 200 null)."""
        info: JSONObject = {
            "avatar": "",
            "name": "",
            "contactName": "",
            "email": "",
            "category": "",
            "description": "",
            "products": [],
            "chatId": context.chat_id,
            "lastSeen": None,
            "isArchive": False,
            "isDisappearing": False,
            "isMute": False,
            "messageExpiration": 0,
            "muteExpiration": None,
            "isBusiness": False,
        }
        found = context.found
        if found is None:
            return info
        item = found.item
        rng = context.rng()
        info["name"] = item["name"]
        info["contactName"] = item.get("contactName", "")
        if rng.random() < 0.7:
            info["avatar"] = _avatar(rng)
        if rng.random() < 0.15:
            info["lastSeen"] = str(NOW - rng.randrange(60, 30 * 86_400))
        info["isArchive"] = rng.random() < 0.1
        if rng.random() < 0.12:
            info["isMute"] = True
            info["muteExpiration"] = NOW + rng.randrange(3_600, 365 * 86_400)
        if rng.random() < 0.1:
            info["isDisappearing"] = True
            info["messageExpiration"] = rng.choice(_EXPIRATIONS)
        if found.kind.business:
            info["isBusiness"] = True
            word = str(item["name"]).rsplit(" ", 1)[-1].lower()
            info["email"] = f"hello@{word}{rng.randrange(100, 999)}.example"
            info["category"] = rng.choice(CATEGORIES)
            info["description"] = rng.choice(("Open 9-21 daily", "Family business since 1998", ""))
            info["products"] = [_product(rng) for _ in range(rng.randrange(0, 4))]
        return info


def _avatar(rng: random.Random) -> str:
    return (
        f"https://pps.whatsapp.net/v/t61.24694-24/{media_path(rng)}"
        f"?ccb=11-4&oh=01_{token(rng, 40)}&oe={rng.randrange(16**8):08X}"
    )


def _product(rng: random.Random) -> JSONObject:
    image = f"https://mmg.whatsapp.net/v/t45.5328-4/{media_path(rng)}"
    query = f"ccb=1-7&_nc_sid=c48759&oh=01_{token(rng, 40)}&oe={rng.randrange(16**8):08X}"
    product: JSONObject = {
        "id": str(rng.randrange(10**10, 10**16)),
        "imageUrls": {
            "requested": f"{image}?stp=dst-jpg_p100x100&{query}",
            "original": f"{image}?{query}",
        },
        "reviewStatus": {"whatsapp": "APPROVED"},
        "availability": "in stock",
        "name": rng.choice(PRODUCT_NAMES),
    }
    if rng.random() < 0.6:
        product["description"] = rng.choice(("Best seller", "Price on request", "Takes 1 hour"))
    product["price"] = None if rng.random() < 0.4 else f"{rng.randrange(5, 500) * 10}.00"
    product["isHidden"] = rng.random() < 0.1
    return product


WHATSAPP: Final = WhatsAppShape()
