"""The CLI's usage errors hide tokens by their position in argv, never by searching the message.

Tokens of any length: ``"e"``, ``"a"``, ``"1"``, ``"auth"`` (inside "Unauthorized"), and
``"getContacts"`` (a method name). A text search would garble every message with them; the
masked rerun leaves every word of the message that is not a token intact.
"""

from __future__ import annotations

import argparse
import logging

import pytest

from green_api_contacts import UnauthorizedError, WhatsAppClient
from green_api_contacts.cli import HIDDEN, SafeArgumentParser, main, mask_argv
from green_api_contacts.mock import FLAVOURS, MockInstance, create_app
from green_api_contacts.testing import MockTransport

SHORT_TOKENS = ["e", "a", "1", "auth", "getContacts"]
KNOWN = frozenset({"token", "instance", "id-instance", "flavour", "format", "count", "seed"})


def last_error(err: str) -> str:
    """The text after ``error: `` on the last line argparse printed."""
    line = err.strip().splitlines()[-1]
    assert "error: " in line, err
    return line.split("error: ", 1)[1]


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    return last_error(err)


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GREEN_API_TOKEN", "GREEN_API_URL", "GREEN_API_ID_INSTANCE", "GREEN_API_FLAVOUR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("token", SHORT_TOKENS)
def test_short_tokens_in_usage_errors_are_hidden_and_garble_nothing(
    token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The message argparse gives, with ``<hidden>`` exactly where the token stood.

    Messages that go on with a list of choices or a type's own wording are compared up to there.
    """
    expected = {
        ("contacts", "--tokn", token): f"unrecognized arguments: --tokn {HIDDEN}",
        ("contacts", f"--tokn={token}"): f"unrecognized arguments: --tokn={HIDDEN}",
        ("contacts", f"--tokne={token}", "--bogus"): (
            f"unrecognized arguments: --tokne={HIDDEN} --bogus"
        ),
        # --token belongs to the subcommands: here the token stands where COMMAND goes.
        ("--token", token, "contacts", "--bogus"): f"argument COMMAND: invalid choice: '{HIDDEN}'",
        ("contacts", "--bogus", "--token", token): "unrecognized arguments: --bogus",
        ("contacts", "--flavour", token, "--token", token): (
            f"argument --flavour: invalid choice: '{HIDDEN}'"
        ),
        ("mock", "--instance", f"1:{token}:viber"): (
            "argument --instance: instance spec: FLAVOUR must be one of " + ", ".join(FLAVOURS)
        ),
        # The token pasted a second time, where argparse echoes it (port 0: never a fixed port).
        ("mock", "--port", "0", f"--instance=1:{token}:whatsapp", "--bogus", token): (
            f"unrecognized arguments: --bogus {HIDDEN}"
        ),
    }
    for argv, message in expected.items():
        said = usage_error(list(argv), capsys)
        if "invalid choice" in message:
            assert said.startswith(message), (argv, said)
            assert f"'{token}'" not in said
        else:
            assert said == message, argv


def test_a_word_unrelated_to_the_token_is_echoed_even_if_it_equals_a_token_character(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Only the token's positions are hidden: ``e`` as a token does not hide ``--flavour e``."""
    said = usage_error(["contacts", "--token", "x", "--flavour", "e"], capsys)
    assert "invalid choice: 'e'" in said


@pytest.mark.parametrize(
    ("argv", "masked"),
    [
        (["--token", "e", "contacts"], ["--token", HIDDEN, "contacts"]),
        (["--token=e", "contacts"], [f"--token={HIDDEN}", "contacts"]),
        (["--tok", "getContacts"], ["--tok", HIDDEN]),
        (["--tokene"], [f"--token{HIDDEN}"]),
        (["--api-token", "auth", "info", "auth"], ["--api-token", HIDDEN, "info", HIDDEN]),
        (["--instance", "1:a:whatsapp:5"], ["--instance", f"1:{HIDDEN}:whatsapp:5"]),
        (["--instance=1:1:telegram"], [f"--instance=1:{HIDDEN}:telegram"]),
        (["--instance", "1:a"], ["--instance", HIDDEN]),
        (["--flavour", "e", "--format", "json"], ["--flavour", "e", "--format", "json"]),
        (["--token", "--count", "1"], ["--token", "--count", "1"]),
        (["info", "a" * 50], ["info", HIDDEN]),
        (["--", "--token", "b" * 16], ["--", "--token", HIDDEN]),
    ],
)
def test_mask_argv_hides_token_values_by_position(argv: list[str], masked: list[str]) -> None:
    assert mask_argv(argv, KNOWN) == masked


def test_a_parser_that_does_not_fail_is_untouched_and_errors_outside_parsing_still_exit() -> None:
    parser = SafeArgumentParser(prog="p")
    parser.add_argument("--token")
    namespace = argparse.Namespace()
    assert parser.parse_args(["--token", "e"], namespace) is namespace
    assert namespace.token == "e"  # the real value, not a placeholder
    with pytest.raises(SystemExit) as exited:
        parser.error("plain message")
    assert exited.value.code == 2


@pytest.mark.parametrize("token", SHORT_TOKENS)
def test_client_errors_and_logs_with_a_short_token_through_mock_transport(
    token: str, caplog: pytest.LogCaptureFixture
) -> None:
    """MockTransport, in process: messages intact, the token nowhere it was put."""
    app = create_app([MockInstance(11, token, "whatsapp", contacts=3)], rate_limit=False)
    with (
        caplog.at_level(logging.DEBUG),
        WhatsAppClient(id_instance=11, api_token=token, transport=MockTransport(app)) as ok,
        WhatsAppClient(
            id_instance=11, api_token=token + "x", transport=MockTransport(app), max_retries=0
        ) as wrong,
    ):
        assert len(ok.get_contacts()) == 3
        with pytest.raises(UnauthorizedError) as unauthorized:
            wrong.get_contacts()
    text = str(unauthorized.value)
    assert "Unauthorized" in text
    assert HIDDEN not in text and "<redacted>" not in text.replace("/<redacted>", "")
    for where in (text, repr(unauthorized.value), str(unauthorized.value.body), caplog.text):
        assert f"/getContacts/{token}" not in where
    assert "getContacts" in caplog.text
