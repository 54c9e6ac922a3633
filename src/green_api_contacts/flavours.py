"""The flavours of GREEN-API instance and the operations, as typed data.

Everything here comes from one place: the registry in openapi.yaml (`x-green-api-flavours`),
which `make generate` writes out, completed from each flavour's document, as
`green_api_contacts.generated.registry`. Code that needs to know what a flavour is (its default
URL, chat-id grammar, request options, generated modules, how the mock answers) reads it from a
`Flavour` instead of comparing flavour names, so that a new flavour is a new registry entry,
not a new branch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module
from types import GenericAlias, MappingProxyType, ModuleType
from typing import Final, Literal, get_args

from green_api_contacts.generated.registry import FLAVOURS as _FLAVOUR_DATA
from green_api_contacts.generated.registry import OPERATIONS as _OPERATION_DATA

__all__ = [
    "ERROR_ANSWERS",
    "FLAVOURS",
    "GENERATED_PACKAGE",
    "OPERATIONS",
    "VALIDATION_STYLES",
    "ExampleInstance",
    "Flavour",
    "Operation",
    "ValidationStyle",
    "example_instances",
    "flavour_names",
    "get_flavour",
    "get_operation",
]

GENERATED_PACKAGE: Final = "green_api_contacts.generated"

# How a flavour's backend words a refused request: "joi" (Node.js Joi, "Validation failed.
# Details: ..." per rule) or "go" (a plain "Validation failed"; a non-string chatId gives 500).
ValidationStyle = Literal["joi", "go"]
VALIDATION_STYLES: Final[tuple[ValidationStyle, ...]] = get_args(ValidationStyle)

# What every flavour document answers besides 200, by status: the component (and generated
# Struct or alias) name, the same in every flavour's structs module. The drift report reads it
# through `Flavour.answer_type`; tests/unit/test_drift.py holds it against the documents.
ERROR_ANSWERS: Final[Mapping[int, str]] = MappingProxyType(
    {
        400: "ErrorBody",
        401: "PlainText",
        403: "PlainText",
        404: "PlainText",
        429: "PlainText",
        466: "QuotaExceededBody",
        500: "ErrorBody",
        502: "PlainText",
    }
)


@dataclass(frozen=True, slots=True)
class Operation:
    """One API method, as openapi.yaml's paths declare it (the same for every flavour)."""

    name: str
    http_method: str
    path: str
    path_parameters: tuple[str, ...]
    query_parameters: tuple[str, ...]
    has_body: bool

    def url_path(self, id_instance: int, token: str, prefix: str = "") -> str:
        """The request path; `prefix` is one of a flavour's `path_prefixes`."""
        path = self.path.replace("{idInstance}", str(id_instance))
        return prefix + path.replace("{apiTokenInstance}", token)


