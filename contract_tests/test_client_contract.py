"""Every generated client and model flavour against every documented answer of the target.

For each flavour and scenario the openapi-python-client package calls the operation twice, once
with ``sync_detailed`` and once with ``asyncio_detailed``; each answer is then read by the
client's own parser, the pydantic models and the msgspec Structs (``tolerant_decoder``). The
tests check the status, that each result has the Python type the flavour document promises for
that status, that each result turned back into JSON equals the body (nothing dropped or
invented), and, where the target is the mock, the documented message.

How each documented answer is produced depends on the target:

* mock (in-process) and url: real requests (invalid chatIds and wrong HTTP methods sent raw,
  then read by the client's response parser), instance states set on the embedded mock (mock
  only), ``X-Mock-Fault`` for 429/500/502;
* prism: ``Prefer: code=NNN`` / ``Prefer: example=NAME`` for each documented answer;
* live: only what is safe: the two 200s and a 401 with a wrong token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any, Final

import httpx
import msgspec
import pytest

from green_api_contacts.client._flavours import CLIENT_FLAVOURS
from green_api_contacts.flavours import get_flavour
from green_api_contacts.mock import InstanceState

from ._clients import (
    OPERATIONS,
    Operation,
    Parsed,
    assert_lossless,
    async_http,
    base_url,
    modules,
    parse_all,
    response_shapes,
    sync_http,
)
from ._scenarios import ChatKind, Scenario, scenarios_for
from ._session import current, mock_app
from ._target import FLAVOURS, Endpoint, Flavour, Target, TargetKind

HTTP_METHODS: Final[dict[Operation, str]] = {"getContacts": "GET", "getContactInfo": "POST"}
# Unrelated to any real token, so that a report can never show a near-copy of the real one.
WRONG_TOKEN: Final = "0" * 50
# An idInstance next to the target's, which no target serves.
WRONG_ID_OFFSET: Final = 8


def _skip_reason(kind: TargetKind, scenario: Scenario) -> str | None:
    if kind == "url" and scenario.state is not None:
        return "instance states need the embedded mock (CONTRACT_TARGET=mock)"
    return None


def _params(target: Target) -> list[Any]:
    params = []
    for flavour in FLAVOURS:
        for scenario in scenarios_for(target, flavour):
            marks: list[pytest.MarkDecorator] = [pytest.mark.flavour(flavour)]
            reason = _skip_reason(target.kind, scenario)
            if reason is not None:
                marks.append(pytest.mark.skip(reason=reason))
            params.append(
                pytest.param(flavour, scenario, id=f"{flavour}-{scenario.label}", marks=marks)
            )
    return params


TARGET = current().target
PARAMS = _params(TARGET)


# ---------------------------------------------------------------------------------- fixtures


@dataclass
class KnownChats:
    """Chat ids the target's account really has, fetched once per flavour (one request)."""

    found: dict[Flavour, dict[ChatKind, str | None]] = field(default_factory=dict)

    def get(self, flavour: Flavour, kind: ChatKind) -> str:
        if flavour not in self.found:
            self.found[flavour] = _fetch_chats(flavour)
        chat = self.found[flavour][kind]
        if chat is None:
            pytest.skip(f"the {flavour} account lists no {kind} contact")
        return chat


def _fetch_chats(flavour: Flavour) -> dict[ChatKind, str | None]:
    endpoint = _endpoint(flavour)
    count = 20 if current().target.kind == "live" else 200
    with sync_http(endpoint, {}) as http:
        path = f"/waInstance{endpoint.id_instance}/getContacts/{endpoint.token}"
        response = http.get(path, params={"count": count})
    assert response.status_code == 200, f"listing contacts answered {response.status_code}"
    contacts = msgspec.json.decode(response.content)
    key = get_flavour(flavour).contact_id_field
    chats: dict[ChatKind, str | None] = {"user": None, "group": None}
    for contact in contacts:
        kind: ChatKind = "group" if contact.get("type") == "group" else "user"
        if chats[kind] is None:
            chats[kind] = contact[key]
    return chats


@pytest.fixture(scope="session")
def known_chats() -> KnownChats:
    return KnownChats()


def _endpoint(flavour: Flavour) -> Endpoint:
    endpoint = current().target.endpoint(flavour)
    assert endpoint is not None  # untargeted flavours are skipped by conftest
    return endpoint


