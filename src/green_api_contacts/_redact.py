"""Keeping apiTokenInstance out of logs, exception texts, reports and stored error bodies.

The one redactor of the project: the clients, the mock (``mock/_errors.py``) and the contract
harness (``contract_tests/_redact.py``) all use it. Hand-written because no library redacts a
secret that travels as a URL path segment.

Redaction is structural: a secret is replaced where it is put, found by position and shape,
never by searching arbitrary text for its characters (a token ``"e"`` must not turn
``Unauthorized`` into ``Unauthoriz<redacted>d``):

- URLs and echoed paths: the segment after ``/waInstance<id>/<method>/`` (any method name, any
  id text, as fuzzers send it) -- see `redact_path` for the mock's stricter, positional form;
- ``key=value`` and JSON pairs whose key names a token (``apiTokenInstance``, ``api_token``,
  ``token``, ``GREEN_API_TOKEN``...);
- header mappings (`redact_headers`): values of headers that carry credentials;
- a word of the shape of GREEN-API's tokens, exactly 50 hex digits standing alone
  (`TOKEN_SHAPE_RE`), wherever it stands: reports and handlers see text written by code that
  is not ours, and such a run is a token by its shape (hashes are 32, 40 or 64 digits long).

There is no registry of secrets and no search of text for a secret's characters: a rule that
looked for a known token anywhere would either miss short tokens or garble messages with them.
The places that put a token somewhere (the clients' URLs, the CLI's argv, the mock's paths) hand
over structured data or text of a known shape, and `contains_secret` checks those same positions.

The clients put `RedactingFilter` on the loggers known to print URLs or headers: httpx, httpcore,
httpx-retries, ours, and HTTP/2's hpack and h2 (hpack logs every header it encodes, `:path`
included, both as text and as the encoded block, which decodes back to the token). A library this
list does not know about can still log a URL; to cover everything that reaches your log output,
put the filter on your handlers as well (a handler's filters see records propagated from every
logger)::

    import logging
    from green_api_contacts import RedactingFilter

    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    logging.basicConfig(handlers=[handler], level=logging.DEBUG)
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection, Iterable, Mapping
from typing import Final

__all__ = [
    "REDACTED",
    "TOKEN_SEGMENT_RE",
    "TOKEN_SHAPE_RE",
    "RedactingFilter",
    "contains_secret",
    "install_log_filter",
    "redact",
    "redact_headers",
    "redact_path",
    "secret_values",
]

REDACTED: Final = "<redacted>"

# Loggers known to print request URLs, request reprs or request headers; children are covered
# too (see install). hpack logs HTTP/2 headers (`:path` holds the token); h2 logs frames when a
# logger is given to its H2Configuration.
_LOGGER_PREFIXES: Final = (
    "httpx",
    "httpcore",
    "httpx_retries",
    "green_api_contacts",
    "hpack",
    "h2",
    "aiohttp",
)
_KNOWN_CHILDREN: Final = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "httpx_retries.retry",
    "httpx_retries.transport",
    "httpx_retries.helpers",
    "green_api_contacts.client",
    "green_api_contacts.retry",
    "green_api_contacts.mock",
    "hpack.hpack",
    "hpack.table",
    "h2.connection",
    "h2.config",
    "aiohttp.client",
    "aiohttp.internal",
)
# The token segment of a GREEN-API URL or echoed path: waInstance<id>/<method>/<token>. The id
# part takes any text, because fuzzers send ids like `-1` or `%00`; a template (`{...}`) or an
# already redacted segment (`<...>`) is left alone, so redaction is idempotent.
TOKEN_SEGMENT_RE: Final = re.compile(
    r"(?i)(waInstance[^/\s?#'\"]{0,64}/[A-Za-z]{1,64}/)(?![{<])([^/?#\s'\"\\<>)\]},]+)"
)
# A word of the documented token shape: 50 hex digits, not part of a longer word.
TOKEN_SHAPE_RE: Final = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{50}(?![0-9A-Za-z])")
# `apiTokenInstance=X`, `api_token='X'`, `GREEN_API_TOKEN=X`, `"apiTokenInstance": "X"`,
# `'apiTokenInstance': 'X'` (a Python repr, as Hypothesis prints a case): a value whose key names
# a token. `=` pairs take an optional quote; `:` pairs need quotes on both sides, so prose such as
# "argument --token: expected one argument" is left alone.
_KEY: Final = r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+_)*(?:api_?)?token(?:_?instance)?"
_PAIR_RE: Final = re.compile(
    rf"(?i)(?P<eq>{_KEY}\s*=\s*['\"]?)(?![<{{])(?P<eqv>[^'\"\s,;&)}}\]]+)"
    rf"|(?P<colon>{_KEY}(?P<kq>['\"])\s*:\s*(?P<vq>['\"]))(?![<{{])(?P<colonv>(?:(?!(?P=vq)).)+)"
)
_SECRET_HEADERS: Final = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
# hpack logs encoded header blocks as bytes: Huffman-coded, a token in them is not plain text.
_PRINTABLE_BYTES_RE: Final = re.compile(rb"[\x20-\x7e]*")

_lock = threading.Lock()


def _pair(match: re.Match[str]) -> str:
    return (match.group("eq") or match.group("colon")) + REDACTED


def redact(text: str) -> str:
    """`text` safe to print: token segments, token-named pairs and token-shaped words replaced.

    Never looks for a secret's characters, so a token of any length (``"e"`` included) cannot
    garble a message; text that puts a token anywhere else must be built structurally.
    """
    if "wainstance" in text.lower():
        text = TOKEN_SEGMENT_RE.sub(lambda m: m.group(1) + REDACTED, text)
    if "token" in text.lower():
        text = _PAIR_RE.sub(_pair, text)
    return TOKEN_SHAPE_RE.sub(REDACTED, text)


def secret_values(text: str) -> set[str]:
    """The values standing where tokens are put in `text` (and `redact` would replace)."""
    values = {m.group(2) for m in TOKEN_SEGMENT_RE.finditer(text)}
    values.update(m.group("eqv") or m.group("colonv") for m in _PAIR_RE.finditer(text))
    values.update(TOKEN_SHAPE_RE.findall(text))
    return values


def contains_secret(text: str, secrets: Iterable[str]) -> bool:
    """Whether one of `secrets` stands unredacted where tokens are put in `text` -- a leak check.

    By position, like `redact`, so that it holds for a token of any length; a gate over files
    that may hold a token anywhere adds its own plain search for the (long) tokens it knows.
    """
    values = secret_values(text)
    return any(secret in values for secret in secrets if secret)


def redact_path(path: str, methods: Collection[str] | None = None) -> str:
    """A request path safe to log, by position: ``/waInstance<id>/<method>/<redacted>``.

    Stricter than `redact`, for servers that see raw request paths: a path that does not start
    with an instance segment is redacted whole, and the method segment survives only if it is
    one of ``methods`` (case-insensitive; default: any letters-only name), so a client that puts
    the token in the wrong place does not leak it either.
    """
    if path in ("", "/"):
        return path
    parts = path.split("/")
    if len(parts) < 2 or _INSTANCE_SEGMENT_RE.fullmatch(parts[1]) is None:
        return "/" + REDACTED
    kept = ["", parts[1]]
    if len(parts) > 2:
        known = (
            _METHOD_NAME_RE.fullmatch(parts[2]) is not None
            if methods is None
            else parts[2].lower() in {m.lower() for m in methods}
        )
        kept.append(parts[2] if known else REDACTED)
    if len(parts) > 3:
        kept.append(REDACTED)
    return "/".join(kept)


_INSTANCE_SEGMENT_RE: Final = re.compile(r"waInstance[0-9]{1,10}")
_METHOD_NAME_RE: Final = re.compile(r"[A-Za-z]{1,64}")


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of `headers` with credential-carrying values replaced and the rest redacted."""
    return {
        name: REDACTED if name.lower() in _SECRET_HEADERS else redact(value)
        for name, value in headers.items()
    }


