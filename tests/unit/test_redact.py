"""redact() and the logging filter that keeps tokens out of httpx/httpcore/hpack/our log lines."""

from __future__ import annotations

import logging
import sys

import pytest

import green_api_contacts
from green_api_contacts import ServerError, UnauthorizedError, WhatsAppClient, redact
from green_api_contacts._redact import (
    REDACTED,
    RedactingFilter,
    contains_secret,
    install_log_filter,
    redact_headers,
    redact_path,
    secret_values,
)
from green_api_contacts.mock import BackgroundServer, MockInstance, create_app

SECRET = "9f0e1d2c3b4a59687766554433221100ffeeddccbbaa998877"


def test_a_token_outside_a_token_position_is_not_searched_for() -> None:
    """No registry, no text search: free text is the caller's to build structurally."""
    odd = "Tk.s3cr3t-not-hex"
    text = f"a {odd} b x{odd}y"
    assert redact(text) == text
    assert not contains_secret(text, [odd])
    assert contains_secret(f"/waInstance1/getContacts/{odd}", [odd])


def test_a_word_of_the_documented_token_shape_is_replaced_wherever_it_stands() -> None:
    """50 hex digits standing alone; hashes (32, 40, 64) and longer words are left alone."""
    assert redact(f"a {SECRET} b ({SECRET.upper()})") == f"a {REDACTED} b ({REDACTED})"
    assert contains_secret(f"sent {SECRET}", [SECRET])
    for kept in ("0" * 32, "a" * 40, "f" * 64, f"x{SECRET}", f"{SECRET}0"):
        assert redact(kept) == kept


def test_unregistered_token_in_a_green_api_path_is_replaced() -> None:
    text = "GET https://api.green-api.com/waInstance1101000001/getContacts/unknowntoken123?count=2"
    assert redact(text) == (
        f"GET https://api.green-api.com/waInstance1101000001/getContacts/{REDACTED}?count=2"
    )
    body = '{"path":"/waInstance4100000000/GetContactInfo/other_token-1","message":"x"}'
    assert (
        redact(body)
        == f'{{"path":"/waInstance4100000000/GetContactInfo/{REDACTED}","message":"x"}}'
    )


def test_plain_text_is_untouched() -> None:
    for text in ("", "hello", "waInstance1 alone", "instance in starting process try later"):
        assert redact(text) == text


def test_pairs_of_every_quoting_are_replaced_whole() -> None:
    cases = {
        f"token={SECRET}": f"token={REDACTED}",
        f"api_token = '{SECRET}'": f"api_token = '{REDACTED}'",
        f'{{"apiTokenInstance":"{SECRET}"}}': f'{{"apiTokenInstance":"{REDACTED}"}}',
        f"{{'apiTokenInstance': '{SECRET}', 'idInstance': 1}}": (
            f"{{'apiTokenInstance': '{REDACTED}', 'idInstance': 1}}"
        ),
        f"{{'api_token': \"{SECRET}\"}}": f"{{'api_token': \"{REDACTED}\"}}",
    }
    for text, expected in cases.items():
        assert redact(text) == expected
        assert secret_values(text) == {SECRET}
        assert secret_values(expected) == set()


def record(msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError(f"failed at /waInstance1/getContacts/{SECRET}")
        except RuntimeError:
            exc_info = sys.exc_info()
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, msg, args, exc_info)


def test_filter_rewrites_message_and_args() -> None:
    rec = record(
        'HTTP Request: %s %s "%s"', "GET", f"https://h/waInstance1/getContacts/{SECRET}", "200"
    )
    assert RedactingFilter().filter(rec) is True
    assert SECRET not in rec.getMessage()
    assert REDACTED in rec.getMessage()


def test_filter_leaves_clean_records_alone() -> None:
    rec = record("nothing %s", "here")
    RedactingFilter().filter(rec)
    assert (rec.msg, rec.args) == ("nothing %s", ("here",))


def test_filter_redacts_tracebacks() -> None:
    rec = record("boom", exc=True)
    RedactingFilter().filter(rec)
    formatted = logging.Formatter().format(rec)
    assert "RuntimeError" in formatted
    assert SECRET not in formatted


def test_filter_never_drops_broken_records() -> None:
    rec = record("%s %s", "only one")
    assert RedactingFilter().filter(rec) is True


