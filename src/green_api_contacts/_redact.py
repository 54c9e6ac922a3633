"""Keeping apiTokenInstance out of logs, exception texts and stored error bodies.

The token travels in the URL path, so anything that prints a URL can leak it: httpx logs every
request URL at INFO, httpcore and httpx-retries log requests at DEBUG, and GREEN-API echoes the
request path (token included) in its 400 and 500 bodies. Two defences, applied together:

- every token a client is given is registered here and replaced wherever it appears;
- independently of registration, the path segment after ``/waInstance<id>/<method>/`` is
  replaced, so a token this process never saw (another program's, a typo) does not leak either.

Registered tokens are kept for the life of the process (strings cannot be weakly referenced, and
forgetting a token while a log record that carries it is still queued would leak it).

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
from typing import Final

__all__ = ["REDACTED", "RedactingFilter", "install_log_filter", "redact", "register_secret"]

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
)
# The token segment of a GREEN-API URL or echoed path: /waInstance<id>/<method>/<token>.
_PATH_TOKEN_RE: Final = re.compile(r"(waInstance[0-9]{1,10}/[A-Za-z]+/)([^/?#\s\"'<>]+)")
# hpack logs encoded header blocks as bytes: Huffman-coded, a token in them is not plain text.
_PRINTABLE_BYTES_RE: Final = re.compile(rb"[\x20-\x7e]*")

_lock = threading.Lock()
_secrets: set[str] = set()
# Longest first, so a token that contains another registered one is replaced whole.
_ordered: tuple[str, ...] = ()


def register_secret(secret: str) -> None:
    """Make `redact` (and so every installed log filter) replace `secret` from now on."""
    global _ordered
    if not secret:
        return
    with _lock:
        if secret in _secrets:
            return
        _secrets.add(secret)
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def redact(text: str) -> str:
    """`text` with every registered token and every URL token segment replaced by <redacted>."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, REDACTED)
    if "waInstance" in text:
        text = _PATH_TOKEN_RE.sub(lambda m: m.group(1) + REDACTED, text)
    return text


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
