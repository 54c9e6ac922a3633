"""The documented answers the client contract tests provoke, per flavour and target.

Which scenarios apply to a flavour is registry data (its GetContacts options, how GetContactInfo
answers a group chat, how its backend words a refused request), never a list of flavour names:
a new flavour gets the scenarios its registry entry implies. contract_tests/
test_client_contract.py runs them through every generated client and model flavour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import msgspec
import yaml

from green_api_contacts.flavours import OPERATIONS as REGISTRY_OPERATIONS
from green_api_contacts.flavours import Flavour as RegistryFlavour
from green_api_contacts.flavours import get_flavour
from green_api_contacts.mock import InstanceState

from ._clients import Operation, response_shapes
from ._schemas import document_path
from ._target import Flavour, Target

ChatKind = Literal["user", "group"]
FAULT: Final = "X-Mock-Fault"

# How each backend (the registry's `validation` style) words a chat id it refuses.
INVALID_CHAT_ID_MESSAGE: Final[dict[str, str]] = {  # by VALIDATION_STYLES
    "joi": (
        "Validation failed. Details: 'chatId' must be one of the next formats: "
        "'phone_number@c.us' or 'group_id@g.us'"
    ),
    "go": "Validation failed",
}
# Chat ids of the shapes the flavours use; each flavour gets one its grammar refuses.
CHAT_ID_SHAPES: Final = ("79001234567@c.us", "79001234567")


@dataclass(frozen=True)
class Scenario:
    """One documented answer and how to provoke it."""

    name: str
    operation: Operation
    status: int
    # getContacts through the client: count, group
    query: Mapping[str, Any] = field(default_factory=dict)
    # getContactInfo through the client: a known chat of this kind
    chat: ChatKind = "user"
    raw_body: bytes | None = None  # getContactInfo sent raw, invalid on purpose
    http_method: str | None = None  # sent raw with this (wrong) HTTP method
    headers: Mapping[str, str] = field(default_factory=dict)
    wrong_token: bool = False
    wrong_id: bool = False
    state: InstanceState | None = None  # the embedded mock's instance state during the call
    # What the documentation says the answer holds (checked on the mock and url targets).
    message: str | None = None
    message_prefix: str | None = None
    text: str | None = None
    extra_check: str | None = None

    @property
    def raw(self) -> bool:
        return self.raw_body is not None or self.http_method is not None

    @property
    def label(self) -> str:
        return f"{self.operation}-{self.status}-{self.name}"


def _state(name: str, operation: Operation, state: InstanceState, message: str) -> Scenario:
    status = 466 if state == "quotaExceeded" else 400
    prefix = message if state == "expired" else None
    exact = None if state in ("expired", "quotaExceeded") else message
    return Scenario(
        name,
        operation,
        status,
        state=state,
        message=exact,
        message_prefix=prefix,
    )


def _common(operation: Operation) -> list[Scenario]:
    """Answers every operation documents, provoked on a mock (shared/green-api-facts.md)."""
    return [
        _state("starting", operation, "starting", "instance in starting process try later"),
        _state("not-authorized", operation, "notAuthorized", "instance account not authorized"),
        _state("expired", operation, "expired", "Instance account is expired"),
        _state("deleted", operation, "deleted", "Instance is deleted"),
        _state("quota", operation, "quotaExceeded", ""),
        Scenario("wrong-token", operation, 401, wrong_token=True, text="Unauthorized"),
        Scenario("wrong-id", operation, 403, wrong_id=True, text="Forbidden"),
        Scenario(
            "wrong-method",
            operation,
            404,
            http_method="POST" if operation == "getContacts" else "GET",
            text="Not Found",
        ),
        Scenario(
            "rate-limited",
            operation,
            429,
            headers={FAULT: "429"},
            text="Too Many Requests",
        ),
        Scenario("server-error", operation, 500, headers={FAULT: "500"}),
        Scenario("bad-gateway", operation, 502, headers={FAULT: "502"}),
    ]


def invalid_chat_id(spec: RegistryFlavour) -> str:
    """A chat id of another flavour's shape that this flavour's grammar refuses."""
    return next(chat for chat in CHAT_ID_SHAPES if not spec.is_chat_id(chat))


def _group_info_scenario(spec: RegistryFlavour) -> Scenario:
    """GetContactInfo of a group chat: 200 and null, or the flavour's documented refusal."""
    if spec.group_info_is_null:
        return Scenario("group", "getContactInfo", 200, chat="group")
    assert spec.chat_id_group_example is not None
    return Scenario(
        "group-chat",
        "getContactInfo",
        spec.group_info_status,
        raw_body=msgspec.json.encode({"chatId": spec.chat_id_group_example}),
        message=spec.group_info_message,
    )


