"""Parsing, safely: an ArgumentParser whose errors never show a token.

Hand-written because argparse has no hook for hiding argument values in its messages. Every
parser of ``green-api-contacts`` is a `SafeArgumentParser`. When parsing fails, it does not print
argparse's message, which may echo any word of argv; it parses a masked copy of argv once more
and prints that run's message instead. `mask_argv` builds the copy by position, word by word:

- the value of ``--token`` (``--token X``, ``--token=X``, ``--tokenX``), also under a misspelt
  or abbreviated option name, and the TOKEN field of ``--instance ID:TOKEN:FLAVOUR[:N]``;
- any other word equal to one of those values (``--seed X`` with the token pasted twice);
- any word that is a token by its shape (16 or more of ``[A-Za-z0-9_-]``, as GREEN-API's
  50-hex tokens are), wherever it stands: argparse echoes unexpected words, and a token put in
  the wrong place is still a token.

The message is never searched for a secret's characters, so a token of any length (``"e"``)
garbles nothing. The environment's ``GREEN_API_TOKEN`` never reaches argparse. Usage errors
still exit 2.
"""

from __future__ import annotations

import argparse
import contextvars
import copy
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, Final, Never, TypeVar, overload

__all__ = ["HIDDEN", "SafeArgumentParser", "mask_argv"]

_N = TypeVar("_N")
_T = TypeVar("_T")

HIDDEN: Final = "<hidden>"
# In the TOKEN field of an --instance spec, first a placeholder that is a valid token, so that the
# masked run fails where the real one did, not on the placeholder (see SafeArgumentParser).
_VALID_PLACEHOLDER: Final = "~hidden~"
# A word that is a token by its shape: GREEN-API tokens are 50 hex characters; 16 keeps ordinary
# words, idInstances and chat ids visible.
_TOKEN_SHAPE: Final = re.compile(r"[A-Za-z0-9_-]{16,}")
# Options whose value is a token, and the option whose value holds one in its second field.
_TOKEN_OPTION: Final = "token"  # noqa: S105 - an option name, not a secret
_SPEC_OPTION: Final = "instance"
_SPEC_TOKEN_FIELD: Final = 1
_SPEC_MIN_FIELDS: Final = 3  # ID:TOKEN:FLAVOUR[:CONTACTS]

# Set while a SafeArgumentParser parses: error() then raises instead of printing.
_parsing: contextvars.ContextVar[bool] = contextvars.ContextVar("_parsing", default=False)


