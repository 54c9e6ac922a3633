"""The ``contacts`` and ``info`` subcommands of ``green-api-contacts``.

``add_client_commands(subcommands)`` declares both; each sets ``handler`` (a function taking the
parsed ``argparse.Namespace`` and returning the exit code), like the other subcommands in
``cli.py``.

Exit codes are part of the interface, so that scripts can branch on them (see EXIT_CODES).

Output: ``--format csv`` is made safe to open in a spreadsheet: anyone can choose their WhatsApp
or Telegram name, so a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` (OWASP's advice against formula injection); numbers such as Telegram
group ids (``-100...``) are left as they are. JSON and table output show values unchanged. A
reader that stops early (``| head``) ends the command quietly with exit code 0.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, Final, TextIO

import msgspec

from green_api_contacts._client import (
    ENV_API_URL,
    ENV_ID_INSTANCE,
    ENV_TOKEN,
    TelegramClient,
    WhatsAppClient,
)
from green_api_contacts.errors import (
    ConfigurationError,
    ForbiddenError,
    GreenAPIError,
    InvalidRequestError,
    QuotaExceededError,
    RateLimitedError,
    ResponseValidationError,
    TransportError,
    UnauthorizedError,
)

__all__ = ["EXIT_CODES", "add_client_commands", "exit_code_for"]

ENV_FLAVOUR: Final = "GREEN_API_FLAVOUR"
FLAVOURS: Final = ("whatsapp", "telegram")
FORMATS: Final = ("table", "json", "csv")

EXIT_OK: Final = 0
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 3
EXIT_LIMIT: Final = 4
EXIT_API: Final = 5
EXIT_TRANSPORT: Final = 6
EXIT_RESPONSE: Final = 7

EXIT_CODES: Final = f"""\
exit codes:
  {EXIT_OK}  success
  {EXIT_USAGE}  usage error or invalid input (bad option, missing variable, bad chat id)
  {EXIT_AUTH}  authentication refused (401 wrong token, 403 wrong instance id or URL)
  {EXIT_LIMIT}  rate limit or quota (429 after retries, 466 plan quota used up)
  {EXIT_API}  any other error answer of the API (400 instance state, 404, 5xx, ...)
  {EXIT_TRANSPORT}  no answer: connection error or timeout, after retries
  {EXIT_RESPONSE}  the answer did not match the API description

