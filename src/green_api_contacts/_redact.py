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
- header mappings (`redact_headers`): values of headers that carry credentials.

A second, belt-and-braces layer replaces registered secrets (`register_secret`), in two tiers by
length, so that it cannot garble a message: a secret of `MIN_SEARCHABLE` characters or more is
replaced wherever it appears (such a run of characters is the secret and nothing else; real tokens
are 50 hex characters); one of `MIN_WORD` to `MIN_SEARCHABLE` - 1 characters only where it stands
as a whole value, between characters that cannot belong to a token (``--token Tk.s3cr3t`` in an
argparse message), never inside a word. Shorter secrets (``"e"``, ``"a"``, ``"1"``) could be any
word or letter, so only the structural rules protect them. Registered secrets are kept for the
life of the process (strings cannot be weakly referenced, and forgetting one while a log record
that carries it is still queued would leak it).

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
    "MIN_SEARCHABLE",
    "MIN_WORD",
    "REDACTED",
    "TOKEN_SEGMENT_RE",
    "RedactingFilter",
    "contains_secret",
    "install_log_filter",
    "redact",
    "redact_headers",
    "redact_path",
    "register_secret",
]

REDACTED: Final = "<redacted>"
# Registered secrets this long are replaced anywhere; from MIN_WORD only as whole values; shorter
# ones never in free text (see above).
MIN_SEARCHABLE: Final = 16
MIN_WORD: Final = 4
# What may stand next to a whole value: anything outside the token alphabet.
_TOKEN_CHARS: Final = "A-Za-z0-9._~-"  # noqa: S105 - a character class, not a secret

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
# `apiTokenInstance=X`, `api_token='X'`, `GREEN_API_TOKEN=X`, `"apiTokenInstance": "X"`: a
# value whose key names a token. `=` pairs take an optional quote; JSON pairs need quotes, so
# prose such as "argument --token: expected one argument" is left alone.
_KEY: Final = r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+_)*(?:api_?)?token(?:_?instance)?"
_PAIR_RE: Final = re.compile(
    rf"(?i)({_KEY}\s*=\s*(?P<q>['\"]?))(?![<{{])([^'\"\s,;&)}}\]]+)"
    rf"|({_KEY}\"\s*:\s*\")(?![<{{])([^\"]+)"
)
_SECRET_HEADERS: Final = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
# hpack logs encoded header blocks as bytes: Huffman-coded, a token in them is not plain text.
_PRINTABLE_BYTES_RE: Final = re.compile(rb"[\x20-\x7e]*")

_lock = threading.Lock()
_secrets: set[str] = set()
# Longest first, so a token that contains another registered one is replaced whole.
_ordered: tuple[str, ...] = ()


def register_secret(secret: str) -> None:
    """Tell the redactor about a secret in use.

    Every secret is checked by `contains_secret`; `redact` also replaces it by the length tiers
    of the module docstring. Secrets shorter than `MIN_WORD` rely on the structural rules.
    """
    global _ordered
    if not secret:
        return
    with _lock:
        if secret in _secrets:
            return
        _secrets.add(secret)
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def _pair(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return match.group(1) + REDACTED
    return match.group(4) + REDACTED


def redact_structure(text: str) -> str:
    """`text` with token URL segments and token-named ``key=value`` pairs replaced."""
    if "wainstance" in text.lower():
        text = TOKEN_SEGMENT_RE.sub(lambda m: m.group(1) + REDACTED, text)
    if "token" in text.lower():
        text = _PAIR_RE.sub(_pair, text)
    return text


def redact_secrets(text: str, secrets: Iterable[str]) -> str:
    """`text` with `secrets` replaced by the two length tiers of the module docstring."""
    for secret in secrets:
        if len(secret) < MIN_WORD or secret not in text:
            continue
        if len(secret) >= MIN_SEARCHABLE:
            text = text.replace(secret, REDACTED)
        else:
            text = _whole_value(secret).sub(REDACTED, text)
    return text


def _whole_value(secret: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_TOKEN_CHARS}]){re.escape(secret)}(?![{_TOKEN_CHARS}])")


def redact(text: str) -> str:
    """`text` safe to print: structural rules, then registered long secrets."""
    return redact_secrets(redact_structure(text), _ordered)


def contains_secret(text: str, secrets: Iterable[str] | None = None) -> bool:
    """Whether `text` holds one of `secrets` (default: the registered ones) -- a leak check.

    A check, not a rewrite: tests and report gates ask it after redaction. Secrets shorter than
    `MIN_WORD` are looked for only in the positions the structural rules cover.
    """
    pool = _ordered if secrets is None else tuple(s for s in secrets if s)
    structural: set[str] | None = None
    for secret in pool:
        if len(secret) >= MIN_SEARCHABLE:
            found = secret in text
        elif len(secret) >= MIN_WORD:
            found = _whole_value(secret).search(text) is not None
        else:
            structural = _structural_values(text) if structural is None else structural
            found = secret in structural
        if found:
            return True
    return False


def _structural_values(text: str) -> set[str]:
    values = {m.group(2) for m in TOKEN_SEGMENT_RE.finditer(text)}
    values.update(m.group(3) or m.group(5) for m in _PAIR_RE.finditer(text))
    return values


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
