"""The two flavour documents as schemathesis schemas, pointed at the target.

The policy (phases, modes, checks, seed, per-operation narrowing) lives in ``schemathesis.toml``.
What depends on the target is applied here, through the same configuration objects the file
fills:

* ``parameters``: idInstance and apiTokenInstance pinned to the target instance's real values,
  exactly what a ``[parameters]`` table (``"path.idInstance" = ...``) does. It is not in the
  file because the values depend on ``CONTRACT_TARGET`` and a token must not sit in a file.
  Pinned path parameters are never mutated, so negative generation goes where it means
  something: the ``count``/``group`` query and the GetContactInfo body.
* where requests go: the in-process ASGI mock, or a base URL;
* the live API only: positive data, the examples and 2 fuzzed cases per operation (no coverage
  or stateful phase), a laxer response-time limit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import schemathesis
from schemathesis import Case, GenerationMode
from schemathesis.generation.stateful.state_machine import APIStateMachine
from schemathesis.schemas import BaseSchema

from ._session import REPO, mock_app
from ._target import EXAMPLE_CREDENTIALS, Flavour, Target

CONFIG_PATH: Final = REPO / "schemathesis.toml"
# Fuzzed cases per operation on the live API. With the documents' examples (4 for WhatsApp, 3 for
# Telegram) and the client tests (7 requests) a live run sends about 15-20 requests, under
# LIVE_MAX_CALLS (30).
LIVE_MAX_EXAMPLES: Final = 2
# GREEN-API's own SDKs wait up to 180 s; a live answer slower than 30 s is worth a failure.
LIVE_MAX_RESPONSE_TIME: Final = 30.0

_flavour_by_title: dict[str, Flavour] = {}


def document_path(flavour: Flavour) -> Path:
    return REPO / "generated" / f"{flavour}.openapi.yaml"


def flavour_of(schema: BaseSchema) -> Flavour | None:
    """Which flavour document ``schema`` was loaded from (by its ``info.title``); ``None`` for
    a variant built in a test, whose traffic must not count in the run's statistics."""
    title = schema.raw_schema.get("info", {}).get("title", "")
    return _flavour_by_title.get(title)


def load_schema(
    flavour: Flavour, target: Target, document: dict[str, Any] | None = None
) -> BaseSchema:
    """The flavour document (or ``document``, a variant of it) configured for ``target``."""
    config = schemathesis.Config.from_path(CONFIG_PATH)
    if document is None:
        schema = schemathesis.openapi.from_path(document_path(flavour), config=config)
        _flavour_by_title[schema.raw_schema["info"]["title"]] = flavour
    else:
        schema = schemathesis.openapi.from_dict(document, config=config)
    endpoint = target.endpoint(flavour)
    project = schema.config
    if endpoint is None:
        # Not targeted: every test of this flavour is skipped before it sends anything, but the
        # schema must still be complete to be collected.
        id_instance, token = EXAMPLE_CREDENTIALS[flavour]
        base_url: str | None = None
    else:
        id_instance, token, base_url = endpoint.id_instance, endpoint.token, endpoint.base_url
    project.update(parameters={"path.idInstance": id_instance, "path.apiTokenInstance": token})
    if base_url is None:
        schema.app = mock_app()
    else:
        project.update(base_url=base_url)
    if target.positive_only:
        project.generation.update(modes=[GenerationMode.POSITIVE], max_examples=LIVE_MAX_EXAMPLES)
        # The coverage phase's positive boundary cases alone are 27 requests for WhatsApp (count
        # 1 and 2147483647, group true/false, chatId lengths ...), nearly the whole budget of a
        # live run; the mock and Prism targets run them all.
        project.phases.coverage.enabled = False
        # Stateful scenarios are up to 10 calls each, 100 of them: far beyond the budget.
        project.phases.stateful.enabled = False
        project.checks.max_response_time.limit = LIVE_MAX_RESPONSE_TIME
    return schema


def stateful_machine(
    flavour: Flavour, schema: BaseSchema, target: Target, on_step: Callable[[Case[Any]], None]
) -> type[APIStateMachine]:
    """The schema's state machine (linked operations), pinned to the target instance.

    schemathesis 4.32.5 does not apply the ``parameters`` overrides to state-machine steps, so
    every step would hit a random idInstance (403); ``before_call`` pins them and reports the
    step to ``on_step``.
    """
    endpoint = target.endpoint(flavour)
    assert endpoint is not None
    pinned = {"idInstance": endpoint.id_instance, "apiTokenInstance": endpoint.token}
    base = schema.as_state_machine()

    class Pinned(base):  # type: ignore[valid-type, misc]
        def before_call(self, case: Case[Any]) -> None:
            case.path_parameters = {**(case.path_parameters or {}), **pinned}
            on_step(case)

    return Pinned
