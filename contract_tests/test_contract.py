"""Schemathesis against each flavour's generated document: every phase, both modes, all checks.

One pytest test per flavour and operation, ``test_<flavour>_<operationId>``, generated below from
the operations the documents declare, so a new operation is tested without touching this file.
(One ``@schema.parametrize()`` per flavour would also work, but with pytest 9.2 schemathesis
4.32.5's items for the operations of one schema all get the same node id.) Settings come from
schemathesis.toml; target-dependent ones from contract_tests/_schemas.py.

The stateful phase (``test_<flavour>_stateful``, ``schema.as_state_machine()``) follows OpenAPI
links between operations. The flavour documents declare none today, so it is skipped, visibly,
with that reason; it runs by itself once links exist (see schemathesis.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis
import pytest
from schemathesis import Case
from schemathesis.schemas import BaseSchema

from ._hooks import plan_case
from ._schemas import load_schema, stateful_machine
from ._session import current
from ._target import FLAVOURS, Flavour

TARGET = current().target
SCHEMAS = {flavour: load_schema(flavour, TARGET) for flavour in FLAVOURS}


def operation_ids(schema: BaseSchema) -> list[str]:
    """The operationIds of a document, in document order."""
    found = []
    for path_item in schema.raw_schema["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                found.append(operation["operationId"])
    return found


def run_case(flavour: Flavour, case: Case[Any]) -> None:
    session = current()
    plan = plan_case(session.target, case)
    if plan.reason is not None:
        session.stats.record_adjusted(flavour, plan.reason)
    if not plan.send:
        return
    meta = case.meta
    phase = meta.phase.name.value if meta is not None else "unknown"
    mode = meta.generation.mode.value if meta is not None else "unknown"
    session.stats.record_case(flavour, case.operation.label, phase, mode)
    case.call_and_validate(excluded_checks=list(plan.excluded))


def _make_test(flavour: Flavour, schema: BaseSchema, name: str) -> Callable[..., None]:
    def test(case: Case[Any]) -> None:
        run_case(flavour, case)

    test.__name__ = test.__qualname__ = name
    marked: Callable[..., None] = pytest.mark.flavour(flavour)(schema.parametrize()(test))
    return marked


def only(schema: BaseSchema, operation_id: str) -> BaseSchema:
    """``schema`` narrowed to one operation.

    By excluding the others: with an ``[[operations]]`` entry in the configuration (Telegram has
    one), schemathesis 4.32.5 ORs ``include()`` with a filter that admits every operation, so
    ``include(operation_id=...)`` would keep them all.
    """
    others = [other for other in operation_ids(schema) if other != operation_id]
    return schema.exclude(operation_id=others) if others else schema


def run_stateful(flavour: Flavour, schema: BaseSchema) -> None:
    """The stateful phase: scenarios that follow the document's OpenAPI links."""
    session = current()
    if not schema.config.phases.stateful.enabled:
        pytest.skip("the stateful phase is disabled in schemathesis.toml")
    if not schema.operations_with_incoming_links():
        pytest.skip(f"stateful phase: the {flavour} document declares no OpenAPI links")
    if session.target.kind == "prism":
        # Its negative steps may send bodies Prism never answers (see _hooks.plan_case), and a
        # state machine cannot leave a step out; the mock target runs the stateful phase.
        pytest.skip("stateful phase: not run against Prism")

    def on_step(case: Case[Any]) -> None:
        mode = case.meta.generation.mode.value if case.meta is not None else "unknown"
        session.stats.record_case(flavour, case.operation.label, "stateful", mode)

    machine = stateful_machine(flavour, schema, session.target, on_step)
    settings = schema.config.get_hypothesis_settings(phase="stateful")
    # A state machine takes no seed; derandomize keeps its runs reproducible all the same.
    machine.run(settings=hypothesis.settings(settings, derandomize=True))


def _make_stateful_test(flavour: Flavour, schema: BaseSchema, name: str) -> Callable[[], None]:
    def test() -> None:
        run_stateful(flavour, schema)

    test.__name__ = test.__qualname__ = name
    marked: Callable[[], None] = pytest.mark.flavour(flavour)(test)
    return marked


for _flavour, _schema in SCHEMAS.items():
    for _operation_id in operation_ids(_schema):
        _name = f"test_{_flavour}_{_operation_id}"
        globals()[_name] = _make_test(_flavour, only(_schema, _operation_id), _name)
    _name = f"test_{_flavour}_stateful"
    globals()[_name] = _make_stateful_test(_flavour, _schema, _name)
