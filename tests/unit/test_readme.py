"""The README's client examples run, unchanged but for address and token, against the mock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

import pytest

from green_api_contacts.flavours import FLAVOURS, get_flavour
from green_api_contacts.mock import (
    DEFAULT_INSTANCES,
    BackgroundServer,
    MockInstance,
    create_app,
)
from tools.generate import ROOT


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the client", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


# The mock's own default instances: a README example runs against the mock once it serves
# that flavour (every registered flavour has an example either way, see below).
SERVED: Final[dict[str, MockInstance]] = {i.flavour: i for i in DEFAULT_INSTANCES}


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    app = create_app(
        [
            MockInstance(instance.id_instance, instance.token, instance.flavour, contacts=100)
            for instance in SERVED.values()
        ],
        rate_limit=False,
    )
    with BackgroundServer(app) as running:
        yield running


def _client_named(example: str) -> list[str]:
    names = {f"{flavour.class_prefix}Client": flavour.name for flavour in FLAVOURS.values()}
    found = [name for name in re.findall(r"\b(\w+Client)\b", example) if name in names]
    return list(dict.fromkeys(found))


def test_the_readme_has_one_short_example_per_flavour() -> None:
    examples = _examples()
    assert [_client_named(e) for e in examples] == [
        [f"{flavour.class_prefix}Client"] for flavour in FLAVOURS.values()
    ]
    assert all(len(e.strip().splitlines()) <= 6 for e in examples)


@pytest.mark.parametrize("flavour", list(SERVED))
def test_each_flavours_example_runs(
    flavour: str,
    server: BackgroundServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unchanged but for the mock's address and token (in the code or the environment)."""
    spec, instance = get_flavour(flavour), SERVED[flavour]
    code = _examples()[list(FLAVOURS).index(flavour)]
    code = code.replace(
        f"id_instance={spec.id_instance_example},", f"id_instance={instance.id_instance},"
    )
    code = code.replace('api_token="…"', f'api_token="{instance.token}", api_url=URL')
    monkeypatch.setenv("GREEN_API_URL", server.url)
    monkeypatch.setenv("GREEN_API_ID_INSTANCE", str(instance.id_instance))
    monkeypatch.setenv("GREEN_API_TOKEN", instance.token)
    exec(compile(code, "README.md", "exec"), {"URL": server.url})
    printed = capsys.readouterr().out
    assert printed.startswith("[(")
    # The contacts listed are the flavour's: their chat ids follow its grammar.
    assert any(spec.is_chat_id(text) for text in re.findall(r"'([^']*)'", printed)), printed
