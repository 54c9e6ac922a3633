"""Whole processes for the benchmarks: the mock served by its own process, timed child processes.

The calls and CLI rows need a server that does not share the client's interpreter (and GIL):
`MockProcess` runs `green-api-contacts mock` on 127.0.0.1 with the rate limit off. `timed` runs a
command to completion and reports its wall time and peak RSS (`os.wait4`), the way hyperfine and
`/usr/bin/time -v` see a program; `medians` runs commands interleaved, bounded in count.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Final

STARTUP_SECONDS: Final = 600.0  # a 1M-contact book takes a while to build on a loaded machine

# The instance every benchmark serves and calls (WhatsApp's example idInstance), and its token.
ID_INSTANCE: Final = 1101000001
TOKEN: Final = "benchmark0token000000000000000000000000000000000"


def free_port() -> int:
    """A port nothing listens on right now (the mock binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class MockProcess:
    """`green-api-contacts mock` in a child process on 127.0.0.1, rate limit off."""

    def __init__(self, instances: Sequence[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, "-m", "green_api_contacts.cli", "mock", "--no-rate-limit"]
        argv += ["--host", "127.0.0.1", "--port", str(self.port)]
        for spec in instances:
            argv += ["--instance", spec]
        self._argv = argv
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> MockProcess:
        self._process = subprocess.Popen(
            self._argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the mock exited with {self._process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.05)
            else:
                return self
        self.__exit__(None, None, None)
        raise TimeoutError("the mock did not start listening in time")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=15)


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    peak_rss_bytes: int
    returncode: int


def timed(argv: Sequence[str], env: Mapping[str, str], *, timeout: float = 600.0) -> Run:
    """Run `argv` to completion, stdout to /dev/null; wall time and peak RSS of the child."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=dict(env), stdout=subprocess.DEVNULL)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.002)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
    return Run(seconds, usage.ru_maxrss * 1024, process.returncode)


def medians(
    commands: Mapping[str, Sequence[str]], env: Mapping[str, str], *, runs: int, warmup: int = 1
) -> dict[str, Run]:
    """Median wall time and peak RSS per command; runs interleaved, order rotating per round."""
    names = list(commands)
    for _ in range(warmup):
        for name in names:
            timed(commands[name], env)
    samples: dict[str, list[Run]] = {name: [] for name in names}
    for round_ in range(runs):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            samples[name].append(timed(commands[name], env))
    return {
        name: Run(
            statistics.median(r.seconds for r in found),
            int(statistics.median(r.peak_rss_bytes for r in found)),
            max(found, key=lambda r: abs(r.returncode)).returncode,
        )
        for name, found in samples.items()
    }


def child_env(url: str, id_instance: int, token: str, flavour: str) -> dict[str, str]:
    """The environment a CLI or script child reads its instance from."""
    env = dict(os.environ)
    env.update(
        {
            "GREEN_API_URL": url,
            "GREEN_API_ID_INSTANCE": str(id_instance),
            "GREEN_API_TOKEN": token,
            "GREEN_API_FLAVOUR": flavour,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env
