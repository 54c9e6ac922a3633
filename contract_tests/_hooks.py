"""Schemathesis hooks and the two checks this API needs beyond the built-in ones.

Hooks (global, registered on import by conftest.py):

* ``before_call``: every request that leaves the process passes the session's
  :class:`CallGuard` (1 request/s and a call budget on the live API; a plain counter
  elsewhere). Requests to the embedded mock (an in-process ASGI app, as the harness's own tests
  use) cost the live API nothing and never touch its budget;
* ``after_validate``: counts the checks that ran and failed, and the status codes, per flavour.

Checks:

* :func:`wrong_http_method_is_404` replaces the built-in ``unsupported_method`` (switched off in
  schemathesis.toml): GREEN-API answers a wrong HTTP method with 404, not 405
  (shared/green-api-facts.md, "Errors common to all methods": "404 | Not Found: wrong HTTP
  method"), and the built-in check accepts 404 only when path parameters are generated, while
  ours are pinned to the real instance. It still sends every undeclared method schemathesis
  probes and requires the documented 404. Prism is the exception: it answers its own
  ``NO_METHOD_MATCHED_ERROR`` with 405 and cannot be told otherwise.
* :func:`go_500_is_the_documented_panic`: schemathesis.toml lets GetContactInfo of the flavours
  whose backend is Go (the registry's ``validation: go``: Telegram, MAX) answer 500, because the
  API documents ``interface conversion: interface {} is bool, not string`` for a chatId that is
  not a string. This check keeps that allowance exact: a 500 there
  must carry that message (with Go's name of the JSON type sent) for a body whose chatId really
  is not a string. Any other 500 still fails.

Prism (``CONTRACT_TARGET=prism``) differs from the documented API in three ways no Prism option
changes (observed with Prism 5.16.0; reproduce with curl against ``prism mock``), and
:func:`plan_case` adapts to them, visibly: each adjusted case is counted, with its reason, under
``adjusted`` in summary.json and printed by contract_tests/summary.py:

* a request whose ``application/json`` body is not JSON at all (schemathesis' negative fuzzing
  sends raw bytes such as ``\\x00`` or ``{``) never gets an answer: the connection stays open
  until the client times out. GREEN-API answers such bodies with 400 ``Unexpected token ... in
  JSON at position N`` (shared/green-api-facts.md, 400), which the mock target covers. Against
  Prism these cases are not sent;
* a body with a property name that holds DEL or a character beyond Latin-1 kills the Prism
  process: Prism copies the names of unexpected properties into its ``sl-violations`` response
  header, Node.js refuses the header (``TypeError: Invalid character in header content``) and the
  error is not caught. Against Prism these cases are not sent either; the mock target answers
  them with the documented 400 ``'<key>' is not allowed``;
* an empty query value (``?count=`` or ``?group=``) is treated as absent and answered 200.
  GREEN-API validates it ('count' must be a number), the mock target covers that. Against Prism
  these cases run every check except ``negative_data_rejection``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

import requests
import schemathesis
from schemathesis import Case, CheckContext, CheckFunction, CheckResult, HookContext, Response
from schemathesis.engine import Status
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario
from schemathesis.specs.openapi.checks import negative_data_rejection

from green_api_contacts.flavours import get_flavour

from . import _record  # noqa: F401  (registers after_call: answers for the drift report)
from ._schemas import flavour_of
from ._session import current
from ._target import Target

_PANIC_RE: Final = re.compile(
    r"interface conversion: interface \{\} is (bool|float64|nil|map\[string\]interface \{\}"
    r"|\[\]interface \{\}), not string"
)
# Go's encoding/json names for what a JSON value decodes to inside interface{}.
_GO_TYPES: Final[dict[type, str]] = {bool: "bool", int: "float64", float: "float64"}


@schemathesis.hook
def before_call(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    session = current()
    if case.operation.schema.app is None:  # over the network, to the run's target
        session.guard.wait()
    if flavour_of(case.operation.schema) is not None:
        session.stats.requests += 1


@schemathesis.hook
def after_validate(
    context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
) -> None:
    stats = current().stats
    flavour = flavour_of(case.operation.schema)
    if flavour is None:
        return
    stats.record_status(flavour, response.status_code)
    stats.record_checks(flavour, [(r.name, r.status == Status.SUCCESS) for r in results])


def _coverage_scenario(case: Case[Any]) -> CoverageScenario | None:
    meta = case.meta
    if meta is None or not isinstance(meta.phase.data, CoveragePhaseData):
        return None
    return meta.phase.data.scenario


def wrong_method_statuses(method: str = "GET") -> frozenset[int]:
    """What an undeclared HTTP method must get from the current target."""
    if current().target.kind == "prism":
        # Prism answers a known path with an undeclared method with 405
        # (https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR); no option changes it.
        return frozenset({405})
    if method.upper() == "OPTIONS":
        # The common-errors pages document 204 with an empty body as the answer to OPTIONS
        # (shared/green-api-facts.md); the mock answers so for every flavour.
        return frozenset({204})
    return frozenset({404})


@schemathesis.check
def wrong_http_method_is_404(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    if _coverage_scenario(case) != CoverageScenario.UNSPECIFIED_HTTP_METHOD:
        return None
    method = str(response.request.method)
    expected = wrong_method_statuses(method)
    if response.status_code == 204 and response.content:
        raise AssertionError(f"{method} {case.operation.label}: 204 with a non-empty body")
    if response.status_code not in expected:
        wanted = ", ".join(str(s) for s in sorted(expected))
        raise AssertionError(
            f"HTTP method {method} is not declared for {case.operation.label}: expected status "
            f"{wanted} (GREEN-API answers a wrong HTTP method with 404), got {response.status_code}"
        )
    return None


def go_type_name(value: object) -> str:
    """The dynamic type Go gives a decoded JSON value inside ``interface {}``."""
    if value is None:
        return "nil"
    for python_type, name in _GO_TYPES.items():
        if type(value) is python_type:
            return name
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "string"


@schemathesis.check
def go_500_is_the_documented_panic(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    flavour = flavour_of(case.operation.schema)
    if response.status_code != 500 or flavour is None or get_flavour(flavour).validation != "go":
        return None
    title = get_flavour(flavour).title
    if case.operation.schema.get_operation_id(case.operation) != "getContactInfo":
        return None
    sent = response.request.body
    body: Any = None
    if isinstance(sent, bytes | str):
        try:
            body = json.loads(sent)
        except ValueError:
            body = None
    if not isinstance(body, dict) or "chatId" not in body or isinstance(body["chatId"], str):
        raise AssertionError(
            f"500 from {title} GetContactInfo is documented only for a chatId that is not a string"
        )
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        message = None
    expected = f"interface conversion: interface {{}} is {go_type_name(body['chatId'])}, not string"
    if message != expected or _PANIC_RE.fullmatch(message) is None:
        raise AssertionError(f"500 from {title} GetContactInfo must say {expected!r}")
    return None


@dataclass(frozen=True)
class CasePlan:
    """Whether to send a case to the target, and which checks to leave out (with the reason)."""

    send: bool = True
    excluded: tuple[CheckFunction, ...] = ()
    reason: str | None = None


SEND_ALL: Final = CasePlan()
PRISM_NO_ANSWER: Final = "Prism never answers a JSON request whose body is not JSON"
PRISM_CRASH: Final = "Prism crashes on a body key it cannot put into its sl-violations header"
PRISM_EMPTY_QUERY: Final = "Prism treats an empty query value as absent"
# Node.js refuses header values with characters outside this set (_http_common.js), and Prism
# copies the names of unexpected body properties, JSON-encoded, into the `sl-violations` header.
_HEADER_SAFE_RE: Final = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


def _is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def sends_non_json(kwargs: dict[str, Any]) -> bool:
    """The request declares a JSON body but its bytes are not JSON."""
    headers = {str(k).lower(): str(v) for k, v in kwargs.get("headers", {}).items()}
    data = kwargs.get("data")
    if data is None or not _is_json_media_type(headers.get("content-type", "")):
        return False
    try:
        json.loads(data)
    except ValueError:
        return True
    return False


def crashes_violation_header(kwargs: dict[str, Any]) -> bool:
    body = kwargs.get("json")
    if not isinstance(body, dict):
        return False
    # JSON.stringify escapes control characters but not DEL or anything beyond Latin-1.
    return any(
        _HEADER_SAFE_RE.fullmatch(json.dumps(str(key), ensure_ascii=False)[1:-1]) is None
        for key in body
    )


def has_empty_query_value(kwargs: dict[str, Any]) -> bool:
    prepared = requests.Request(
        method=kwargs["method"], url=kwargs["url"], params=kwargs.get("params")
    ).prepare()
    query = urlsplit(prepared.url or "").query
    return any(value == "" for _, value in parse_qsl(query, keep_blank_values=True))


def plan_case(target: Target, case: Case[Any]) -> CasePlan:
    """How to run ``case`` against ``target`` (only Prism needs anything but the default)."""
    if target.kind != "prism":
        return SEND_ALL
    kwargs = case.as_transport_kwargs(base_url="http://prism.invalid")
    if sends_non_json(kwargs):
        return CasePlan(send=False, reason=PRISM_NO_ANSWER)
    if crashes_violation_header(kwargs):
        return CasePlan(send=False, reason=PRISM_CRASH)
    if has_empty_query_value(kwargs):
        return CasePlan(excluded=(negative_data_rejection,), reason=PRISM_EMPTY_QUERY)
    return SEND_ALL
