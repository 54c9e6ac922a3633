"""Recording every answer a contract run sees, for the drift report (``green-api-contacts drift``).

On the live target every answer is written to ``<report dir>/answers/`` (build/contract/live/
answers/ under ``make contract-live``), one file per answer in the drift report's format
(:func:`green_api_contacts.drift.encode_answer`): flavour, operationId, status and body. Other
targets record too when ``CONTRACT_RECORD=1``, which is how the recorder is tested without
credentials.

A recording holds no URL and no header, and its text passes the session's redactor (known tokens
and every token-shaped path segment) before it is written, so the token GREEN-API echoes in the
``path`` of an error body never reaches a file.

Answers come from two places: schemathesis' ``after_call`` hook (registered here, on import) and
the httpx event hooks of the client tests (:func:`sync_response_hook`, :func:`async_response_hook`).
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx
import msgspec
import schemathesis
from schemathesis import Case, HookContext, Response

from green_api_contacts.drift import encode_answer

from ._redact import Redactor
from ._schemas import flavour_of
from ._session import ContractSession, current

RECORD_VAR: Final = "CONTRACT_RECORD"
ANSWERS_DIR: Final = "answers"
# The operationIds of both flavour documents, by the lowercase method name of the URL path
# (GREEN-API reads method names case-insensitively).
OPERATIONS: Final[Mapping[str, str]] = {
    name.lower(): name for name in ("getContacts", "getContactInfo")
}


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def answer_body(content: bytes, content_type: str) -> Any:
    """The body as the drift report reads it: JSON when declared and valid, else the text."""
    if _is_json(content_type):
        try:
            return msgspec.json.decode(content)
        except msgspec.DecodeError:
            pass
    return content.decode("utf-8", errors="replace")


def operation_of(path: str) -> str | None:
    """The operationId of ``/waInstance<id>/<method>/<token>``; ``None`` for any other path."""
    parts = path.split("/")
    return OPERATIONS.get(parts[2].lower()) if len(parts) > 2 else None


@dataclass
class Recorder:
    """Writes numbered, redacted recordings into ``directory``."""

    directory: Path
    redactor: Redactor
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, flavour: str, operation: str, status: int, content: bytes, content_type: str
    ) -> Path:
        body = answer_body(content, content_type)
        text = self.redactor.text(encode_answer(flavour, operation, status, body).decode("utf-8"))
        with self._lock:
            number = next(self._numbers)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{number:04d}-{flavour}-{operation}-{status}.json"
        path.write_text(text, encoding="utf-8")
        return path


def enabled(session: ContractSession, env: Mapping[str, str]) -> bool:
    """Live runs always record; other targets when ``CONTRACT_RECORD`` is 1/true/yes."""
    wanted = env.get(RECORD_VAR, "").strip().lower() in ("1", "true", "yes")
    return session.target.kind == "live" or wanted


_recorders: dict[int, tuple[ContractSession, Recorder | None]] = {}


def recorder(env: Mapping[str, str] | None = None) -> Recorder | None:
    """The current session's recorder, or ``None`` when this run does not record."""
    session = current()
    known = _recorders.get(id(session))
    if known is None or known[0] is not session:
        wanted = enabled(session, os.environ if env is None else env)
        made = Recorder(session.report_dir / ANSWERS_DIR, session.redactor) if wanted else None
        known = _recorders[id(session)] = (session, made)
    return known[1]


@schemathesis.hook
def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
    active = recorder()
    flavour = flavour_of(case.operation.schema)
    operation = case.operation.schema.get_operation_id(case.operation)
    if active is None or flavour is None or operation is None:
        return
    content_type = next(iter(response.headers.get("content-type", [])), "")
    active.record(flavour, operation, response.status_code, response.content, content_type)


def _record_httpx(flavour: str, response: httpx.Response) -> None:
    active = recorder()
    operation = operation_of(response.request.url.path)
    if active is None or operation is None:
        return
    content_type = response.headers.get("content-type", "")
    active.record(flavour, operation, response.status_code, response.content, content_type)


def sync_response_hook(flavour: str) -> Callable[[httpx.Response], None]:
    """An httpx ``response`` event hook that records the answers of one flavour's client."""

    def hook(response: httpx.Response) -> None:
        response.read()
        _record_httpx(flavour, response)

    return hook


def async_response_hook(flavour: str) -> Callable[[httpx.Response], Awaitable[None]]:
    """The same for an ``httpx.AsyncClient``."""

    async def hook(response: httpx.Response) -> None:
        await response.aread()
        _record_httpx(flavour, response)

    return hook


__all__ = [
    "ANSWERS_DIR",
    "RECORD_VAR",
    "Recorder",
    "after_call",
    "answer_body",
    "async_response_hook",
    "enabled",
    "operation_of",
    "recorder",
    "sync_response_hook",
]