@contextmanager
def instance_state(endpoint: Endpoint, state: InstanceState | None) -> Iterator[None]:
    """Put the embedded mock's instance into ``state`` for the duration of one call."""
    if state is None:
        yield
        return
    runtime = mock_app().mock.instance(endpoint.id_instance)
    previous = runtime.state
    runtime.state = state
    try:
        yield
    finally:
        runtime.state = previous


# ------------------------------------------------------------------------------------ calls


@dataclass(frozen=True)
class Call:
    id_instance: int
    token: str
    chat_id: str | None

    def path(self, operation: Operation) -> str:
        return f"/waInstance{self.id_instance}/{operation}/{self.token}"


def _call(flavour: Flavour, scenario: Scenario, known: KnownChats) -> Call:
    endpoint = _endpoint(flavour)
    chat_id = None
    if scenario.operation == "getContactInfo" and not scenario.raw:
        chat_id = known.get(flavour, scenario.chat)
    return Call(
        endpoint.id_instance + WRONG_ID_OFFSET if scenario.wrong_id else endpoint.id_instance,
        WRONG_TOKEN if scenario.wrong_token else endpoint.token,
        chat_id,
    )


def _raw_request(scenario: Scenario) -> tuple[str, dict[str, Any]]:
    method = scenario.http_method or HTTP_METHODS[scenario.operation]
    kwargs: dict[str, Any] = {}
    if scenario.raw_body is not None:
        kwargs = {"content": scenario.raw_body, "headers": {"Content-Type": "application/json"}}
    return method, kwargs


def _client_kwargs(flavour: Flavour, scenario: Scenario, call: Call) -> dict[str, Any]:
    if scenario.operation == "getContacts":
        return dict(scenario.query)
    return {"body": modules(flavour).request_model()(chat_id=call.chat_id)}


def request_kwargs(flavour: Flavour, scenario: Scenario, call: Call) -> dict[str, Any]:
    """The request `*_detailed` sends, built by the public clients' one adapter
    (green_api_contacts.client._calls) over the generated request builders."""
    table = CLIENT_FLAVOURS[flavour]
    if scenario.operation == "getContacts":
        count, group = scenario.query.get("count"), scenario.query.get("group")
        return table.contacts_kwargs(call.id_instance, call.token, count, group)
    assert call.chat_id is not None
    return table.info_kwargs(call.id_instance, call.token, call.chat_id)


def _require_known_status_limitation(exc: ValueError, scenario: Scenario) -> None:
    """openapi-python-client 0.29.1's `_build_response` calls HTTPStatus(status), which raises
    ValueError for statuses outside the IANA registry, such as GREEN-API's documented 466
    (upstream issue #1442, fix PR #1407 unmerged). Only that, for only such a status, is
    accepted; the answer is then read by the same generated parser, `_parse_response`."""
    registered = {int(status) for status in HTTPStatus}
    assert scenario.status not in registered, f"ValueError on a registered status: {exc}"
    assert f"{scenario.status} is not a valid HTTPStatus" in str(exc), str(exc)


def _parsed_without_build_response(operation: Any, client: Any, response: httpx.Response) -> Any:
    """What `*_detailed` would return, without the HTTPStatus conversion that cannot take 466."""
    return SimpleNamespace(
        status_code=response.status_code,
        content=response.content,
        parsed=operation._parse_response(client=client, response=response),
    )


def call_sync(flavour: Flavour, scenario: Scenario, call: Call, endpoint: Endpoint) -> Any:
    mods = modules(flavour)
    operation = mods.operations[scenario.operation]
    with sync_http(endpoint, scenario.headers) as http:
        client = mods.client.Client(base_url=base_url(endpoint)).set_httpx_client(http)
        if scenario.raw:
            method, kwargs = _raw_request(scenario)
            response = http.request(method, call.path(scenario.operation), **kwargs)
            return operation._build_response(client=client, response=response)
        kwargs = _client_kwargs(flavour, scenario, call)
        try:
            return operation.sync_detailed(call.id_instance, call.token, client=client, **kwargs)
        except ValueError as exc:
            _require_known_status_limitation(exc, scenario)
        response = http.request(**request_kwargs(flavour, scenario, call))
        return _parsed_without_build_response(operation, client, response)


