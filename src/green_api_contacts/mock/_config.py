"""Configuration of mock instances: who exists, with which token, flavour and state.

Which flavours exist, their idInstance ranges, example instances and tokens come from the
flavour registry (``green_api_contacts.flavours``); nothing here names a flavour.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias, cast, get_args

from green_api_contacts.flavours import FLAVOURS as REGISTRY
from green_api_contacts.flavours import OPERATIONS, example_instances, get_flavour
from green_api_contacts.flavours import Flavour as FlavourSpec

# A registered flavour's name (see green_api_contacts.flavours.flavour_names()).
Flavour: TypeAlias = str
InstanceState = Literal[
    "authorized", "starting", "notAuthorized", "expired", "deleted", "quotaExceeded"
]

# The operations the mock implements; the registry's operations must be exactly these.
Method = Literal["getContacts", "getContactInfo"]


def _methods() -> dict[str, Method]:
    implemented = get_args(Method)
    if sorted(OPERATIONS) != sorted(implemented):
        raise RuntimeError(
            f"the mock implements {implemented}, the registry has {tuple(OPERATIONS)}"
        )
    return {name.lower(): cast(Method, name) for name in OPERATIONS}


# Method names are matched case-insensitively: the docs say getContacts, Postman GetContacts.
METHODS: Final[dict[str, Method]] = _methods()
# The one HTTP method each API method answers to; any other gets 404.
HTTP_METHODS: Final[dict[Method, str]] = {
    METHODS[op.name.lower()]: op.http_method for op in OPERATIONS.values()
}

FLAVOURS: Final[tuple[Flavour, ...]] = tuple(REGISTRY)
# Every path prefix any flavour answers under, longest first ("" last).
PATH_PREFIXES: Final[tuple[str, ...]] = tuple(
    sorted({p for f in REGISTRY.values() for p in f.path_prefixes}, key=len, reverse=True)
)
INSTANCE_STATES: Final[tuple[InstanceState, ...]] = get_args(InstanceState)

# A book this large still builds in about a second; far larger ones only burn memory.
MAX_CONTACTS: Final = 1_000_000

# Tokens travel as one URL path segment, so only unreserved URI characters make sense.
_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9._~-]{1,256}")
_ID_RE: Final = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class MockInstance:
    """One instance the mock answers for.

    The token is excluded from ``repr`` so that a failing test or a log line that prints the
    configuration never leaks it. ``seed`` defaults to ``id_instance`` so that every instance
    has its own, reproducible contact book. ``flavour`` is any registered flavour, in any case
    (stored lowercase). ``ignore_count_and_group``: GREEN-API staff say some instances do not
    honour GetContacts' ``count`` and ``group``; such an instance still validates them, then
    answers the whole list. ``monthly_quota``: the ``used``/``total`` of the 466 answer in the
    state ``quotaExceeded``; 1000 is an assumption no published GREEN-API page confirms.
    """

    id_instance: int
    token: str = field(repr=False)
    flavour: Flavour
    contacts: int = 1000
    seed: int | None = None
    state: InstanceState = "authorized"
    warmup_seconds: float = 0.0
    ignore_count_and_group: bool = False
    monthly_quota: int = 1000

    def __post_init__(self) -> None:
        spec = get_flavour(self.flavour)  # ValueError listing the registered names
        object.__setattr__(self, "flavour", spec.name)
        if isinstance(self.id_instance, bool) or not isinstance(self.id_instance, int):
            raise TypeError("id_instance must be an int")
        if not spec.id_instance_min <= self.id_instance <= spec.id_instance_max:
            raise ValueError(
                f"id_instance of a {spec.title} instance must be between "
                f"{spec.id_instance_min} and {spec.id_instance_max}"
            )
        if not isinstance(self.token, str) or _TOKEN_RE.fullmatch(self.token) is None:
            # Never echo the token itself: this message may end up in a log.
            raise ValueError("token must be 1-256 characters from [A-Za-z0-9._~-]")
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
        if not isinstance(self.ignore_count_and_group, bool):
            raise TypeError("ignore_count_and_group must be a bool")
        if isinstance(self.monthly_quota, bool) or not isinstance(self.monthly_quota, int):
            raise TypeError("monthly_quota must be an int")
        if self.monthly_quota < 1:
            raise ValueError("monthly_quota must be at least 1")

    @property
    def spec(self) -> FlavourSpec:
        """The flavour's registry entry: everything flavour-specific the mock does."""
        return REGISTRY[self.flavour]

    @property
    def book_seed(self) -> int:
        """The seed the contact book is generated from."""
        return self.id_instance if self.seed is None else self.seed


DEFAULT_INSTANCES: Final[tuple[MockInstance, ...]] = tuple(
    MockInstance(example.id_instance, example.token, example.flavour)
    for example in example_instances()
)
"""One instance per registered flavour, with the registry's example id and public token."""

# Kept for existing callers; new code reads flavours.example_instances() or a Flavour.
# Fake credentials shaped like real ones (50 lowercase hex characters), public on purpose.
EXAMPLE_WHATSAPP_ID: Final = REGISTRY["whatsapp"].id_instance_example
EXAMPLE_WHATSAPP_TOKEN: Final = REGISTRY["whatsapp"].mock_token
EXAMPLE_TELEGRAM_ID: Final = REGISTRY["telegram"].id_instance_example
EXAMPLE_TELEGRAM_TOKEN: Final = REGISTRY["telegram"].mock_token
EXAMPLE_MAX_ID: Final = REGISTRY["max"].id_instance_example
EXAMPLE_MAX_TOKEN: Final = REGISTRY["max"].mock_token


def parse_instance_spec(spec: str) -> MockInstance:
    """Parse ``ID:TOKEN:FLAVOUR[:CONTACTS]`` as given on the command line.

    FLAVOUR is any registered flavour, in any case. Error messages name the faulty part but
    never repeat the token.
    """
    parts = spec.split(":")
    if len(parts) not in (3, 4):
        raise ValueError(
            f"instance spec must be ID:TOKEN:FLAVOUR[:CONTACTS], got {len(parts)} fields"
        )
    raw_id, token, raw_flavour = parts[0].strip(), parts[1].strip(), parts[2].strip().lower()
    if _ID_RE.fullmatch(raw_id) is None:
        raise ValueError("instance spec: ID must be 1 to 10 digits")
    if raw_flavour not in REGISTRY:
        raise ValueError(f"instance spec: FLAVOUR must be one of {', '.join(FLAVOURS)}")
    contacts = 1000
    if len(parts) == 4:
        raw_contacts = parts[3].strip()
        if not raw_contacts.isascii() or not raw_contacts.isdigit():
            raise ValueError("instance spec: CONTACTS must be a non-negative integer")
        contacts = int(raw_contacts)
    return MockInstance(int(raw_id), token, raw_flavour, contacts=contacts)
