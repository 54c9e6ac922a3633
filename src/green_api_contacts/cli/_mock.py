"""Doing: the ``mock`` subcommand serves the mock over HTTP (its options are ``_parse.py``'s)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from typing import TYPE_CHECKING

from green_api_contacts._redact import redact
from green_api_contacts.cli._commands import ENV_FLAVOUR
from green_api_contacts.client import ENV_API_URL, ENV_ID_INSTANCE, ENV_TOKEN

if TYPE_CHECKING:
    from collections.abc import Iterable

    from green_api_contacts.mock import InstanceRuntime, MockInstance

# Shown of a token the user gave: its last characters, when it is long enough to keep most hidden.
_SHOWN_TAIL = 4
_MIN_LENGTH_TO_SHOW_TAIL = 20
# Addresses a server binds but a client cannot connect to, and what to connect to instead.
_REACH_INSTEAD = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}  # noqa: S104 - a lookup, not a bind


def masked(token: str) -> str:
    """A user's token as the mock prints it: never more than its last 4 characters."""
    if len(token) < _MIN_LENGTH_TO_SHOW_TAIL:
        return "****"
    return "****" + token[-_SHOWN_TAIL:]


def reach_url(url: str) -> str:
    """The URL a client on this machine uses for a server listening on `url`."""
    scheme, _, rest = url.partition("://")
    host, _, port = rest.rpartition(":")
    return f"{scheme}://{_REACH_INSTEAD.get(host, host)}:{port}"


def how_to_reach(url: str, instances: Iterable[InstanceRuntime]) -> list[str]:
    """Per instance: what it serves, and the variables the clients and the CLI read to reach it.

    The published example tokens (each flavour's in the registry, green_api_contacts.flavours,
    and those of the mock's DEFAULT_INSTANCES) are not secrets and are printed whole, so the line
    can be pasted; a token the user gave is only shown masked, and left out of the line.
    """
    from green_api_contacts.flavours import example_instances, get_flavour
    from green_api_contacts.mock import DEFAULT_INSTANCES

    examples = {example.token for example in example_instances()}
    examples |= {instance.token for instance in DEFAULT_INSTANCES}
    api_url = reach_url(url)
    lines: list[str] = []
    for runtime in instances:
        token = runtime.config.token
        settings = (
            f"{ENV_API_URL}={api_url} {ENV_ID_INSTANCE}={runtime.id_instance} "
            f"{ENV_FLAVOUR}={runtime.flavour}"
        )
        prefixes = get_flavour(runtime.flavour).path_prefixes
        also = "".join(f", also under {p}/" for p in prefixes if p)
        lines.append(
            f"  instance {runtime.id_instance}: {runtime.flavour}, "
            f"{runtime.config.contacts} contacts{also}"
        )
        if token in examples:
            lines.append(f"    export {settings} {ENV_TOKEN}={token}  # the example token")
        else:
            lines.append(
                f"    export {settings}  # and {ENV_TOKEN}: the token you gave ({masked(token)})"
            )
    return lines


def run_mock(args: argparse.Namespace) -> int:
    """``green-api-contacts mock``: serve until interrupted; 2 for a bad instance, 1 if the port
    cannot be bound."""
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
                ignore_count_and_group=args.ignore_count_and_group,
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
    lines += how_to_reach(url, app.mock.instances)
    print("\n".join(lines), file=sys.stderr, flush=True)
    server = uvicorn.Server(server_config(app, log_config=True))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0
