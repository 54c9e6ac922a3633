"""The user's test file of issue 13 in a fresh venv: the built wheel, its [mock] extra, pytest.

Nothing of this repository is on the path there (no conftest.py, no editable install): the
fixture must come from the wheel's pytest11 entry point.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
USER_FILE = ROOT / "tests" / "data" / "user_test_file.py"

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PYTHON"))}
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def check_metadata(wheel: Path) -> None:
    """What `pip show` (-v) displays: licence, home page, source and documentation URLs."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        metadata = Parser().parsestr(archive.read(meta).decode("utf-8"))
        entries = archive.read(entry_points).decode("utf-8")
    assert metadata["License-Expression"] == "MIT"
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL", []))
    assert {"Homepage", "Source", "Documentation"} <= urls.keys()
    assert all(url.startswith("https://") for url in urls.values())
    assert "[pytest11]\ngreen_api_contacts = green_api_contacts.testing._plugin" in entries


def test_the_users_file_passes_in_a_fresh_venv_from_the_wheel(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", dist, ROOT)
    (wheel,) = dist.glob("*.whl")
    check_metadata(wheel)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", f"{wheel}[mock]", "pytest")
    work = tmp_path / "user"
    work.mkdir()
    source = USER_FILE.read_text(encoding="utf-8")  # verbatim
    (work / "test_user.py").write_text(source, encoding="utf-8")
    out = run(python, "-I", "-m", "pytest", "-p", "no:cacheprovider", "-q", cwd=work)
    assert "4 passed" in out
