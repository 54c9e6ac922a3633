"""Where the compared documents come from: two files, or the work tree and a git ref."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tools._openapi import DocumentLoadError, load_document
from tools.breaking._model import BreakingError, Side
from tools.breaking._walk import compare_documents, removed_document
from tools.breaking.report import DocumentReport, Report
from tools.generate import document_paths

DOCUMENTS = tuple(document_paths())
"""The documents compared in ``--base`` mode, relative to the repository root: the description
and every registered flavour's document (the flavour registry, through tools/generate.py). A
flavour document the base lacks is reported as new."""

VERSION_DOCUMENT = "openapi.yaml"
"""Its ``info.version`` decides whether the major version moved."""


def _version(document: Any) -> str | None:
    info = document.get("info") if isinstance(document, Mapping) else None
    version = info.get("version") if isinstance(info, Mapping) else None
    return str(version) if version is not None else None


def _compare_one(name: str, old: Any, new: Any) -> DocumentReport:
    if old is None:
        return DocumentReport(name, "absent" if new is None else "new")
    if new is None:
        return DocumentReport(name, "removed", removed_document(name, old))
    try:
        return DocumentReport(name, "compared", compare_documents(old, new))
    except BreakingError as error:
        raise BreakingError(f"{name}: {error}") from error


def _load(path: Path) -> Any:
    try:
        return load_document(path)
    except DocumentLoadError as error:
        raise BreakingError(str(error)) from error


def compare_files(old: Path, new: Path) -> Report:
    """Compare two explicit files; the major version is read from each file's ``info.version``."""
    old_doc, new_doc = _load(old), _load(new)
    report = _compare_one(str(new), old_doc, new_doc)
    return Report(str(old), str(new), [report], _version(old_doc), _version(new_doc))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    executable = shutil.which("git")
    if executable is None:
        raise BreakingError("git is not installed")
    return subprocess.run(  # noqa: S603 (fixed git sub-commands, no shell)
        [executable, *args], cwd=root, capture_output=True, check=False
    )


def _repo_root(start: Path) -> Path:
    proc = _git(start, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise BreakingError(f"{start} is not inside a git work tree")
    return Path(proc.stdout.decode().strip())


def _read_at(root: Path, commit: str, relative: str) -> Any:
    """The document at ``commit``, or None when the commit has no such file."""
    if _git(root, "cat-file", "-e", f"{commit}:{relative}").returncode != 0:
        return None
    proc = _git(root, "show", f"{commit}:{relative}")
    if proc.returncode != 0:
        raise BreakingError(f"git show {commit}:{relative} failed: {proc.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(relative).name
        copy.write_bytes(proc.stdout)
        try:
            return load_document(copy)
        except DocumentLoadError as error:
            raise BreakingError(f"{relative} at {commit[:12]}: {error}") from error


def compare_with_base(
    base: str, *, root: Path | None = None, documents: Sequence[str] = DOCUMENTS
) -> Report:
    """Compare the work tree's documents with the same files at the git ref ``base``."""
    root = _repo_root(root or Path.cwd())
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    if proc.returncode != 0:
        raise BreakingError(f"unknown git ref {base!r}")
    commit = proc.stdout.decode().strip()
    reports: list[DocumentReport] = []
    versions: dict[Side, str | None] = {"old": None, "new": None}
    for relative in documents:
        old = _read_at(root, commit, relative)
        new = _load(root / relative) if (root / relative).is_file() else None
        if relative == VERSION_DOCUMENT:
            versions = {"old": _version(old), "new": _version(new)}
        reports.append(_compare_one(relative, old, new))
    return Report(f"{base} ({commit[:12]})", "work tree", reports, versions["old"], versions["new"])