class _UsageError(Exception):
    """argparse's error, held back until the masked run has said it without the token."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


def _means(name: str, option: str, known: frozenset[str]) -> bool:
    """Whether option name `name` (dashes stripped) was probably meant as `--option`."""
    if name == option:
        return True
    if name in known:  # another option of ours, spelt right
        return False
    if len(name) >= 2 and option.startswith(name):  # an abbreviation argparse may accept
        return True
    return option[:3] in name or difflib.SequenceMatcher(None, name, option).ratio() >= 0.6


def _option_names(parser: argparse.ArgumentParser) -> frozenset[str]:
    names: set[str] = set()
    for action in parser._actions:
        names.update(option.lstrip("-").lower() for option in action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                names |= _option_names(subparser)
    return frozenset(names)


def _mask_spec(spec: str, placeholder: str = HIDDEN) -> str:
    fields = spec.split(":")
    if len(fields) < _SPEC_MIN_FIELDS:
        return HIDDEN  # not a spec argparse will accept: the token field is not known
    fields[_SPEC_TOKEN_FIELD] = placeholder
    return ":".join(fields)


def _mask_option(word: str, known: frozenset[str], placeholder: str = HIDDEN) -> tuple[str, int]:
    """`word` (an option) masked, and how many following words are token values (0 or 1)."""
    name, equals, value = word.partition("=")
    bare = name.lstrip("-").lower()
    dashes = name[: len(name) - len(name.lstrip("-"))]
    if not bare:
        return word, 0
    if _means(bare, _TOKEN_OPTION, known):
        if equals:
            return f"{name}={HIDDEN}", 0
        glued = bare.startswith(_TOKEN_OPTION) and bare != _TOKEN_OPTION
        if glued:  # --tokenVALUE
            return dashes + name.lstrip("-")[: len(_TOKEN_OPTION)] + HIDDEN, 0
        return word, 1
    if _means(bare, _SPEC_OPTION, known):
        return (f"{name}={_mask_spec(value, placeholder)}", 0) if equals else (word, 2)
    return word, 0


def _secrets(argv: Sequence[str], known: frozenset[str]) -> set[str]:
    """The token values that argv carries by position (see the module docstring)."""
    found: set[str] = set()
    for position, word in enumerate(argv):
        if not word.startswith("-") or word == "-":
            continue
        _, pending = _mask_option(word, known)
        following = argv[position + 1] if position + 1 < len(argv) else ""
        if not following or following.startswith("-"):
            continue
        if pending == 1:
            found.add(following)
        elif pending == 2:
            fields = following.split(":")
            if len(fields) >= _SPEC_MIN_FIELDS:
                found.add(fields[_SPEC_TOKEN_FIELD])
    for word in argv:
        name, equals, value = word.partition("=")
        if word.startswith("-") and equals:
            bare = name.lstrip("-").lower()
            if _means(bare, _TOKEN_OPTION, known):
                found.add(value)
            elif _means(bare, _SPEC_OPTION, known) and value.count(":") >= 2:
                found.add(value.split(":")[_SPEC_TOKEN_FIELD])
    return {secret for secret in found if secret}


def mask_argv(
    argv: Sequence[str], known: frozenset[str] = frozenset(), spec_token: str = HIDDEN
) -> list[str]:
    """A copy of `argv` with every token value replaced by ``<hidden>``, word by word.

    `known` holds the parser's option names (dashes stripped), so that a correctly spelt option
    of ours is never taken for a misspelt ``--token``; `spec_token` replaces the TOKEN field of
    an ``--instance`` spec.
    """
    secrets = _secrets(argv, known)

    def hidden(value: str) -> bool:
        return value in secrets or _TOKEN_SHAPE.fullmatch(value) is not None

    masked: list[str] = []
    pending = 0
    after_dashes = False
    for word in argv:
        if pending and not word.startswith("-"):
            masked.append(HIDDEN if pending == 1 else _mask_spec(word, spec_token))
            pending = 0
            continue
        pending = 0
        if after_dashes or not word.startswith("-") or word == "-":
            masked.append(HIDDEN if hidden(word) else word)
        elif word == "--":
            after_dashes = True
            masked.append(word)
        else:
            word, pending = _mask_option(word, known, spec_token)
            name, equals, value = word.partition("=")
            if equals and hidden(value):
                word = f"{name}={HIDDEN}"
            elif hidden(name.lstrip("-")) and name.lstrip("-").lower() not in known:
                word = HIDDEN  # a token glued to a dash or to a misspelt option name
            masked.append(word)
    return masked


def _attempt(call: Callable[[], _T]) -> _T | _UsageError:
    try:
        return call()
    except _UsageError as failure:
        return failure


class SafeArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose error messages never show a token (see the module docstring).

    The masked run puts a valid placeholder in an --instance spec's TOKEN field first, so that
    it fails where the real run did; if it does not fail, the token itself was at fault, and a
    run with ``<hidden>`` there says why (a wrong character, say). If neither fails, the message
    says that the arguments are invalid, without details.
    """

    @overload
    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: None = None
    ) -> tuple[argparse.Namespace, list[str]]: ...
    @overload
    def parse_known_args(
        self, args: Iterable[str] | None, namespace: _N
    ) -> tuple[_N, list[str]]: ...
    @overload
    def parse_known_args(self, *, namespace: _N) -> tuple[_N, list[str]]: ...
    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        words = sys.argv[1:] if args is None else list(args)
        parse = super().parse_known_args
        return self._guarded(words, namespace, lambda w, n: parse(w, n))

    @overload
    def parse_args(
        self, args: Iterable[str] | None = None, namespace: None = None
    ) -> argparse.Namespace: ...
    @overload
    def parse_args(self, args: Iterable[str] | None, namespace: _N) -> _N: ...
    @overload
    def parse_args(self, *, namespace: _N) -> _N: ...
    def parse_args(self, args: Iterable[str] | None = None, namespace: Any = None) -> Any:
        # argparse reports unrecognized arguments here, after parse_known_args has returned.
        words = sys.argv[1:] if args is None else list(args)
        parse = super().parse_args
        return self._guarded(words, namespace, lambda w, n: parse(w, n))

    def _guarded(
        self, words: list[str], namespace: Any, parse: Callable[[list[str], Any], _T]
    ) -> _T:
        """`parse`, and on a usage error the masked run's message instead of argparse's."""
        if _parsing.get():  # a subparser, or parse_args calling parse_known_args
            return parse(words, namespace)
        mark = _parsing.set(True)
        try:
            failure = _attempt(lambda: parse(words, namespace))
            if not isinstance(failure, _UsageError):
                return failure
            said = _UsageError(failure.parser, "invalid arguments (not shown: they hold a token)")
            for placeholder in (_VALID_PLACEHOLDER, HIDDEN):
                masked = mask_argv(words, _option_names(self), placeholder)
                again = _attempt(partial(parse, masked, copy.copy(namespace)))
                if isinstance(again, _UsageError):
                    said = again
                    break
        finally:
            _parsing.reset(mark)
        argparse.ArgumentParser.error(said.parser, said.message)

    def error(self, message: str) -> Never:
        if _parsing.get():
            raise _UsageError(self, message)
        super().error(message)
