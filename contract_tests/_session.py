"""The one contract session of a pytest run: target, request guard, statistics, redactor.

conftest.py starts it in ``pytest_configure``; test modules and schemathesis hooks read it with
:func:`current`. The embedded mock is one app per run (:func:`mock_app`), shared by schemathesis
and the client tests, with the rate limit off.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from green_api_contacts.mock import MockApp, create_app

from ._guard import CallGuard
from ._redact import Redactor
from ._stats import Stats
from ._target import EXAMPLE_CREDENTIALS, FLAVOURS, Target, resolve_target

REPO: Final = Path(__file__).resolve().parent.parent
DEFAULT_REPORT_ROOT: Final = REPO / "build" / "contract"


@dataclass
class ContractSession:
    target: Target
    guard: CallGuard
    stats: Stats
    redactor: Redactor
    report_dir: Path

    @property
    def summary_path(self) -> Path:
        return self.report_dir / "summary.json"


_current: ContractSession | None = None


def start(env: Mapping[str, str]) -> ContractSession:
    """Resolve the target from ``env`` and make a fresh session current."""
    global _current
    target = resolve_target(env)
    raw_dir = env.get("CONTRACT_REPORT_DIR", "").strip()
    report_dir = Path(raw_dir) if raw_dir else DEFAULT_REPORT_ROOT / target.kind
    # The example tokens are public, but reports must not carry them either: a report is a report.
    examples = [token for _, token in EXAMPLE_CREDENTIALS.values()]
    _current = ContractSession(
        target=target,
        guard=CallGuard(min_interval=target.min_interval, max_calls=target.max_calls),
        stats=Stats(),
        redactor=Redactor([*target.tokens, *examples]),
        report_dir=report_dir,
    )
    return _current


def current() -> ContractSession:
    """The running session, started from ``os.environ`` if conftest has not done so yet."""
    return _current if _current is not None else start(os.environ)


@functools.cache
def mock_app() -> MockApp:
    """The embedded mock: DEFAULT_INSTANCES, rate limit off, contact books built up front."""
    app = create_app(rate_limit=False)
    app.mock.prepare()
    return app


__all__ = ["FLAVOURS", "ContractSession", "current", "mock_app", "start"]
