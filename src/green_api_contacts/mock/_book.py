"""A deterministic, realistic contact book per instance, and the contact-info objects built on it.

Every shape the documentation allows shows up: users without a profile name (no incoming
correspondence), users missing from the phone book (``contactName`` absent or empty), groups
without ``contactName``, old and new WhatsApp group ids, Telegram contacts with hidden phone
numbers (``0``), phone numbers beyond 2**31 and contacts with and without ``username``.
Everything derives from ``random.Random(seed)``; nothing touches global random state.
"""

# Names are deliberately multilingual (RUF001), and the generator is seeded for reproducible
# fake data, not for secrets (S311).
# ruff: noqa: RUF001, S311

from __future__ import annotations

import json
import random
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

from ._config import Flavour

JSONObject = dict[str, object]

# Serialized GetContacts answers kept per book; count varies per request, so the cache is bounded.
_CACHE_ENTRIES: Final = 32
# Drawing a fresh random id collides with probability ~1e-5 for 100k contacts; 64 tries is plenty.
_MAX_ID_TRIES: Final = 64

_FIRST_NAMES: Final = (
    "Ivan",
    "Maria",
    "Alexei",
    "Olga",
    "John",
    "Emily",
    "Ahmed",
    "Fatima",
    "Noa",
    "Yosef",
    "Priya",
    "Arjun",
    "Lucas",
    "Sofia",
    "Chen",
    "Mei",
    "Kofi",
    "Amara",
    "Zoë",
    "José",
    "Иван",
    "Мария",
    "Алексей",
    "Ольга",
    "Дмитрий",
    "Наталья",
    "Сергей",
    "Екатерина",
    "נועה",
    "יוסף",
    "أحمد",
    "فاطمة",
    "李雷",
    "韩梅梅",
    "Ayşe",
    "Łukasz",
)
_LAST_NAMES: Final = (
    "Petrov",
    "Smirnova",
    "Smith",
    "Johnson",
    "Cohen",
    "Levi",
    "Khan",
    "Sharma",
    "Silva",
    "Santos",
    "Wang",
    "Li",
    "Mensah",
    "Okafor",
    "Müller",
    "Nowak",
    "Yılmaz",
    "García",
    "Петров",
    "Смирнова",
    "Кузнецов",
    "Попова",
    "Соколов",
    "Лебедева",
)
_PHONEBOOK_SUFFIXES: Final = (
    "",
    "",
    "",
    " Work",
    " (home)",
    " plumber",
    " 🏠",
    " School",
    " Dentist",
    " Gym",
    " 2",
)
_GROUP_NAMES: Final = (
    "Family",
    "Project Phoenix",
    "Football on Sundays",
    "Parents 3B",
    "Book club",
    "Neighbours",
    "Trip to Eilat 🏖",
    "Дача",
    "Работа",
    "Одноклассники",
    "Release team",
    "Marketing EMEA",
    "Board games",
    "Wedding 2024 💍",
    "משפחה",
    "Choir",
    "Startup founders",
)
_EMOJI: Final = ("", "", "", "", "", " 🌸", " ✨", " 🚀", " ⚽")
_CATEGORIES: Final = (
    "Automotive Service",
    "Restaurant",
    "Shopping & Retail",
    "Medical & Health",
    "Education",
    "Professional Services",
    "Beauty, Cosmetic & Personal Care",
    "Bakery",
)
_BUSINESS_WORDS: Final = (
    "Garage",
    "Pizzeria",
    "Flowers",
    "Clinic",
    "Tutoring",
    "Legal",
    "Salon",
    "Bakery",
)
_PRODUCT_NAMES: Final = (
    "Oil change",
    "Margherita",
    "Rose bouquet",
    "Consultation",
    "Lesson (60 min)",
    "Haircut",
    "Sourdough loaf",
    "Gift card",
    "Tyre fitting",
    "Delivery",
)
_BIOS: Final = (
    "",
    "",
    "",
    "Coffee first ☕",
    "Photographer",
    "Люблю путешествовать",
    "Backend dev",
    "DM for orders",
    "Living the dream",
    "Не пишите после 22:00",
)

# (country code, national part first digit choices, national digits after the first).
_COUNTRIES: Final = (
    ("7", "9", 9),
    ("7", "9", 9),
    ("7", "7", 9),
    ("1", "23456789", 9),
    ("44", "7", 9),
    ("49", "1", 10),
    ("972", "5", 8),
    ("91", "6789", 9),
    ("55", "1", 10),
    ("380", "69", 8),
)

