"""tools.breaking: the CLI, exit codes, the real documents and git (--base)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.breaking_support import (
    REPO,
    RESP,
    STRING,
    make_doc,
    obj,
    only,
    run_files,
    write_doc,
)
from tools._openapi import load_document
from tools.breaking import (
    DOCUMENTS,
    compare_files,
    compare_with_base,
    main,
)

BEFORE = obj({"a": STRING, "b": STRING})
AFTER = obj({"a": STRING})


def test_exit_0_without_breaking_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_files(tmp_path, make_doc(response=AFTER), make_doc(response=BEFORE)) == 0
    out = capsys.readouterr().out
    assert "no breaking change" in out
    assert "response-property-added" not in out


def test_verbose_lists_compatible_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_files(tmp_path, make_doc(response=AFTER), make_doc(response=BEFORE), "--verbose") == 0
    )
    assert "INFO response-property-added" in capsys.readouterr().out


def test_exit_1_when_only_the_minor_version_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = make_doc(response=BEFORE, version="1.4.0")
    new = make_doc(response=AFTER, version="1.5.0")
    assert run_files(tmp_path, old, new) == 1
    out = capsys.readouterr().out
    assert "BREAKING response-property-removed" in out
    assert f"at old {RESP}/properties/b" in out
    assert "major version did not move (from 1.4.0 to 1.5.0)" in out


def test_exit_0_with_findings_when_the_major_version_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = make_doc(response=BEFORE, version="1.4.0")
    new = make_doc(response=AFTER, version="2.0.0")
    assert run_files(tmp_path, old, new) == 0
    out = capsys.readouterr().out
    assert "BREAKING response-property-removed" in out
    assert "allowed: major version moved from 1.4.0 to 2.0.0" in out


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = make_doc(response=BEFORE, version="1.0.0")
    assert run_files(tmp_path, old, make_doc(response=AFTER), "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["breaking"], report["exit_code"], report["major_moved"]) == (1, 1, False)
    (document,) = report["documents"]
    assert document["status"] == "compared"
    assert document["findings"] == [
        {
            "rule": "response-property-removed",
            "severity": "breaking",
            "group": "responses",
            "document": "old",
            "pointer": f"{RESP}/properties/b",
            "message": "response property 'b' was removed",
            "used_by": ["createThing 200 application/json"],
        }
    ]


def test_exit_2_for_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = write_doc(tmp_path / "a.yaml", make_doc())
    assert main(["--old", str(existing), "--new", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot load" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [", encoding="utf-8")
    assert main(["--old", str(existing), "--new", str(broken)]) == 2


@pytest.mark.parametrize(
    "argv",
    [["--old", "a.yaml"], ["--old", "a.yaml", "--new", "b.yaml", "--base", "HEAD"], ["--bogus"]],
)
def test_exit_2_for_bad_arguments(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


# --------------------------------------------------------------------------- the real documents


def test_real_documents_compared_with_themselves_have_no_findings() -> None:
    for relative in DOCUMENTS:
        path = REPO / relative
        report = compare_files(path, path)
        assert report.documents[0].findings == [], relative
        assert report.exit_code == 0


def test_acceptance_removing_a_response_property_from_the_real_spec(tmp_path: Path) -> None:
    document = load_document(REPO / "openapi.yaml")
    del document["components"]["schemas"]["WhatsAppContact"]["properties"]["contactName"]
    changed = write_doc(tmp_path / "openapi.yaml", document)
    report = compare_files(REPO / "openapi.yaml", changed)
    findings = [f for f in report.documents[0].findings if f.severity == "breaking"]
    assert [(f.rule, f.pointer, f.document) for f in findings] == [
        (
            "response-property-removed",
            "#/components/schemas/WhatsAppContact/properties/contactName",
            "old",
        )
    ]
    assert findings[0].used_by == ["getContacts 200 application/json"]
    assert report.exit_code == 1


def test_acceptance_on_the_real_flavour_document(tmp_path: Path) -> None:
    source = REPO / "generated" / "whatsapp.openapi.yaml"
    document = load_document(source)
    del document["components"]["schemas"]["WhatsAppContact"]["properties"]["contactName"]
    report = compare_files(source, write_doc(tmp_path / "whatsapp.openapi.yaml", document))
    finding = only(report.documents[0].findings, "response-property-removed")
    assert finding.pointer == "#/components/schemas/WhatsAppContact/properties/contactName"


# --------------------------------------------------------------------------- git (--base)

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    assert GIT is not None
    subprocess.run(
        [
            GIT,
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with openapi.yaml and one flavour document committed."""
    root = tmp_path / "repo"
    (root / "generated").mkdir(parents=True)
    _git(root, "init", "-q")
    write_doc(root / "openapi.yaml", make_doc(response=BEFORE, version="0.3.0"))
    write_doc(root / "generated" / "whatsapp.openapi.yaml", make_doc(response=BEFORE))
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    return root


