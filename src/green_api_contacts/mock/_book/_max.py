"""The MAX book: users only, as GetContacts lists them (groups are currently not returned).

From GREEN-API's v3 pages: items ``{chatId, name, contactName, type: "user", phoneNumber}``
(0 when hidden; groups are not returned); GetContactInfo ``avatar, name, contactName, chatId,
lastSeen`` (a string UNIX time, null when the account does not exist) and ``phoneNumber``, plus
``chatType`` and ``phoneNumberTimestamp``, which GREEN-API's web app reads.
"""

from __future__ import annotations

import random
from typing import Final

from ._draw import KEY_SPACE, NOW, person, phone, token
from ._shape import InfoContext, JSONObject, Kind, Slot


class MaxShape:
    """Users with and without a profile name, saved or not, with hidden or shown numbers."""

    name: Final = "max"
    id_key: Final = "chatId"
    kinds: Final = (
        Kind("user_hidden_phone", "user", 0.25),
        Kind("user_not_saved", "user", 0.12),  # not in the phone book: contactName ""
        Kind("user_no_name", "user", 0.08),  # no incoming correspondence: name ""
        Kind("user", "user", 0.55),
    )

    def item(self, rng: random.Random, kind: Kind, slot: Slot) -> JSONObject:
        name, contact_name = person(rng)
        hidden = kind.name == "user_hidden_phone"
        return {
            "chatId": str(rng.randrange(1, 100) * KEY_SPACE + slot.key),
            "name": "" if kind.name == "user_no_name" else name,
            "contactName": "" if kind.name == "user_not_saved" else contact_name,
            "type": "user",
            "phoneNumber": 0 if hidden else phone(rng, rng.randrange(KEY_SPACE)),
        }

    def info(self, context: InfoContext) -> JSONObject:
        """An account the book does not know does not exist: name "" and lastSeen null."""
        info: JSONObject = {
            "avatar": "",
            "name": "",
            "contactName": "",
            "chatId": context.chat_id,
            "lastSeen": None,
            "phoneNumber": 0,
            "chatType": "user",
            "phoneNumberTimestamp": 0,
        }
        if context.found is None:
            return info
        item = context.found.item
        rng = context.rng()
        info["name"] = item["name"]
        info["contactName"] = item["contactName"]
        info["phoneNumber"] = item["phoneNumber"]
        if rng.random() < 0.6:
            info["avatar"] = f"https://i.oneme.ru/i?r={token(rng, 64)}"
        info["lastSeen"] = str(NOW - rng.randrange(60, 30 * 86_400))
        if item["phoneNumber"]:
            info["phoneNumberTimestamp"] = NOW - rng.randrange(86_400, 3 * 365 * 86_400)
        return info


MAX: Final = MaxShape()