# Shapes every book of at least len(shapes) contacts is guaranteed to contain.
_WA_SHAPES: Final = (
    "user",
    "user_no_name",
    "user_no_contact_name",
    "user_empty_contact_name",
    "business",
    "group_legacy",
    "group",
)
_TG_SHAPES: Final = ("user", "user_no_username", "user_hidden_phone", "user_not_saved", "group")

_EXPIRATIONS: Final = (86_400, 604_800, 7_776_000)  # WhatsApp's 24 h, 7 days, 90 days.
_NOW: Final = 1_760_000_000  # A fixed "now" keeps timestamps deterministic.


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON, as the API sends it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _draw_shape(rng: random.Random, flavour: Flavour) -> str:
    r = rng.random()
    if flavour == "whatsapp":
        if r < 0.05:
            return "group"
        if r < 0.08:
            return "group_legacy"
        if r < 0.12:
            return "business"
        if r < 0.30:
            return "user_no_name"
        if r < 0.40:
            return "user_no_contact_name"
        if r < 0.48:
            return "user_empty_contact_name"
        return "user"
    if r < 0.06:
        return "group"
    if r < 0.22:
        return "user_hidden_phone"
    if r < 0.35:
        return "user_not_saved"
    if r < 0.65:
        return "user_no_username"
    return "user"


def _unique(draw: Callable[[], str], seen: set[str]) -> str:
    """Draw until the value is new; bounded because collisions are astronomically rare."""
    for _ in range(_MAX_ID_TRIES):
        value = draw()
        if value not in seen:
            seen.add(value)
            return value
    raise RuntimeError("could not draw a unique contact id")  # pragma: no cover


