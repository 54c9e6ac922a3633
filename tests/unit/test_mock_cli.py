"""``green-api-contacts mock``: arguments, help, and a real subprocess over loopback."""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from green_api_contacts import cli
from green_api_contacts.flavours import FLAVOURS

SECRET_WA = "5ec7e7" * 8 + "aa"
SECRET_TG = "5ec7e7" * 8 + "bb"
SECRET_MAX = "5ec7e7" * 8 + "cc"
# 50 characters, like a real token; only the console-script tests below use it.
ARGV_TOKEN = "9d4e" * 12 + "f0"
STARTUP_SECONDS = 30.0
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


def command() -> list[str]:
    """The installed console script, or the module if the script is not next to Python."""
    script = Path(sys.executable).with_name("green-api-contacts")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "green_api_contacts.cli"]


def test_help_documents_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["mock", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "(default: 127.0.0.1)" in out
    assert "(default: 8080)" in out
    assert "ID:TOKEN:FLAVOUR[:CONTACTS]" in out
    assert "--no-rate-limit" in out
    assert "--ignore-count-and-group" in out


def test_help_lists_the_registry_flavours_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["mock", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for flavour in FLAVOURS.values():
        assert flavour.name in out
        assert f"{flavour.title} instance {flavour.id_instance_example}" in out
    assert "MAX instance 3100000000 (also under /v3)" in out


def test_a_subcommand_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


@pytest.mark.parametrize(
    "spec",
    [f"1101000001:{SECRET_WA}:viber", f"1101000001:{SECRET_WA}:whatsapp:lots", f"x:{SECRET_WA}:tg"],
    ids=["flavour", "contacts", "id"],
)
def test_bad_instance_spec_is_rejected_without_echoing_the_token(
    capsys: pytest.CaptureFixture[str], spec: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["mock", "--instance", spec])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--instance" in err
    assert SECRET_WA not in err


def script(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script; usage errors stop it before it binds anything."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "green-api-contacts"), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["mock", "--token", ARGV_TOKEN],
        ["mock", "--token=" + ARGV_TOKEN],
        ["--token", ARGV_TOKEN, "mock"],
        ["mock", "--instance", f"1101000001:{ARGV_TOKEN}:viber"],
        ["mock", f"--instance=1101000001:{ARGV_TOKEN}:viber"],
        ["mock", "--instance", f"1101000001:{ARGV_TOKEN}"],
        ["mock", "--instance", f"x:{ARGV_TOKEN}:whatsapp"],
        ["mock", "--instance", f"1101000001:{ARGV_TOKEN}:whatsapp:lots"],
        ["mock", "--instance", f"1101000001:{ARGV_TOKEN}!:whatsapp"],
        ["mock", "--instanse", f"1101000001:{ARGV_TOKEN}:whatsapp"],
        ["mock", "--inst", f"1:{ARGV_TOKEN}:whatsapp", "--seed", ARGV_TOKEN],
        ["mock", "--port", ARGV_TOKEN],
        ["mock", ARGV_TOKEN],
    ],
    ids=[
        "token",
        "token-equals",
        "global-token",
        "flavour",
        "flavour-equals",
        "two-fields",
        "id",
        "contacts",
        "token-characters",
        "typo",
        "seed",
        "port",
        "bare",
    ],
)
def test_mock_usage_errors_never_echo_the_token(argv: list[str]) -> None:
    result = script(*argv)
    assert result.returncode == 2, result.stderr
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert ARGV_TOKEN not in result.stdout + result.stderr


def test_mock_help_never_echoes_the_token() -> None:
    result = script("mock", "--instance", f"1101000001:{ARGV_TOKEN}:whatsapp", "--help")
    assert result.returncode == 0, result.stderr
    assert "ID:TOKEN:FLAVOUR[:CONTACTS]" in result.stdout
    assert ARGV_TOKEN not in result.stdout + result.stderr


def test_port_in_use_fails_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = cli.main(["mock", "--port", str(port), "--instance", f"1:{SECRET_WA}:whatsapp:5"])
    assert code == 1
    err = capsys.readouterr().err
    assert "cannot listen" in err
    assert SECRET_WA not in err


def test_mock_subprocess_serves_over_loopback_without_leaking_tokens() -> None:
    args = [
        *command(),
        "mock",
        "--port",
        "0",
        "--instance",
        f"1101000001:{SECRET_WA}:whatsapp:50",
        "--instance",
        f"4100000000:{SECRET_TG}:telegram",
        "--instance",
        f"3100000000:{SECRET_MAX}:MAX:20",
        "--log-requests",
    ]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    collected: list[str] = []

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        url = None
        deadline = time.monotonic() + STARTUP_SECONDS
        while url is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            collected.append(line)
            match = LISTENING.search(line)
            url = match.group(1) if match else None
        assert url is not None, f"no listening line within {STARTUP_SECONDS}s: {collected}"

        with httpx.Client(base_url=url, timeout=10) as client:
            contacts = client.get(f"/waInstance1101000001/getContacts/{SECRET_WA}")
            info = client.post(
                f"/waInstance4100000000/GetContactInfo/{SECRET_TG}/", json={"chatId": "10000000"}
            )
            wrong = client.get(f"/waInstance1101000001/getContacts/{SECRET_TG}")
            limited = client.get(f"/waInstance1101000001/getContacts/{SECRET_WA}")
            max_v3 = client.get(f"/v3/waInstance3100000000/getContacts/{SECRET_MAX}")
            max_info = client.post(
                f"/waInstance3100000000/getContactInfo/{SECRET_MAX}",
                json={"chatId": max_v3.json()[0]["chatId"]},
            )
        assert contacts.status_code == 200
        assert len(contacts.json()) == 50
        assert info.status_code == 200
        assert info.json()["chatId"] == "10000000"
        assert wrong.status_code == 401
        assert limited.status_code == 429  # the rate limit is on by default
        assert max_v3.status_code == 200 and len(max_v3.json()) == 20
        assert max_info.status_code == 200
        assert max_info.json()["chatId"] == max_v3.json()[0]["chatId"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        reader.join(timeout=15)
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()

    while not lines.empty():
        collected.append(lines.get_nowait())
    stderr = "".join(collected)
    assert "instance 1101000001: whatsapp, 50 contacts" in stderr
    assert "instance 4100000000: telegram, 1000 contacts" in stderr
    # How to reach each instance; tokens the user gave are masked (the example ones are not).
    assert (
        f"    export GREEN_API_URL={url} GREEN_API_ID_INSTANCE=1101000001 "
        "GREEN_API_FLAVOUR=whatsapp  # and GREEN_API_TOKEN: the token you gave "
        f"(****{SECRET_WA[-4:]})"
    ) in stderr
    assert "instance 3100000000: max, 20 contacts, also under /v3/" in stderr
    assert "/waInstance1101000001/getContacts/<redacted> -> 200" in stderr
    assert "/waInstance4100000000/GetContactInfo/<redacted> -> 200" in stderr
    assert "/v3/waInstance3100000000/getContacts/<redacted> -> 200" in stderr
    assert SECRET_WA not in stderr
    assert SECRET_TG not in stderr
    assert SECRET_MAX not in stderr