environment:
  {ENV_ID_INSTANCE}  the instance id (or --id-instance)
  {ENV_TOKEN}        the instance's API token (prefer this to --token)
  {ENV_API_URL}          the apiUrl from the console (default: the flavour's default host)
  {ENV_FLAVOUR}      whatsapp or telegram (default: whatsapp)
"""


def exit_code_for(error: GreenAPIError) -> int:
    """The documented exit code for an error (see EXIT_CODES)."""
    if isinstance(error, ConfigurationError | InvalidRequestError):
        return EXIT_USAGE
    if isinstance(error, UnauthorizedError | ForbiddenError):
        return EXIT_AUTH
    if isinstance(error, RateLimitedError | QuotaExceededError):
        return EXIT_LIMIT
    if isinstance(error, TransportError):
        return EXIT_TRANSPORT
    if isinstance(error, ResponseValidationError):
        return EXIT_RESPONSE
    return EXIT_API  # any other APIError, and anything new under GreenAPIError


def _positive_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError("must be an integer >= 1")
    return int(text)


def _non_negative_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError("must be an integer >= 0")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds > 0")
    return value


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument(
        "--flavour",
        choices=FLAVOURS,
        default=None,
        help=f"the instance's messenger (default: ${ENV_FLAVOUR}, else whatsapp)",
    )
    group.add_argument(
        "--api-url",
        default=None,
        help=f"the apiUrl shown in the console (default: ${ENV_API_URL}, else the flavour's host)",
    )
    group.add_argument(
        "--id-instance", default=None, help=f"the idInstance (default: ${ENV_ID_INSTANCE})"
    )
    group.add_argument(
        "--token",
        default=None,
        help=(
            f"the apiTokenInstance; discouraged, because process lists and shell history show "
            f"it: set ${ENV_TOKEN} instead"
        ),
    )
    group.add_argument(
        "--timeout", type=_positive_float, default=None, help="seconds per request (default: 60)"
    )
    group.add_argument(
        "--max-retries",
        type=_non_negative_int,
        default=None,
        help="retries of 429/502/503/504 and connection errors, 0 for none (default: 3)",
    )
    common.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help=(
            "output format (default: table); in csv, a text cell that starts with = + - @, "
            "a tab or a carriage return gets a leading ' so that spreadsheets do not run it as "
            "a formula (numbers such as Telegram group ids stay as they are)"
        ),
    )
    return common


def add_client_commands(subcommands: argparse._SubParsersAction[Any]) -> None:
    """Add ``contacts`` and ``info`` to a ``green-api-contacts`` parser's subcommands.

    Any ArgumentParser subclass will do (``green-api-contacts`` uses cli.SafeArgumentParser).
    """
    common = _common_options()
    contacts = subcommands.add_parser(
        "contacts",
        parents=[common],
        help="list the account's contacts (GetContacts)",
        description="List the contacts of a GREEN-API instance (GetContacts).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    contacts.add_argument(
        "--count", type=_positive_int, default=None, help="at most this many contacts"
    )
    contacts.add_argument(
        "--group",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="WhatsApp only: only group chats (--group) or only personal chats (--no-group)",
    )
    contacts.add_argument(
        "--retry-empty",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="repeat up to N times, 5 s apart, while the answer is [] (contact data still "
        "loading after a login)",
    )
    contacts.set_defaults(handler=run_contacts)

    info = subcommands.add_parser(
        "info",
        parents=[common],
        help="show what the messenger knows about one contact (GetContactInfo)",
        description=(
            "Show what WhatsApp or Telegram knows about one contact (GetContactInfo). "
            "CHAT_ID is '<phone>@c.us' (or '<id>@g.us') for WhatsApp, digits for Telegram."
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("chat_id", metavar="CHAT_ID", help="the contact's chat id")
    info.set_defaults(handler=run_info)


# -- running --------------------------------------------------------------------------------------


def _client(args: argparse.Namespace) -> WhatsAppClient | TelegramClient:
    env = os.environ
    flavour = args.flavour or env.get(ENV_FLAVOUR, "").strip().lower() or "whatsapp"
    if flavour not in FLAVOURS:
        raise ConfigurationError(f"{ENV_FLAVOUR} must be whatsapp or telegram")
    id_instance = args.id_instance or env.get(ENV_ID_INSTANCE, "").strip()
    if not id_instance:
        raise ConfigurationError(f"no instance id: pass --id-instance or set {ENV_ID_INSTANCE}")
    if args.token:
        print(
            f"green-api-contacts: warning: --token is visible to other users of this machine; "
            f"prefer {ENV_TOKEN}",
            file=sys.stderr,
        )
    token = args.token or env.get(ENV_TOKEN, "").strip()
    if not token:
        raise ConfigurationError(f"no token: set {ENV_TOKEN} (or pass --token)")
    options: dict[str, Any] = {}
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    api_url = args.api_url or env.get(ENV_API_URL, "").strip() or None
    cls = TelegramClient if flavour == "telegram" else WhatsAppClient
    return cls(id_instance=id_instance, api_token=token, api_url=api_url, **options)


def _fail(error: GreenAPIError) -> int:
    print(f"green-api-contacts: error: {error}", file=sys.stderr)
    return exit_code_for(error)


def run_contacts(args: argparse.Namespace) -> int:
    """``green-api-contacts contacts``."""
    try:
        with _client(args) as client:
            if isinstance(client, TelegramClient):
                if args.group is not None:
                    raise InvalidRequestError("--group/--no-group is for WhatsApp instances only")
                contacts: Sequence[msgspec.Struct] = client.get_contacts(
                    args.count, retry_empty=args.retry_empty
                )
            else:
                contacts = client.get_contacts(args.count, args.group, retry_empty=args.retry_empty)
    except GreenAPIError as error:
        return _fail(error)
    rows = [_plain(contact) for contact in contacts]
    _output(args.format, rows, rows, empty="no contacts (yet: try --retry-empty)")
    return EXIT_OK


def run_info(args: argparse.Namespace) -> int:
    """``green-api-contacts info CHAT_ID``."""
    try:
        with _client(args) as client:
            info: msgspec.Struct | None = client.get_contact_info(args.chat_id)
    except GreenAPIError as error:
        return _fail(error)
    document = None if info is None else _plain(info)
    rows = [] if document is None else [document]
    if args.format == "table" and document is not None:
        pairs = [{"field": key, "value": value} for key, value in document.items()]
        _output("table", document, pairs, empty="")
    else:
        _output(args.format, document, rows, empty="no information (a group chat)")
    return EXIT_OK


# -- output ---------------------------------------------------------------------------------------

# Cells a spreadsheet would read as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _output(fmt: str, document: Any, rows: Sequence[dict[str, Any]], *, empty: str) -> None:
    """Write to stdout; a reader that went away (``| head``) just ends the output."""
    try:
        _write(sys.stdout, fmt, document, rows, empty=empty)
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()


def _stdout_to_devnull() -> None:
    """After EPIPE: point stdout's descriptor at devnull, so the flush at exit cannot fail.

    This is what the Python documentation recommends (signal module, "Note on SIGPIPE").
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _plain(value: Any) -> Any:
    """JSON-ready builtins with the API's field names, unknown fields (.extra) included."""
    if isinstance(value, msgspec.Struct):
        out: dict[str, Any] = {}
        for field in msgspec.structs.fields(value):
            item = getattr(value, field.name)
            if item is not msgspec.UNSET:
                out[field.encode_name] = _plain(item)
        extra = getattr(value, "extra", None)
        if isinstance(extra, dict):
            out.update(extra)
        return out
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not evaluate: formula-like text gets a leading '."""
    text = _cell(value)
    if text.startswith(_FORMULA_STARTS) and _NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _write(
    out: TextIO, fmt: str, document: Any, rows: Sequence[dict[str, Any]], *, empty: str
) -> None:
    if fmt == "json":
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    columns = _columns(rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if columns:
            writer.writerow([_csv_cell(column) for column in columns])
        writer.writerows([[_csv_cell(row.get(column)) for column in columns] for row in rows])
        out.write(buffer.getvalue())
        return
    if not rows:
        if empty:
            out.write(empty + "\n")
        return
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [
        max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)
    ]
    lines = [columns, ["-" * width for width in widths], *cells]
    for line in lines:
        out.write(
            "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
            + "\n"
        )
