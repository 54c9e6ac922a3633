"""Where a request goes: the optional path prefix, the instance segment, the method and token.

Also the small readers of an ASGI scope the app needs (a header, the raw path) and the
lifespan protocol.

A flavour answers under the path prefixes its registry entry lists (MAX: ``""`` and ``/v3``);
the app checks the prefix against the instance's flavour once it knows the instance.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from starlette.types import Receive, Scope, Send

from ._config import METHODS, PATH_PREFIXES

_INSTANCE_SEGMENT_RE: Final = re.compile(r"waInstance([0-9]{1,10})")
# Every prefix any flavour answers under, and how many segments the longest one has.
_ALL_PREFIXES: Final = frozenset(PATH_PREFIXES)
_MAX_PREFIX_DEPTH: Final = max(p.count("/") for p in _ALL_PREFIXES)


class SplitPath(NamedTuple):
    prefix: str  # what came before /waInstance{id}: "" or e.g. "/v3"
    id_instance: int
    rest: list[str]  # the segments after it: method name, token


def split_path(path: str) -> SplitPath | None:
    """``[prefix]/waInstance{id}/...`` split up; None when no instance segment comes early."""
    trimmed = path[:-1] if path.endswith("/") and len(path) > 1 else path
    segments = trimmed.split("/")[1:]
    for depth, segment in enumerate(segments[: _MAX_PREFIX_DEPTH + 1]):
        match = _INSTANCE_SEGMENT_RE.fullmatch(segment)
        if match is not None:
            prefix = "".join(f"/{s}" for s in segments[:depth])
            return SplitPath(prefix, int(match.group(1)), segments[depth + 1 :])
    return None


def is_method_path(path: str) -> bool:
    """Whether ``path`` is a method's URL under any registered prefix (for OPTIONS)."""
    split = split_path(path)
    return (
        split is not None
        and split.prefix in _ALL_PREFIXES
        and len(split.rest) == 2
        and split.rest[0].lower() in METHODS
    )


def scope_header(scope: Scope, name: str) -> str | None:
    wanted = name.encode("latin-1")
    for key, value in scope.get("headers", ()):
        if bytes(key).lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


def scope_raw_path(scope: Scope) -> str:
    """The path as the client sent it (token included), for the ``path`` of error bodies."""
    raw = scope.get("raw_path")
    if raw:
        return bytes(raw).split(b"?", 1)[0].decode("latin-1")
    return str(scope["path"])


async def lifespan(receive: Receive, send: Send) -> None:
    # A server sends startup once and shutdown once; the loop ends with shutdown.
    for _ in range(2):
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
