"""The ``green-api-contacts`` command line.

Each subcommand has one ``_add_<name>_parser`` function that declares its options and sets
``handler`` to the function that runs it, so new subcommands slot in without touching the others.
Nothing here prints a token: not the configuration, not argument errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from green_api_contacts.mock import MockInstance

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8080

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per subcommand."""
    from green_api_contacts._commands import EXIT_CODES, add_client_commands

    parser = argparse.ArgumentParser(
        prog="green-api-contacts",
        description="Typed GREEN-API contacts tools for WhatsApp and Telegram.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
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


def _add_mock_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        print(f"green-api-contacts mock: {exc}", file=sys.stderr)
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