def mock_scenarios(spec: RegistryFlavour) -> list[Scenario]:
    """Every documented answer a mock (or a url target) can be made to give, for one flavour;
    which ones apply is the registry's data (options, group-chat answer, validation style)."""
    found = [
        Scenario("all", "getContacts", 200),
        Scenario("count", "getContacts", 200, query={"count": 3}, extra_check="count"),
    ]
    if spec.has_option("getContacts", "group"):
        found.append(
            Scenario("groups-only", "getContacts", 200, query={"group": True}, extra_check="groups")
        )
    found += [
        Scenario(
            "count-zero", "getContacts", 400, query={"count": 0}, message_prefix="Validation failed"
        ),
        *_common("getContacts"),
        Scenario("user", "getContactInfo", 200),
        _group_info_scenario(spec),
        Scenario(
            "invalid-chat-id",
            "getContactInfo",
            400,
            raw_body=msgspec.json.encode({"chatId": invalid_chat_id(spec)}),
            message=INVALID_CHAT_ID_MESSAGE[spec.validation],
        ),
        Scenario(
            "malformed-json",
            "getContactInfo",
            400,
            raw_body=b'{"chatId": }',
            message_prefix="Unexpected token",
        ),
    ]
    if spec.validation == "go":  # a Go backend panics on a chatId that is not a string
        found.append(
            Scenario(
                "chat-id-not-a-string",
                "getContactInfo",
                500,
                raw_body=b'{"chatId": true}',
                message="interface conversion: interface {} is bool, not string",
            )
        )
    return found + _common("getContactInfo")


LIVE_SCENARIOS: Final[tuple[Scenario, ...]] = (
    Scenario("some", "getContacts", 200, query={"count": 20}, extra_check="count"),
    Scenario("user", "getContactInfo", 200),
    Scenario("wrong-token", "getContacts", 401, wrong_token=True),
)


def prism_scenarios(flavour: Flavour) -> list[Scenario]:
    """One scenario per documented answer: Prism answers what `Prefer` asks for."""
    found: list[Scenario] = []
    for operation, statuses in response_shapes(flavour).items():
        for status in statuses:
            if status == 200:
                found.append(Scenario("example", operation, 200))
            else:
                found.append(
                    Scenario("prefer", operation, status, headers={"Prefer": f"code={status}"})
                )
    found += [
        # Prism validates requests itself and answers the document's first 400 example.
        Scenario("invalid-chat-id", "getContactInfo", 400, raw_body=b'{"chatId": "not a chat"}'),
    ]
    spec = get_flavour(flavour)
    group = _group_info_scenario(spec)
    example = _example_name(flavour, group.status, spec.group_info_message)
    prefer = f"code={group.status}, example={example}"
    found.append(Scenario(group.name, "getContactInfo", group.status, headers={"Prefer": prefer}))
    return found


def _example_name(flavour: Flavour, status: int, message: str | None) -> str:
    """The name of the flavour document's GetContactInfo example for `status` whose body's
    message is `message`, or whose body is null when `message` is None (for Prefer: example=)."""
    document = yaml.safe_load(document_path(flavour).read_text(encoding="utf-8"))
    info = REGISTRY_OPERATIONS["getContactInfo"]
    operation = document["paths"][info.path][info.http_method.lower()]
    ref = operation["responses"][str(status)]["$ref"].rsplit("/", 1)[-1]
    (content,) = document["components"]["responses"][ref]["content"].values()
    named = document["components"].get("examples", {})
    for name, example in content.get("examples", {}).items():
        if "$ref" in example:
            example = named[example["$ref"].rsplit("/", 1)[-1]]
        body = example.get("value")
        if message is None:
            found = body is None
        else:
            found = isinstance(body, dict) and body.get("message") == message
        if found:
            return str(name)
    raise LookupError(f"{flavour}: no {status} example for a group chat")


def scenarios_for(target: Target, flavour: Flavour) -> list[Scenario]:
    if target.kind == "prism":
        return prism_scenarios(flavour)
    if target.kind == "live":
        return list(LIVE_SCENARIOS)
    return mock_scenarios(get_flavour(flavour))