class ContactBook:
    """The contacts of one instance plus a cache of serialized GetContacts answers."""

    def __init__(self, flavour: Flavour, size: int, seed: int, id_instance: int) -> None:
        self.flavour: Final = flavour
        self.seed: Final = seed
        self._id_instance = id_instance
        self.items: list[JSONObject] = []
        self._index: dict[str, int] = {}
        self._business: set[str] = set()
        self._cache: OrderedDict[tuple[int | None, bool | None], bytes] = OrderedDict()
        self._filtered: dict[bool, list[JSONObject]] = {}
        self._generate(size)

    # ------------------------------------------------------------------ generation

    def _generate(self, size: int) -> None:
        rng = random.Random(self.seed)
        shapes = _WA_SHAPES if self.flavour == "whatsapp" else _TG_SHAPES
        drawn = [_draw_shape(rng, self.flavour) for _ in range(size)]
        if size >= len(shapes):
            for position, shape in zip(rng.sample(range(size), len(shapes)), shapes, strict=True):
                drawn[position] = shape
        seen: set[str] = set()
        build = self._whatsapp_item if self.flavour == "whatsapp" else self._telegram_item
        for shape in drawn:
            item = build(rng, shape, seen)
            key = str(item["id"] if "id" in item else item["chatId"])
            self._index[key] = len(self.items)
            self.items.append(item)

    @staticmethod
    def _phone(rng: random.Random) -> int:
        code, leads, rest = rng.choice(_COUNTRIES)
        national = rng.choice(leads) + str(rng.randrange(10**rest)).zfill(rest)
        return int(code + national)

    @staticmethod
    def _person(rng: random.Random) -> tuple[str, str]:
        first = rng.choice(_FIRST_NAMES)
        last = rng.choice(_LAST_NAMES)
        full = first if rng.random() < 0.25 else f"{first} {last}"
        return full + rng.choice(_EMOJI), f"{first} {last}{rng.choice(_PHONEBOOK_SUFFIXES)}"

    def _whatsapp_item(self, rng: random.Random, shape: str, seen: set[str]) -> JSONObject:
        if shape == "group":
            chat_id = _unique(lambda: f"120363{rng.randrange(10**12):012d}@g.us", seen)
            return {"id": chat_id, "name": rng.choice(_GROUP_NAMES), "type": "group"}
        if shape == "group_legacy":
            chat_id = _unique(
                lambda: f"{self._phone(rng)}-{rng.randrange(1_400_000_000, 1_600_000_000)}@g.us",
                seen,
            )
            return {"id": chat_id, "name": rng.choice(_GROUP_NAMES), "type": "group"}
        chat_id = _unique(lambda: f"{self._phone(rng)}@c.us", seen)
        name, contact_name = self._person(rng)
        if shape == "business":
            name = f"{rng.choice(_LAST_NAMES)} {rng.choice(_BUSINESS_WORDS)}"
            contact_name = name
            self._business.add(chat_id)
        elif shape == "user_no_name":
            name = ""
        elif shape == "user_empty_contact_name":
            contact_name = ""
        if shape == "user_no_contact_name":
            return {"id": chat_id, "name": name, "type": "user"}
        return {"id": chat_id, "name": name, "contactName": contact_name, "type": "user"}

    def _telegram_item(self, rng: random.Random, shape: str, seen: set[str]) -> JSONObject:
        if shape == "group":
            if rng.random() < 0.7:
                chat_id = _unique(lambda: f"-100{rng.randrange(10**9, 10**10)}", seen)
            else:
                chat_id = _unique(lambda: f"-{rng.randrange(10**8, 10**10)}", seen)
            group: JSONObject = {
                "chatId": chat_id,
                "name": rng.choice(_GROUP_NAMES),
                "contactName": "",
                "type": "group",
                "phoneNumber": 0,
            }
            if rng.random() < 0.3:
                group["username"] = "@" + _unique(lambda: f"{_handle(rng)}_chat", seen)
            return group
        chat_id = _unique(lambda: str(rng.randrange(10**7, 8 * 10**9)), seen)
        name, contact_name = self._person(rng)
        phone = 0 if shape == "user_hidden_phone" else self._phone(rng)
        if shape == "user_not_saved":
            contact_name = ""
        item: JSONObject = {
            "chatId": chat_id,
            "name": name,
            "contactName": contact_name,
            "type": "user",
            "phoneNumber": phone,
        }
        if shape != "user_no_username" and (shape != "user_hidden_phone" or rng.random() < 0.5):
            item["username"] = "@" + _unique(lambda: _handle(rng), seen)
        return item

    # ------------------------------------------------------------------ GetContacts

    def __len__(self) -> int:
        return len(self.items)

    def _subset(self, group: bool | None) -> list[JSONObject]:
        if group is None:
            return self.items
        subset = self._filtered.get(group)
        if subset is None:
            wanted = "group" if group else "user"
            subset = [item for item in self.items if item["type"] == wanted]
            self._filtered[group] = subset
        return subset

    def contacts_json(self, count: int | None = None, group: bool | None = None) -> bytes:
        """The GetContacts body: at most ``count`` contacts, only groups or only users."""
        subset = self._subset(group)
        if count is not None and count >= len(subset):
            count = None
        key = (count, group)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        body = dumps(subset if count is None else subset[:count])
        self._cache[key] = body
        if len(self._cache) > _CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return body

    # ------------------------------------------------------------------ GetContactInfo

    def get(self, chat_id: str) -> JSONObject | None:
        """The GetContacts item for ``chat_id``, if the book has it."""
        position = self._index.get(chat_id)
        return None if position is None else self.items[position]

    def is_business(self, chat_id: str) -> bool:
        """Whether the WhatsApp contact uses WhatsApp Business (and so has a catalogue)."""
        return chat_id in self._business

    def whatsapp_info(self, chat_id: str) -> JSONObject:
        """GetContactInfo for a WhatsApp user; unknown users get the documented empty values."""
        item = self.get(chat_id)
        info: JSONObject = {
            "avatar": "",
            "name": "",
            "contactName": "",
            "email": "",
            "category": "",
            "description": "",
            "products": [],
            "chatId": chat_id,
            "lastSeen": None,
            "isArchive": False,
            "isDisappearing": False,
            "isMute": False,
            "messageExpiration": 0,
            "muteExpiration": None,
            "isBusiness": False,
        }
        if item is None:
            return info
        # A per-contact generator keeps details stable without storing them for 100k contacts.
        rng = random.Random(f"{self.seed}:{chat_id}")
        info["name"] = item["name"]
        info["contactName"] = item.get("contactName", "")
        if rng.random() < 0.7:
            info["avatar"] = _whatsapp_avatar(rng)
        if rng.random() < 0.15:
            info["lastSeen"] = str(_NOW - rng.randrange(60, 30 * 86_400))
        info["isArchive"] = rng.random() < 0.1
        if rng.random() < 0.12:
            info["isMute"] = True
            info["muteExpiration"] = _NOW + rng.randrange(3_600, 365 * 86_400)
        if rng.random() < 0.1:
            info["isDisappearing"] = True
            info["messageExpiration"] = rng.choice(_EXPIRATIONS)
        if chat_id in self._business:
            info["isBusiness"] = True
            word = str(item["name"]).rsplit(" ", 1)[-1].lower()
            info["email"] = f"hello@{word}{rng.randrange(100, 999)}.example"
            info["category"] = rng.choice(_CATEGORIES)
            info["description"] = rng.choice(("Open 9-21 daily", "Family business since 1998", ""))
            info["products"] = [_product(rng) for _ in range(rng.randrange(0, 4))]
        return info

    def telegram_info(self, chat_id: str) -> JSONObject:
        """GetContactInfo for a Telegram user; unknown users get empty values."""
        item = self.get(chat_id)
        info: JSONObject = {
            "avatar": "",
            "name": "",
            "contactName": "",
            "chatId": chat_id,
            "lastSeen": 0,
            "phoneNumber": 0,
            "chatType": "private",
            "username": "",
            "isPremium": False,
            "isVerified": False,
            "isScam": False,
            "description": "",
        }
        if item is None:
            return info
        rng = random.Random(f"{self.seed}:{chat_id}")
        info["name"] = item["name"]
        info["contactName"] = item["contactName"]
        info["phoneNumber"] = item["phoneNumber"]
        info["username"] = item.get("username", "")
        if rng.random() < 0.6:
            host = str(self._id_instance)[:4]
            info["avatar"] = (
                f"https://{host}.api.green-api.com/download/{host}/{_token(rng, 27)}.jpg"
            )
        if rng.random() < 0.7:  # The rest hide their last seen time: 0.
            info["lastSeen"] = _NOW - rng.randrange(60, 30 * 86_400)
        info["isPremium"] = rng.random() < 0.15
        info["isVerified"] = rng.random() < 0.02
        info["isScam"] = rng.random() < 0.01
        info["description"] = rng.choice(_BIOS)
        return info


