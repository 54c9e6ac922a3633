"""The CLI's small things: --version, --csv-raw, tables with CJK and emoji, retry notices, -q,
and how ``mock`` says to reach each instance. In-process, against httpx.MockTransport answers
or the mock's runtimes; nothing sleeps (the only retry waits are Retry-After: 0)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import partial
from importlib.metadata import version
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import wcwidth

from green_api_contacts import WhatsAppClient, __version__
from green_api_contacts.cli import _commands, main
from green_api_contacts.cli._mock import how_to_reach, masked, reach_url
from green_api_contacts.cli._output import _write
from green_api_contacts.mock import (
    EXAMPLE_MAX_TOKEN,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_TOKEN,
    InstanceRuntime,
    MockInstance,
    create_app,
)
from tests.documented import sent_values
from tests.unit.client_support import TG_TOKEN, WA_ID, WA_TOKEN

FORMULAS = [
    {"id": "79001234567@c.us", "name": '=HYPERLINK("http://x.test","y")', "type": "user"},
    {"id": "79001234568@c.us", "name": "@SUM(1)", "contactName": "-Alex", "type": "user"},
]
# Names in scripts and emoji that take two terminal columns per character (or per cluster).
WIDE = [
    {"id": "79001234567@c.us", "name": "张伟", "type": "user"},
    {"id": "79001234568@c.us", "name": "Ann", "type": "user"},
    {"id": "79001234569@c.us", "name": "山田太郎 🎉", "type": "user"},
    {"id": "79001234570@c.us", "name": "👨‍👩‍👧 family", "type": "group"},
    {"id": "79001234571@c.us", "name": "김민준👍🏽", "type": "user"},
]


def use_answers(
    monkeypatch: pytest.MonkeyPatch, answer: Callable[[httpx.Request], httpx.Response]
) -> None:
    """The CLI's WhatsApp client on an httpx.MockTransport, configured from the environment."""
    transport = httpx.MockTransport(answer)
    monkeypatch.setitem(_commands.CLIENTS, "whatsapp", partial(WhatsAppClient, transport=transport))
    monkeypatch.setenv("GREEN_API_URL", "http://mock.test")
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(WA_ID))
    monkeypatch.setenv("GREEN_API_TOKEN", WA_TOKEN)
    monkeypatch.delenv("GREEN_API_FLAVOUR", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert WA_TOKEN not in out + err
    return code, out, err


# ---------------------------------------------------------------------------- --version


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out == f"green-api-contacts {version('green-api-contacts')}\n"
    assert __version__ == version("green-api-contacts")


# ---------------------------------------------------------------------------- --csv-raw


def test_csv_raw_switches_the_formula_protection_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_answers(monkeypatch, lambda request: httpx.Response(200, json=FORMULAS))
    code, out, _ = run(capsys, "contacts", "--format", "csv")
    assert code == 0
    protected = list(csv.DictReader(io.StringIO(out)))
    assert [row["name"] for row in protected] == ['\'=HYPERLINK("http://x.test","y")', "'@SUM(1)"]
    code, out, _ = run(capsys, "contacts", "--format", "csv", "--csv-raw")
    assert code == 0
    raw = list(csv.DictReader(io.StringIO(out)))
    assert [row["name"] for row in raw] == ['=HYPERLINK("http://x.test","y")', "@SUM(1)"]
    assert [row["contactName"] for row in raw] == ["", "-Alex"]
    assert [row["id"] for row in raw] == [item["id"] for item in FORMULAS]


def test_csv_raw_does_not_change_json_or_tables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_answers(monkeypatch, lambda request: httpx.Response(200, json=FORMULAS))
    _, plain_json, _ = run(capsys, "contacts", "--format", "json")
    _, raw_json, _ = run(capsys, "contacts", "--format", "json", "--csv-raw")
    assert json.loads(raw_json) == json.loads(plain_json)
    # Absent fields show their defaults (README, "Fields and absent values"); sent ones as sent.
    assert sent_values(FORMULAS, json.loads(raw_json)) == FORMULAS
    assert run(capsys, "contacts", "--csv-raw")[1] == run(capsys, "contacts")[1]


def test_help_documents_csv_raw_and_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["contacts", "--help"])
    out = capsys.readouterr().out
    assert "--csv-raw" in out
    assert "-q, --quiet" in out


