"""No token anywhere: every log record, exception text and repr during a run of every path.

Exceptions are also rendered with their frames' local variables, as Sentry, rich, IPython's
verbose mode and `pytest -l` show them. Errors are caught in small helpers (`error_of`), so that
the first frame of each traceback, a test frame, holds no token of its own.
"""

from __future__ import annotations

import gzip
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import Any

import httpx
import pytest

from green_api_contacts import ClientClosedError, ConfigurationError, GreenAPIError
from green_api_contacts.mock import BackgroundServer, InstanceRuntime, ManualClock
from tests.unit.client_support import (
    KINDS,
    TOKENS,
    WA_GROUP,
    Api,
    client_class,
    make_api,
    make_app,
)

LOGGERS = ["", "httpx", "httpcore", "httpx_retries", "green_api_contacts", "aiohttp"]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []
        self.records: list[logging.LogRecord] = []
        self.formatter_ = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.texts.append(self.formatter_.format(record))
        self.texts.append(repr(record.args))


@pytest.fixture
def collected() -> Iterator[Collect]:
    handler = Collect()
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def exception_texts(error: BaseException) -> list[str]:
    with_locals = traceback.TracebackException.from_exception(error, capture_locals=True)
    texts = [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        "".join(with_locals.format()),
        repr(error.args),
    ]
    if isinstance(error, GreenAPIError):
        texts += [error.message, str(error.body)]
    return texts


async def error_of(call: Callable[[], Awaitable[object] | object]) -> GreenAPIError | None:
    """What `call` raised (None if it did not); awaits what it returns, if awaitable."""
    try:
        result = call()
        if isinstance(result, Awaitable):
            await result
    except GreenAPIError as error:
        return error
    return None


async def collect(texts: list[str], call: Callable[[], Awaitable[object] | object]) -> None:
    error = await error_of(call)
    if error is not None:
        texts.extend(exception_texts(error))


async def run_everything(api: Api, texts: list[str]) -> None:
    """Every path one client can take: results, each error class, retries, transport errors."""
    texts += [repr(api.client), str(api.client)]
    contacts = await api.get_contacts(3)
    texts += [repr(contacts), str(contacts)]
    info = await api.get_contact_info(api.user_chat_id)
    texts += [repr(info), str(info)]
    if api.flavour == "whatsapp":
        texts.append(repr(await api.get_contact_info(WA_GROUP)))


async def failing_calls(api: Api, runtime: InstanceRuntime, texts: list[str]) -> None:
    inject = runtime.inject
    scenarios: list[Callable[[], None]] = [
        lambda: setattr(runtime, "state", "starting"),
        lambda: setattr(runtime, "state", "notAuthorized"),
        lambda: setattr(runtime, "state", "expired"),
        lambda: setattr(runtime, "state", "deleted"),
        lambda: setattr(runtime, "state", "quotaExceeded"),
        lambda: inject("502", times=10),
        lambda: inject("429; retry-after=1", times=10),
        lambda: inject("503", times=10),
        lambda: inject("500", times=1),
        lambda: inject("truncate", times=1),
    ]
    for scenario in scenarios:
        runtime.state = "authorized"
        runtime.clear_faults()
        scenario()
        await collect(texts, lambda: api.get_contacts())
        await collect(texts, lambda: api.get_contact_info(api.user_chat_id))
    runtime.state = "authorized"
    runtime.clear_faults()
    # A Retry-After longer than the retry policy waits: it gives up on the first answer.
    runtime.inject("429; retry-after=100", times=1)
    await collect(texts, lambda: api.get_contacts())
    for bad in ("bad chat id", ""):
        await collect(texts, partial(api.get_contact_info, bad))
    unchecked = "79001234567" if api.flavour == "whatsapp" else "-100123"
    await collect(texts, lambda: api.unchecked_info(unchecked))
    api.transport.failures_left = 100
    await collect(texts, lambda: api.get_contacts())
    api.transport.failures_left = 0


