"""V8-style JSON.parse errors used for malformed GetContactInfo bodies."""

from __future__ import annotations

import pytest

from green_api_contacts.mock._jsonerror import JSONSyntaxError, parse_json, v8_error_message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Unexpected end of JSON input"),
        ("{", "Unexpected end of JSON input"),
        ('{"a":', "Unexpected end of JSON input"),
        ("tru", "Unexpected end of JSON input"),
        ('"abc', "Unexpected end of JSON input"),
        ("[1,", "Unexpected end of JSON input"),
        ("1.", "Unexpected end of JSON input"),
        ("-", "Unexpected end of JSON input"),
        ('{"chatId": }', "Unexpected token } in JSON at position 11"),
        ('{"a":tru}', "Unexpected token } in JSON at position 8"),
        ("tx", "Unexpected token x in JSON at position 1"),
        ('{"a":1,}', "Unexpected token } in JSON at position 7"),
        ("[1,]", "Unexpected token ] in JSON at position 3"),
        ("{,}", "Unexpected token , in JSON at position 1"),
        ("{'a':1}", "Unexpected token ' in JSON at position 1"),
        ("{} x", "Unexpected token x in JSON at position 3"),
        ("{}{}", "Unexpected token { in JSON at position 2"),
        ('{"a" "b"}', "Unexpected string in JSON at position 5"),
        ('{"a":1 "b":2}', "Unexpected string in JSON at position 7"),
        ("{1:2}", "Unexpected number in JSON at position 1"),
        ("[1 2]", "Unexpected number in JSON at position 3"),
        ("01", "Unexpected number in JSON at position 1"),
        ("-x", "Unexpected token x in JSON at position 1"),
        ("1.x", "Unexpected token x in JSON at position 2"),
        ("1ex", "Unexpected token x in JSON at position 2"),
        ('"\\x"', "Unexpected token x in JSON at position 2"),
        ('"\\u12G4"', "Unexpected token G in JSON at position 5"),
        ('"a\tb"', "Unexpected token \t in JSON at position 2"),
        ("NaN", "Unexpected token N in JSON at position 0"),
        ("Infinity", "Unexpected token I in JSON at position 0"),
        ('["😀", x]', "Unexpected token x in JSON at position 7"),  # surrogate pair = 2 units
    ],
)
def test_v8_messages(text: str, message: str) -> None:
    assert v8_error_message(text) == message
    with pytest.raises(JSONSyntaxError) as caught:
        parse_json(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        " [ ] ",
        '{"chatId":"79001234567@c.us"}',
        '{"a":[1,-2.5e+3,0,true,false,null,{"b":"\\u00e9\\n"}]}',
        "-0",
        "1E5",
        '"😀"',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_valid_json_has_no_error(text: str) -> None:
    assert v8_error_message(text) is None


def test_parse_json_returns_values() -> None:
    assert parse_json('{"chatId": "1@c.us"}') == {"chatId": "1@c.us"}
    assert parse_json("[1, 2.5, null]") == [1, 2.5, None]


def test_valid_but_too_deep_for_python_raises_recursion_error() -> None:
    with pytest.raises(RecursionError):
        parse_json("[" * 50_000 + "]" * 50_000)
