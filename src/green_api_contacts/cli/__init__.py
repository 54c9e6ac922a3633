"""The ``green-api-contacts`` command line (console script ``green_api_contacts.cli:main``).

Parsing and doing live apart: ``_parse.py`` declares the subcommands and options (on the token-safe
parser of ``_safe_parser.py``); ``_commands.py`` (``contacts``, ``info``) and ``_mock.py``
(``mock``) do the work on parsed arguments; ``_output.py`` formats results. Nothing here prints a
token: not the configuration, not argument errors.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from green_api_contacts.cli._commands import EXIT_CODES, exit_code_for
from green_api_contacts.cli._parse import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    add_client_commands,
    build_parser,
)
from green_api_contacts.cli._safe_parser import (
    HIDDEN,
    SafeArgumentParser,
    mask_argv,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "EXIT_CODES",
    "HIDDEN",
    "Handler",
    "SafeArgumentParser",
    "add_client_commands",
    "build_parser",
    "exit_code_for",
    "main",
    "mask_argv",
]

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script: parse, then run the subcommand's handler; returns the
    process exit code."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)
