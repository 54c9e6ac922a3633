"""The drift report on recorded fixtures: each finding kind, exit codes, formats, the overlay."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from green_api_contacts.drift import compare, encode_answer, main, read_answers
from green_api_contacts.drift._compare import KINDS
from green_api_contacts.drift._overlay import build_overlay
from green_api_contacts.drift._record import Answer, Recorded
from green_api_contacts.flavours import flavour_names
from tools import overlay as overlay_tool
from tools.generate import ROOT

DATA = ROOT / "tests" / "data" / "drift"
DOCUMENTED = DATA / "documented"
DRIFTED = DATA / "drifted"


def drift(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> dict[str, Any]:
    code, out, _ = drift(capsys, *paths, "--format", "json")
    assert code == 1
    report: dict[str, Any] = json.loads(out)
    return report


def by_group(report: dict[str, Any]) -> dict[tuple[str, str, int], set[tuple[str, str]]]:
    return {
        (g["flavour"], g["operation"], g["status"]): {
            (f["kind"], ", ".join(f["paths"])) for f in g["findings"]
        }
        for g in report["groups"]
    }


# ------------------------------------------------------------------------------ the report


def test_answers_exactly_as_documented_give_an_empty_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = drift(capsys, DOCUMENTED)
    assert (code, err) == (0, "")
    assert out.endswith("0 findings in 12 answers.\n")
    assert "whatsapp getContactInfo 200 (2 answers): nothing new" in out


def test_every_finding_kind_for_both_flavours(capsys: pytest.CaptureFixture[str]) -> None:
    report = findings_json(capsys, DRIFTED)
    assert by_group(report) == {
        ("telegram", "getContactInfo", 200): {
            ("type_change", "isPremium"),
            ("new_field", "emojiStatus"),
            ("never_seen", "base64Avatar"),
            ("never_seen", "chatType"),
            ("never_seen", "description"),
            ("never_seen", "isScam"),
            ("never_seen", "isVerified"),
            ("never_seen", "username"),
        },
        ("telegram", "getContacts", 200): {("new_enum_value", "[].type")},
        ("telegram", "getContacts", 466): {
            ("new_field", "invokeStatus.resetAt"),
            ("never_seen", "correspondentsStatus"),
        },
        ("whatsapp", "getContactInfo", 200): {
            ("type_change", "isArchive"),
            ("new_field", "labels"),
            ("new_field", "products[].foo"),
            ("new_field", "products[].imageUrls.thumb"),
        },
        ("whatsapp", "getContactInfo", 400): {("new_field", "error")},
        ("whatsapp", "getContacts", 200): {
            ("type_change", "[].name"),
            ("new_field", "[].newField"),
            ("new_enum_value", "[].type"),
            ("missing_required", "[].id"),
            ("never_seen", "[].contactName"),
        },
        ("whatsapp", "getContacts", 499): {("undocumented_status", "")},
    }
    kinds = {f["kind"] for g in report["groups"] for f in g["findings"]}
    assert kinds == set(KINDS)
    assert report["findings"] == sum(len(g["findings"]) for g in report["groups"]) == 22


def _finding(report: dict[str, Any], kind: str, path: str, flavour: str = "whatsapp") -> Any:
    (found,) = [
        f
        for g in report["groups"]
        for f in g["findings"]
        if g["flavour"] == flavour and f["kind"] == kind and path in f["paths"]
    ]
    return found


def test_findings_carry_inferred_types_components_and_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = findings_json(capsys, DRIFTED)
    new = _finding(report, "new_field", "[].newField")
    assert new["observed_schema"] == {"type": ["integer", "number"]}
    assert (new["component"], new["field"], new["count"]) == ("WhatsAppContact", "newField", 2)
    labels = _finding(report, "new_field", "labels")
    assert labels["observed_schema"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
    }
    changed = _finding(report, "type_change", "isArchive")
    assert (changed["documented"], changed["observed"]) == ("boolean", "string")
    enum = _finding(report, "new_enum_value", "[].type")
    assert enum["values"] == ["community"]
    assert set(enum["documented"].split(", ")) == {"user", "group"}
    assert _finding(report, "missing_required", "[].id")["count"] == 1
    unseen = _finding(report, "never_seen", "[].contactName")
    assert (unseen["documented"], unseen["count"]) == ("string", 3)


def test_text_report_names_paths_and_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = drift(capsys, DRIFTED / "whatsapp")
    assert code == 1
    assert "new field            products[].foo: string [WhatsAppProduct]" in out
    assert "type change          [].name: integer (documented: string)" in out
    assert "undocumented status  (body): string" in out
    assert out.endswith("11 findings in 4 answers.\n")


def test_a_field_seen_at_one_of_its_paths_counts_as_seen() -> None:
    # QuotaStatus.method arrives in invokeStatus only (the spec's own 466 example).
    report = compare(read_answers([DOCUMENTED / "whatsapp" / "getContacts-466-quota.json"]))
    assert report.findings == ()


def test_deprecated_fields_are_not_expected_to_arrive() -> None:
    answers = read_answers([DOCUMENTED / "whatsapp" / "getContactInfo-200-business.json"])
    body = answers[0].answer.body
    assert "messageexpiration" not in body
    assert compare(answers).findings == ()
    without = {k: v for k, v in body.items() if k != "isMute"}
    only = Recorded(
        Answer(flavour="whatsapp", operation="getContactInfo", status=200, body=without), Path("x")
    )
    ((finding),) = compare([only]).findings
    assert (finding.kind, finding.paths) == ("never_seen", ("isMute",))


# ---------------------------------------------------------------- the description's own examples


def _documents() -> list[tuple[str, dict[str, Any]]]:
    return [
        (flavour, yaml.safe_load((ROOT / "generated" / f"{flavour}.openapi.yaml").read_text()))
        for flavour in flavour_names()
    ]


def _operations(path_item: dict[str, Any]) -> list[dict[str, Any]]:
    return [value for key, value in path_item.items() if key != "parameters"]


def _examples(document: dict[str, Any], content: dict[str, Any]) -> list[Any]:
    if "example" in content:
        return [content["example"]]
    named = document["components"].get("examples", {})
    return [
        (named[e["$ref"].rsplit("/", 1)[1]] if "$ref" in e else e)["value"]
        for e in content.get("examples", {}).values()
    ]


@pytest.mark.parametrize(("flavour", "document"), _documents(), ids=flavour_names())
def test_the_flavour_documents_examples_are_never_drift(
    flavour: str, document: dict[str, Any]
) -> None:
    """Every response example of the flavour document, recorded as an answer, brings nothing
    new: the report reads the Structs generated from that same document."""
    recordings = []
    for item in document["paths"].values():
        for operation in _operations(item):
            for status, ref in operation["responses"].items():
                response = document["components"]["responses"][ref["$ref"].rsplit("/", 1)[1]]
                for content in response["content"].values():
                    for body in _examples(document, content):
                        answer = Answer(
                            flavour=flavour,
                            operation=operation["operationId"],
                            status=int(status),
                            body=body,
                        )
                        recordings.append(Recorded(answer, Path("example")))
    assert len(recordings) >= 10
    findings = [f for f in compare(recordings).findings if f.kind != "never_seen"]
    assert findings == []


@pytest.mark.parametrize(("flavour", "document"), _documents(), ids=flavour_names())
def test_the_answer_table_matches_the_flavour_documents(
    flavour: str, document: dict[str, Any]
) -> None:
    from msgspec import inspect as mi

    from green_api_contacts.drift._describe import answer_type, unwrap

    structs = importlib.import_module(f"green_api_contacts.generated.{flavour}_structs")
    for item in document["paths"].values():
        for operation in _operations(item):
            for status, ref in operation["responses"].items():
                response = document["components"]["responses"][ref["$ref"].rsplit("/", 1)[1]]
                ((content),) = response["content"].values()
                name = content["schema"]["$ref"].rsplit("/", 1)[1]
                expected = unwrap(mi.type_info(getattr(structs, name)))
                found = answer_type(flavour, operation["operationId"], int(status))
                assert found is not None
                # Descriptions (Annotated metadata) aside, the very type the document names.
                assert unwrap(found) == expected
            assert answer_type(flavour, operation["operationId"], 418) is None


# ---------------------------------------------------------------------------- exit codes


def test_files_and_nested_folders_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    source = DRIFTED / "telegram" / "getContacts-200.json"
    (nested / "one.json").write_bytes(source.read_bytes())
    (nested / "notes.txt").write_text("not a recording, and not read")
    code, out, _ = drift(
        capsys, tmp_path, DOCUMENTED / "telegram" / "getContacts-200-contacts.json"
    )
    assert code == 1
    assert "telegram getContacts 200 (2 answers):" in out
    assert "new enum value       [].type: forum" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b"[]", "not a recorded answer"),
        (b'{"flavour": "whatsapp", "operation": "getContacts", "status": 200}', "body"),
        (
            b'{"flavour": "whatsapp", "operation": "getContacts", "status": "200", "body": []}',
            "status",
        ),
        (
            b'{"flavour": "whatsapp", "operation": "getContacts", "status": 42, "body": []}',
            "status",
        ),
        (
            b'{"flavour": "signal", "operation": "getContacts", "status": 200, "body": []}',
            "unknown flavour 'signal'",
        ),
        (
            b'{"flavour": "telegram", "operation": "sendMessage", "status": 200, "body": {}}',
            "unknown operation 'sendMessage'",
        ),
        (b"\xff\xfe", "not JSON"),
    ],
)
def test_unreadable_input_exits_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "sub" / "bad.json"
    bad.parent.mkdir()
    bad.write_bytes(content)
    code, out, err = drift(capsys, DOCUMENTED, tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith(f"drift: {bad}: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("make", ["missing", "empty folder"])
def test_nothing_to_read_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    target = tmp_path / "answers"
    if make == "empty folder":
        target.mkdir()
    code, out, err = drift(capsys, target)
    assert (code, out) == (2, "")
    assert str(target) in err


def test_arguments_are_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "PATH" in capsys.readouterr().err


def test_add_parser_and_run_plug_into_a_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from green_api_contacts.drift import add_parser

    cli = argparse.ArgumentParser(prog="green-api-contacts")
    add_parser(cli.add_subparsers(dest="command", required=True))
    args = cli.parse_args(["drift", str(DOCUMENTED), "--format", "json"])
    assert args.handler(args) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == 0


# ------------------------------------------------------------------------------- the overlay


def test_the_overlay_applies_to_openapi_yaml_with_the_projects_tool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = tmp_path / "drift.overlay.yaml"
    applied = tmp_path / "openapi.yaml"
    code, _, _ = drift(capsys, DRIFTED, "--overlay", overlay)
    assert code == 1
    assert (
        overlay_tool.main(
            [
                "--overlay",
                str(overlay),
                "--input",
                str(ROOT / "openapi.yaml"),
                "--output",
                str(applied),
            ]
        )
        == 0
    )
    document = overlay_tool.load_document(applied)
    assert isinstance(document, dict)
    schemas = document["components"]["schemas"]
    assert schemas["WhatsAppContact"]["properties"]["newField"] == {
        "type": ["integer", "number"],
        "x-source": "drift report",
    }
    assert schemas["WhatsAppProductImageUrls"]["properties"]["thumb"]["x-source"] == "drift report"
    assert schemas["QuotaStatus"]["properties"]["resetAt"]["type"] == "string"
    assert schemas["TelegramContactInfo"]["properties"]["emojiStatus"]["type"] == "object"
    assert schemas["KnownContactType"]["enum"] == ["user", "group", "community"]
    telegram_types = schemas["TelegramKnownContactType"]["enum"]
    assert telegram_types == ["user", "group", "supergroup", "channel", "bot", "forum"]
    assert schemas["WhatsAppContactInfo"]["properties"]["isArchive"]["anyOf"] == [
        {"description": "Whether the chat is archived.", "type": "boolean", "default": False},
        {"type": "string", "x-source": "drift report"},
    ]
    assert "id" not in schemas["WhatsAppContact"].get("required", [])
    assert "x-drift-report" not in json.dumps(document)
    validate(document)
    # The flavour overlays still derive both flavour documents from the changed description.
    for flavour in flavour_names():
        flavour_overlay = overlay_tool.load_document(ROOT / "overlays" / f"{flavour}.overlay.yaml")
        assert isinstance(flavour_overlay, dict)
        derived = overlay_tool.apply_overlay(document, flavour_overlay)
        assert isinstance(derived, dict)
        validate(derived)


def test_no_overlay_is_written_when_nothing_can_be_proposed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = tmp_path / "drift.overlay.yaml"
    code, _, err = drift(capsys, DOCUMENTED, "--overlay", overlay)
    assert code == 0
    assert not overlay.exists()
    assert "no overlay written" in err
    only_unseen = compare(read_answers([DRIFTED / "whatsapp" / "getContacts-499.json"]))
    assert only_unseen.findings and build_overlay(only_unseen) is None


def test_the_writer_is_strict_and_round_trips() -> None:
    encoded = encode_answer("telegram", "getContactInfo", 200, {"chatId": "1"})
    assert list(json.loads(encoded)) == ["flavour", "operation", "status", "body"]
    assert encoded.endswith(b"}\n")


def test_a_token_in_an_unscrubbed_recording_never_reaches_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "d75b3a66374942c5b3c019c698abc2067e151558acbd412345"
    leaked = f"/waInstance1101000001/getContacts/{token}"
    body = [{"id": "1@c.us", "type": leaked, "note": 1}]
    (tmp_path / "leak.json").write_bytes(encode_answer("whatsapp", "getContacts", 200, body))
    overlay = tmp_path / "o.yaml"
    for form in ("text", "json"):
        code, out, err = drift(capsys, tmp_path, "--format", form, "--overlay", overlay)
        assert code == 1
        assert "/waInstance1101000001/getContacts/<redacted>" in out
        assert token not in out + err + overlay.read_text(encoding="utf-8")


def test_the_cli_serves_drift_as_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    """`green-api-contacts drift` is the same command as `python -m green_api_contacts.drift`."""
    from green_api_contacts.cli import main as cli_main

    documented = Path(__file__).parent.parent / "data" / "drift" / "documented"
    drifted = Path(__file__).parent.parent / "data" / "drift" / "drifted"
    assert cli_main(["drift", str(documented)]) == 0
    assert "0 findings" in capsys.readouterr().out
    assert cli_main(["drift", str(drifted)]) == 1
    assert "new field" in capsys.readouterr().out
