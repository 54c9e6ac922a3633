"""Parse request bodies the way the upstream Node.js service does, errors included.

A malformed body makes the real API answer with V8's ``JSON.parse`` message, for example
``Unexpected token } in JSON at position 12``. Python's own decoder reports other positions
and accepts ``NaN``, so the first error is located by a small scanner that follows
ECMA-404 and V8's wording (Node.js up to 18): positions count UTF-16 code units.
"""

from __future__ import annotations

import json
from typing import Final

_WHITESPACE: Final = " \t\n\r"
_DIGITS: Final = "0123456789"
_HEX: Final = "0123456789abcdefABCDEF"
_ESCAPES: Final = '"\\/bfnrt'
_LITERALS: Final = {"t": "true", "f": "false", "n": "null"}


class JSONSyntaxError(ValueError):
    """The body is not JSON; ``str()`` is the message V8 would give."""


class _Unexpected(Exception):  # noqa: N818 - internal control flow, not an error type
    def __init__(self, index: int) -> None:
        self.index = index


def _reject_constant(name: str) -> object:
    raise ValueError(name)


def parse_json(text: str) -> object:
    """Decode ``text`` or raise :class:`JSONSyntaxError` with V8's message.

    Raises :class:`RecursionError` only for valid documents nested too deeply for Python.
    """
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        message = v8_error_message(text)
        if message is None:
            raise
        raise JSONSyntaxError(message) from None
    except ValueError:
        message = v8_error_message(text)
        raise JSONSyntaxError(message or "Unexpected end of JSON input") from None


def v8_error_message(text: str) -> str | None:
    """The message V8's ``JSON.parse(text)`` throws, or ``None`` if ``text`` is valid JSON."""
    try:
        _Scanner(text).scan()
    except _Unexpected as exc:
        return _describe(text, exc.index)
    return None


def _describe(text: str, index: int) -> str:
    if index >= len(text):
        return "Unexpected end of JSON input"
    char = text[index]
    position = len(text[:index].encode("utf-16-le")) // 2
    if char == '"':
        return f"Unexpected string in JSON at position {position}"
    if char == "-" or char in _DIGITS:
        return f"Unexpected number in JSON at position {position}"
    return f"Unexpected token {char} in JSON at position {position}"


class _Scanner:
    """An iterative (stack-based) validator: deep nesting cannot exhaust the Python stack."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = len(text)

    def _at(self, index: int) -> str:
        if index >= self.end:
            raise _Unexpected(index)
        return self.text[index]

    def _skip(self, index: int) -> int:
        while index < self.end and self.text[index] in _WHITESPACE:
            index += 1
        return index

    def scan(self) -> None:
        stack: list[str] = []
        i = self._value_start(self._skip(0), stack)
        # Each pass consumes at least one character, so the loop ends within len(text) passes.
        while True:
            i = self._skip(i)
            if not stack:
                if i < self.end:
                    raise _Unexpected(i)
                return
            char = self._at(i)
            closer = "]" if stack[-1] == "[" else "}"
            if char == closer:
                stack.pop()
                i += 1
                continue
            if char != ",":
                raise _Unexpected(i)
            i = self._skip(i + 1)
            if stack[-1] == "{":
                i = self._member(i)
            i = self._value_start(i, stack)

    def _member(self, i: int) -> int:
        """A ``"key" :`` prefix; returns where the value starts."""
        if self._at(i) != '"':
            raise _Unexpected(i)
        i = self._skip(self._string(i))
        if self._at(i) != ":":
            raise _Unexpected(i)
        return self._skip(i + 1)

    def _value_start(self, i: int, stack: list[str]) -> int:
        """Scan one value; containers are opened on ``stack`` and closed by ``scan``.

        An opened container's empty form (``[]``/``{}``) and its first member are consumed here;
        nested openers loop instead of recursing.
        """
        while True:  # ends: every pass consumes a character or returns/raises
            char = self._at(i)
            if char == "[":
                stack.append("[")
                i = self._skip(i + 1)
                if self._at(i) == "]":
                    stack.pop()
                    return i + 1
                continue
            if char == "{":
                stack.append("{")
                i = self._skip(i + 1)
                if self._at(i) == "}":
                    stack.pop()
                    return i + 1
                i = self._member(i)
                continue
            if char == '"':
                return self._string(i)
            if char == "-" or char in _DIGITS:
                return self._number(i)
            literal = _LITERALS.get(char)
            if literal is None:
                raise _Unexpected(i)
            for offset, expected in enumerate(literal):
                if self._at(i + offset) != expected:
                    raise _Unexpected(i + offset)
            return i + len(literal)

    def _string(self, i: int) -> int:
        """``text[i]`` is the opening quote; returns the index after the closing one."""
        i += 1
        while True:  # ends: every pass consumes a character or raises at the end of the text
            char = self._at(i)
            if char == '"':
                return i + 1
            if char == "\\":
                escape = self._at(i + 1)
                if escape == "u":
                    for offset in range(2, 6):
                        if self._at(i + offset) not in _HEX:
                            raise _Unexpected(i + offset)
                    i += 6
                elif escape in _ESCAPES:
                    i += 2
                else:
                    raise _Unexpected(i + 1)
            elif char < " ":
                raise _Unexpected(i)
            else:
                i += 1

    def _number(self, i: int) -> int:
        if self.text[i] == "-":
            i += 1
        char = self._at(i)
        if char == "0":
            i += 1
            if i < self.end and self.text[i] in _DIGITS:
                raise _Unexpected(i)
        elif char in _DIGITS:
            i = self._digits(i)
        else:
            raise _Unexpected(i)
        if i < self.end and self.text[i] == ".":
            if self._at(i + 1) not in _DIGITS:
                raise _Unexpected(i + 1)
            i = self._digits(i + 1)
        if i < self.end and self.text[i] in "eE":
            i += 1
            if i < self.end and self.text[i] in "+-":
                i += 1
            if self._at(i) not in _DIGITS:
                raise _Unexpected(i)
            i = self._digits(i)
        return i

    def _digits(self, i: int) -> int:
        while i < self.end and self.text[i] in _DIGITS:
            i += 1
        return i
