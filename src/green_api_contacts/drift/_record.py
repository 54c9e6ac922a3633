"""The recorded-answer format (one API answer per JSON file) and its reader.

A recording is ``{"flavour": "whatsapp", "operation": "getContactInfo", "status": 200,
"body": ...}``: the body as JSON, or as a JSON string when the answer was text. It holds no URL,
header or token. Readers are tolerant (other keys are ignored, so a recorder may add its own);
writers are strict (exactly these four keys, in this order).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import msgspec


class RecordError(ValueError):
    """A path or file that cannot be read as recorded answers; the message names it."""


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """One recorded answer."""

    flavour: Annotated[str, msgspec.Meta(min_length=1)]
    operation: Annotated[str, msgspec.Meta(min_length=1)]
    status: Annotated[int, msgspec.Meta(ge=100, le=599)]
    body: Any


@dataclass(frozen=True)
class Recorded:
    """An answer and the file it came from (for messages)."""

    answer: Answer
    source: Path


_decoder = msgspec.json.Decoder(Answer)


def encode_answer(flavour: str, operation: str, status: int, body: Any) -> bytes:
    """One recording as indented JSON with a final newline (the strict writer)."""
    answer = Answer(flavour=flavour, operation=operation, status=status, body=body)
    return msgspec.json.format(msgspec.json.encode(answer), indent=2) + b"\n"


def read_answer(path: Path) -> Recorded:
    """One file; raises :class:`RecordError` naming it when it is not a recording."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return Recorded(_decoder.decode(content), path)
    except msgspec.ValidationError as exc:
        raise RecordError(f"{path}: not a recorded answer: {exc}") from None
    except msgspec.DecodeError as exc:
        raise RecordError(f"{path}: not JSON: {exc}") from None


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*.json") if p.is_file())
    elif path.is_file():
        yield path
    else:
        raise RecordError(f"{path}: no such file or folder")


def read_answers(paths: Sequence[Path]) -> list[Recorded]:
    """Every recording in ``paths`` (files, or folders searched recursively for ``*.json``)."""
    found = [read_answer(file) for path in paths for file in _files(path)]
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise RecordError(f"{shown}: no recorded answers (*.json) found")
    return found
