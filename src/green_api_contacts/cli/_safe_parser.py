"""Parsing, safely: an ArgumentParser whose errors never show a token.

Every parser of ``green-api-contacts`` is a `SafeArgumentParser`: before parsing it registers
(with ``_redact.register_secret``) each value given to ``--token`` (``--token X`` or
``--token=X``, also under a misspelt or abbreviated option name) and the TOKEN field of each
``--instance`` spec, and its ``error()`` runs the message through ``redact()`` and then hides what
argparse would echo: the value of any ``--option=value`` and any word that looks like a token (16
or more of ``[A-Za-z0-9_-]``). Usage errors still exit 2.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, Final, Never, TypeVar, overload

from green_api_contacts._redact import redact, register_secret

__all__ = ["HIDDEN", "SafeArgumentParser", "register_argv_secrets", "sanitize_usage_message"]

_N = TypeVar("_N")

HIDDEN: Final = "<hidden>"
# What a token looks like when argparse echoes it as a bare word: GREEN-API tokens are 50 hex
# characters; 16 keeps ordinary words and chat ids of users visible.
_SECRET_RUN: Final = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])")
# An option name (never a secret), as long as it is no longer than an option of ours can be.
_OPTION_NAME: Final = re.compile(r"--?[A-Za-z]+(?:-[A-Za-z]+)*")
_OPTION_NAME_MAX: Final = 24
# `--name=value` as argparse echoes an unrecognized or ambiguous option.
_OPTION_VALUE: Final = re.compile(r"(?<!\S)(--?[^\s=]+)=\S+")


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


def register_argv_secrets(argv: Sequence[str], known: frozenset[str] = frozenset()) -> None:
    """Register every value given to --token (or a misspelling) and every --instance token.

    Looks at the whole argv, wherever the option stands, whatever argparse will make of it:
    an option it does not recognise is echoed in its error message, value included.
    """
    for position, word in enumerate(argv):
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            continue
        name, equals, value = word.partition("=")
        if not equals:
            following = argv[position + 1] if position + 1 < len(argv) else ""
            value = "" if following.startswith("-") else following
        name = name.lstrip("-").lower()
        if not name or not value:
            continue
        if _means(name, "token", known):
            register_secret(value)
        elif _means(name, "instance", known):
            fields = value.split(":")
            if len(fields) >= 3:  # ID:TOKEN:FLAVOUR[:CONTACTS]
                register_secret(fields[1])
                register_secret(fields[1].strip())


def _hide_run(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) <= _OPTION_NAME_MAX and _OPTION_NAME.fullmatch(word):
        return word
    return HIDDEN


def sanitize_usage_message(message: str) -> str:
    """An argparse error message without tokens: redacted, option values and secrets hidden."""
    message = redact(message)
    message = _OPTION_VALUE.sub(lambda match: f"{match.group(1)}={HIDDEN}", message)
    return _SECRET_RUN.sub(_hide_run, message)


class SafeArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose error messages never show a token (see the module docstring)."""

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
        register_argv_secrets(words, _option_names(self))
        return super().parse_known_args(words, namespace)

    def error(self, message: str) -> Never:
        super().error(sanitize_usage_message(message))
