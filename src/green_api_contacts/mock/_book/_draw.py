"""Deterministic randomness for the book: a generator per contact, and ids unique by construction.

A contact is rebuilt from ``(book, index)`` whenever it is needed, so the book stores nothing per
contact. Every chat id ends its first run of digits with eight "key" digits, a keyed permutation
of the index: ids are unique without a set of those already drawn, and a chat id leads back to
its index without a dictionary.
"""

# The generators make reproducible fake data, not secrets.
# ruff: noqa: S311

from __future__ import annotations

import hashlib
import random
import re
from typing import Final

from ._words import (
    ALPHABET,
    COUNTRIES,
    EMOJI,
    FIRST_NAMES,
    HANDLE_WORDS,
    LAST_NAMES,
    PHONEBOOK_SUFFIXES,
)

KEY_DIGITS: Final = 8
KEY_SPACE: Final = 10**KEY_DIGITS  # also the largest book the keys can tell apart
NOW: Final = 1_760_000_000  # A fixed "now" keeps timestamps deterministic.

# An optional minus, then the first run of digits; its last KEY_DIGITS digits are the key.
_LEADING_DIGITS: Final = re.compile(rf"-?([0-9]{{{KEY_DIGITS},}})")


def book_base(salt: str, seed: int) -> int:
    """A 64-bit number that every generator of one book derives from (salt: the flavour)."""
    digest = hashlib.blake2b(f"{salt}:{seed}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def item_rng(base: int, index: int) -> random.Random:
    """The generator of one contact: the same ``(base, index)`` always gives the same contact."""
    return random.Random((base << 32) | index)


def key_of(chat_id: str) -> int | None:
    """The key digits of a chat id the book could have made, else None."""
    match = _LEADING_DIGITS.match(chat_id)
    return None if match is None else int(match.group(1)[-KEY_DIGITS:])


def _reverse(value: int) -> int:
    return int(f"{value:0{KEY_DIGITS}d}"[::-1])


class Scramble:
    """A keyed bijection of ``[0, 10**8)`` that looks random and can be inverted.

    Hand-written because the standard library has no keyed permutation: two affine maps modulo
    10**8 around a digit reversal (each step is a bijection, so the whole is one).
    """

    __slots__ = ("_a1", "_a2", "_b1", "_b2", "_inv1", "_inv2")

    def __init__(self, rng: random.Random) -> None:
        # A multiplier is invertible modulo 10**8 when it ends in 1, 3, 7 or 9.
        self._a1 = rng.randrange(KEY_SPACE // 10) * 10 + rng.choice((1, 3, 7, 9))
        self._a2 = rng.randrange(KEY_SPACE // 10) * 10 + rng.choice((1, 3, 7, 9))
        self._b1 = rng.randrange(KEY_SPACE)
        self._b2 = rng.randrange(KEY_SPACE)
        self._inv1 = pow(self._a1, -1, KEY_SPACE)
        self._inv2 = pow(self._a2, -1, KEY_SPACE)

    def __call__(self, index: int) -> int:
        middle = _reverse((self._a1 * index + self._b1) % KEY_SPACE)
        return (self._a2 * middle + self._b2) % KEY_SPACE

    def inverse(self, key: int) -> int:
        middle = _reverse((key - self._b2) * self._inv2 % KEY_SPACE)
        return (middle - self._b1) * self._inv1 % KEY_SPACE


def digits(rng: random.Random, width: int, key: int) -> str:
    """``width`` random digits followed by the key digits."""
    head = str(rng.randrange(10**width)).zfill(width) if width > 0 else ""
    return f"{head}{key:0{KEY_DIGITS}d}"


def phone(rng: random.Random, key: int) -> int:
    """A plausible international number (several countries and lengths) ending in ``key``."""
    code, leads, rest = rng.choice(COUNTRIES)
    return int(code + rng.choice(leads) + digits(rng, rest - KEY_DIGITS, key))


def person(rng: random.Random) -> tuple[str, str]:
    """A profile name (sometimes first name only, sometimes emoji) and a phone-book name."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    full = first if rng.random() < 0.25 else f"{first} {last}"
    return full + rng.choice(EMOJI), f"{first} {last}{rng.choice(PHONEBOOK_SUFFIXES)}"


def token(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def handle(rng: random.Random, alias: int) -> str:
    """A username body; the alias (unique per contact) keeps handles unique."""
    return f"{rng.choice(HANDLE_WORDS)}_{rng.choice(HANDLE_WORDS)}{alias}"


def media_path(rng: random.Random) -> str:
    return (
        f"{rng.randrange(10**8, 10**9)}_{rng.randrange(10**15, 10**16)}_"
        f"{rng.randrange(10**18, 10**19)}_n.jpg"
    )