def _is_hpack(name: str) -> bool:
    return name == "hpack" or name.startswith("hpack.")


def _hide_header_blocks(args: tuple[object, ...]) -> tuple[object, ...]:
    """hpack's record args with every binary (encoded header block) bytes value replaced."""
    return tuple(
        f"<{len(arg)} bytes of HPACK data>"
        if isinstance(arg, bytes | bytearray) and _PRINTABLE_BYTES_RE.fullmatch(arg) is None
        else arg
        for arg in args
    )


class RedactingFilter(logging.Filter):
    """Rewrites a record whose rendered message (or traceback) would contain a token.

    Works on a logger (the clients install it on the loggers they know, see
    `install_log_filter`) and on a handler, where it sees records from every logger: add it to
    your handlers to cover libraries this module does not know about. Never drops records: a
    filter that hides log lines would hide problems too. Records of hpack (HTTP/2 headers) also
    lose their binary arguments, the encoded header blocks, which hold the token Huffman-coded.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and _is_hpack(record.name):
            record.args = _hide_header_blocks(record.args)
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the handler's business, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when set, so the raw traceback is never rendered.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER: Final = RedactingFilter()


def install_log_filter() -> None:
    """Attach the redacting filter to httpx, httpcore, httpx-retries, hpack, h2 and our loggers.

    A logger's filters only see records logged on that very logger, not those propagated from
    its children, so the filter goes on every existing child as well as on the known ones.
    Idempotent and cheap; the clients call it on construction (by then httpx has created its
    loggers).
    """
    names = set(_LOGGER_PREFIXES) | set(_KNOWN_CHILDREN)
    names.update(
        name
        for name in list(logging.root.manager.loggerDict)
        if name.startswith(tuple(prefix + "." for prefix in _LOGGER_PREFIXES))
    )
    with _lock:
        for name in sorted(names):
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
