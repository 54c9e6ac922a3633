"""The contacts and info subcommands against the mock served on 127.0.0.1.

Most runs are in-process (main() with the environment patched); a few go through a real
subprocess to check what scripts see: exit codes, stdout and stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest

from green_api_contacts import WhatsAppClient
from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.cli import EXIT_CODES, _commands, add_client_commands, exit_code_for, main
from green_api_contacts.cli._output import plain
from green_api_contacts.errors import (
    ConfigurationError,
    ForbiddenError,
    InstanceStartingError,
    InvalidRequestError,
    QuotaExceededError,
    RateLimitedError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from green_api_contacts.mock import BackgroundServer, ManualClock, MockApp, MockInstance, create_app
from green_api_contacts.types import WhatsAppContactInfo
from tests.unit.client_support import (
    TG_ID,
    TG_TOKEN,
    TG_USER,
    WA_GROUP,
    WA_ID,
    WA_TOKEN,
    WA_USER,
    make_app,
)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[MockApp, str]]:
    app = make_app(ManualClock())
    with BackgroundServer(app) as server:
        yield app, server.url


@pytest.fixture
def app(served: tuple[MockApp, str]) -> Iterator[MockApp]:
    app = served[0]
    yield app
    for runtime in app.mock.instances:
        runtime.state = "authorized"
        runtime.clear_faults()


@pytest.fixture
def env(served: tuple[MockApp, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "GREEN_API_URL": served[1],
        "GREEN_API_ID_INSTANCE": str(WA_ID),
        "GREEN_API_TOKEN": WA_TOKEN,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GREEN_API_FLAVOUR", raising=False)
    return values


def use_telegram(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREEN_API_FLAVOUR", "telegram")
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(TG_ID))
    monkeypatch.setenv("GREEN_API_TOKEN", TG_TOKEN)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert WA_TOKEN not in out + err and TG_TOKEN not in out + err
    return code, out, err


# ---------------------------------------------------------------------------- success


def test_contacts_json(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "contacts", "--format", "json")
    assert code == 0
    contacts = json.loads(out)
    assert len(contacts) == 30
    assert all("id" in item and "type" in item for item in contacts)


def test_contacts_csv_with_count_and_group(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "contacts", "--count", "2", "--group", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    assert all(row["id"].endswith("@g.us") and row["type"] == "group" for row in rows)


def test_contacts_table(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "contacts", "--no-group", "--count", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["id", "name"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert len(lines) == 5
    assert all("@c.us" in line for line in lines[2:])


def test_info_json_and_table(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", WA_USER, "--format", "json")
    assert code == 0
    assert json.loads(out)["chatId"] == WA_USER
    code, out, _ = run(capsys, "info", WA_USER)
    assert code == 0
    assert out.splitlines()[0].split() == ["field", "value"]
    assert any(line.startswith("chatId") and WA_USER in line for line in out.splitlines())


def test_info_of_a_whatsapp_group(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "info", WA_GROUP, "--format", "json")[:2] == (0, "null\n")
    assert run(capsys, "info", WA_GROUP)[:2] == (0, "no information (a group chat)\n")
    assert run(capsys, "info", WA_GROUP, "--format", "csv")[:2] == (0, "")


def test_telegram_from_the_environment(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_telegram(monkeypatch)
    code, out, _ = run(capsys, "contacts", "--format", "json", "--count", "4")
    assert code == 0
    assert all("chatId" in item and "phoneNumber" in item for item in json.loads(out))
    code, out, _ = run(capsys, "info", TG_USER, "--format", "csv")
    assert code == 0
    assert next(csv.DictReader(io.StringIO(out)))["chatId"] == TG_USER


def test_flags_override_the_environment(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GREEN_API_ID_INSTANCE")
    code, _, err = run(
        capsys,
        "contacts",
        "--flavour",
        "telegram",
        "--id-instance",
        str(TG_ID),
        "--token",
        TG_TOKEN,
    )
    assert code == 0
    assert "--token is visible" in err


# ---------------------------------------------------------------------------- exit codes


def test_usage_errors_exit_2(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "info", "not-a-chat-id")
    assert code == 2
    assert "is not a WhatsApp chat id" in err
    use_telegram(monkeypatch)
    assert run(capsys, "contacts", "--group")[0] == 2
    monkeypatch.setenv("GREEN_API_FLAVOUR", "viber")
    assert run(capsys, "contacts")[0] == 2
    monkeypatch.delenv("GREEN_API_FLAVOUR")
    monkeypatch.delenv("GREEN_API_TOKEN")
    code, _, err = run(capsys, "contacts")
    assert code == 2
    assert "GREEN_API_TOKEN" in err
    monkeypatch.delenv("GREEN_API_ID_INSTANCE")
    code, _, err = run(capsys, "contacts")
    assert (code, "GREEN_API_ID_INSTANCE" in err) == (2, True)


@pytest.mark.parametrize(
    "argv", [["contacts", "--count", "0"], ["contacts", "--format", "xml"], ["info"], ["nope"]]
)
def test_argparse_errors_exit_2(env: dict[str, str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_api_errors_by_exit_code(
    env: dict[str, str],
    app: MockApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    runtime = app.mock.instance(WA_ID)
    runtime.state = "starting"
    code, _, err = run(capsys, "contacts")
    assert (code, "instance in starting process" in err) == (5, True)
    runtime.state = "quotaExceeded"
    assert run(capsys, "contacts")[0] == 4
    runtime.state = "authorized"
    runtime.inject("429", times=1)
    assert run(capsys, "contacts", "--max-retries", "0")[0] == 4
    runtime.inject("truncate", times=1)
    assert run(capsys, "contacts")[0] == 7
    monkeypatch.setenv("GREEN_API_TOKEN", "0" * 50)
    code, _, err = run(capsys, "contacts")
    assert (code, "Unauthorized" in err) == (3, True)
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", "1234")
    assert run(capsys, "info", WA_USER)[0] == 3


def test_transport_error_exit_6(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with BackgroundServer(make_app(ManualClock())) as server:
        dead = server.url
    monkeypatch.setenv("GREEN_API_URL", dead)
    code, _, err = run(capsys, "contacts", "--max-retries", "0", "--timeout", "2")
    assert code == 6
    assert "ConnectError" in err


def test_exit_code_table() -> None:
    cases = {
        ConfigurationError("x"): 2,
        InvalidRequestError("x"): 2,
        UnauthorizedError("x"): 3,
        ForbiddenError("x"): 3,
        RateLimitedError("x"): 4,
        QuotaExceededError("x"): 4,
        InstanceStartingError("x"): 5,
        ServerError("x"): 5,
        TransportError("x"): 6,
        ResponseValidationError("x"): 7,
    }
    for error, code in cases.items():
        assert exit_code_for(error) == code


def test_help_documents_exit_codes_and_variables(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("contacts", "info"):
        with pytest.raises(SystemExit) as caught:
            main([command, "--help"])
        assert caught.value.code == 0
        out = capsys.readouterr().out
        for line in (
            "0  success",
            "3  authentication",
            "7  the answer did not match",
            "GREEN_API_TOKEN",
        ):
            assert line in out
    assert "6  no answer" in EXIT_CODES


def test_commands_plug_into_another_parser() -> None:
    parser = argparse.ArgumentParser(prog="green-api-contacts")
    add_client_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["info", WA_USER, "--format", "json"])
    assert (args.chat_id, args.format) == (WA_USER, "json")
    assert callable(args.handler)


def test_json_output_keeps_unknown_fields() -> None:
    body = json.dumps({"chatId": WA_USER, "lastSeen": None, "brandNew": 1}).encode()
    info: WhatsAppContactInfo = tolerant_decoder(WhatsAppContactInfo)(body)
    shown = plain(info)
    assert {key: shown[key] for key in ("chatId", "lastSeen", "brandNew")} == {
        "chatId": WA_USER,
        "lastSeen": None,
        "brandNew": 1,
    }
    assert shown["name"] == "" and "muteExpiration" not in shown  # a default; UNSET left out


# ---------------------------------------------------------------------------- subprocess


def cli(url: str, *argv: str, token: str = WA_TOKEN) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment.update(
        {
            "GREEN_API_URL": url,
            "GREEN_API_ID_INSTANCE": str(WA_ID),
            "GREEN_API_TOKEN": token,
            "PYTHONIOENCODING": "utf-8",
        }
    )
    environment.pop("GREEN_API_FLAVOUR", None)
    return subprocess.run(
        [str(Path(sys.executable).parent / "green-api-contacts"), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
        check=False,
    )


def test_subprocess_success_auth_failure_and_bad_chat_id(served: tuple[MockApp, str]) -> None:
    url = served[1]
    ok = cli(url, "contacts", "--format", "json", "--count", "3")
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)) == 3
    unauthorized = cli(url, "contacts", token="0" * 50)
    assert unauthorized.returncode == 3
    assert "HTTP 401: Unauthorized" in unauthorized.stderr
    bad = cli(url, "info", "12345")
    assert bad.returncode == 2
    assert "is not a WhatsApp chat id" in bad.stderr
    for result in (ok, unauthorized, bad):
        assert WA_TOKEN not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- argument errors

# 50 characters like a real token, used nowhere else: no test registers it in this process.
ARGV_TOKEN = "3a7f" * 12 + "c1"
# A short one that does not look like a token, so only registration can hide it.
SHORT_TOKEN = "Tk.s3cr3t"
NOWHERE = "http://127.0.0.1:9"  # usage errors stop before any request


@pytest.mark.parametrize(
    "argv",
    [
        ["--token=" + ARGV_TOKEN, "contacts"],
        ["--token", ARGV_TOKEN, "contacts"],
        ["contacts", "--tokn=" + ARGV_TOKEN],
        ["contacts", "--tokn", ARGV_TOKEN],
        ["contacts", "--token" + ARGV_TOKEN],
        ["contacts", "--t=" + ARGV_TOKEN],
        ["contacts", "--flavour", ARGV_TOKEN],
        ["info", WA_USER, "--api-token", ARGV_TOKEN],
        ["info", WA_USER, ARGV_TOKEN],
        ["contacts", "--format", "json", "--", ARGV_TOKEN],
        ["contacts", "--tokn=" + SHORT_TOKEN],
        ["contacts", "--tokne", SHORT_TOKEN],
        ["--token", SHORT_TOKEN, "contacts", "--bogus"],
    ],
    ids=[
        "global-equals",
        "global-space",
        "typo-equals",
        "typo-space",
        "glued",
        "ambiguous-abbreviation",
        "bad-choice",
        "unknown-option",
        "extra-positional",
        "after-double-dash",
        "short-typo-equals",
        "short-typo-space",
        "short-global",
    ],
)
def test_usage_errors_never_echo_the_token(argv: list[str]) -> None:
    result = cli(NOWHERE, *argv)
    assert result.returncode == 2, result.stderr
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr
    for secret in (ARGV_TOKEN, SHORT_TOKEN, WA_TOKEN):
        assert secret not in result.stdout + result.stderr


def test_usage_errors_still_say_what_was_wrong() -> None:
    typo = cli(NOWHERE, "contacts", "--tokn=" + ARGV_TOKEN, "--bogus")
    assert "unrecognized arguments: --tokn=<hidden> --bogus" in typo.stderr
    global_option = cli(NOWHERE, "--token=" + ARGV_TOKEN, "contacts")
    assert "unrecognized arguments: --token=<hidden>" in global_option.stderr
    count = cli(NOWHERE, "contacts", "--count", "0")
    assert "argument --count: must be an integer >= 1" in count.stderr
    assert (typo.returncode, global_option.returncode, count.returncode) == (2, 2, 2)


def test_help_never_echoes_the_token() -> None:
    for argv in (
        ["contacts", "--token", ARGV_TOKEN, "--help"],
        ["info", "--token=" + ARGV_TOKEN, "-h"],
        ["--help"],
    ):
        result = cli(NOWHERE, *argv)
        assert result.returncode == 0, result.stderr
        assert "usage:" in result.stdout
        assert ARGV_TOKEN not in result.stdout + result.stderr


def test_usage_errors_in_process_exit_2_without_the_token(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    short = "Tk.in-process"
    for argv in (
        ["contacts", "--tokn=" + short],
        ["contacts", "--tokn", short],
        ["--token", short, "info"],
    ):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
        out, err = capsys.readouterr()
        assert "error:" in err
        assert short not in out + err


# ---------------------------------------------------------------------------- output


FORMULA_CONTACTS = [
    {"id": "79001234567@c.us", "name": '=HYPERLINK("http://x.test","y")', "type": "user"},
    {"id": "79001234568@c.us", "name": "+1+cmd|' /C calc'!A0", "contactName": "@SUM(1)"},
    {"id": "79001234569@c.us", "name": "-Alex", "contactName": "\t=1+1", "type": "user"},
    {"id": "79001234570@c.us", "name": "-42", "contactName": "+7 900", "type": "user"},
    {"id": "79001234571@c.us", "name": "Ann = Bob", "contactName": "", "type": "user"},
]


@pytest.fixture
def formula_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert "getContacts" in request.url.path
        return httpx.Response(200, json=FORMULA_CONTACTS)

    transport = httpx.MockTransport(answer)
    monkeypatch.setitem(_commands.CLIENTS, "whatsapp", partial(WhatsAppClient, transport=transport))
    monkeypatch.setenv("GREEN_API_URL", "http://mock.test")
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(WA_ID))
    monkeypatch.setenv("GREEN_API_TOKEN", WA_TOKEN)
    monkeypatch.delenv("GREEN_API_FLAVOUR", raising=False)


def test_csv_defuses_formulas(formula_transport: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "contacts", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["name"] for row in rows] == [
        '\'=HYPERLINK("http://x.test","y")',
        "'+1+cmd|' /C calc'!A0",
        "'-Alex",
        "-42",  # a number is no formula
        "Ann = Bob",
    ]
    assert [row["contactName"] for row in rows] == ["", "'@SUM(1)", "'=1+1", "'+7 900", ""]
    assert [row["id"] for row in rows] == [item["id"] for item in FORMULA_CONTACTS]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


def test_json_and_table_show_names_as_given(
    formula_transport: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "contacts", "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert len(shown) == len(FORMULA_CONTACTS)
    pairs = zip(shown, FORMULA_CONTACTS, strict=True)
    assert [{key: s[key] for key in sent} for s, sent in pairs] == FORMULA_CONTACTS
    code, out, _ = run(capsys, "contacts")
    assert code == 0
    assert '=HYPERLINK("http://x.test","y")' in out
    assert "'" + "=HYPERLINK" not in out


def test_help_for_format_documents_the_csv_quoting(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["contacts", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "a text cell that starts with = + - @, a tab or a carriage return gets a leading '" in (
        help_text
    )


@pytest.fixture(scope="module")
def big_served() -> Iterator[str]:
    big = create_app(
        [MockInstance(WA_ID, WA_TOKEN, "whatsapp", contacts=20_000)],
        rate_limit=False,
        clock=ManualClock(),
    )
    big.mock.prepare()
    with BackgroundServer(big) as server:
        yield server.url


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_reader_that_stops_early_ends_the_output_quietly(big_served: str, fmt: str) -> None:
    environment = dict(os.environ)
    environment.update(
        {
            "GREEN_API_URL": big_served,
            "GREEN_API_ID_INSTANCE": str(WA_ID),
            "GREEN_API_TOKEN": WA_TOKEN,
            "PYTHONIOENCODING": "utf-8",
        }
    )
    environment.pop("GREEN_API_FLAVOUR", None)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "green-api-contacts"), "contacts", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        first = process.stdout.readline()  # like `| head -1`
        process.stdout.close()
        err = process.stderr.read().decode("utf-8", "replace")
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=15)
        process.stderr.close()
    assert first
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert err == ""
    assert code == 0