# ---------------------------------------------------------------------------- table widths


def cell_starts(line: str, columns: int) -> list[int]:
    """Terminal column where each cell of a table line starts (cells are 2 spaces apart and
    hold no 2-space runs here)."""
    texts = [part.strip() for part in line.split("  ") if part.strip()]
    starts, at = [], 0
    for text in texts[:columns]:
        index = line.index(text, at)
        starts.append(wcwidth.width(line[:index]))
        at = index + len(text)
    return starts


def test_table_columns_line_up_with_cjk_and_emoji() -> None:
    out = io.StringIO()
    _write(out, "table", WIDE, WIDE, empty="")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 + len(WIDE)
    starts = {tuple(cell_starts(line, 3)) for line in lines if not line.startswith("-")}
    assert len(starts) == 1, out.getvalue()  # every row's cells start in the same columns
    assert starts.pop()[2] == 2 + max(wcwidth.width(row["name"]) for row in WIDE) + 2 + 16
    # Counting characters instead would not line them up: the test can fail.
    by_characters = {line.index(row["type"], 20) for line, row in zip(lines[2:], WIDE, strict=True)}
    assert len(by_characters) > 1


def test_table_of_cjk_names_through_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_answers(monkeypatch, lambda request: httpx.Response(200, json=WIDE))
    code, out, _ = run(capsys, "contacts")
    assert code == 0
    lines = out.splitlines()
    header = lines[0]
    assert [line for line in lines if "张伟" in line]
    type_column = wcwidth.width(header[: header.index("type")])
    for line, row in zip(lines[2:], WIDE, strict=True):
        assert wcwidth.width(line[: line.rindex(row["type"])]) == type_column, out


# ---------------------------------------------------------------------------- retry notices


def flaky(statuses: list[int]) -> Callable[[httpx.Request], httpx.Response]:
    """Answer the given statuses (Retry-After: 0, so nothing waits), then the contacts."""
    pending = list(statuses)

    def answer(request: httpx.Request) -> httpx.Response:
        if pending:
            return httpx.Response(pending.pop(0), headers={"Retry-After": "0"}, text="busy")
        return httpx.Response(200, json=WIDE[:1])

    return answer