async def call_async(flavour: Flavour, scenario: Scenario, call: Call, endpoint: Endpoint) -> Any:
    mods = modules(flavour)
    operation = mods.operations[scenario.operation]
    async with async_http(endpoint, scenario.headers) as http:
        client = mods.client.Client(base_url=base_url(endpoint)).set_async_httpx_client(http)
        if scenario.raw:
            method, kwargs = _raw_request(scenario)
            response = await http.request(method, call.path(scenario.operation), **kwargs)
            return operation._build_response(client=client, response=response)
        kwargs = _client_kwargs(flavour, scenario, call)
        try:
            return await operation.asyncio_detailed(
                call.id_instance, call.token, client=client, **kwargs
            )
        except ValueError as exc:
            _require_known_status_limitation(exc, scenario)
        response = await http.request(**request_kwargs(flavour, scenario, call))
        return _parsed_without_build_response(operation, client, response)


# ------------------------------------------------------------------------------- checking


def _documented_content(scenario: Scenario, parsed: Parsed) -> None:
    """The documented message or text, read from the pydantic result."""
    value = parsed.pydantic
    if scenario.text is not None:
        assert value == scenario.text, "the text body is not the documented one"
    message = getattr(value, "message", None)
    if scenario.message is not None:
        assert message == scenario.message, "the error message is not the documented one"
    if scenario.message_prefix is not None:
        assert isinstance(message, str), "the error body has no message"
        assert message.startswith(scenario.message_prefix), (
            f"the error message does not start with {scenario.message_prefix!r}"
        )
    if scenario.status == 466:
        status = value.invoke_status
        assert status is not None, "466 without invokeStatus"
        assert isinstance(status.used, int), "466 invokeStatus without `used`"


def _extra_check(flavour: Flavour, scenario: Scenario, parsed: Parsed) -> None:
    contacts = parsed.msgspec
    if scenario.extra_check == "count":
        assert len(contacts) <= scenario.query["count"], "more contacts than `count` allows"
    elif scenario.extra_check == "groups":
        assert all(contact.type == "group" for contact in contacts), "group=true returned users"


def verify(flavour: Flavour, scenario: Scenario, response: Any) -> None:
    status = int(response.status_code)
    assert status == scenario.status, f"expected status {scenario.status}, got {status}"
    shape = response_shapes(flavour)[scenario.operation][status]
    content: bytes = response.content
    text = content.decode("utf-8", errors="replace")
    parsed = parse_all(flavour, shape, response.parsed, content, text)
    assert_lossless(parsed, shape, content, text)
    kind = current().target.kind
    if kind in ("mock", "url") or scenario.message is not None:
        _documented_content(scenario, parsed)
    if kind != "prism":
        _extra_check(flavour, scenario, parsed)


# ------------------------------------------------------------------------------------ tests


@pytest.mark.parametrize(("flavour", "scenario"), PARAMS)
def test_sync_detailed(flavour: Flavour, scenario: Scenario, known_chats: KnownChats) -> None:
    endpoint = _endpoint(flavour)
    call = _call(flavour, scenario, known_chats)
    with instance_state(endpoint, scenario.state):
        response = call_sync(flavour, scenario, call, endpoint)
    verify(flavour, scenario, response)


@pytest.mark.parametrize(("flavour", "scenario"), PARAMS)
async def test_asyncio_detailed(
    flavour: Flavour, scenario: Scenario, known_chats: KnownChats
) -> None:
    endpoint = _endpoint(flavour)
    call = _call(flavour, scenario, known_chats)
    with instance_state(endpoint, scenario.state):
        response = await call_async(flavour, scenario, call, endpoint)
    verify(flavour, scenario, response)


@pytest.mark.parametrize(
    "flavour", [pytest.param(f, marks=pytest.mark.flavour(f), id=f) for f in FLAVOURS]
)
def test_every_documented_answer_is_exercised(flavour: Flavour) -> None:
    if TARGET.kind in ("live", "url"):
        pytest.skip(f"the {TARGET.kind} target exercises a safe subset of the documented answers")
    documented = {
        (op, status) for op, shapes in response_shapes(flavour).items() for status in shapes
    }
    exercised = {(s.operation, s.status) for s in scenarios_for(TARGET, flavour)}
    assert documented <= exercised, f"never exercised: {sorted(documented - exercised)}"
    assert set(response_shapes(flavour)) == set(OPERATIONS)
