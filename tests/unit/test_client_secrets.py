"""No token anywhere: every log record, exception text and repr during a run of every path."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator

import pytest

from green_api_contacts import GreenAPIError
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

LOGGERS = ["", "httpx", "httpcore", "httpx_retries", "green_api_contacts"]


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
    texts = [str(error), repr(error), "".join(traceback.format_exception(error)), repr(error.args)]
    if isinstance(error, GreenAPIError):
        texts += [error.message, str(error.body)]
    return texts


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
        for operation in ("getContacts", "getContactInfo"):
            try:
                if operation == "getContacts":
                    await api.get_contacts()
                else:
                    await api.get_contact_info(api.user_chat_id)
            except GreenAPIError as error:
                texts.extend(exception_texts(error))
    runtime.state = "authorized"
    runtime.clear_faults()
    for bad in ("bad chat id", ""):
        try:
            await api.get_contact_info(bad)
        except GreenAPIError as error:
            texts.extend(exception_texts(error))
    try:
        await api.unchecked_info("79001234567" if api.flavour == "whatsapp" else "-100123")
    except GreenAPIError as error:
        texts.extend(exception_texts(error))
    api.transport.failures_left = 100
    try:
        await api.get_contacts()
    except GreenAPIError as error:
        texts.extend(exception_texts(error))
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
        try:
            await api.get_contacts()
        except GreenAPIError as error:
            texts.extend(exception_texts(error))
        api.client._token = good
        await api.close()
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
        token = TOKENS[1] if kind.endswith("telegram") else TOKENS[0]
        id_instance = 4100000000 if kind.endswith("telegram") else 1101000001
        client = client_class(kind)(
            id_instance=id_instance, api_token=token, api_url=dead_url, max_retries=0, timeout=2.0
        )
        try:
            result = client.get_contacts()
            if kind.startswith("async"):
                await result
        except GreenAPIError as error:
            texts.extend(exception_texts(error))
            refused.append(str(error))
        finally:
            if kind.startswith("async"):
                await client.aclose()
            else:
                client.close()

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