def test_install_covers_httpx_httpcore_retries_and_ours_including_children() -> None:
    child = logging.getLogger("httpcore.brand_new_child")
    install_log_filter()
    install_log_filter()
    names = [
        "httpx",
        "httpcore",
        "httpcore.http11",
        "httpcore.connection",
        "httpcore.brand_new_child",
        "httpx_retries",
        "httpx_retries.transport",
        "httpx_retries.retry",
        "green_api_contacts",
        "green_api_contacts.client",
        "hpack",
        "hpack.hpack",
        "hpack.table",
        "h2",
        "h2.connection",
    ]
    for name in names:
        filters = [f for f in logging.getLogger(name).filters if isinstance(f, RedactingFilter)]
        assert len(filters) == 1, name
    assert child.filters


def test_installed_filter_redacts_what_a_handler_sees(caplog: pytest.LogCaptureFixture) -> None:
    install_log_filter()
    with caplog.at_level(logging.DEBUG, logger="httpcore.http11"):
        logging.getLogger("httpcore.http11").debug(
            "request %s", f"/waInstance1/getContacts/{SECRET}"
        )
    assert caplog.records
    assert SECRET not in caplog.text
    assert REDACTED in caplog.text


def test_http2_loggers_are_covered_once_a_client_exists(caplog: pytest.LogCaptureFixture) -> None:
    """With httpx.Client(http2=True), hpack logs every header it encodes, :path included."""
    h2_child = logging.getLogger("h2.made_before_the_client")  # found by its prefix
    WhatsAppClient(id_instance=1101000001, api_token=SECRET).close()
    path = f"/waInstance1101000001/getContacts/{SECRET}".encode()
    with caplog.at_level(logging.DEBUG):
        # hpack/hpack.py's own call, as `Encoder.add` makes it.
        logging.getLogger("hpack.hpack").debug(
            "Adding %s=%s to the header table, sensitive:%s, huffman:%s",
            b":path",
            path,
            False,
            True,
        )
        logging.getLogger("hpack.table").debug(
            "Evicting %s: %s from the header table", b":path", path
        )
        logging.getLogger("h2.connection").debug("Send headers %s", [(b":path", path)])
        h2_child.debug("Send headers %s", [(b":path", path)])
    assert len(caplog.records) == 4
    assert SECRET not in caplog.text
    assert caplog.text.count(REDACTED) == 4
    assert "b':path'" in caplog.text  # the rest of the line is kept


def test_hpack_encoded_header_blocks_are_hidden(caplog: pytest.LogCaptureFixture) -> None:
    """An encoded block holds the token Huffman-coded: not text that redact() can find, but
    hpack.Decoder().decode(block) gives it back. hpack's binary arguments are replaced."""
    install_log_filter()
    block = b"\x82\x86\x84\x41\x8a\xa0\xe4\x1d\x13\x9d\x09\xb8\xf0\x1e\x07"
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("hpack.hpack").debug("Encoded header block to %s", block)
        logging.getLogger("hpack.hpack").debug("Decoding %s", block)
        logging.getLogger("hpack.hpack").debug("Encoding %d with %d bits", 5, 7)
    assert [r.getMessage() for r in caplog.records] == [
        "Encoded header block to <15 bytes of HPACK data>",
        "Decoding <15 bytes of HPACK data>",
        "Encoding 5 with 7 bits",
    ]


def test_redacting_filter_is_exported_for_handlers_of_any_logger() -> None:
    """For loggers this library does not know: the filter on a handler sees every record."""
    assert green_api_contacts.RedactingFilter is RedactingFilter
    assert green_api_contacts.redact is redact
    lines: list[str] = []

    class Lines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Lines()
    handler.addFilter(green_api_contacts.RedactingFilter())
    unknown = logging.getLogger("some_other_http_library.wire")
    unknown.addHandler(handler)
    unknown.setLevel(logging.DEBUG)
    try:
        unknown.debug("GET %s", f"https://h/waInstance1/getContacts/{SECRET}")
        logging.getLogger("some_other_http_library.wire.child").info("api_token=%s", SECRET)
    finally:
        unknown.removeHandler(handler)
    assert lines == [
        f"GET https://h/waInstance1/getContacts/{REDACTED}",
        f"api_token={REDACTED}",
    ]


# ----------------------------------------------------------- structural: tokens of any length

SHORT_TOKENS = ["e", "a", "1", "auth", "getContacts"]
PROSE = [
    "Unauthorized",
    "a request failed after 1 attempt",
    "instance in starting process try later",
    "Expected 1 of 3 retries; see the response.",
    "argument --token: expected one argument",
    "Unauthorized: getContacts failed (HTTP 401); see getContacts in the docs",
]