@needs_git
def test_base_clean_work_tree_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "HEAD", "--repo", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "generated/telegram.openapi.yaml: absent" in out
    assert "no breaking change" in out


@needs_git
def test_base_dirty_work_tree_is_compared_with_head(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_doc(repo / "openapi.yaml", make_doc(response=AFTER, version="0.3.1"))
    write_doc(repo / "generated" / "telegram.openapi.yaml", make_doc())
    assert main(["--base", "HEAD", "--repo", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING response-property-removed" in out
    assert "generated/telegram.openapi.yaml: new" in out
    assert "from 0.3.0 to 0.3.1" in out


@needs_git
def test_base_as_a_subprocess_from_inside_the_repo(repo: Path) -> None:
    """The real CLI, run the way `make breaking` runs it, with the cwd in the temporary repo."""
    write_doc(repo / "openapi.yaml", make_doc(response=AFTER, version="0.3.1"))
    present = {"openapi.yaml", "generated/whatsapp.openapi.yaml"}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tools.breaking", "--base", "HEAD", "--format", "json"],
        cwd=repo / "generated",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    statuses = {d["name"]: d["status"] for d in report["documents"]}
    # Every registered flavour's document is compared; the temporary repo has only WhatsApp's.
    assert list(statuses) == list(DOCUMENTS)
    assert statuses == {
        relative: "compared" if relative in present else "absent" for relative in DOCUMENTS
    }
    (finding,) = report["documents"][0]["findings"]
    assert (finding["rule"], finding["pointer"]) == (
        "response-property-removed",
        f"{RESP}/properties/b",
    )


@needs_git
def test_base_major_bump_allows_breaking_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_doc(repo / "openapi.yaml", make_doc(response=AFTER, version="1.0.0"))
    assert main(["--base", "HEAD", "--repo", str(repo)]) == 0
    assert "allowed: major version moved from 0.3.0 to 1.0.0" in capsys.readouterr().out


@needs_git
def test_base_older_commit_and_removed_document(repo: Path) -> None:
    write_doc(repo / "openapi.yaml", make_doc(response=AFTER, version="0.3.0"))
    _git(repo, "commit", "-q", "-am", "drop b")
    assert compare_with_base("HEAD", root=repo).exit_code == 0
    assert compare_with_base("HEAD~1", root=repo).exit_code == 1
    (repo / "generated" / "whatsapp.openapi.yaml").unlink()
    report = compare_with_base("HEAD", root=repo)
    assert [f.rule for d in report.documents for f in d.findings] == ["document-removed"]
    assert report.exit_code == 1


@needs_git
def test_base_unknown_ref_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "no-such-ref", "--repo", str(repo)]) == 2
    assert "unknown git ref 'no-such-ref'" in capsys.readouterr().err


def test_base_outside_a_git_work_tree_exits_2(tmp_path: Path) -> None:
    assert main(["--base", "HEAD", "--repo", str(tmp_path)]) == 2


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [
        ("0.1.0", "0.2.0", True),  # a 0.y release's minor is its major (SemVer 2.0 item 4)
        ("0.1.0", "0.1.1", False),
        ("0.9.3", "1.0.0", True),
        ("1.2.0", "1.3.0", False),
        ("1.2.0", "2.0.0", True),
        ("v0.1.0", "v0.2.0", True),
    ],
)
def test_which_version_moves_count_as_major(old: str, new: str, moved: bool) -> None:
    from tools.breaking.report import Report

    report = Report("old", "new", documents=[], old_version=old, new_version=new)
    assert report.major_moved is moved
