"""Every documented failure becomes its own exception, from the mock's real behaviour."""

from __future__ import annotations

import gzip
import inspect
import json
from typing import Any

import httpx
import pytest

from green_api_contacts import (
    BadRequestError,
    ClientClosedError,
    ForbiddenError,
    GreenAPIError,
    InstanceDeletedError,
    InstanceExpiredError,
    InstanceNotAuthorizedError,
    InstanceStartingError,
    NotFoundError,
    QuotaExceededError,
    RateLimitedError,
    ResponseValidationError,
    ServerError,
    UnauthorizedError,
    UnexpectedStatusError,
)
from green_api_contacts.mock import MockApp
from green_api_contacts.testing import MockTransport
from tests.unit.client_support import (
    KINDS,
    TG_ID,
    TG_TOKEN,
    WA_ID,
    WA_TOKEN,
    Api,
    client_class,
    make_api,
)


async def both_operations(api: Api) -> list[GreenAPIError]:
    """Run GetContacts and GetContactInfo; return the two errors they raised."""
    errors: list[GreenAPIError] = []
    for call in (api.get_contacts(), api.get_contact_info(api.user_chat_id)):
        with pytest.raises(GreenAPIError) as caught:
            await call
        errors.append(caught.value)
    assert [e.operation for e in errors] == ["getContacts", "getContactInfo"]
    assert all(e.flavour == api.flavour for e in errors)
    return errors


STATES = [
    ("starting", InstanceStartingError, "instance in starting process try later"),
    ("notAuthorized", InstanceNotAuthorizedError, "instance account not authorized"),
    ("expired", InstanceExpiredError, "Instance account is expired"),
    ("deleted", InstanceDeletedError, "Instance is deleted"),
]


@pytest.mark.parametrize(("state", "error_class", "message"), STATES)
async def test_instance_states(
    api: Api, app: MockApp, state: str, error_class: type[BadRequestError], message: str
) -> None:
    app.mock.instance(api.id_instance).state = state  # type: ignore[assignment]
    for error in await both_operations(api):
        assert type(error) is error_class
        assert isinstance(error, BadRequestError)
        assert error.status_code == 400
        assert error.message.startswith(message)
        # The body echoes the path with the token; what we keep is redacted.
        assert error.body is not None
        assert "<redacted>" in error.body
        assert api.token not in error.body
    assert len(api.transport.requests) == 2  # 400s are not retried


async def test_quota_exceeded_466_with_figures(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).state = "quotaExceeded"
    contacts_error, info_error = await both_operations(api)
    for error, method in ((contacts_error, "getcontacts"), (info_error, "getcontactinfo")):
        assert isinstance(error, QuotaExceededError)
        assert error.status_code == 466
        assert error.method == method
        assert (error.used, error.total) == (1000, 1000)
        assert error.status == "QUOTE_EXCEEDED"
        assert error.description and "quota" in error.description.lower()
        assert error.correspondents_status is not None
        assert error.correspondents_status.status == "QUOTE_ALLOWED"
        assert f"{method}: 1000 of 1000 used" in str(error)


async def test_wrong_token_401(api: Api) -> None:
    api.client._token = type(api.client._token)("0" * 50)
    for error in await both_operations(api):
        assert type(error) is UnauthorizedError
        assert (error.status_code, error.message) == (401, "Unauthorized")


async def test_wrong_instance_403(api: Api) -> None:
    api.client._id_instance = 1234
    for error in await both_operations(api):
        assert type(error) is ForbiddenError
        assert (error.status_code, error.message) == (403, "Forbidden")


async def test_telegram_500_is_a_server_error(app: MockApp) -> None:
    for kind in ("sync-telegram", "async-telegram"):
        api = make_api(kind, app=app)
        app.mock.instance(api.id_instance).inject("500", times=1)
        with pytest.raises(ServerError) as caught:
            await api.get_contact_info("10000000")
        await api.close()
        assert caught.value.status_code == 500
        assert caught.value.message == "Internal Server Error"
        assert len(api.transport.requests) == 1  # 500 is not retried


