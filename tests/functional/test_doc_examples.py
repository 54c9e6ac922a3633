"""Every documented body validates against its flavour's document and parses, values intact,
into every generated model flavour: the openapi-python-client models (through the generated
client itself for 200 answers), the pydantic models and the msgspec Structs."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.flavours import FLAVOURS, OPERATIONS, get_flavour
from tests.documented import ALL, ERRORS, REFUSED, Documented, sent_values
from tools.generate import ROOT
from tools.overlay import load_document

TOKEN = "example0token0for0tests0only0000000000000000000000"
PATHS = {name: (op.path, op.http_method.lower()) for name, op in OPERATIONS.items()}


def _schema_ref(doc: Any, example: Documented) -> str:
    path, method = PATHS[example.operation]
    operation = doc["paths"][path][method]
    if example.kind == "request":
        holder = operation["requestBody"]["$ref"]
    else:
        holder = operation["responses"][str(example.status)]["$ref"]
    kind, name = holder.removeprefix("#/components/").split("/")
    ref: str = doc["components"][kind][name]["content"]["application/json"]["schema"]["$ref"]
    return ref


def _validator(flavour: str, ref: str) -> Draft202012Validator:
    doc = load_document(ROOT / f"generated/{flavour}.openapi.yaml")
    registry: Registry[Any] = Registry().with_resource(
        "urn:flavour", Resource.from_contents(doc, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"urn:flavour{ref}"}, registry=registry)


def _by_id(example: Documented) -> str:
    return example.id


@pytest.mark.parametrize("example", ALL + ERRORS, ids=_by_id)
def test_validates_against_its_flavour_document(example: Documented) -> None:
    doc = load_document(ROOT / f"generated/{example.flavour}.openapi.yaml")
    errors = list(_validator(example.flavour, _schema_ref(doc, example)).iter_errors(example.body))
    assert errors == []


def test_every_flavour_has_documented_requests_and_responses() -> None:
    for flavour in FLAVOURS:
        kinds = {(e.operation, e.kind) for e in ALL if e.flavour == flavour}
        assert {(op, "response") for op in OPERATIONS} <= kinds, flavour
        assert ("getContactInfo", "request") in kinds, flavour


@pytest.mark.parametrize("example", [e for e in ALL if e.kind == "request"], ids=_by_id)
def test_a_request_is_judged_by_each_other_flavours_own_grammar(example: Documented) -> None:
    """Requests are strict: another flavour's document takes a chatId only if its grammar does.

    Telegram and MAX user ids are both numeric strings, so some are valid for both; a WhatsApp
    chatId is valid nowhere else.
    """
    for other in FLAVOURS.values():
        if other.name == example.flavour:
            continue
        doc = load_document(ROOT / f"generated/{other.document}")
        errors = list(_validator(other.name, _schema_ref(doc, example)).iter_errors(example.body))
        assert (errors == []) is other.is_chat_id(example.body["chatId"]), other.name


@pytest.mark.parametrize("example", REFUSED, ids=_by_id)
def test_a_request_the_api_refuses_is_invalid_in_its_own_document(example: Documented) -> None:
    doc = load_document(ROOT / f"generated/{example.flavour}.openapi.yaml")
    assert list(_validator(example.flavour, _schema_ref(doc, example)).iter_errors(example.body))


def _generated_client(flavour: str, handler: Any) -> Any:
    client_module = import_module(f"green_api_contacts.generated.{flavour}_client")
    return client_module.Client(
        base_url="https://api.green-api.example",
        httpx_args={"transport": httpx.MockTransport(handler)},
        raise_on_unexpected_status=True,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


@pytest.mark.parametrize("example", ALL, ids=_by_id)
def test_round_trips_through_the_generated_client(example: Documented) -> None:
    api = import_module(
        f"green_api_contacts.generated.{example.flavour}_client.api.contacts."
        + ("get_contacts" if example.operation == "getContacts" else "get_contact_info")
    )
    models = import_module(f"green_api_contacts.generated.{example.flavour}_client.models")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = example.body if example.kind == "response" else None
        if example.kind == "request":
            body = {"name": "", "chatId": example.body["chatId"]}
        return httpx.Response(
            200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )

    flavour = get_flavour(example.flavour)
    client = _generated_client(example.flavour, handler)
    kwargs: dict[str, Any] = {"client": client}
    if example.operation == "getContactInfo":
        chat_id = example.body["chatId"] if example.kind == "request" else "71234567890@c.us"
        kwargs["body"] = getattr(models, flavour.request_struct).from_dict({"chatId": chat_id})
    response = api.sync_detailed(flavour.id_instance_example, TOKEN, **kwargs)

    assert response.status_code == 200
    if example.kind == "request":
        assert json.loads(seen[0].content) == example.body
        assert seen[0].method == "POST"
    else:
        assert _jsonable(response.parsed) == example.body
    assert seen[0].url.path.endswith(f"/{TOKEN}")


@pytest.mark.parametrize("example", ERRORS, ids=_by_id)
def test_error_bodies_round_trip_through_the_generated_client_models(example: Documented) -> None:
    """The generated client cannot parse a 466 (upstream issue #1442): its models can."""
    models = import_module(f"green_api_contacts.generated.{example.flavour}_client.models")
    doc = load_document(ROOT / f"generated/{example.flavour}.openapi.yaml")
    name = _schema_ref(doc, example).rsplit("/", 1)[-1]
    assert getattr(models, name).from_dict(example.body).to_dict() == example.body


@pytest.mark.parametrize("example", [e for e in ALL + ERRORS if e.kind == "response"], ids=_by_id)
def test_keeps_its_values_in_the_msgspec_structs(example: Documented) -> None:
    """The Structs the public clients return: every sent value kept, with its type."""
    structs = import_module(f"green_api_contacts.generated.{example.flavour}_structs")
    doc = load_document(ROOT / f"generated/{example.flavour}.openapi.yaml")
    name = _schema_ref(doc, example).rsplit("/", 1)[-1]
    decoded = tolerant_decoder(getattr(structs, name))(json.dumps(example.body).encode())
    assert sent_values(example.body, msgspec.to_builtins(decoded)) == example.body


@pytest.mark.parametrize("example", ALL + ERRORS, ids=_by_id)
def test_round_trips_through_the_pydantic_models(example: Documented) -> None:
    models = import_module(f"green_api_contacts.generated.{example.flavour}_models")
    doc = load_document(ROOT / f"generated/{example.flavour}.openapi.yaml")
    name = _schema_ref(doc, example).rsplit("/", 1)[-1]
    parsed = getattr(models, name).model_validate(example.body)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == example.body


def _values(node: Any, key: str) -> list[Any]:
    if isinstance(node, dict):
        return [node[key]] * (key in node) + [v for n in node.values() for v in _values(n, key)]
    if isinstance(node, list):
        return [v for n in node for v in _values(n, key)]
    return []


def test_values_stay_intact_in_both_model_flavours() -> None:
    """Ints stay ints (beyond 2**31), null stays None, unknown fields are kept."""
    from green_api_contacts.generated import telegram_models, whatsapp_models
    from green_api_contacts.generated.telegram_client.models import TelegramContact
    from green_api_contacts.generated.whatsapp_client.models import WhatsAppContactInfo

    contact = {"chatId": "1", "phoneNumber": 79876543210, "futureField": {"a": [1, None]}}
    attrs_contact = TelegramContact.from_dict(contact)
    assert attrs_contact.phone_number == 79876543210 and type(attrs_contact.phone_number) is int
    assert attrs_contact.additional_properties == {"futureField": {"a": [1, None]}}
    pyd_contact = telegram_models.TelegramContact.model_validate(contact)
    assert type(pyd_contact.phone_number) is int and pyd_contact.phone_number > 2**31
    assert pyd_contact.model_extra == {"futureField": {"a": [1, None]}}

    info = {
        "chatId": "1@c.us",
        "lastSeen": None,
        "muteExpiration": None,
        "products": [{"price": None}],
    }
    attrs_info = WhatsAppContactInfo.from_dict(info)
    assert attrs_info.last_seen is None and attrs_info.mute_expiration is None
    assert attrs_info.products[0].price is None  # type: ignore[index]
    pyd_info = whatsapp_models.WhatsAppContactInfo.model_validate(info)
    assert pyd_info.last_seen is None and pyd_info.products is not None
    assert pyd_info.products[0].price is None


def test_whatsapp_group_null_comes_back_as_none_from_both_flavours() -> None:
    from green_api_contacts.generated import whatsapp_models
    from green_api_contacts.generated.whatsapp_client.api.contacts import get_contact_info
    from green_api_contacts.generated.whatsapp_client.models import WhatsAppGetContactInfoRequest

    client = _generated_client("whatsapp", lambda _: httpx.Response(200, content=b"null"))
    response = get_contact_info.sync_detailed(
        1101000001, TOKEN, client=client, body=WhatsAppGetContactInfoRequest(chat_id="1-2@g.us")
    )
    assert response.status_code == 200 and response.parsed is None
    assert whatsapp_models.WhatsAppContactInfoOrNull.model_validate(None).root is None


SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed pages are not beside the repo ({SEEDS})")
def test_fixtures_are_the_seed_pages_examples() -> None:
    """tests/data/seed_examples.json holds exactly the JSON bodies printed on the seed pages."""
    raw = json.loads((ROOT / "tests/data/seed_examples.json").read_text(encoding="utf-8"))
    decoder = json.JSONDecoder()
    for entry in raw["examples"]:
        text = (ROOT.parent / entry["source"]).read_text(encoding="utf-8")
        found = []
        for i, ch in enumerate(text):
            if ch in "[{" and (i == 0 or text[i - 1] == "\n"):
                try:
                    found.append(decoder.raw_decode(text, i)[0])
                except json.JSONDecodeError:
                    continue
        assert entry["body"] in found, entry["id"]
    assert Path(raw["examples"][0]["source"]).name.startswith("000_")


@pytest.mark.parametrize("last_seen", ["1769681957", 1769681957, 1769681957.5, None])
def test_max_last_seen_keeps_its_type_in_every_model_flavour(last_seen: object) -> None:
    """The docs type lastSeen as a string, the web app also reads a number; null: no account."""
    from green_api_contacts.generated import max_models, max_structs
    from green_api_contacts.generated.max_client.models import MaxContactInfo

    body = {"chatId": "10000000", "lastSeen": last_seen, "phoneNumber": 0}
    assert MaxContactInfo.from_dict(body).last_seen == last_seen
    pyd = max_models.MaxContactInfo.model_validate(body)
    assert pyd.last_seen == last_seen and type(pyd.last_seen) is type(last_seen)
    struct = msgspec.json.decode(msgspec.json.encode(body), type=max_structs.MaxContactInfo)
    assert struct.last_seen == last_seen and type(struct.last_seen) is type(last_seen)


@pytest.mark.parametrize("flavour", list(FLAVOURS))
def test_an_absent_field_reads_as_its_documented_default(flavour: str) -> None:
    """README, "Fields and absent values": a response field with a `default` in the description
    reads as that default when the API leaves it out; UNSET only where the description has none
    (fields where null is a value of its own, error bodies, nested objects)."""
    doc = load_document(ROOT / f"generated/{flavour}.openapi.yaml")
    structs = import_module(f"green_api_contacts.generated.{flavour}_structs")
    seen: dict[str, int] = {"default": 0, "unset": 0}
    for name, schema in doc["components"]["schemas"].items():
        cls = getattr(structs, name, None)
        if not isinstance(cls, type) or schema.get("additionalProperties") is False:
            continue  # not a Struct, or a request (strict, nothing optional)
        fields = msgspec.structs.fields(cls)
        body = {f.encode_name: "1" for f in fields if f.required}
        decoded: Any = msgspec.json.decode(msgspec.json.encode(body), type=cls)
        for field in fields:
            if field.required:
                continue
            declared = schema["properties"][field.encode_name]
            expected = declared.get("default", msgspec.UNSET)
            assert getattr(decoded, field.name) == expected, (name, field.name)
            seen["default" if "default" in declared else "unset"] += 1
    assert seen["default"] > 0 and seen["unset"] > 0


@pytest.mark.parametrize("last_seen", ["1769681957", 1769681957, 1769681957.5, None])
@pytest.mark.parametrize("product_id", ["42079728159", 42079728159])
def test_whatsapp_last_seen_and_product_ids_keep_their_types_in_every_model_flavour(
    last_seen: object, product_id: object
) -> None:
    """Published: lastSeen as a string, a number or null; product ids as strings or numbers."""
    from green_api_contacts.generated import whatsapp_models, whatsapp_structs
    from green_api_contacts.generated.whatsapp_client.models import WhatsAppContactInfo

    body = {"lastSeen": last_seen, "products": [{"id": product_id}]}
    attrs = WhatsAppContactInfo.from_dict(body)
    assert attrs.last_seen == last_seen and type(attrs.last_seen) is type(last_seen)
    assert attrs.products[0].id == product_id  # type: ignore[index]
    assert type(attrs.products[0].id) is type(product_id)  # type: ignore[index]
    pyd = whatsapp_models.WhatsAppContactInfo.model_validate(body)
    assert type(pyd.last_seen) is type(last_seen) and pyd.products is not None
    assert type(pyd.products[0].id) is type(product_id)
    struct: whatsapp_structs.WhatsAppContactInfo = tolerant_decoder(
        whatsapp_structs.WhatsAppContactInfo
    )(msgspec.json.encode(body))
    assert struct.last_seen == last_seen and type(struct.last_seen) is type(last_seen)
    assert struct.products[0].id == product_id and type(struct.products[0].id) is type(product_id)
    assert struct.extra == {} and struct.chat_id == "" and struct.name == ""
