"""Tests of the suite's own hand-written logic: target selection, the request guard, redaction,
counting and the summary, the Prism adjustments and the response shapes read from the documents."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import hypothesis
import msgspec
import pytest
import yaml
from schemathesis import GenerationMode

from green_api_contacts._tolerant import tolerant_decoder
from green_api_contacts.flavours import flavour_names, get_flavour
from green_api_contacts.generated import telegram_structs, whatsapp_models
from green_api_contacts.mock import DEFAULT_INSTANCES

from ._clients import as_json, response_shapes
from ._guard import CallBudgetExceededError, CallGuard
from ._hooks import (
    PRISM_EMPTY_QUERY,
    PRISM_NO_ANSWER,
    before_call,
    crashes_violation_header,
    go_type_name,
    has_empty_query_value,
    plan_case,
    sends_non_json,
)
from ._redact import REDACTED, RedactedRepr, Redactor, redact_report
from ._schemas import document_path, load_schema, stateful_machine
from ._session import REPO, current
from ._stats import Stats
from ._target import (
    DEFAULT_MIN_CASES,
    EXAMPLE_CREDENTIALS,
    FLAVOURS,
    LIVE_MAX_CALLS,
    PRISM_VARS,
    Flavour,
    TargetError,
    resolve_target,
)
from .summary import evaluate, find_leaks
from .summary import main as summary_main

TOKEN = "ab12" * 12 + "cd"  # 50 characters, like a real one
URL_ENV = {
    "CONTRACT_TARGET": "url",
    "CONTRACT_BASE_URL": "http://127.0.0.1:9/",
    "CONTRACT_ID_INSTANCE": "1101000001",
    "CONTRACT_TOKEN": TOKEN,
    "CONTRACT_FLAVOUR": "WhatsApp",
}
LIVE_ENV = {
    "CONTRACT_TARGET": "live",
    "GREEN_API_URL": "https://api.green-api.com",
    "GREEN_API_ID_INSTANCE": "4100000000",
    "GREEN_API_TOKEN": TOKEN,
    "GREEN_API_FLAVOUR": "telegram",
}


# ------------------------------------------------------------------------------ target selection


def test_the_default_target_is_the_embedded_mock_for_every_flavour_it_serves() -> None:
    target = resolve_target({})
    served = {instance.flavour: instance for instance in DEFAULT_INSTANCES}
    assert target.kind == "mock"
    assert {f: (e.base_url, e.id_instance) for f, e in target.endpoints.items()} == {
        flavour: (None, instance.id_instance) for flavour, instance in served.items()
    }
    # A registered flavour the mock does not serve is skipped, saying so, never passed.
    assert set(target.skip_reasons) == set(FLAVOURS) - set(served)
    for flavour, reason in target.skip_reasons.items():
        assert f"does not serve {flavour}" in reason
    assert target.min_cases == DEFAULT_MIN_CASES
    assert target.max_calls is None
    assert target.min_interval == 0
    assert not target.positive_only
    assert target.tokens == tuple(sorted(instance.token for instance in served.values()))


def test_the_url_target_covers_one_flavour_at_the_given_address() -> None:
    target = resolve_target(URL_ENV)
    endpoint = target.endpoint("whatsapp")
    assert endpoint is not None
    assert (endpoint.base_url, endpoint.id_instance, endpoint.token) == (
        "http://127.0.0.1:9",
        1101000001,
        TOKEN,
    )
    assert target.endpoint("telegram") is None
    assert "telegram is not targeted" in target.skip_reasons["telegram"]
    assert target.tokens == (TOKEN,)


@pytest.mark.parametrize("missing", ["CONTRACT_BASE_URL", "CONTRACT_TOKEN", "CONTRACT_FLAVOUR"])
def test_the_url_target_names_a_missing_variable(missing: str) -> None:
    env = {k: v for k, v in URL_ENV.items() if k != missing}
    with pytest.raises(TargetError, match=missing):
        resolve_target(env)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONTRACT_TOKEN", "not a token " + TOKEN),
        ("CONTRACT_ID_INSTANCE", "12345678901"),
        ("CONTRACT_FLAVOUR", "viber"),
        ("CONTRACT_BASE_URL", "ftp://example.com"),
    ],
)
def test_malformed_settings_are_refused_without_echoing_the_token(name: str, value: str) -> None:
    with pytest.raises(TargetError, match=name) as raised:
        resolve_target({**URL_ENV, name: value})
    assert TOKEN not in str(raised.value)


def test_the_live_target_without_variables_is_skipped_naming_the_missing_ones() -> None:
    target = resolve_target({"CONTRACT_TARGET": "live", "GREEN_API_URL": "https://x.example"})
    assert target.endpoints == {}
    assert target.min_cases == 0
    for reason in target.skip_reasons.values():
        assert "GREEN_API_ID_INSTANCE, GREEN_API_TOKEN, GREEN_API_FLAVOUR" in reason
        assert "GREEN_API_URL" not in reason


def test_the_live_target_is_positive_only_throttled_and_rationed() -> None:
    target = resolve_target(LIVE_ENV)
    assert set(target.endpoints) == {"telegram"}
    assert target.positive_only
    assert target.max_calls == LIVE_MAX_CALLS <= 30
    assert target.min_interval >= 1.0
    assert target.min_cases == 0


def test_the_prism_target_needs_the_runner_variables() -> None:
    with pytest.raises(TargetError, match="CONTRACT_PRISM_MAX_URL"):
        resolve_target({"CONTRACT_TARGET": "prism"})
    urls = {flavour: f"http://127.0.0.1:{4010 + n}" for n, flavour in enumerate(FLAVOURS)}
    env = {PRISM_VARS[flavour]: f"{url}/" for flavour, url in urls.items()}
    target = resolve_target({"CONTRACT_TARGET": "prism", **env})
    assert {f: e.base_url for f, e in target.endpoints.items()} == urls
    assert {f: e.id_instance for f, e in target.endpoints.items()} == {
        f: id_instance for f, (id_instance, _) in EXAMPLE_CREDENTIALS.items()
    }
    assert tuple(target.endpoints) == FLAVOURS == flavour_names()


def test_an_unknown_target_or_minimum_is_refused() -> None:
    with pytest.raises(TargetError, match="CONTRACT_TARGET"):
        resolve_target({"CONTRACT_TARGET": "staging"})
    with pytest.raises(TargetError, match="CONTRACT_MIN_CASES"):
        resolve_target({"CONTRACT_MIN_CASES": "many"})
    assert resolve_target({"CONTRACT_MIN_CASES": "5"}).min_cases == 5


def test_an_endpoint_repr_hides_the_token() -> None:
    endpoint = resolve_target(URL_ENV).endpoint("whatsapp")
    assert TOKEN not in repr(endpoint)
    assert TOKEN not in repr(resolve_target(URL_ENV))


# ----------------------------------------------------------------------------------- the guard


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_guard_spaces_requests_by_the_interval() -> None:
    clock = FakeClock()
    guard = CallGuard(min_interval=1.1, clock=clock)
    assert guard.reserve() == 0
    assert guard.reserve() == pytest.approx(1.1)
    assert guard.reserve() == pytest.approx(2.2)  # booked behind the previous one
    clock.now += 10
    assert guard.reserve() == 0
    assert guard.calls == 4


def test_the_guard_sleeps_what_it_reserved() -> None:
    clock = FakeClock()
    slept: list[float] = []
    guard = CallGuard(min_interval=1.0, clock=clock)
    guard.wait(slept.append)
    guard.wait(slept.append)
    assert slept == [pytest.approx(1.0)]


def test_the_guard_refuses_requests_beyond_the_budget() -> None:
    guard = CallGuard(max_calls=2, clock=FakeClock())
    guard.reserve()
    guard.reserve()
    with pytest.raises(CallBudgetExceededError, match="at most 2 requests"):
        guard.reserve()
    assert guard.calls == 2


def test_an_unlimited_guard_only_counts() -> None:
    guard = CallGuard()
    assert [guard.reserve() for _ in range(1000)] == [0] * 1000
    assert guard.calls == 1000


@pytest.mark.parametrize("kwargs", [{"min_interval": -1.0}, {"max_calls": -1}])
def test_the_guard_refuses_negative_limits(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        CallGuard(**kwargs)


# ---------------------------------------------------------------------------------- redaction


def test_text_redaction_covers_known_tokens_and_token_segments() -> None:
    redactor = Redactor([TOKEN])
    text = (
        f"curl http://h/waInstance1/getContacts/{TOKEN}?count=1 token={TOKEN}\n"
        "GET /waInstance1/GetContactInfo/someothersecret HTTP/1.1\n"
        "template /waInstance{idInstance}/getContacts/{apiTokenInstance}"
    )
    redacted = redactor.text(text)
    assert TOKEN not in redacted
    assert "someothersecret" not in redacted
    assert f"/getContacts/{REDACTED}?count=1 token={REDACTED}" in redacted
    assert f"/GetContactInfo/{REDACTED} HTTP" in redacted
    assert "/getContacts/{apiTokenInstance}" in redacted
    assert redactor.text(redacted) == redacted  # idempotent
    assert redactor.leaks(text)
    assert not redactor.leaks(redacted)


def test_report_redaction_covers_every_part_a_reporter_writes() -> None:
    redactor = Redactor([TOKEN])
    report = pytest.TestReport(
        nodeid=f"t.py::test[GET /waInstance1/getContacts/{TOKEN}]",
        location=("t.py", 1, f"test[apiTokenInstance={TOKEN}]"),
        keywords={},
        outcome="failed",
        longrepr=f"AssertionError: body path /waInstance1/getContacts/{TOKEN}",
        when="call",
        sections=[
            (
                "Captured stdout call",
                f"Falsifying example: Case(path_parameters={{'apiTokenInstance': '{TOKEN}'}})",
            )
        ],
        user_properties=[("url", f"http://h/waInstance1/getContactInfo/{TOKEN}"), ("n", 1)],
    )
    redact_report(report, redactor)
    assert isinstance(report.longrepr, RedactedRepr)
    everything = "|".join(
        [
            str(report.longrepr),
            report.nodeid,
            str(report.location),
            repr(report.sections),
            repr(report.user_properties),
        ]
    )
    assert TOKEN not in everything
    assert REDACTED in str(report.longrepr)
    assert ("n", 1) in report.user_properties


def test_skip_reasons_are_redacted_and_clean_reports_keep_their_repr() -> None:
    redactor = Redactor([TOKEN])
    skipped = pytest.TestReport(
        "t.py::a", ("t.py", 1, "a"), {}, "skipped", ("t.py", 1, f"skip token={TOKEN}"), "setup"
    )
    redact_report(skipped, redactor)
    assert skipped.longrepr == ("t.py", 1, f"skip token={REDACTED}")
    clean = pytest.TestReport("t.py::b", ("t.py", 1, "b"), {}, "failed", "plain failure", "call")
    redact_report(clean, redactor)
    assert clean.longrepr == "plain failure"


def _run_pytest(
    tmp_path: Path, source: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    test_file = tmp_path / "test_leaky.py"
    test_file.write_text(source, encoding="utf-8")
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTRACT_", "GREEN_"))}
    clean_env.update(env)
    clean_env["PYTHONPATH"] = os.pathsep.join([str(REPO), clean_env.get("PYTHONPATH", "")])
    command = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "contract_tests.conftest",
        "-o", "addopts=", "-o", "asyncio_default_fixture_loop_scope=function",
        "--rootdir", str(tmp_path), f"--junitxml={tmp_path / 'report' / 'junit.xml'}", "-rA",
        str(test_file),
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=tmp_path, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_the_token_never_reaches_the_terminal_junit_or_summary(tmp_path: Path) -> None:
    source = f'''
import logging

def test_leaks_everywhere():
    print("stdout: /waInstance1101000001/getContacts/{TOKEN}")
    logging.getLogger("x").warning("log: %s", "{TOKEN}")
    assert False, "message with {TOKEN} and /waInstance1/getContactInfo/unknownsecret"

def test_passes_with_output():
    print("{TOKEN}")
'''
    report_dir = tmp_path / "report"
    env = {**URL_ENV, "CONTRACT_REPORT_DIR": str(report_dir)}
    result = _run_pytest(tmp_path, source, env)
    assert result.returncode == 1, result.stdout[-2000:]
    junit = (report_dir / "junit.xml").read_text(encoding="utf-8")
    for text in (result.stdout, result.stderr, junit):
        assert TOKEN not in text
        assert "unknownsecret" not in text
    assert "&lt;redacted&gt;" in junit
    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["exitstatus"] == 1
    assert summary["target"] == "url"
    assert summary["other_tests"] == {"failed": 1, "passed": 1}
    assert find_leaks(report_dir, [TOKEN]) == []


# ------------------------------------------------------------------------- counting, summary


def _summary(**flavour: Any) -> dict[str, Any]:
    stats = Stats()
    stats.record_case("whatsapp", "GET /a", "fuzzing", "positive")
    stats.record_checks("whatsapp", [("not_a_server_error", True), ("status", False)])
    stats.record_status("whatsapp", 200)
    stats.record_test("whatsapp", "schemathesis", "passed")
    stats.record_test("whatsapp", "client", "skipped", "because")
    stats.record_adjusted("whatsapp", "a reason")
    target = resolve_target(URL_ENV)
    data = stats.to_dict(target, 0)
    data["flavours"]["whatsapp"].update(flavour)
    return data


def test_stats_count_cases_checks_statuses_and_outcomes() -> None:
    whatsapp = _summary()["flavours"]["whatsapp"]
    assert whatsapp["targeted"]
    assert whatsapp["cases"] == 1
    assert whatsapp["cases_by_phase"] == {"fuzzing/positive": 1}
    assert (whatsapp["checks"], whatsapp["check_failures"]) == (2, 1)
    assert whatsapp["statuses"] == {"200": 1}
    assert whatsapp["tests"] == {"client": {"skipped": 1}, "schemathesis": {"passed": 1}}
    assert whatsapp["skip_reasons"] == ["because"]
    assert whatsapp["adjusted"] == {"a reason": 1}


def test_the_summary_fails_on_failures_and_on_too_few_cases() -> None:
    verdict = evaluate(_summary(), None, [])
    assert not verdict.passed
    assert "whatsapp: 1 failure(s)" in verdict.problems
    assert any("fewer than 1000" in p for p in verdict.problems)
    assert any("SKIPPED" in line and "telegram" in line for line in verdict.lines)
    passing = evaluate(_summary(check_failures=0, cases=1000), None, [])
    assert passing.passed, passing.problems
    assert not passing.nothing_tested


def test_the_summary_never_counts_a_skip_as_a_pass() -> None:
    target = resolve_target({"CONTRACT_TARGET": "live"})
    verdict = evaluate(Stats().to_dict(target, 0), None, [])
    assert verdict.passed
    assert verdict.nothing_tested
    assert sum("SKIPPED" in line for line in verdict.lines) == len(FLAVOURS) + 1


def test_the_summary_fails_when_pytest_failed_or_a_report_leaks(tmp_path: Path) -> None:
    data = _summary(check_failures=0, cases=5000)
    data["exitstatus"] = 1
    assert evaluate(data, None, []).problems == ["pytest exited with status 1"]
    (tmp_path / "junit.xml").write_text(f"<x>/getContacts/{TOKEN}</x>", encoding="utf-8")
    (tmp_path / "other.log").write_text("GET /waInstance1/getContacts/hidden", encoding="utf-8")
    (tmp_path / "fine.xml").write_text("/getContacts/&lt;redacted&gt;", encoding="utf-8")
    leaks = find_leaks(tmp_path, [TOKEN])
    assert leaks == [
        f"{tmp_path / 'junit.xml'}: contains an apiTokenInstance",
        f"{tmp_path / 'other.log'}: contains an unredacted token segment after a method name",
    ]
    assert all(TOKEN not in leak for leak in leaks)


def test_the_summary_command_fails_without_a_summary(tmp_path: Path) -> None:
    out = io.StringIO()
    assert summary_main([str(tmp_path)], out=out) == 1
    assert "did not finish" in out.getvalue()


# ---------------------------------------------------------------------- Prism, checks, shapes


def test_prism_adjustments_recognise_what_prism_cannot_answer() -> None:
    json_headers = {"Content-Type": "application/json"}
    assert sends_non_json({"headers": json_headers, "data": b"\x00"})
    assert sends_non_json({"headers": json_headers, "data": b'{"chatId": '})
    assert not sends_non_json({"headers": json_headers, "data": b"null"})
    assert not sends_non_json({"headers": {"Content-Type": "text/plain"}, "data": b"\x00"})
    assert not sends_non_json({"headers": json_headers, "json": {"chatId": "1"}})
    assert crashes_violation_header({"json": {"chatId": "1", "\u0101": 1}})
    assert crashes_violation_header({"json": {"\x7f": 1}})
    assert not crashes_violation_header({"json": {"chatId": "\u0101", "\xe9\x01": 1}})
    url = "http://prism.invalid/p"
    assert has_empty_query_value({"method": "GET", "url": url, "params": {"count": ""}})
    assert has_empty_query_value({"method": "GET", "url": url, "params": {"group": [""]}})
    assert not has_empty_query_value({"method": "GET", "url": url, "params": {"count": "0"}})


def test_case_plans_change_only_for_prism() -> None:
    mock = resolve_target({})
    prism_env = {name: f"http://127.0.0.1:{n + 1}" for n, name in enumerate(PRISM_VARS.values())}
    prism = resolve_target({"CONTRACT_TARGET": "prism", **prism_env})
    schema = load_schema("whatsapp", mock)
    contacts = schema["/waInstance{idInstance}/getContacts/{apiTokenInstance}"]["GET"]
    info = schema["/waInstance{idInstance}/getContactInfo/{apiTokenInstance}"]["POST"]
    path = {"idInstance": 1101000001, "apiTokenInstance": TOKEN}
    empty = contacts.Case(path_parameters=path, query={"count": ""})
    raw = info.Case(path_parameters=path, body=b"\x00", media_type="application/json")
    fine = info.Case(path_parameters=path, body={"chatId": "1@c.us"}, media_type="application/json")
    assert plan_case(mock, empty).reason is None
    assert plan_case(prism, empty).reason == PRISM_EMPTY_QUERY
    assert [check.__name__ for check in plan_case(prism, empty).excluded] == [
        "negative_data_rejection"
    ]
    assert not plan_case(prism, raw).send
    assert plan_case(prism, raw).reason == PRISM_NO_ANSWER
    assert plan_case(mock, raw).send
    assert plan_case(prism, fine) == plan_case(mock, fine)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (True, "bool"),
        (5, "float64"),
        (1.5, "float64"),
        (None, "nil"),
        ({}, "map[string]interface {}"),
        ([], "[]interface {}"),
    ],
)
def test_go_type_names_follow_encoding_json(value: object, name: str) -> None:
    assert go_type_name(value) == name


def test_response_shapes_are_read_from_the_flavour_documents() -> None:
    documented = {200, 400, 401, 403, 404, 429, 466, 500, 502}
    for flavour in ("whatsapp", "telegram"):
        shapes = response_shapes(flavour)
        assert set(shapes) == {"getContacts", "getContactInfo"}
        for by_status in shapes.values():
            assert set(by_status) == documented
            assert by_status[400].item == "ErrorBody"
            assert by_status[401].kind == "text"
            assert by_status[466].item == "QuotaExceededBody"
    whatsapp = response_shapes("whatsapp")
    assert (whatsapp["getContacts"][200].kind, whatsapp["getContacts"][200].item) == (
        "array",
        "WhatsAppContact",
    )
    assert whatsapp["getContactInfo"][200].kind == "nullable"
    assert response_shapes("telegram")["getContactInfo"][200].kind == "object"


def test_as_json_keeps_unknown_fields_of_every_flavour() -> None:
    body = {"statusCode": 400, "message": "m", "future": [1]}
    struct_type = telegram_structs.ErrorBody
    decoded = msgspec.json.decode(json.dumps(body).encode())
    assert as_json(tolerant_decoder(struct_type)(json.dumps(body).encode())) == decoded
    assert as_json(whatsapp_models.ErrorBody.model_validate(body)) == body
    assert as_json([None, "x", 1]) == [None, "x", 1]


def _operation(schema: Any, operation_id: str) -> Any:
    for result in schema.get_all_operations():
        operation = result.ok()
        if schema.get_operation_id(operation) == operation_id:
            return operation
    raise LookupError(operation_id)


def test_schemathesis_toml_narrows_only_what_the_documentation_requires() -> None:
    target = resolve_target({})
    telegram = load_schema("telegram", target)
    whatsapp = load_schema("whatsapp", target)
    allowed = {
        (flavour, operation_id): schema.config.checks_config_for(
            operation=_operation(schema, operation_id)
        ).not_a_server_error.expected_statuses
        for flavour, schema in (("telegram", telegram), ("whatsapp", whatsapp))
        for operation_id in ("getContacts", "getContactInfo")
    }
    assert "500" in allowed["telegram", "getContactInfo"]
    for key, statuses in allowed.items():
        if key != ("telegram", "getContactInfo"):
            assert not any(s.startswith("5") for s in statuses), key
    for schema in (telegram, whatsapp):
        checks = schema.config.checks_config_for(operation=_operation(schema, "getContacts"))
        assert not checks.unsupported_method.enabled  # replaced by wrong_http_method_is_404
        assert checks.negative_data_rejection.enabled
        assert checks.positive_data_acceptance.enabled
        assert checks.max_response_time.enabled
        assert schema.config.seed == 20261121
        assert set(schema.config.generation.modes) == {"positive", "negative"}
        phases = schema.config.phases
        assert phases.examples.enabled
        assert phases.coverage.enabled
        assert phases.fuzzing.enabled


def test_pinned_path_parameters_are_the_target_instance() -> None:
    schema = load_schema("whatsapp", resolve_target(URL_ENV))
    assert schema.config.parameters == {
        "path.idInstance": 1101000001,
        "path.apiTokenInstance": TOKEN,
    }
    assert schema.config.base_url == "http://127.0.0.1:9"
    live = load_schema("telegram", resolve_target(LIVE_ENV))
    assert live.config.generation.modes == ["positive"]
    assert not live.config.phases.coverage.enabled
    assert not live.config.phases.stateful.enabled


def _linked_document(flavour: Flavour) -> dict[str, Any]:
    """The flavour document plus a link GetContacts 200 -> GetContactInfo (first contact's id)."""
    document: dict[str, Any] = yaml.safe_load(document_path(flavour).read_text(encoding="utf-8"))
    document["info"]["title"] += " (linked, harness test)"
    spec = get_flavour(flavour)
    prefix, key = spec.class_prefix, spec.contact_id_field
    response = copy.deepcopy(document["components"]["responses"][f"{prefix}GetContactsOk"])
    response["links"] = {
        "GetContactInfo": {
            "operationId": "getContactInfo",
            "requestBody": {"chatId": f"$response.body#/0/{key}"},
        }
    }
    path = "/waInstance{idInstance}/getContacts/{apiTokenInstance}"
    document["paths"][path]["get"]["responses"]["200"] = response
    return document


@pytest.mark.parametrize("flavour", [instance.flavour for instance in DEFAULT_INSTANCES])
def test_the_stateful_phase_follows_links_once_the_documents_declare_them(
    flavour: Flavour,
) -> None:
    target = resolve_target({})
    schema = load_schema(flavour, target, _linked_document(flavour))
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])
    assert schema.operations_with_incoming_links() == {
        "POST /waInstance{idInstance}/getContactInfo/{apiTokenInstance}"
    }
    steps: list[str] = []
    machine = stateful_machine(flavour, schema, target, lambda case: steps.append(case.method))
    settings = hypothesis.settings(
        max_examples=10, stateful_step_count=4, derandomize=True, deadline=None, database=None
    )
    machine.run(settings=settings)
    assert "GET" in steps
    assert "POST" in steps  # GetContactInfo reached through the link, with the pinned instance


def test_the_live_budget_spares_the_embedded_mock_and_guards_the_network() -> None:
    """A spent budget refuses requests that leave the process, never in-process mock calls."""
    session = current()
    saved, requests = session.guard, session.stats.requests
    schema = load_schema("whatsapp", resolve_target({}), None)
    case = schema["/waInstance{idInstance}/getContacts/{apiTokenInstance}"]["GET"].Case()
    try:
        session.guard = CallGuard(max_calls=0)
        before_call(None, case, {})  # the embedded mock: free
        schema.app = None  # as for a target over the network
        with pytest.raises(CallBudgetExceededError):
            before_call(None, case, {})
    finally:
        session.guard, session.stats.requests = saved, requests
