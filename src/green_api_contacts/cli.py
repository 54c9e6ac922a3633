"""The ``green-api-contacts`` command line.

Each subcommand has one ``_add_<name>_parser`` function that declares its options and sets
``handler`` to the function that runs it, so new subcommands slot in without touching the others.
Nothing here prints a token: not the configuration, not argument errors. Every parser is a
`SafeArgumentParser`: before parsing it registers (with ``_redact.register_secret``) each value
given to ``--token`` (``--token X`` or ``--token=X``, also under a misspelt or abbreviated option
name) and the TOKEN field of each ``--instance`` spec, and its ``error()`` runs the message through
``redact()`` and then hides what argparse would echo: the value of any ``--option=value`` and any
word that looks like a token (16 or more of ``[A-Za-z0-9_-]``). Usage errors still exit 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import logging
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, Never, TypeVar, overload

from green_api_contacts._redact import redact, register_secret

if TYPE_CHECKING:
    from green_api_contacts.mock import MockInstance

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8080

Handler = Callable[[argparse.Namespace], int]

_N = TypeVar("_N")
_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)

HIDDEN: Final = "<hidden>"
# What a token looks like when argparse echoes it as a bare word: GREEN-API tokens are 50 hex
# characters; 16 keeps ordinary words and chat ids of users visible.
_SECRET_RUN: Final = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])")
# An option name (never a secret), as long as it is no longer than an option of ours can be.
_OPTION_NAME: Final = re.compile(r"--?[A-Za-z]+(?:-[A-Za-z]+)*")
_OPTION_NAME_MAX: Final = 24
# `--name=value` as argparse echoes an unrecognized or ambiguous option.
_OPTION_VALUE: Final = re.compile(r"(?<!\S)(--?[^\s=]+)=\S+")


def _means(name: str, option: str, known: frozenset[str]) -> bool:
    """Whether option name `name` (dashes stripped) was probably meant as `--option`."""
    if name == option:
        return True
    if name in known:  # another option of ours, spelt right
        return False
    if len(name) >= 2 and option.startswith(name):  # an abbreviation argparse may accept
        return True
    return option[:3] in name or difflib.SequenceMatcher(None, name, option).ratio() >= 0.6


def _option_names(parser: argparse.ArgumentParser) -> frozenset[str]:
    names: set[str] = set()
    for action in parser._actions:
        names.update(option.lstrip("-").lower() for option in action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                names |= _option_names(subparser)
    return frozenset(names)


def register_argv_secrets(argv: Sequence[str], known: frozenset[str] = frozenset()) -> None:
    """Register every value given to --token (or a misspelling) and every --instance token.

    Looks at the whole argv, wherever the option stands, whatever argparse will make of it:
    an option it does not recognise is echoed in its error message, value included.
    """
    for position, word in enumerate(argv):
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            continue
        name, equals, value = word.partition("=")
        if not equals:
            following = argv[position + 1] if position + 1 < len(argv) else ""
            value = "" if following.startswith("-") else following
        name = name.lstrip("-").lower()
        if not name or not value:
            continue
        if _means(name, "token", known):
            register_secret(value)
        elif _means(name, "instance", known):
            fields = value.split(":")
            if len(fields) >= 3:  # ID:TOKEN:FLAVOUR[:CONTACTS]
                register_secret(fields[1])
                register_secret(fields[1].strip())


def _hide_run(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) <= _OPTION_NAME_MAX and _OPTION_NAME.fullmatch(word):
        return word
    return HIDDEN


def sanitize_usage_message(message: str) -> str:
    """An argparse error message without tokens: redacted, option values and secrets hidden."""
    message = redact(message)
    message = _OPTION_VALUE.sub(lambda match: f"{match.group(1)}={HIDDEN}", message)
    return _SECRET_RUN.sub(_hide_run, message)


class SafeArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose error messages never show a token (see the module docstring)."""

    @overload
    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: None = None
    ) -> tuple[argparse.Namespace, list[str]]: ...
    @overload
    def parse_known_args(
        self, args: Iterable[str] | None, namespace: _N
    ) -> tuple[_N, list[str]]: ...
    @overload
    def parse_known_args(self, *, namespace: _N) -> tuple[_N, list[str]]: ...
    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        words = sys.argv[1:] if args is None else list(args)
        register_argv_secrets(words, _option_names(self))
        return super().parse_known_args(words, namespace)

    def error(self, message: str) -> Never:
        super().error(sanitize_usage_message(message))


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per subcommand."""
    from green_api_contacts._commands import EXIT_CODES, add_client_commands

    parser = SafeArgumentParser(
        prog="green-api-contacts",
        description="Typed GREEN-API contacts tools for WhatsApp and Telegram.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subcommands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=SafeArgumentParser
    )
    add_client_commands(subcommands)
    _add_mock_parser(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


# ---------------------------------------------------------------------------------------- mock


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


def _add_mock_parser(subcommands: argparse._SubParsersAction[_Parser]) -> None:
    parser = subcommands.add_parser(
        "mock",
        help="serve the GREEN-API contacts mock over HTTP",
        description=(
            "Serve the mock GetContacts/GetContactInfo API. Without --instance it serves "
            "WhatsApp instance 1101000001 and Telegram instance 4100000000 with the example "
            "tokens from green_api_contacts.mock."
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
            "an instance to serve; FLAVOUR is whatsapp or telegram, CONTACTS defaults to 1000; "
            "repeat for more (default: the two example instances)"
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
        "--log-requests",
        action="store_true",
        help="log every request to stderr, token redacted",
    )
    parser.set_defaults(handler=_run_mock)


def _run_mock(args: argparse.Namespace) -> int:
    import uvicorn

    from green_api_contacts.mock import DEFAULT_INSTANCES, create_app
    from green_api_contacts.mock._server import bind_socket, server_config, socket_url

    configured: list[MockInstance] = args.instance or list(DEFAULT_INSTANCES)
    try:
        instances = [
            dataclasses.replace(
                instance,
                seed=instance.seed if args.seed is None else args.seed,
                warmup_seconds=args.warmup_seconds,
            )
            for instance in configured
        ]
        app = create_app(instances, rate_limit=not args.no_rate_limit)
    except (TypeError, ValueError) as exc:
        print(f"green-api-contacts mock: {redact(str(exc))}", file=sys.stderr)
        return 2
    if args.log_requests:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        mock_logger = logging.getLogger("green_api_contacts.mock")
        mock_logger.addHandler(handler)
        mock_logger.setLevel(logging.DEBUG)
    app.mock.prepare()
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(
            f"green-api-contacts mock: cannot listen on {args.host}:{args.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    url = socket_url(sock)
    rate = "off" if args.no_rate_limit else "1 request/s per method and instance"
    lines = [f"green-api-contacts mock listening on {url} (rate limit: {rate})"]
    lines += [
        f"  instance {runtime.id_instance}: {runtime.flavour}, {runtime.config.contacts} contacts"
        for runtime in app.mock.instances
    ]
    print("\n".join(lines), file=sys.stderr, flush=True)
    server = uvicorn.Server(server_config(app, log_config=True))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