def test_the_cli_says_when_it_waits_to_retry(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_answers(monkeypatch, flaky([429, 503]))
    code, out, err = run(capsys, "contacts", "--format", "json")
    assert code == 0
    assert sent_values(WIDE[:1], json.loads(out)) == WIDE[:1]
    assert err.splitlines() == [
        "green-api-contacts: HTTP 429: waiting 0.0 s before retry 1 of 3",
        "green-api-contacts: HTTP 503: waiting 0.0 s before retry 2 of 3",
    ]


def test_quiet_keeps_stderr_for_errors_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_answers(monkeypatch, flaky([503]))
    code, _, err = run(capsys, "contacts", "-q")
    assert (code, err) == (0, "")
    use_answers(monkeypatch, flaky([401]))
    code, _, err = run(capsys, "contacts", "--quiet")
    assert code == 3
    assert "HTTP 401" in err
    assert "check apiTokenInstance" in err


def test_notices_end_with_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    retry_logger = logging.getLogger("green_api_contacts.retry")
    handlers, level = list(retry_logger.handlers), retry_logger.level
    use_answers(monkeypatch, flaky([503]))
    run(capsys, "contacts")
    assert (retry_logger.handlers, retry_logger.level) == (handlers, level)


def test_cli_errors_say_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_answers(monkeypatch, flaky([403]))
    code, _, err = run(capsys, "contacts")
    assert code == 3
    assert "HTTP 403" in err
    assert "check idInstance, and that apiUrl (http://mock.test here) is the instance's" in err

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    use_answers(monkeypatch, refuse)
    code, _, err = run(capsys, "contacts", "--max-retries", "0")
    assert code == 6
    assert "no answer from http://mock.test (ConnectError: connection refused)" in err
    assert "check apiUrl" in err


# ---------------------------------------------------------------------------- mock


def runtimes(*instances: MockInstance) -> list[InstanceRuntime]:
    return list(create_app(list(instances)).mock.instances)


def test_mock_prints_how_to_reach_the_example_instances() -> None:
    from green_api_contacts.mock import DEFAULT_INSTANCES

    lines = how_to_reach("http://127.0.0.1:8080", runtimes(*DEFAULT_INSTANCES))
    assert lines == [
        "  instance 1101000001: whatsapp, 1000 contacts",
        "    export GREEN_API_URL=http://127.0.0.1:8080 GREEN_API_ID_INSTANCE=1101000001 "
        f"GREEN_API_FLAVOUR=whatsapp GREEN_API_TOKEN={EXAMPLE_WHATSAPP_TOKEN}  # the example token",
        "  instance 4100000000: telegram, 1000 contacts",
        "    export GREEN_API_URL=http://127.0.0.1:8080 GREEN_API_ID_INSTANCE=4100000000 "
        f"GREEN_API_FLAVOUR=telegram GREEN_API_TOKEN={EXAMPLE_TELEGRAM_TOKEN}  # the example token",
        "  instance 3100000000: max, 1000 contacts, also under /v3/",
        "    export GREEN_API_URL=http://127.0.0.1:8080 GREEN_API_ID_INSTANCE=3100000000 "
        f"GREEN_API_FLAVOUR=max GREEN_API_TOKEN={EXAMPLE_MAX_TOKEN}  # the example token",
    ]


def test_mock_masks_tokens_the_user_gave() -> None:
    lines = how_to_reach(
        "http://0.0.0.0:9000",
        runtimes(
            MockInstance(1101000001, WA_TOKEN, "whatsapp", contacts=5),
            MockInstance(4100000000, EXAMPLE_TELEGRAM_TOKEN, "telegram", contacts=3),
            MockInstance(4100000001, "short", "telegram", contacts=1),
        ),
    )
    text = "\n".join(lines)
    assert WA_TOKEN not in text
    assert "short" not in text
    assert lines[1] == (
        "    export GREEN_API_URL=http://127.0.0.1:9000 GREEN_API_ID_INSTANCE=1101000001 "
        "GREEN_API_FLAVOUR=whatsapp  # and GREEN_API_TOKEN: the token you gave (****ef01)"
    )
    assert lines[3].endswith(f"GREEN_API_TOKEN={EXAMPLE_TELEGRAM_TOKEN}  # the example token")
    assert lines[5].endswith("the token you gave (****)")


def test_every_flavours_published_example_token_is_printed_whole() -> None:
    from green_api_contacts.flavours import example_instances

    examples = example_instances()
    assert len(examples) >= 2
    # Runtimes as how_to_reach reads them: the registry may know flavours the mock serves later.
    instances: list[Any] = [
        SimpleNamespace(
            id_instance=e.id_instance,
            flavour=e.flavour,
            config=SimpleNamespace(token=e.token, contacts=1),
        )
        for e in examples
    ]
    lines = how_to_reach("http://127.0.0.1:8080", instances)
    for example, line in zip(examples, lines[1::2], strict=True):
        assert line.endswith(f"GREEN_API_TOKEN={example.token}  # the example token")
        assert f"GREEN_API_FLAVOUR={example.flavour} " in line


@pytest.mark.parametrize(
    ("token", "shown"),
    [(WA_TOKEN, "****ef01"), (TG_TOKEN, "****10fe"), ("a" * 19, "****"), ("", "****")],
)
def test_masked_shows_at_most_the_last_four_characters(token: str, shown: str) -> None:
    assert masked(token) == shown


@pytest.mark.parametrize(
    ("listening", "reach"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("http://[::]:8080", "http://[::1]:8080"),
        ("http://[::1]:81", "http://[::1]:81"),
    ],
)
def test_reach_url_replaces_addresses_a_client_cannot_use(listening: str, reach: str) -> None:
    assert reach_url(listening) == reach
