"""The contract suite's answer recorder, against the embedded mock (no credentials needed).

``CONTRACT_RECORD=1`` switches recording on for the mock target, as ``make contract-live`` has it
on for the live one. The answers go through the same httpx hooks the client contract tests use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis.hooks

from contract_tests import _record, _session
from contract_tests._clients import sync_http
from contract_tests._target import Endpoint
from green_api_contacts.drift import main, read_answers
from green_api_contacts.mock import (
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
)

TOKENS = (EXAMPLE_WHATSAPP_TOKEN, EXAMPLE_TELEGRAM_TOKEN)
# A chatId each flavour's mock knows.
CHATS = {"whatsapp": "71234567890@c.us", "telegram": "10000000"}


@pytest.fixture
def recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A mock-target session that records into tmp_path, as CONTRACT_RECORD=1 asks."""
    monkeypatch.setenv("CONTRACT_TARGET", "mock")
    monkeypatch.setenv("CONTRACT_REPORT_DIR", str(tmp_path))
    monkeypatch.delenv(_record.RECORD_VAR, raising=False)
    _session.start(os.environ)
    assert _record.recorder() is None  # off for the mock unless asked for
    monkeypatch.setenv(_record.RECORD_VAR, "1")
    _session.start(os.environ)
    try:
        yield tmp_path / _record.ANSWERS_DIR
    finally:
        _session.start({"CONTRACT_TARGET": "mock"})


def _calls(endpoint: Endpoint) -> list[int]:
    prefix = f"/waInstance{endpoint.id_instance}"
    chat = CHATS[endpoint.flavour]
    statuses = []
    with sync_http(endpoint, {}) as http:
        for request in (
            http.build_request("GET", f"{prefix}/getContacts/{endpoint.token}"),
            http.build_request(
                "POST", f"{prefix}/getContactInfo/{endpoint.token}", json={"chatId": chat}
            ),
            # A 400 whose body echoes the request path, token included.
            http.build_request(
                "POST", f"{prefix}/getContactInfo/{endpoint.token}", json={"chatId": "x"}
            ),
            http.build_request("GET", f"{prefix}/getContacts/{endpoint.token}x"),  # 401
            http.build_request("GET", f"{prefix}/sendMessage/{endpoint.token}"),  # not recorded
        ):
            statuses.append(http.send(request).status_code)
    return statuses


def test_the_recorder_writes_every_answer_scrubbed_and_readable(
    recording: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoints = [
        Endpoint("whatsapp", None, EXAMPLE_WHATSAPP_ID, EXAMPLE_WHATSAPP_TOKEN),
        Endpoint("telegram", None, EXAMPLE_TELEGRAM_ID, EXAMPLE_TELEGRAM_TOKEN),
    ]
    statuses = [_calls(endpoint) for endpoint in endpoints]
    assert [s[:4] for s in statuses] == [[200, 200, 400, 401]] * 2
    files = sorted(recording.iterdir())
    assert [f.name for f in files] == [
        "0001-whatsapp-getContacts-200.json",
        "0002-whatsapp-getContactInfo-200.json",
        "0003-whatsapp-getContactInfo-400.json",
        "0004-whatsapp-getContacts-401.json",
        "0005-telegram-getContacts-200.json",
        "0006-telegram-getContactInfo-200.json",
        "0007-telegram-getContactInfo-400.json",
        "0008-telegram-getContacts-401.json",
    ]
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert not any(token in text for token in TOKENS), file.name
        assert "http" not in text.split('"body"')[0]  # no URL in the envelope
    answers = [r.answer for r in read_answers([recording])]
    error = answers[2].body
    assert error["path"] == f"/waInstance{EXAMPLE_WHATSAPP_ID}/getContactInfo/<redacted>"
    assert answers[3].body == "Unauthorized"
    assert isinstance(answers[0].body, list)
    assert answers[0].body
    code = main([str(recording), "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert '"answers": 8' in out
    assert not any(token in out for token in TOKENS)


def test_live_runs_always_record_other_targets_only_when_asked() -> None:
    live = _session.start({"CONTRACT_TARGET": "live"})
    mock = _session.start({"CONTRACT_TARGET": "mock"})
    try:
        assert _record.enabled(live, {})
        assert not _record.enabled(mock, {})
        assert _record.enabled(mock, {_record.RECORD_VAR: "true"})
        assert not _record.enabled(mock, {_record.RECORD_VAR: "0"})
        assert live.report_dir / _record.ANSWERS_DIR == (
            _session.DEFAULT_REPORT_ROOT / "live" / "answers"
        )
    finally:
        _session.start({"CONTRACT_TARGET": "mock"})


def test_schemathesis_calls_are_recorded_through_a_global_hook() -> None:
    hooks = schemathesis.hooks.GLOBAL_HOOK_DISPATCHER.get_all_by_name("after_call")
    assert _record.after_call in hooks


@pytest.mark.parametrize(
    ("content", "content_type", "body"),
    [
        (b'{"a": 1}', "application/json; charset=utf-8", {"a": 1}),
        (b"null", "application/json", None),
        (b"{broken", "application/json", "{broken"),
        (b"123", "text/plain", "123"),
        (b"", "", ""),
    ],
)
def test_bodies_are_json_when_declared_and_valid_else_text(
    content: bytes, content_type: str, body: object
) -> None:
    assert _record.answer_body(content, content_type) == body


def test_operations_come_from_the_url_path_in_any_case() -> None:
    assert _record.operation_of("/waInstance1/GetContactInfo/t") == "getContactInfo"
    assert _record.operation_of("/waInstance1/getcontacts/t") == "getContacts"
    assert _record.operation_of("/waInstance1/sendMessage/t") is None
    assert _record.operation_of("/") is None
