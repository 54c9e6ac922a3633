"""Configuration of mock instances: who exists, with which token, flavour and state."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

Flavour = Literal["whatsapp", "telegram"]
InstanceState = Literal[
    "authorized", "starting", "notAuthorized", "expired", "deleted", "quotaExceeded"
]

Method = Literal["getContacts", "getContactInfo"]

# Method names are matched case-insensitively: the docs say getContacts, Postman GetContacts.
METHODS: Final[dict[str, Method]] = {
    "getcontacts": "getContacts",
    "getcontactinfo": "getContactInfo",
}
# The one HTTP method each API method answers to; any other gets 404.
HTTP_METHODS: Final[dict[Method, str]] = {"getContacts": "GET", "getContactInfo": "POST"}

FLAVOURS: Final[tuple[Flavour, ...]] = get_args(Flavour)
INSTANCE_STATES: Final[tuple[InstanceState, ...]] = get_args(InstanceState)

# A book this large still builds in about a second; far larger ones only burn memory.
MAX_CONTACTS: Final = 1_000_000
# idInstance is an integer of 1 to 10 digits.
MAX_ID_INSTANCE: Final = 9_999_999_999

# Tokens travel as one URL path segment, so only unreserved URI characters make sense.
_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9._~-]{1,256}")
_ID_RE: Final = re.compile(r"[0-9]{1,10}")

# Fake credentials shaped like real ones (50 lowercase hex characters). They are public on
# purpose: the mock is for local tests only and must never be mistaken for a real secret store.
EXAMPLE_WHATSAPP_ID: Final = 1101000001
EXAMPLE_WHATSAPP_TOKEN: Final = "ee98048af5d78cde4f69fccd3d03823ad3913d26e8c7a0fb49"  # noqa: S105
EXAMPLE_TELEGRAM_ID: Final = 4100000000
EXAMPLE_TELEGRAM_TOKEN: Final = "99efbc8fffe7a36759c7cd8a30676d8d5dae3a7bb3e1cdd880"  # noqa: S105


@dataclass(frozen=True)
class MockInstance:
    """One instance the mock answers for.

    The token is excluded from ``repr`` so that a failing test or a log line that prints the
    configuration never leaks it. ``seed`` defaults to ``id_instance`` so that every instance
    has its own, reproducible contact book.
    """

    id_instance: int
    token: str = field(repr=False)
    flavour: Flavour
    contacts: int = 1000
    seed: int | None = None
    state: InstanceState = "authorized"
    warmup_seconds: float = 0.0

    def __post_init__(self) -> None:
        if isinstance(self.id_instance, bool) or not isinstance(self.id_instance, int):
            raise TypeError("id_instance must be an int")
        if not 1 <= self.id_instance <= MAX_ID_INSTANCE:
            raise ValueError("id_instance must have 1 to 10 digits and be positive")
        if not isinstance(self.token, str) or _TOKEN_RE.fullmatch(self.token) is None:
            # Never echo the token itself: this message may end up in a log.
            raise ValueError("token must be 1-256 characters from [A-Za-z0-9._~-]")
        if self.flavour not in FLAVOURS:
            raise ValueError(f"flavour must be one of {', '.join(FLAVOURS)}")
        if isinstance(self.contacts, bool) or not isinstance(self.contacts, int):
            raise TypeError("contacts must be an int")
        if not 0 <= self.contacts <= MAX_CONTACTS:
            raise ValueError(f"contacts must be between 0 and {MAX_CONTACTS}")
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int)
        ):
            raise TypeError("seed must be an int or None")
        if self.state not in INSTANCE_STATES:
            raise ValueError(f"state must be one of {', '.join(INSTANCE_STATES)}")
        if not math.isfinite(self.warmup_seconds) or self.warmup_seconds < 0:
            raise ValueError("warmup_seconds must be a finite number >= 0")

    @property
    def book_seed(self) -> int:
        """The seed the contact book is generated from."""
        return self.id_instance if self.seed is None else self.seed


DEFAULT_INSTANCES: Final[tuple[MockInstance, ...]] = (
    MockInstance(EXAMPLE_WHATSAPP_ID, EXAMPLE_WHATSAPP_TOKEN, "whatsapp"),
    MockInstance(EXAMPLE_TELEGRAM_ID, EXAMPLE_TELEGRAM_TOKEN, "telegram"),
)


def parse_instance_spec(spec: str) -> MockInstance:
    """Parse ``ID:TOKEN:FLAVOUR[:CONTACTS]`` as given on the command line.

    Error messages name the faulty part but never repeat the token.
    """
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise ValueError(
            f"instance spec must be ID:TOKEN:FLAVOUR[:CONTACTS], got {len(parts)} fields"
        )
    raw_id, token, raw_flavour = parts[0].strip(), parts[1].strip(), parts[2].strip().lower()
    if _ID_RE.fullmatch(raw_id) is None:
        raise ValueError("instance spec: ID must be 1 to 10 digits")
    if raw_flavour == "whatsapp":
        flavour: Flavour = "whatsapp"
    elif raw_flavour == "telegram":
        flavour = "telegram"
    else:
        raise ValueError("instance spec: FLAVOUR must be whatsapp or telegram")
    contacts = 1000
    if len(parts) == 4:
        raw_contacts = parts[3].strip()
        if not raw_contacts.isascii() or not raw_contacts.isdigit():
            raise ValueError("instance spec: CONTACTS must be a non-negative integer")
        contacts = int(raw_contacts)
    return MockInstance(int(raw_id), token, flavour, contacts=contacts)