@dataclass(frozen=True)
class Flavour:
    """One flavour of instance: the registry entry plus what generation derived for it.

    Frozen and hashable by name; the compiled chat-id regex and the imported modules are built
    on first use, so reading the registry costs no import of the generated code.
    """

    name: str
    title: str
    class_prefix: str
    type_instance: str
    api_url: str
    # The API answers under each of these path prefixes (MAX: with and without /v3).
    path_prefixes: tuple[str, ...]
    id_instance_min: int
    id_instance_max: int
    id_instance_example: int
    # A public example token for the mock (50 lowercase hex); never a real secret.
    mock_token: str = field(repr=False)
    chat_id_schema: str
    # The JSON Schema pattern of chat_id_schema, as written in the description.
    chat_id_pattern: str
    chat_id_description: str
    chat_id_user_example: str
    chat_id_group_example: str | None
    # What the API treats as a group chat (GetContactInfo answers it as group_info_* say).
    chat_id_group_pattern: str | None
    # How GetContactInfo answers a group chat: 200 with null, or an error status and message.
    group_info_status: int
    group_info_message: str | None
    validation: str  # one of VALIDATION_STYLES
    # Operation name -> the query parameters and body fields this flavour's document declares.
    options: Mapping[str, tuple[str, ...]]
    # The field of a GetContacts item that holds the contact's chatId (`id` or `chatId`).
    contact_id_field: str
    document: str
    client_package: str
    structs_module: str
    models_module: str
    contact_struct: str
    info_struct: str
    info_result: str
    info_nullable: bool
    request_struct: str

    def __post_init__(self) -> None:
        if self.validation not in VALIDATION_STYLES:
            raise ValueError(f"flavour {self.name}: unknown validation style {self.validation!r}")
        # Read-only: one shared registry must not be changed through one of its users.
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @cached_property
    def chat_id_regex(self) -> re.Pattern[str]:
        """The chat-id grammar; use with `fullmatch` (see `is_chat_id`), never `match`."""
        return re.compile(self.chat_id_pattern, re.ASCII)

    def is_chat_id(self, chat_id: str) -> bool:
        """Whether GetContactInfo of this flavour takes `chat_id` (the whole string matches)."""
        return self.chat_id_regex.fullmatch(chat_id) is not None

    @cached_property
    def group_chat_regex(self) -> re.Pattern[str] | None:
        """The group-chat grammar (full match), or None when the flavour has no group chats."""
        pattern = self.chat_id_group_pattern
        return None if pattern is None else re.compile(pattern, re.ASCII)

    def is_group_chat(self, chat_id: str) -> bool:
        """Whether `chat_id` names a group chat of this flavour (the whole string matches)."""
        regex = self.group_chat_regex
        return regex is not None and regex.fullmatch(chat_id) is not None

    def has_option(self, operation: str, option: str) -> bool:
        """Whether `operation` takes the query parameter or body field `option` here."""
        return option in self.options.get(operation, ())

    @property
    def group_info_is_null(self) -> bool:
        """Whether GetContactInfo answers a group chat with 200 and the body null."""
        return self.group_info_status == 200 and self.group_info_message is None

    def structs(self) -> ModuleType:
        """The generated msgspec Structs of this flavour (the public clients' results)."""
        return import_module(f"{GENERATED_PACKAGE}.{self.structs_module}")

    def models(self) -> ModuleType:
        """The generated pydantic v2 models of this flavour."""
        return import_module(f"{GENERATED_PACKAGE}.{self.models_module}")

    def client(self, submodule: str = "") -> ModuleType:
        """The generated openapi-python-client package, or one of its submodules."""
        suffix = f".{submodule}" if submodule else ""
        return import_module(f"{GENERATED_PACKAGE}.{self.client_package}{suffix}")

    def struct(self, name: str) -> type:
        """A class of the structs module by name, e.g. `flavour.struct(flavour.contact_struct)`."""
        found = getattr(self.structs(), name)
        if not isinstance(found, type):
            raise TypeError(f"{self.structs_module}.{name} is not a class")
        return found

    def info_type(self) -> object:
        """What GetContactInfo decodes into: the info Struct, or its `... | None` alias."""
        found: object = getattr(self.structs(), self.info_result)
        return found

    def answer_type(self, operation: str, status: int) -> object | None:
        """What an answer of `operation` (e.g. `getContacts`) with `status` decodes into: the
        operation's result for 200, the error body otherwise; None for an undeclared status."""
        if operation not in self.options:
            raise ValueError(f"unknown operation {operation!r}; known: {', '.join(self.options)}")
        if status != 200:
            name = ERROR_ANSWERS.get(status)
            return None if name is None else getattr(self.structs(), name)
        if operation == "getContactInfo":
            return self.info_type()
        return GenericAlias(list, (self.struct(self.contact_struct),))  # GetContacts

    def __hash__(self) -> int:
        return hash(self.name)


@dataclass(frozen=True, slots=True)
class ExampleInstance:
    """An instance the mock serves by default: one per flavour, with its public example token."""

    id_instance: int
    token: str = field(repr=False)
    flavour: str


FLAVOURS: Final[Mapping[str, Flavour]] = MappingProxyType(
    {data["name"]: Flavour(**data) for data in _FLAVOUR_DATA}
)
"""Every flavour, by name, in the registry's declaration order."""

OPERATIONS: Final[Mapping[str, Operation]] = MappingProxyType(
    {data["name"]: Operation(**data) for data in _OPERATION_DATA}
)
"""Every operation, by name (e.g. `getContacts`), in the description's order."""


def example_instances() -> tuple[ExampleInstance, ...]:
    """One example instance per flavour, in declaration order (the mock's defaults)."""
    return tuple(
        ExampleInstance(f.id_instance_example, f.mock_token, f.name) for f in FLAVOURS.values()
    )


def flavour_names() -> tuple[str, ...]:
    """The flavour names in declaration order (CLI choices, help texts, parametrised tests)."""
    return tuple(FLAVOURS)


def get_flavour(name: str) -> Flavour:
    """The flavour called `name`, in any case; a ValueError lists the known names."""
    found = FLAVOURS.get(name.strip().lower()) if isinstance(name, str) else None
    if found is None:
        raise ValueError(f"unknown flavour {name!r}; known flavours: {', '.join(FLAVOURS)}")
    return found


def get_operation(name: str) -> Operation:
    """The operation called `name`, in any case (the API accepts either), or a ValueError."""
    for operation in OPERATIONS.values():
        if operation.name.lower() == name.lower():
            return operation
    raise ValueError(f"unknown operation {name!r}; known operations: {', '.join(OPERATIONS)}")
