"""Each flavour's generated code, what each documented answer must parse into, HTTP plumbing.

* :func:`modules` gathers one flavour's generated code: the openapi-python-client package, the
  pydantic models and the msgspec Structs.
* :func:`response_shapes` reads, from the flavour document itself, which schema every
  (operation, status) answer has, so the tests parse each answer into exactly what the document
  promises and notice when a status is added.
* :func:`parse_all` parses one answer three ways (the openapi client's own parser has already run)
  and checks the Python types; :func:`as_json` turns each result back into JSON to compare with
  the body, so that no parser silently drops or invents anything.
* :func:`sync_http` / :func:`async_http` build httpx clients for the target: in-process for the
  embedded mock, over the network otherwise, every request passing the session's guard.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Final, Literal

import anyio
import httpx
import msgspec
import pydantic
import yaml

from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.flavours import get_flavour
from green_api_contacts.testing import MockTransport

from ._record import async_response_hook, sync_response_hook
from ._schemas import document_path
from ._session import current, mock_app
from ._target import Endpoint, Flavour

Operation = Literal["getContacts", "getContactInfo"]
OPERATIONS: Final[tuple[Operation, ...]] = ("getContacts", "getContactInfo")
# Host name for in-process requests; never resolved.
MOCK_BASE_URL: Final = "http://mock.invalid"
TIMEOUT: Final = httpx.Timeout(30.0)

ShapeKind = Literal["object", "array", "nullable", "text"]


@dataclass(frozen=True)
class Shape:
    """What a documented answer is: ``name`` is the component schema of the whole body, ``item``
    the object schema inside it (the body itself, the array's items, or the non-null branch)."""

    kind: ShapeKind
    name: str
    item: str | None
    media_type: str


@dataclass(frozen=True)
class FlavourModules:
    flavour: Flavour
    client: ModuleType  # <flavour>_client: Client
    client_models: ModuleType  # <flavour>_client.models
    operations: Mapping[Operation, ModuleType]  # <flavour>_client.api.contacts.<operation>
    models: ModuleType  # pydantic
    structs: ModuleType  # msgspec

    def request_model(self) -> Any:
        return getattr(self.client_models, get_flavour(self.flavour).request_struct)


@cache
def modules(flavour: Flavour) -> FlavourModules:
    """One flavour's generated modules, by the names the registry gives them."""
    spec = get_flavour(flavour)
    return FlavourModules(
        flavour=flavour,
        client=spec.client(),
        client_models=spec.client("models"),
        operations={
            "getContacts": spec.client("api.contacts.get_contacts"),
            "getContactInfo": spec.client("api.contacts.get_contact_info"),
        },
        models=spec.models(),
        structs=spec.structs(),
    )


def _ref_name(node: Mapping[str, Any], kind: str) -> str:
    ref = node["$ref"]
    prefix = f"#/components/{kind}/"
    if not isinstance(ref, str) or not ref.startswith(prefix):
        raise ValueError(f"unexpected reference {ref!r}")
    return ref[len(prefix) :]


def _shape(document: Mapping[str, Any], media_type: str, schema_ref: Mapping[str, Any]) -> Shape:
    name = _ref_name(schema_ref, "schemas")
    schema = document["components"]["schemas"][name]
    if schema.get("type") == "array":
        return Shape("array", name, _ref_name(schema["items"], "schemas"), media_type)
    if "anyOf" in schema:
        branches = schema["anyOf"]
        refs = [branch for branch in branches if "$ref" in branch]
        nulls = [branch for branch in branches if branch.get("type") == "null"]
        if len(refs) == 1 and len(nulls) == 1 and len(branches) == 2:
            return Shape("nullable", name, _ref_name(refs[0], "schemas"), media_type)
    if schema.get("type") == "object":
        return Shape("object", name, name, media_type)
    if schema.get("type") == "string":
        return Shape("text", name, None, media_type)
    raise ValueError(f"no shape for schema {name}")


@cache
def response_shapes(flavour: Flavour) -> dict[Operation, dict[int, Shape]]:
    """Every documented (operation, status) of the flavour document and its answer's shape."""
    document = yaml.safe_load(document_path(flavour).read_text(encoding="utf-8"))
    shapes: dict[Operation, dict[int, Shape]] = {}
    for item in document["paths"].values():
        for method, operation in item.items():
            if method == "parameters":
                continue
            operation_id = operation["operationId"]
            if operation_id not in OPERATIONS:
                raise ValueError(f"unexpected operation {operation_id}")
            by_status: dict[int, Shape] = {}
            for status, response_ref in operation["responses"].items():
                response = document["components"]["responses"][_ref_name(response_ref, "responses")]
                ((media_type, content),) = response["content"].items()
                by_status[int(status)] = _shape(document, media_type, content["schema"])
            shapes[operation_id] = by_status
    return shapes


# --------------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Parsed:
    """One answer read by the three model flavours."""

    client: Any
    pydantic: Any
    msgspec: Any


def _check_shape(value: Any, shape: Shape, namespace: ModuleType, what: str) -> None:
    if shape.kind == "text" or shape.item is None:
        assert isinstance(value, str), f"{what}: expected str, got {type(value).__name__}"
        return
    item_type: type = getattr(namespace, shape.item)
    if shape.kind == "object":
        assert isinstance(value, item_type), f"{what}: expected {shape.item}, got {value!r:.80}"
    elif shape.kind == "nullable":
        assert value is None or isinstance(value, item_type), (
            f"{what}: expected {shape.item} or None, got {type(value).__name__}"
        )
    else:
        assert isinstance(value, list), f"{what}: expected a list, got {type(value).__name__}"
        for element in value:
            assert isinstance(element, item_type), f"{what}: expected {shape.item} items"


def parse_all(
    flavour: Flavour, shape: Shape, client_parsed: Any, content: bytes, text: str
) -> Parsed:
    """Check the openapi client's result and parse the body with pydantic and msgspec."""
    mods = modules(flavour)
    _check_shape(client_parsed, shape, mods.client_models, "openapi-python-client")
    model = getattr(mods.models, shape.name)
    if shape.kind == "text":
        validated = model.model_validate(text)
    else:
        validated = model.model_validate_json(content)
    assert isinstance(validated, pydantic.BaseModel | pydantic.RootModel)
    by_pydantic = validated.root if isinstance(validated, pydantic.RootModel) else validated
    _check_shape(by_pydantic, shape, mods.models, "pydantic")
    struct_type = getattr(mods.structs, shape.name)
    if shape.kind == "text":
        by_msgspec = msgspec.convert(text, struct_type)
    else:
        by_msgspec = tolerant_decoder(struct_type)(content)
    _check_shape(by_msgspec, shape, mods.structs, "msgspec")
    return Parsed(client_parsed, by_pydantic, by_msgspec)


def as_json(value: Any) -> Any:
    """A parsed value of any of the three flavours, back as JSON-like data (unknown fields too)."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, msgspec.Struct):
        out = {
            field.encode_name: as_json(getattr(value, field.name))
            for field in msgspec.structs.fields(value)
            if getattr(value, field.name) is not msgspec.UNSET
        }
        out.update(getattr(value, "extra", {}))
        return out
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # an openapi-python-client (attrs) model
        return to_dict()
    if isinstance(value, list):
        return [as_json(element) for element in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return msgspec.to_builtins(value)


def _sent_part(got: Any, expected: Any) -> Any:
    """`got` cut down to the keys `expected` has, at every level.

    The Structs fill a field the body left out with its default (README, "Fields and absent
    values"), so their JSON has keys the body did not send; every key it sent must still be there.
    """
    if isinstance(got, dict) and isinstance(expected, dict):
        return {key: _sent_part(got[key], expected[key]) for key in got if key in expected}
    if isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected):
        return [_sent_part(g, e) for g, e in zip(got, expected, strict=True)]
    return got


def assert_lossless(parsed: Parsed, shape: Shape, content: bytes, text: str) -> None:
    """Each flavour's result, turned back into JSON, equals the body it was read from."""
    expected: Any = text if shape.kind == "text" else json.loads(content)
    for name in ("client", "pydantic", "msgspec"):
        got = as_json(getattr(parsed, name))
        if name == "msgspec":
            got = _sent_part(got, expected)
        assert got == expected, f"{name} does not reproduce the body it parsed"


# ------------------------------------------------------------------------------------ HTTP


def base_url(endpoint: Endpoint) -> str:
    return MOCK_BASE_URL if endpoint.base_url is None else endpoint.base_url


def _guard_sync(request: httpx.Request) -> None:
    session = current()
    session.guard.wait()
    session.stats.requests += 1


async def _guard_async(request: httpx.Request) -> None:
    session = current()
    delay = session.guard.reserve()
    session.stats.requests += 1
    if delay > 0:
        await anyio.sleep(delay)


@contextmanager
def sync_http(endpoint: Endpoint, headers: Mapping[str, str]) -> Iterator[httpx.Client]:
    """An httpx.Client for the target; the embedded mock is reached in-process."""
    hooks: dict[str, list[Any]] = {
        "request": [_guard_sync],
        "response": [sync_response_hook(endpoint.flavour)],
    }
    if endpoint.base_url is not None:
        with httpx.Client(
            base_url=endpoint.base_url, headers=dict(headers), timeout=TIMEOUT, event_hooks=hooks
        ) as client:
            yield client
        return
    with httpx.Client(
        base_url=MOCK_BASE_URL,
        headers=dict(headers),
        timeout=TIMEOUT,
        transport=MockTransport(mock_app()),
        event_hooks=hooks,
    ) as client:
        yield client


@asynccontextmanager
async def async_http(
    endpoint: Endpoint, headers: Mapping[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx.AsyncClient for the target; the embedded mock is reached in-process."""
    transport = None if endpoint.base_url is not None else httpx.ASGITransport(app=mock_app())
    async with httpx.AsyncClient(
        base_url=base_url(endpoint),
        headers=dict(headers),
        timeout=TIMEOUT,
        transport=transport,
        event_hooks={
            "request": [_guard_async],
            "response": [async_response_hook(endpoint.flavour)],
        },
    ) as client:
        yield client
