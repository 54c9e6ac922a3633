"""Parsing: which subcommands and options ``green-api-contacts`` has, their types and help.

Nothing here calls the API or prints results. Each subcommand has one ``add_*`` function that
declares its options and sets ``handler`` to the function that does the work (``_commands.py``
for ``contacts`` and ``info``, ``_mock.py`` for ``mock``), so new subcommands slot in without
touching the others. Every parser is a `SafeArgumentParser` (``_safe_parser.py``): usage errors
never show a token.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

from green_api_contacts import __version__
from green_api_contacts.cli._commands import (
    ENV_FLAVOUR,
    EXIT_CODES,
    FLAVOURS,
    GROUP_FLAVOURS,
    run_contacts,
    run_info,
)
from green_api_contacts.cli._mock import run_mock
from green_api_contacts.cli._output import FORMATS
from green_api_contacts.cli._safe_parser import SafeArgumentParser
from green_api_contacts.client import ENV_API_URL, ENV_ID_INSTANCE, ENV_TOKEN
from green_api_contacts.drift import add_parser as add_drift_parser
from green_api_contacts.flavours import FLAVOURS as REGISTRY

if TYPE_CHECKING:
    from green_api_contacts.mock import MockInstance

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "add_client_commands", "build_parser"]

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8080
# "WhatsApp, Telegram, MAX": the registry's titles, for help texts.
_TITLES: Final = ", ".join(f.title for f in REGISTRY.values())


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per subcommand."""
    parser = SafeArgumentParser(
        prog="green-api-contacts",
        description=f"Typed GREEN-API contacts tools for {_TITLES}.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subcommands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=SafeArgumentParser
    )
    add_client_commands(subcommands)
    add_mock_parser(subcommands)
    # drift has its own exit codes (0 nothing to report, 1 findings, 2 unreadable input).
    add_drift_parser(subcommands)
    return parser


# -- contacts, info -------------------------------------------------------------------------------


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
        type=str.lower,
        default=None,
        help=f"the instance's messenger, any case (default: ${ENV_FLAVOUR}, else {FLAVOURS[0]})",
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
            "a formula (numbers such as Telegram group ids stay as they are; see --csv-raw)"
        ),
    )
    common.add_argument(
        "--csv-raw",
        action="store_true",
        help=(
            "csv: no leading ' before formula-like cells (for "
            "programs, not spreadsheets: a name such as =HYPERLINK(...) would run as a formula)"
        ),
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no notices on stderr (such as waiting to retry); errors are still printed",
    )
    return common


def add_client_commands(subcommands: argparse._SubParsersAction[Any]) -> None:
    """Add ``contacts`` and ``info`` to a ``green-api-contacts`` parser's subcommands.

    Any ArgumentParser subclass will do (``green-api-contacts`` uses SafeArgumentParser).
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
        help=f"{', '.join(GROUP_FLAVOURS)} only: only group chats (--group) or only personal "
        "chats (--no-group)",
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
            "Show what the messenger knows about one contact (GetContactInfo).\n\nCHAT_ID is\n"
            + "\n".join(f"  {f.name}: {f.chat_id_description}" for f in REGISTRY.values())
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("chat_id", metavar="CHAT_ID", help="the contact's chat id")
    info.set_defaults(handler=run_info)


# -- mock -----------------------------------------------------------------------------------------


def _instance_spec(text: str) -> MockInstance:
    """argparse type for --instance; ArgumentTypeError keeps argparse from echoing the token."""
    from green_api_contacts.mock import parse_instance_spec

    try:
        return parse_instance_spec(text)
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError("port must be an integer from 0 to 65535")
    return int(text)


def add_mock_parser(subcommands: argparse._SubParsersAction[Any]) -> None:
    """Add ``mock``: serve the mock over HTTP; flavours and examples come from the registry."""
    from green_api_contacts.flavours import FLAVOURS as REGISTRY

    names = ", ".join(REGISTRY)
    defaults = ", ".join(
        f"{f.title} instance {f.id_instance_example}"
        + (
            f" (also under {', '.join(p for p in f.path_prefixes if p)})"
            if any(f.path_prefixes)
            else ""
        )
        for f in REGISTRY.values()
    )
    parser = subcommands.add_parser(
        "mock",
        help="serve the GREEN-API contacts mock over HTTP",
        description=(
            f"Serve the mock GetContacts/GetContactInfo API for the flavours {names}. Without "
            f"--instance it serves {defaults}, with the example tokens from "
            "green_api_contacts.mock. The 1 request/s limit is an assumption (no published "
            "GREEN-API page states it); --no-rate-limit switches it off."
        ),
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to bind, 0 for any free one (default: %(default)s)",
    )
    parser.add_argument(
        "--instance",
        action="append",
        type=_instance_spec,
        default=None,
        metavar="ID:TOKEN:FLAVOUR[:CONTACTS]",
        help=(
            f"an instance to serve; FLAVOUR is one of {names} (any case), CONTACTS defaults "
            "to 1000; repeat for more (default: one example instance per flavour)"
        ),
    )
    parser.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="answer every request instead of 1 per second per method and instance",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of every contact book (default: each instance's idInstance)",
    )
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=0.0,
        help="GetContacts answers [] for this long after start, as after a new login "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--ignore-count-and-group",
        action="store_true",
        help="GetContacts validates count and group, then answers the whole list, as GREEN-API "
        "staff say some instances do",
    )
    parser.add_argument(
        "--log-requests",
        action="store_true",
        help="log every request to stderr, token redacted",
    )
    parser.set_defaults(handler=run_mock)
