"""Doing: the ``mock`` subcommand serves the mock over HTTP (its options are ``_parse.py``'s)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from typing import TYPE_CHECKING

from green_api_contacts._redact import redact

if TYPE_CHECKING:
    from green_api_contacts.mock import MockInstance


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
