"""Keep apiTokenInstance out of every report the suite writes.

The token travels in the URL path, so a failing case prints it many times: in schemathesis' curl
line, in the ``path`` of the API's error bodies, in Hypothesis' falsifying example. Schemathesis'
own output sanitization (``[output.sanitization]``) only masks header, cookie and query values and
URL credentials, never a path segment, so conftest.py runs every pytest report through
:func:`redact_report` before the terminal and the JUnit writer see it.

The rules are the package's one redactor (``green_api_contacts._redact``), structural only: token
path segments after any method name, token-named ``key=value``, JSON and Python-repr pairs (as
Hypothesis prints a case), found by shape, so tokens the suite does not know (a deliberately wrong
one derived from the real one) are hidden too, and a token of any length garbles nothing. The
known tokens serve the leak check only, which never rewrites text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pytest
from _pytest._code.code import ReprFileLocation, TerminalRepr
from _pytest._io import TerminalWriter

from green_api_contacts._redact import (
    REDACTED,
    TOKEN_SEGMENT_RE,
    contains_secret,
    redact,
)

__all__ = ["REDACTED", "TOKEN_SEGMENT_RE", "RedactedRepr", "Redactor", "redact_report"]


class Redactor:
    """Replaces token segments and pairs by ``<redacted>``; checks text for the known tokens."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self.tokens: Final = tuple(sorted({t for t in tokens if t}))

    def text(self, value: str) -> str:
        return redact(value)

    def leaks(self, value: str) -> bool:
        """Whether ``value`` holds a known token: where tokens are put, or anywhere at all.

        A check, not a rewrite, so it cannot garble anything: with a very short token it can
        only report too much, never too little.
        """
        return contains_secret(value, self.tokens) or any(t in value for t in self.tokens)


class RedactedRepr(TerminalRepr):
    """A failure representation rebuilt from redacted text (terminal and JUnit alike)."""

    def __init__(self, text: str, reprcrash: ReprFileLocation | None) -> None:
        self.text = text
        # junitxml reads `reprcrash.message` for the failure message attribute.
        self.reprcrash = reprcrash

    def toterminal(self, tw: TerminalWriter) -> None:
        for line in self.text.splitlines():
            tw.line(line)


def redact_report(report: pytest.TestReport | pytest.CollectReport, redactor: Redactor) -> None:
    """Redact, in place, everything of ``report`` that reporters print or write."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (path, lineno, reason)
        path, lineno, reason = longrepr
        report.longrepr = (path, lineno, redactor.text(reason))
    elif longrepr is not None:
        text = str(longrepr)
        redacted = redactor.text(text)
        if redacted != text:
            crash: ReprFileLocation | None = getattr(longrepr, "reprcrash", None)
            new_crash = (
                None
                if crash is None
                else ReprFileLocation(crash.path, crash.lineno, redactor.text(crash.message))
            )
            report.longrepr = RedactedRepr(redacted, new_crash)
    report.sections = [(title, redactor.text(content)) for title, content in report.sections]
    if isinstance(report, pytest.TestReport):
        report.user_properties = [
            (name, redactor.text(value) if isinstance(value, str) else value)
            for name, value in report.user_properties
        ]
        fspath, line, domain = report.location
        report.location = (fspath, line, redactor.text(domain))
    report.nodeid = redactor.text(report.nodeid)
