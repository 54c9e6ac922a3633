"""The Telegram book: hidden phone numbers (0), usernames or none, supergroups and basic groups."""

from __future__ import annotations

import random
from typing import Final

from ._draw import KEY_SPACE, NOW, digits, handle, person, phone, token
from ._shape import InfoContext, JSONObject, Kind, Slot
from ._words import BIOS, GROUP_NAMES


class TelegramShape:
    """Items ``{chatId, name, contactName, type, phoneNumber, username?}``; info with bio flags."""

    name: Final = "telegram"
    id_key: Final = "chatId"
    kinds: Final = (
        Kind("group", "group", 0.06),
        Kind("user_hidden_phone", "user", 0.16),  # privacy settings: phoneNumber 0
        Kind("user_not_saved", "user", 0.13),  # not in the phone book: contactName ""
        Kind("user_no_username", "user", 0.30),
        Kind("user", "user", 0.35),
    )

    def item(self, rng: random.Random, kind: Kind, slot: Slot) -> JSONObject:
        if kind.type == "group":
            if rng.random() < 0.7:  # supergroups and channels: -100 and ten digits
                chat_id = f"-100{digits(rng, 2, slot.key)}"
            else:
                chat_id = f"-{rng.randrange(1, 100) * KEY_SPACE + slot.key}"
            group: JSONObject = {
                "chatId": chat_id,
                "name": rng.choice(GROUP_NAMES),
                "contactName": "",
                "type": "group",
                "phoneNumber": 0,
            }
            if rng.random() < 0.3:
                group["username"] = f"@{handle(rng, slot.alias)}_chat"
            return group
        chat_id = str(rng.randrange(1, 80) * KEY_SPACE + slot.key)
        name, contact_name = person(rng)
        hidden = kind.name == "user_hidden_phone"
        item: JSONObject = {
            "chatId": chat_id,
            "name": name,
            "contactName": "" if kind.name == "user_not_saved" else contact_name,
            "type": "user",
            "phoneNumber": 0 if hidden else phone(rng, rng.randrange(KEY_SPACE)),
        }
        if kind.name != "user_no_username" and (not hidden or rng.random() < 0.5):
            item["username"] = "@" + handle(rng, slot.alias)
        return item

    def info(self, context: InfoContext) -> JSONObject:
        """Unknown users get empty values; last seen is 0 when hidden."""
        info: JSONObject = {
            "avatar": "",
            "name": "",
            "contactName": "",
            "chatId": context.chat_id,
            "lastSeen": 0,
            "phoneNumber": 0,
            # The English page's example value (issue 12); the spec's description says `private`.
            "chatType": "user",
            "username": "",
            "isPremium": False,
            "isVerified": False,
            "isScam": False,
            "description": "",
        }
        if context.found is None:
            return info
        item = context.found.item
        rng = context.rng()
        info["name"] = item["name"]
        info["contactName"] = item["contactName"]
        info["phoneNumber"] = item["phoneNumber"]
        info["username"] = item.get("username", "")
        if rng.random() < 0.6:
            host = str(context.id_instance)[:4]
            info["avatar"] = (
                f"https://{host}.api.green-api.com/download/{host}/{token(rng, 27)}.jpg"
            )
        if rng.random() < 0.7:  # The rest hide their last seen time: 0.
            info["lastSeen"] = NOW - rng.randrange(60, 30 * 86_400)
        info["isPremium"] = rng.random() < 0.15
        info["isVerified"] = rng.random() < 0.02
        info["isScam"] = rng.random() < 0.01
        info["description"] = rng.choice(BIOS)
        return info


TELEGRAM: Final = TelegramShape()