_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HANDLE_WORDS: Final = (
    "vasilisa",
    "ivan",
    "masha",
    "alex",
    "noa",
    "yossi",
    "priya",
    "lucas",
    "sofia",
    "chen",
    "kofi",
    "olga",
    "dima",
    "kate",
    "sergey",
    "emily",
    "john",
    "ahmed",
    "lukasz",
    "ayse",
)


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(length))


def _handle(rng: random.Random) -> str:
    return f"{rng.choice(_HANDLE_WORDS)}_{rng.choice(_HANDLE_WORDS)}{rng.randrange(10_000)}"


def _media_path(rng: random.Random) -> str:
    return (
        f"{rng.randrange(10**8, 10**9)}_{rng.randrange(10**15, 10**16)}_"
        f"{rng.randrange(10**18, 10**19)}_n.jpg"
    )


def _whatsapp_avatar(rng: random.Random) -> str:
    return (
        f"https://pps.whatsapp.net/v/t61.24694-24/{_media_path(rng)}"
        f"?ccb=11-4&oh=01_{_token(rng, 40)}&oe={rng.randrange(16**8):08X}"
    )


def _product(rng: random.Random) -> JSONObject:
    image = f"https://mmg.whatsapp.net/v/t45.5328-4/{_media_path(rng)}"
    query = f"ccb=1-7&_nc_sid=c48759&oh=01_{_token(rng, 40)}&oe={rng.randrange(16**8):08X}"
    product: JSONObject = {
        "id": str(rng.randrange(10**10, 10**16)),
        "imageUrls": {
            "requested": f"{image}?stp=dst-jpg_p100x100&{query}",
            "original": f"{image}?{query}",
        },
        "reviewStatus": {"whatsapp": "APPROVED"},
        "availability": "in stock",
        "name": rng.choice(_PRODUCT_NAMES),
    }
    if rng.random() < 0.6:
        product["description"] = rng.choice(("Best seller", "Price on request", "Takes 1 hour"))
    product["price"] = None if rng.random() < 0.4 else f"{rng.randrange(5, 500) * 10}.00"
    product["isHidden"] = rng.random() < 0.1
    return product
