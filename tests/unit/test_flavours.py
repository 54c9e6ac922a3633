"""The typed view of the flavour registry (green_api_contacts.flavours) agrees with its sources."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import msgspec
import pytest

from green_api_contacts.flavours import (
    FLAVOURS,
    OPERATIONS,
    VALIDATION_STYLES,
    Flavour,
    example_instances,
    flavour_names,
    get_flavour,
    get_operation,
)
from tests.documented import sent_values
from tools.generate import ROOT
from tools.overlay import load_document

SOURCE: Any = load_document(ROOT / "openapi.yaml")
REGISTRY: dict[str, Any] = SOURCE["x-green-api-flavours"]
ALL = list(FLAVOURS.values())


def _ids(flavour: Flavour) -> str:
    return flavour.name


def _document(flavour: Flavour) -> Any:
    return load_document(ROOT / "generated" / flavour.document)


def test_flavours_are_the_registry_in_declaration_order() -> None:
    assert list(FLAVOURS) == list(REGISTRY) == list(flavour_names())
    assert {"whatsapp", "telegram", "max"} <= set(FLAVOURS)


@pytest.mark.parametrize("name", ["max", "MAX", " Telegram ", "WhatsApp"])
def test_get_flavour_ignores_case(name: str) -> None:
    assert get_flavour(name).name == name.strip().lower()


def test_get_flavour_lists_the_known_names() -> None:
    with pytest.raises(ValueError, match="unknown flavour 'viber'") as info:
        get_flavour("viber")
    for name in FLAVOURS:
        assert name in str(info.value)


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_registry_facts_are_carried_over(flavour: Flavour) -> None:
    entry = REGISTRY[flavour.name]
    assert (flavour.title, flavour.class_prefix) == (entry["title"], entry["classPrefix"])
    assert flavour.api_url == entry["apiUrl"]
    assert flavour.path_prefixes == tuple(entry["pathPrefixes"])
    assert flavour.id_instance_example == entry["idInstance"]["example"]
    assert flavour.type_instance == entry["typeInstance"]
    assert flavour.validation in VALIDATION_STYLES


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_mock_token_is_public_example_shaped_and_not_in_repr(flavour: Flavour) -> None:
    assert re.fullmatch(r"[0-9a-f]{50}", flavour.mock_token)
    assert flavour.mock_token not in repr(flavour)


def test_mock_tokens_and_ids_differ_between_flavours() -> None:
    assert len({f.mock_token for f in ALL}) == len(ALL)
    assert len({f.id_instance_example for f in ALL}) == len(ALL)


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_chat_id_regex_is_the_documents_pattern_and_matches_whole_strings(
    flavour: Flavour,
) -> None:
    schema = _document(flavour)["components"]["schemas"][flavour.chat_id_schema]
    assert flavour.chat_id_pattern == schema["pattern"]
    user = flavour.chat_id_user_example
    assert flavour.is_chat_id(user)
    for bad in (f"{user}\n", f" {user}", f"{user}x", "", "٣٣٣"):  # the last: Arabic digits
        assert not flavour.is_chat_id(bad), bad


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_group_example_agrees_with_how_group_chats_are_answered(flavour: Flavour) -> None:
    """A group chatId GetContactInfo answers with 200 is valid; one it refuses is not."""
    group = flavour.chat_id_group_example
    assert group is not None
    assert flavour.is_chat_id(group) is flavour.group_info_is_null
    if not flavour.group_info_is_null:
        assert flavour.group_info_status == 400
        assert flavour.group_info_message and "group chats" in flavour.group_info_message


def test_max_chat_ids() -> None:
    flavour = get_flavour("max")
    assert flavour.is_chat_id("1234567890123456")  # 16 characters
    assert not flavour.is_chat_id("12345678901234567")
    assert not flavour.is_chat_id("-100")  # a group: GetContactInfo takes users only
    assert flavour.path_prefixes == ("", "/v3")
    assert flavour.api_url.endswith("/v3")


def test_operations_come_from_the_paths() -> None:
    assert list(OPERATIONS) == ["getContacts", "getContactInfo"]
    for operation in OPERATIONS.values():
        item = SOURCE["paths"][operation.path]
        assert item[operation.http_method.lower()]["operationId"] == operation.name
        assert operation.path_parameters == ("idInstance", "apiTokenInstance")
    assert OPERATIONS["getContactInfo"].has_body and not OPERATIONS["getContacts"].has_body
    assert get_operation("GETCONTACTINFO") is OPERATIONS["getContactInfo"]
    with pytest.raises(ValueError, match="getContacts, getContactInfo"):
        get_operation("sendMessage")


def test_url_path_puts_the_prefix_before_the_template() -> None:
    path = OPERATIONS["getContacts"].url_path(3100000000, "tok", "/v3")
    assert path == "/v3/waInstance3100000000/getContacts/tok"


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_options_are_the_flavour_documents_parameters(flavour: Flavour) -> None:
    operation = _document(flavour)["paths"][OPERATIONS["getContacts"].path]["get"]
    names = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in operation.get("parameters", [])}
    assert set(flavour.options["getContacts"]) == names
    assert flavour.has_option("getContactInfo", "chatId")
    assert flavour.has_option("getContacts", "count")
    assert not flavour.has_option("getContacts", "chatId")


def test_only_whatsapp_filters_by_group() -> None:
    assert [f.name for f in ALL if f.has_option("getContacts", "group")] == ["whatsapp"]


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_generated_modules_and_classes_exist(flavour: Flavour) -> None:
    for name in (flavour.contact_struct, flavour.info_struct, flavour.request_struct):
        assert issubclass(flavour.struct(name), msgspec.Struct)
    assert hasattr(flavour.structs(), flavour.info_result)
    assert hasattr(flavour.models(), flavour.contact_struct)
    assert hasattr(flavour.client("models"), flavour.request_struct)
    assert hasattr(flavour.client("api.contacts.get_contact_info"), "sync_detailed")
    assert flavour.struct(flavour.contact_struct).__name__.startswith(flavour.class_prefix)


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_contact_id_field_is_the_items_required_field(flavour: Flavour) -> None:
    contact = _document(flavour)["components"]["schemas"][flavour.contact_struct]
    assert contact["required"] == [flavour.contact_id_field]
    body = {flavour.contact_id_field: flavour.chat_id_user_example}
    contact_type = flavour.struct(flavour.contact_struct)
    decoded: object = msgspec.json.decode(msgspec.json.encode(body), type=contact_type)
    # The other fields read as their defaults (README, "Fields and absent values").
    assert sent_values(body, msgspec.to_builtins(decoded)) == body


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_info_of_a_group_decodes_as_documented(flavour: Flavour) -> None:
    info_type = getattr(flavour.structs(), flavour.info_result)
    if flavour.info_nullable:
        assert msgspec.json.decode(b"null", type=info_type) is None
    else:
        with pytest.raises(msgspec.ValidationError):
            msgspec.json.decode(b"null", type=info_type)


def test_registry_is_read_only() -> None:
    flavour = get_flavour("telegram")
    with pytest.raises(dataclasses.FrozenInstanceError):
        flavour.api_url = "https://evil.example"  # type: ignore[misc]
    with pytest.raises(TypeError):
        flavour.options["getContacts"] = ("count", "group")  # type: ignore[index]
    with pytest.raises(TypeError):
        FLAVOURS["viber"] = flavour  # type: ignore[index]
    assert hash(flavour) == hash(get_flavour("TELEGRAM"))


def test_an_unknown_validation_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown validation style"):
        dataclasses.replace(get_flavour("max"), validation="php")


def test_example_instances_one_per_flavour_without_token_in_repr() -> None:
    instances = example_instances()
    assert [i.flavour for i in instances] == list(FLAVOURS)
    for instance in instances:
        flavour = get_flavour(instance.flavour)
        assert (instance.id_instance, instance.token) == (
            flavour.id_instance_example,
            flavour.mock_token,
        )
        assert flavour.id_instance_min <= instance.id_instance <= flavour.id_instance_max
        assert instance.token not in repr(instance)


@pytest.mark.parametrize("flavour", ALL, ids=_ids)
def test_info_type_decodes_the_documents_info_example(flavour: Flavour) -> None:
    doc = _document(flavour)
    examples = doc["components"]["examples"]
    info = next(v["value"] for k, v in examples.items() if k == flavour.info_struct)
    decoded = msgspec.json.decode(msgspec.json.encode(info), type=flavour.info_type())
    assert sent_values(info, msgspec.to_builtins(decoded)) == info