@pytest.mark.parametrize("token", SHORT_TOKENS)
def test_a_short_token_never_garbles_a_message(token: str) -> None:
    for text in PROSE:
        assert redact(text) == text


@pytest.mark.parametrize("token", SHORT_TOKENS)
def test_a_short_token_is_hidden_where_it_is_put(token: str) -> None:
    """URL path, echoed error path, key=value and JSON pairs: found by position, not by text."""
    cases = {
        f"GET https://h/waInstance1101000001/getContacts/{token}?count=1 -> 200": (
            f"GET https://h/waInstance1101000001/getContacts/{REDACTED}?count=1 -> 200"
        ),
        f'{{"path":"/waInstance1/GetContactInfo/{token}","message":"Unauthorized"}}': (
            f'{{"path":"/waInstance1/GetContactInfo/{REDACTED}","message":"Unauthorized"}}'
        ),
        f"WhatsAppClient(api_token='{token}', timeout=1)": (
            f"WhatsAppClient(api_token='{REDACTED}', timeout=1)"
        ),
        f'{{"apiTokenInstance": "{token}", "n": 1}}': (
            f'{{"apiTokenInstance": "{REDACTED}", "n": 1}}'
        ),
        f"GREEN_API_TOKEN={token} make contract-live": (
            f"GREEN_API_TOKEN={REDACTED} make contract-live"
        ),
        f"(b':path', b'/waInstance4100000000/getContacts/{token}')": (
            f"(b':path', b'/waInstance4100000000/getContacts/{REDACTED}')"
        ),
    }
    for text, expected in cases.items():
        assert redact(text) == expected
        assert redact(expected) == expected  # idempotent
        assert contains_secret(text, [token])
        assert not contains_secret(expected, [token])


def test_fuzzed_instance_ids_and_any_method_name_are_covered() -> None:
    assert redact("/waInstance-1/getContacts/tok") == f"/waInstance-1/getContacts/{REDACTED}"
    assert redact("/waInstance%00/sendMessage/tok") == f"/waInstance%00/sendMessage/{REDACTED}"
    template = "/waInstance{idInstance}/getContacts/{apiTokenInstance}"
    assert redact(template) == template


def test_headers_carrying_credentials_are_replaced() -> None:
    headers = {
        "Authorization": "Bearer x",
        "Cookie": "s=1",
        "X-Trace": "/waInstance1/getContacts/tok",
        "Accept": "application/json",
    }
    assert redact_headers(headers) == {
        "Authorization": REDACTED,
        "Cookie": REDACTED,
        "X-Trace": f"/waInstance1/getContacts/{REDACTED}",
        "Accept": "application/json",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/waInstance1/getContacts/e", f"/waInstance1/getContacts/{REDACTED}"),
        ("/waInstance1/e", f"/waInstance1/{REDACTED}"),
        ("/e/getContacts/x", f"/{REDACTED}"),
        ("/", "/"),
    ],
)
def test_positional_path_redaction_with_known_methods(raw: str, expected: str) -> None:
    assert redact_path(raw, {"getContacts", "getContactInfo"}) == expected


@pytest.mark.parametrize("token", SHORT_TOKENS)
def test_client_and_mock_with_a_short_token(token: str, caplog: pytest.LogCaptureFixture) -> None:
    """The public client against the mock on loopback: error texts and logs intact and clean."""
    app = create_app([MockInstance(11, token, "whatsapp", contacts=5)], rate_limit=False)
    with (
        caplog.at_level(logging.DEBUG),
        BackgroundServer(app) as server,
        WhatsAppClient(id_instance=11, api_token=token, api_url=server.url, max_retries=0) as ok,
        WhatsAppClient(id_instance=11, api_token=token + "x", api_url=server.url) as wrong,
    ):
        assert len(ok.get_contacts()) == 5
        with pytest.raises(UnauthorizedError) as unauthorized:
            wrong.get_contacts()
        app.mock.instance(11).inject("500")
        with pytest.raises(ServerError) as server_error:
            ok.get_contacts()
    assert "Unauthorized" in str(unauthorized.value)
    server_text = str(server_error.value)
    assert "Internal Server Error" in server_text
    for text in [server_text, repr(server_error.value), caplog.text]:
        assert f"/getContacts/{token}" not in text
        assert f"/getContacts/{token}x" not in text
    assert "getContacts" in caplog.text  # httpx logged the request, with the token redacted
    assert f"/getContacts/{REDACTED}" in caplog.text