async def test_502_html_after_retries_is_a_server_error(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("502", times=10)
    with pytest.raises(ServerError) as caught:
        await api.get_contacts()
    assert caught.value.status_code == 502
    assert caught.value.message == "502 Bad Gateway"  # the nginx page's title, not its HTML
    assert caught.value.body is not None and caught.value.body.startswith("<html>")
    assert len(api.transport.requests) == 4


async def test_truncated_body_is_a_response_validation_error(api: Api, app: MockApp) -> None:
    app.mock.instance(api.id_instance).inject("truncate", times=2)
    for error in await both_operations(api):
        assert type(error) is ResponseValidationError
        assert error.status_code == 200
        assert "does not match the API description" in str(error)
        assert f"{error.operation} ({api.flavour})" in str(error)


# ---------------------------------------------------------------------------- synthetic answers


def answer(status: int, body: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": content_type})


WRONG_BODIES = [
    pytest.param(b"<html><body>Welcome to nginx</body></html>", "text/html", id="html-200"),
    pytest.param(b"", "application/json", id="empty"),
    pytest.param(b'{"id": "1@c.us"', "application/json", id="truncated"),
    pytest.param(b'"just a string"', "application/json", id="string"),
    pytest.param(b"[1, 2, 3]", "application/json", id="list-of-numbers"),
    pytest.param(b'{"contacts": []}', "application/json", id="object-for-list"),
    pytest.param(b'[{"name": "no id"}]', "application/json", id="missing-required"),
    pytest.param(b'[{"id": 5, "chatId": 5}]', "application/json", id="wrong-type"),
]


@pytest.mark.parametrize(("body", "content_type"), WRONG_BODIES)
async def test_contacts_body_off_spec(api: Api, body: bytes, content_type: str) -> None:
    synthetic = make_api(api.kind, handler=lambda request: answer(200, body, content_type))
    with pytest.raises(ResponseValidationError) as caught:
        await synthetic.get_contacts()
    await synthetic.close()
    error = caught.value
    assert error.operation == "getContacts"
    assert error.flavour == api.flavour
    assert f"getContacts ({api.flavour})" in str(error)
    assert not isinstance(error, KeyError | TypeError)


INFO_BODIES = [
    pytest.param(b"[]", id="list"),
    # Optional fields of a changed type are tolerated (tests/unit/test_tolerant_drift.py).
    pytest.param(b'"an object was expected"', id="wrong-type"),
    pytest.param(b"<html></html>", id="html"),
]


@pytest.mark.parametrize("body", INFO_BODIES)
async def test_info_body_off_spec(api: Api, body: bytes) -> None:
    synthetic = make_api(api.kind, handler=lambda request: answer(200, body))
    with pytest.raises(ResponseValidationError, match=r"getContactInfo \("):
        await synthetic.get_contact_info(api.user_chat_id)
    await synthetic.close()


def corrupt_gzip() -> bytes:
    body = bytearray(gzip.compress(b'[{"id": "1@c.us"}]'))
    body[10:14] = b"\xff\xff\xff\xff"  # the deflate data after the gzip header
    return bytes(body)


@pytest.mark.parametrize(
    "body",
    [pytest.param(b"not gzip at all", id="not-gzip"), pytest.param(corrupt_gzip(), id="corrupt")],
)
async def test_a_body_whose_content_encoding_does_not_decode(api: Api, body: bytes) -> None:
    """The server answered: not a TransportError ("no answer") but a ResponseValidationError."""

    def handler(request: httpx.Request) -> httpx.Response:
        # A stream, so that httpx decodes it as it reads the body, as from a socket.
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        return httpx.Response(200, stream=httpx.ByteStream(body), headers=headers)

    synthetic = make_api(api.kind, handler=handler)
    with pytest.raises(ResponseValidationError, match="DecodingError") as caught:
        await synthetic.get_contacts()
    assert caught.value.operation == "getContacts"
    assert caught.value.__context__ is None
    with pytest.raises(ResponseValidationError, match="could not be decoded") as caught:
        await synthetic.get_contact_info(api.user_chat_id)
    assert (caught.value.operation, caught.value.flavour) == ("getContactInfo", api.flavour)
    await synthetic.close()
    assert len(synthetic.transport.requests) == 2  # not retried: another try decodes no better


async def test_a_call_after_close_is_a_client_closed_error(api: Api) -> None:
    assert await api.get_contacts(1)
    await api.close()
    with pytest.raises(ClientClosedError, match="the client is closed") as caught:
        await api.get_contacts()
    assert isinstance(caught.value, RuntimeError)  # what httpx raised before
    assert (caught.value.operation, caught.value.flavour) == ("getContacts", api.flavour)
    assert caught.value.__context__ is None
    with pytest.raises(ClientClosedError, match="create a new client") as caught:
        await api.get_contact_info(api.user_chat_id)
    assert caught.value.operation == "getContactInfo"
    assert len(api.transport.requests) == 1  # nothing sent
    await api.close()  # closing twice is harmless


@pytest.mark.parametrize("kind", KINDS)
async def test_a_call_after_the_with_block_is_a_client_closed_error(kind: str) -> None:
    api = make_api(kind, handler=lambda request: answer(200, b"[]"))
    if api.is_async:
        async with api.client as client:
            assert await client.get_contacts() == []
        with pytest.raises(ClientClosedError):
            await client.get_contacts()
        with pytest.raises(ClientClosedError):
            await client.__aenter__()
    else:
        with api.client as client:
            assert client.get_contacts() == []
        with pytest.raises(ClientClosedError):
            client.get_contacts()
        with pytest.raises(ClientClosedError):
            client.__enter__()
    assert len(api.transport.requests) == 1


@pytest.mark.parametrize("is_async", [False, True])
async def test_a_closed_http_client_is_a_client_closed_error(is_async: bool) -> None:
    transport = httpx.MockTransport(lambda request: answer(200, b"[]"))
    options: dict[str, Any] = {"id_instance": WA_ID, "api_token": WA_TOKEN}
    if is_async:
        aown = httpx.AsyncClient(transport=transport)
        await aown.aclose()
        aclient = client_class("async-whatsapp")(**options, http_client=aown)
        with pytest.raises(ClientClosedError, match="http_client given to this client"):
            await aclient.get_contacts()
    else:
        own = httpx.Client(transport=transport)
        own.close()
        client = client_class("sync-whatsapp")(**options, http_client=own)
        with pytest.raises(ClientClosedError, match="http_client given to this client"):
            client.get_contacts()


@pytest.mark.parametrize("kind", ["sync-telegram", "async-telegram"])
async def test_telegram_info_null_is_not_silently_none(kind: str) -> None:
    api = make_api(kind, handler=lambda request: answer(200, b"null"))
    with pytest.raises(ResponseValidationError, match="telegram"):
        await api.get_contact_info("10000000")
    await api.close()


SYNTHETIC_ERRORS = [
    pytest.param(
        400,
        b'{"message": "Unexpected token } in JSON at position 12"}',
        BadRequestError,
        "Unexpected token } in JSON at position 12",
        id="malformed-json",
    ),
    pytest.param(
        400,
        b'{"statusCode": 400, "message": "bad request data"}',
        BadRequestError,
        "bad request data",
        id="bad-request-data",
    ),
    pytest.param(400, b"not json at all", BadRequestError, "not json at all", id="400-text"),
    pytest.param(404, b"Not Found", NotFoundError, "Not Found", id="404"),
    pytest.param(499, b"", UnexpectedStatusError, "HTTP 499", id="499-empty"),
    pytest.param(418, b"I'm a teapot", UnexpectedStatusError, "I'm a teapot", id="418"),
    pytest.param(204, b"", UnexpectedStatusError, "No Content", id="204"),
    pytest.param(
        500,
        b'{"statusCode": 500, "message": "interface conversion: interface {} is bool, not string"}',
        ServerError,
        "interface conversion: interface {} is bool, not string",
        id="tg-500",
    ),
    pytest.param(500, b"[not, json", ServerError, "[not, json", id="500-garbage"),
    pytest.param(466, b"quota", QuotaExceededError, "quota", id="466-no-body"),
    pytest.param(429, b"Too Many Requests", RateLimitedError, "Too Many Requests", id="429"),
]


@pytest.mark.parametrize(("status", "body", "error_class", "message"), SYNTHETIC_ERRORS)
async def test_error_statuses(
    api: Api, status: int, body: bytes, error_class: type[GreenAPIError], message: str
) -> None:
    synthetic = make_api(
        api.kind, handler=lambda request: answer(status, body), max_retries=0, retry=None
    )
    with pytest.raises(GreenAPIError) as caught:
        await synthetic.get_contacts()
    await synthetic.close()
    error = caught.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.message == message
    assert error.operation == "getContacts"


async def test_long_text_bodies_are_trimmed(api: Api) -> None:
    synthetic = make_api(api.kind, handler=lambda request: answer(400, b"x" * 10_000, "text/plain"))
    with pytest.raises(BadRequestError) as caught:
        await synthetic.get_contacts()
    await synthetic.close()
    assert len(caught.value.message) <= 300
    assert caught.value.body is not None and len(caught.value.body) <= 2000


async def test_error_body_path_is_redacted_even_for_an_unregistered_token(api: Api) -> None:
    other = "a" * 50
    body = json.dumps(
        {
            "statusCode": 400,
            "path": f"/waInstance1/getContacts/{other}",
            "message": f"bad /waInstance1/getContacts/{other}",
        }
    )
    synthetic = make_api(api.kind, handler=lambda request: answer(400, body.encode()))
    with pytest.raises(BadRequestError) as caught:
        await synthetic.get_contacts()
    await synthetic.close()
    assert other not in str(caught.value)
    assert caught.value.body is not None and other not in caught.value.body


# ---------------------------------------------------------------------------- rewritten requests


class Rewrite(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Alters each request on its way to the mock, to reach answers our client never provokes."""

    def __init__(self, inner: Any, method: str | None = None, body: bytes | None = None) -> None:
        self.inner = inner
        self.method = method
        self.body = body

    def _rewrite(self, request: httpx.Request) -> httpx.Request:
        content = request.read() if self.body is None else self.body
        return httpx.Request(
            self.method or request.method, request.url, headers=request.headers, content=content
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self.inner.handle_request(self._rewrite(request))
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self.inner.handle_async_request(self._rewrite(request))
        return response


def rewritten(kind: str, app: MockApp, **changes: Any) -> Any:
    inner = httpx.ASGITransport(app=app) if kind.startswith("async") else MockTransport(app)
    flavour = "telegram" if kind.endswith("telegram") else "whatsapp"
    return client_class(kind)(
        id_instance=TG_ID if flavour == "telegram" else WA_ID,
        api_token=TG_TOKEN if flavour == "telegram" else WA_TOKEN,
        api_url="http://mock.test",
        transport=Rewrite(inner, **changes),
        max_retries=0,
    )


async def call_and_close(client: Any, coroutine_or_value: Any) -> Any:
    try:
        if inspect.isawaitable(coroutine_or_value):
            return await coroutine_or_value
        return coroutine_or_value
    finally:
        closing = client.aclose() if hasattr(client, "aclose") else client.close()
        if inspect.isawaitable(closing):
            await closing


@pytest.mark.parametrize("kind", KINDS)
async def test_wrong_http_method_is_the_mock_s_404(kind: str, app: MockApp) -> None:
    client = rewritten(kind, app, method="PUT")
    with pytest.raises(NotFoundError) as caught:
        await call_and_close(client, client.get_contacts())
    assert (caught.value.status_code, caught.value.message) == (404, "Not Found")


@pytest.mark.parametrize("kind", ["sync-telegram", "async-telegram"])
async def test_telegram_non_string_chat_id_is_the_mock_s_500(kind: str, app: MockApp) -> None:
    client = rewritten(kind, app, body=b'{"chatId": true}')
    with pytest.raises(ServerError) as caught:
        await call_and_close(client, client.get_contact_info("10000000"))
    assert caught.value.status_code == 500
    assert caught.value.message == "interface conversion: interface {} is bool, not string"


@pytest.mark.parametrize("kind", KINDS)
async def test_malformed_json_body_is_the_mock_s_400(kind: str, app: MockApp) -> None:
    client = rewritten(kind, app, body=b'{"chatId": }')
    with pytest.raises(BadRequestError) as caught:
        await call_and_close(
            client,
            client.get_contact_info(
                "10000000" if kind.endswith("telegram") else "79001234567@c.us"
            ),
        )
    assert type(caught.value) is BadRequestError
    assert caught.value.message.startswith("Unexpected token")
