"""Doing: the ``contacts`` and ``info`` subcommands run here, on parsed arguments.

Parsing (which options exist, their types and help) is ``_parse.py``'s; formatting is
``_output.py``'s. A handler takes the parsed ``argparse.Namespace``, makes a client from the
options and the environment, calls it and returns the exit code. Exit codes are part of the
interface, so that scripts can branch on them (see EXIT_CODES).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import msgspec

from green_api_contacts.cli._output import output, plain, write_contacts
from green_api_contacts.client import (
    ENV_API_URL,
    ENV_ID_INSTANCE,
    ENV_TOKEN,
    AnySyncClient,
    client_class,
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
from green_api_contacts.flavours import FLAVOURS as REGISTRY
from green_api_contacts.flavours import flavour_names, get_flavour

__all__ = ["CLIENTS", "EXIT_CODES", "exit_code_for", "run_contacts", "run_info"]

ENV_FLAVOUR: Final = "GREEN_API_FLAVOUR"
# The client of each flavour name the CLI accepts (--flavour, GREEN_API_FLAVOUR, any case),
# from the registry in its order; the first is the default.
CLIENTS: Final[dict[str, Callable[..., AnySyncClient]]] = {
    name: client_class(name) for name in flavour_names()
}
FLAVOURS: Final = tuple(CLIENTS)
DEFAULT_FLAVOUR: Final = FLAVOURS[0]
# The flavours whose GetContacts filters by group (--group/--no-group).
GROUP_FLAVOURS: Final = tuple(
    f.name for f in REGISTRY.values() if f.has_option("getContacts", "group")
)

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
  {ENV_FLAVOUR}      {", ".join(FLAVOURS)}, any case (default: {DEFAULT_FLAVOUR})
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


def _flavour(args: argparse.Namespace) -> str:
    """--flavour, else GREEN_API_FLAVOUR (any case), else the registry's first flavour."""
    name = args.flavour or os.environ.get(ENV_FLAVOUR, "").strip() or DEFAULT_FLAVOUR
    try:
        return get_flavour(name).name
    except ValueError:
        raise ConfigurationError(f"{ENV_FLAVOUR} must be one of {', '.join(FLAVOURS)}") from None


def _client(args: argparse.Namespace) -> AnySyncClient:
    env = os.environ
    flavour = _flavour(args)
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
    return CLIENTS[flavour](id_instance=id_instance, api_token=token, api_url=api_url, **options)


@contextlib.contextmanager
def retry_notices(quiet: bool) -> Iterator[None]:
    """Say on stderr when a call waits to retry (GreenAPIRetry logs each wait at INFO), unless
    ``--quiet``; the handler goes when the command ends (main() may run more than once)."""
    retry_logger = logging.getLogger("green_api_contacts.retry")
    if quiet:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("green-api-contacts: %(message)s"))
    level = retry_logger.level
    retry_logger.addHandler(handler)
    retry_logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        retry_logger.removeHandler(handler)
        retry_logger.setLevel(level)


def _fail(error: GreenAPIError) -> int:
    print(f"green-api-contacts: error: {error}", file=sys.stderr)
    return exit_code_for(error)


def run_contacts(args: argparse.Namespace) -> int:
    """``green-api-contacts contacts``."""
    try:
        with retry_notices(args.quiet), _client(args) as client:
            # Whether the flavour filters by group is the registry's (its GetContacts options).
            options: dict[str, Any] = {"retry_empty": args.retry_empty}
            if client.flavour in GROUP_FLAVOURS:
                options["group"] = args.group
            elif args.group is not None:
                raise InvalidRequestError(
                    f"--group/--no-group is for {', '.join(GROUP_FLAVOURS)} instances only"
                )
            contacts: Sequence[msgspec.Struct] = client.get_contacts(args.count, **options)
    except GreenAPIError as error:
        return _fail(error)
    write_contacts(
        args.format, contacts, empty="no contacts (yet: try --retry-empty)", csv_raw=args.csv_raw
    )
    return EXIT_OK


def run_info(args: argparse.Namespace) -> int:
    """``green-api-contacts info CHAT_ID``."""
    try:
        with retry_notices(args.quiet), _client(args) as client:
            info: msgspec.Struct | None = client.get_contact_info(args.chat_id)
    except GreenAPIError as error:
        return _fail(error)
    document = None if info is None else plain(info)
    rows = [] if document is None else [document]
    if args.format == "table" and document is not None:
        pairs = [{"field": key, "value": value} for key, value in document.items()]
        output("table", document, pairs, empty="")
    else:
        output(
            args.format,
            document,
            rows,
            empty="no information (a group chat)",
            csv_raw=args.csv_raw,
        )
    return EXIT_OK