async def test_no_token_in_any_log_exception_or_repr(collected: Collect) -> None:
    texts: list[str] = []
    clock = ManualClock()
    app = make_app(clock)
    for kind in KINDS:
        api = make_api(kind, app=app, clock=clock)
        await run_everything(api, texts)
        await failing_calls(api, app.mock.instance(api.id_instance), texts)
        # Wrong token (401) and wrong instance (403).
        good = api.client._token
        api.client._token = type(good)("0" * 50)
        await collect(texts, partial(api.get_contacts))
        api.client._token = good
        await api.close()
        closed = await error_of(partial(api.get_contacts))
        assert isinstance(closed, ClientClosedError)
        texts.extend(exception_texts(closed))
        # A body whose Content-Encoding does not decode.
        await collect(texts, undecodable_api(kind).get_contacts)
    # Over a real socket too, so httpcore logs its connection work.
    with BackgroundServer(app) as server:
        for kind in KINDS:
            token = TOKENS[1] if kind.endswith("telegram") else TOKENS[0]
            id_instance = 4100000000 if kind.endswith("telegram") else 1101000001
            client = client_class(kind)(
                id_instance=id_instance, api_token=token, api_url=server.url
            )
            texts.append(repr(client))
            result = client.get_contacts(2)
            if kind.startswith("async"):
                result = await result
                await client.aclose()
            else:
                client.close()
            texts.append(repr(result))
        # And a connection that fails: nothing listens on the port any more after this block.
        dead_url = server.url
    refused: list[str] = []
    for kind in ("sync-whatsapp", "async-telegram"):
        error = await refused_error(kind, dead_url)
        assert error is not None
        texts.extend(exception_texts(error))
        refused.append(str(error))
    # Constructors: the token given, or pasted into api_url, is in no frame's locals.
    for kind in KINDS:
        for options in bad_constructions(kind):
            error = await error_of(partial(construct, kind, options))
            assert isinstance(error, ConfigurationError), options
            texts.extend(exception_texts(error))
        for environ in bad_environments(kind):
            error = await error_of(partial(construct_from_env, kind, environ))
            assert isinstance(error, ConfigurationError), environ
            texts.extend(exception_texts(error))

    assert len(refused) == 2
    assert all("ConnectError" in text for text in refused)
    texts.extend(collected.texts)
    everything = "\n".join(texts)
    for token in TOKENS:
        assert token not in everything
    # The run really exercised the loggers that print URLs, and they were redacted.
    names = {record.name for record in collected.records}
    assert {"httpx", "httpx_retries.transport", "green_api_contacts.client"} <= names
    assert any(name.startswith("httpcore.") for name in names)
    assert any("HTTP Request" in text and "<redacted>" in text for text in collected.texts)
    assert "<redacted>" in everything


def token_of(kind: str) -> str:
    return TOKENS[1] if kind.endswith("telegram") else TOKENS[0]


def id_of(kind: str) -> int:
    return 4100000000 if kind.endswith("telegram") else 1101000001


def undecodable_api(kind: str) -> Api:
    body = gzip.compress(b"[]")[:5]  # a gzip header cut short
    return make_api(
        kind,
        handler=lambda r: httpx.Response(200, content=body, headers={"content-encoding": "gzip"}),
    )


async def refused_error(kind: str, url: str) -> GreenAPIError | None:
    client = client_class(kind)(
        id_instance=id_of(kind), api_token=token_of(kind), api_url=url, max_retries=0, timeout=2.0
    )
    try:
        return await error_of(lambda: client.get_contacts())
    finally:
        if kind.startswith("async"):
            await client.aclose()
        else:
            client.close()


# Functions, not values: a test frame holding the token would show it in the traceback itself.
def construct(kind: str, options: Callable[[], dict[str, Any]]) -> object:
    return client_class(kind)(**options())


def construct_from_env(kind: str, environ: Callable[[], dict[str, str]]) -> object:
    return client_class(kind).from_env(environ=environ())


def bad_constructions(kind: str) -> list[Callable[[], dict[str, Any]]]:
    def base(**overrides: Any) -> dict[str, Any]:
        return {"id_instance": id_of(kind), "api_token": token_of(kind), **overrides}

    method_url = f"https://h.test/waInstance{id_of(kind)}/getContacts/{token_of(kind)}"
    return [
        lambda: base(api_url=method_url),
        lambda: base(api_url=f"https://user:{token_of(kind)}@h.test"),
        lambda: base(api_token=token_of(kind) + "\n"),
        lambda: base(max_retries=-1),
        lambda: base(http_client=object()),
    ]


def bad_environments(kind: str) -> list[Callable[[], dict[str, str]]]:
    def env(**values: str) -> dict[str, str]:
        return {"GREEN_API_ID_INSTANCE": str(id_of(kind)), "GREEN_API_TOKEN": token_of(kind)} | {
            name.upper(): value for name, value in values.items()
        }

    method_url = f"https://h.test/waInstance{id_of(kind)}/getContacts/{token_of(kind)}"
    return [
        lambda: env(green_api_url=method_url),
        lambda: env(green_api_id_instance="x"),
        lambda: env(green_api_token=token_of(kind) + "/"),
    ]
