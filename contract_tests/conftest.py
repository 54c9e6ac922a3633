"""The contract suite's pytest plumbing: target, skips, counting, redaction, summary.json.

* ``pytest_configure`` resolves ``CONTRACT_TARGET`` (a malformed setting is a usage error that
  names the variable, never its value).
* Tests marked ``@pytest.mark.flavour(name)`` are skipped, visibly and with the reason, when the
  target does not cover that flavour (the live target without its variables covers none).
* Every report passes :func:`redact_report` before the terminal and the JUnit writer see it: the
  token travels in the URL path, which schemathesis' own output sanitization does not mask.
* ``pytest_sessionfinish`` writes build/contract/<target>/summary.json for
  contract_tests/summary.py.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from . import _hooks  # noqa: F401  (registers the schemathesis hooks and checks)
from ._redact import redact_report
from ._session import current, start
from ._stats import Outcome, Suite
from ._target import FLAVOURS, Flavour, TargetError


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "flavour(name): the API flavour a contract test exercises")
    try:
        start(os.environ)
    except TargetError as exc:
        raise pytest.UsageError(f"contract target: {exc}") from None


def item_flavour(item: pytest.Item) -> Flavour | None:
    marker = item.get_closest_marker("flavour")
    if marker is None:
        return None
    value = marker.args[0]
    for flavour in FLAVOURS:
        if value == flavour:
            return flavour
    raise pytest.UsageError(f"{item.nodeid}: unknown flavour {value!r}")


def item_suite(item: pytest.Item) -> Suite:
    module = getattr(item, "module", None)
    name = getattr(module, "__name__", "")
    if name.endswith("test_contract"):
        return "schemathesis"
    if name.endswith("test_client_contract"):
        return "client"
    return "other"


@pytest.fixture(autouse=True)
def _skip_untargeted_flavour(request: pytest.FixtureRequest) -> None:
    flavour = item_flavour(request.node)
    if flavour is not None and current().target.endpoint(flavour) is None:
        pytest.skip(current().target.skip_reasons[flavour])


def _outcome(report: pytest.TestReport) -> Outcome | None:
    """The outcome this phase report settles, if any (setup problems, the call, teardown errors)."""
    if report.when == "call":
        return "passed" if report.passed else "skipped" if report.skipped else "failed"
    if report.failed:
        return "failed"
    if report.when == "setup" and report.skipped:
        return "skipped"
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    session = current()
    redact_report(report, session.redactor)
    outcome = _outcome(report)
    if outcome is not None:
        reason = None
        if isinstance(report.longrepr, tuple):
            reason = report.longrepr[2].removeprefix("Skipped: ")
        flavour = item_flavour(item)
        if flavour is None:
            session.stats.record_other(outcome)
        else:
            session.stats.record_test(flavour, item_suite(item), outcome, reason)
    return report


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(
    node: pytest.Item | pytest.Collector,
    call: pytest.CallInfo[object],
    report: pytest.TestReport | pytest.CollectReport,
) -> None:
    # schemathesis' pytest plugin rebuilds `report.longrepr` here (tryfirst), after the report was
    # logged; the terminal prints failures from this object at the end of the run.
    redact_report(report, current().redactor)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    redact_report(report, current().redactor)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int | pytest.ExitCode) -> None:
    contract = current()
    contract.stats.write(contract.summary_path, contract.target, int(exitstatus))
