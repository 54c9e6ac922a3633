"""Run a command against Prism mocks of every flavour document, then stop them.

    python -m contract_tests.prism -- .venv/bin/pytest -p no:cacheprovider contract_tests ...

Starts ``node_modules/.bin/prism mock generated/<flavour>.openapi.yaml`` for each flavour on a free
port of 127.0.0.1, waits (at most ``--timeout`` seconds) until each answers HTTP, runs the command
with ``CONTRACT_TARGET=prism`` and ``CONTRACT_PRISM_<FLAVOUR>_URL`` set, and always stops all
servers, by their process ids, whatever happens. The command's exit code is returned.

Prism options, each for a reason:

* ``--errors``: Prism also validates its own answers against the document and turns a violation
  into an error response, so a broken example cannot slip through as a 200.
* ``--cors=false``: with CORS on, Prism answers any OPTIONS request as a preflight, which hides
  how it treats an undeclared method (GREEN-API has no CORS preflight behaviour to model).
* ``-v warn``: requests are logged only when something is wrong. The log passes the same
  redaction as the reports (request paths carry the token) and is written to
  ``<report dir>/prism-<flavour>.log``.

``prism mock`` serves a document's paths at its root and ignores ``servers``: MAX's ``{prefix}``
server variable (``/v3`` or nothing) does not make Prism answer under ``/v3`` (such a request
gets 404 ``NO_PATH_MATCHED_ERROR``, observed with Prism 5.16.0), so each Prism is addressed
without a prefix; the mock target covers both forms.

How Prism answers, which the suite accounts for: an invalid request gets the document's 400 (the
first 400 example), not Prism's default 422, because 400 is declared; an undeclared method on a
declared path gets 405 ``NO_METHOD_MATCHED_ERROR`` (see contract_tests/_hooks.py); ``Prefer:
code=NNN`` / ``Prefer: example=NAME`` pick a documented answer (used by the client tests).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final

import httpx

from ._redact import Redactor
from ._session import DEFAULT_REPORT_ROOT, REPO
from ._target import EXAMPLE_CREDENTIALS, FLAVOURS, PRISM_VARS, Flavour

PRISM: Final = REPO / "node_modules" / ".bin" / "prism"
HOST: Final = "127.0.0.1"
DEFAULT_TIMEOUT: Final = 60.0
_POLL_SECONDS: Final = 0.2
_STOP_SECONDS: Final = 10.0


class PrismError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def prism_command(flavour: Flavour, port: int) -> list[str]:
    document = REPO / "generated" / f"{flavour}.openapi.yaml"
    return [
        str(PRISM), "mock", str(document), "-h", HOST, "-p", str(port),
        "--errors", "--cors=false", "-v", "warn",
    ]  # fmt: skip


class PrismServer:
    """One Prism process, its redacted log, and how to wait for it and stop it."""

    def __init__(self, flavour: Flavour, log_path: Path, redactor: Redactor) -> None:
        self.flavour: Final = flavour
        self.port: Final = free_port()
        self.url: Final = f"http://{HOST}:{self.port}"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_path.open("w", encoding="utf-8")
        # Its own process group, so that stopping it also stops anything it forked.
        self._process = subprocess.Popen(
            prism_command(flavour, self.port),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        assert self._process.stdout is not None
        self._pump = threading.Thread(
            target=_copy_redacted, args=(self._process.stdout, self._log, redactor), daemon=True
        )
        self._pump.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def wait_ready(self, timeout: float) -> None:
        """Return once Prism answers any HTTP request; raise after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise PrismError(
                    f"Prism ({self.flavour}) exited with {self._process.returncode}; see its log"
                )
            try:
                httpx.get(f"{self.url}/__contract_ready", timeout=1.0, trust_env=False)
                return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise PrismError(f"Prism ({self.flavour}) did not answer within {timeout:g} s")
            time.sleep(_POLL_SECONDS)

    def stop(self) -> None:
        """Stop the process group: SIGTERM, then SIGKILL if it lingers; both waits bounded."""
        if self._process.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self._process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self._process.wait(_STOP_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._pump.join(_STOP_SECONDS)
        self._log.close()


def _copy_redacted(source: IO[str], sink: IO[str], redactor: Redactor) -> None:
    for line in source:  # ends when Prism's stdout closes
        sink.write(redactor.text(line))
        sink.flush()


def run(command: Sequence[str], *, report_dir: Path, timeout: float) -> int:
    tokens = [token for _, token in EXAMPLE_CREDENTIALS.values()]
    redactor = Redactor(tokens)
    servers: list[PrismServer] = []
    try:
        for flavour in FLAVOURS:
            servers.append(PrismServer(flavour, report_dir / f"prism-{flavour}.log", redactor))
        for server in servers:
            server.wait_ready(timeout)
            print(f"contract: Prism ({server.flavour}) ready at {server.url}", file=sys.stderr)
        env = {**os.environ, "CONTRACT_TARGET": "prism", "CONTRACT_REPORT_DIR": str(report_dir)}
        env.update({PRISM_VARS[server.flavour]: server.url for server in servers})
        return subprocess.run(list(command), cwd=REPO, env=env, check=False).returncode
    finally:
        for server in servers:
            server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m contract_tests.prism",
        description="Run a command against Prism mocks of every flavour document.",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds to wait for each Prism to answer (default: %(default)s)",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_ROOT / "prism",
        help="where the suite and the Prism logs write (default: %(default)s)",
    )
    parser.add_argument("command", nargs="+", help="the command to run, after --")
    args = parser.parse_args(argv)
    if not PRISM.exists():
        print(f"contract: {PRISM} is missing; run `make bootstrap`", file=sys.stderr)
        return 2
    try:
        return run(args.command, report_dir=args.report_dir, timeout=args.timeout)
    except PrismError as exc:
        print(f"contract: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
