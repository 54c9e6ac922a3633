"""The green_api_mock fixture (pytest plugin, pytest11 entry point), as users' tests meet it."""

from __future__ import annotations

import ast
import asyncio
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import green_api_contacts as g
from green_api_contacts.mock import FLAVOURS, ManualClock
from green_api_contacts.testing import GreenAPIMock
from green_api_contacts.testing._fixture import client_classes

pytest_plugins = ["pytester"]

USER_FILE = Path(__file__).parents[1] / "data" / "user_test_file.py"
THREAD = "green-api-contacts MockTransport"
# Inner pytest runs: no cache files, fixed order, no pytest-asyncio deprecation noise.
QUIET_RUN = ("-p", "no:cacheprovider", "-p", "no:randomly", "-W", "ignore::DeprecationWarning")


def test_the_users_file_passes_with_the_plugin_alone(pytester: pytest.Pytester) -> None:
    source = USER_FILE.read_text(encoding="utf-8")  # verbatim: MAX is served and has clients
    pytester.makepyfile(test_user=source)
    result = pytester.runpytest_inprocess(*QUIET_RUN)
    result.assert_outcomes(passed=4)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_flavour_the_mock_knows(green_api_mock: GreenAPIMock, flavour: str) -> None:
    inst = green_api_mock.add_instance(flavour, contacts=3)
    assert inst.flavour == flavour
    with inst.client() as client:
        assert len(client.get_contacts()) == 3

    async def main() -> int:
        async with inst.async_client() as client:
            return len(await client.get_contacts(count=2))

    assert asyncio.run(main()) == 2


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_each_mock_flavour_has_a_sync_and_an_async_client(flavour: str) -> None:
    sync, async_ = client_classes(flavour)
    assert sync in {getattr(g, name) for name in g.__all__}
    assert async_ is not sync
    assert asyncio.iscoroutinefunction(async_.get_contacts)


def test_an_unknown_flavour_lists_the_known_ones(green_api_mock: GreenAPIMock) -> None:
    with pytest.raises(ValueError, match=FLAVOURS[0]):
        green_api_mock.add_instance("icq")
    with pytest.raises(ValueError, match="known flavours"):
        client_classes("icq")


def test_instances_get_their_own_ids_and_tokens(green_api_mock: GreenAPIMock) -> None:
    first = green_api_mock.add_instance(FLAVOURS[0])
    second = green_api_mock.add_instance(FLAVOURS[0])
    assert first.id_instance != second.id_instance
    assert first.token != second.token
    assert first.token not in repr(first)
    assert green_api_mock.instances == (first, second)
    with pytest.raises(ValueError, match="already"):
        green_api_mock.add_instance(FLAVOURS[0], id_instance=first.id_instance)
    with second.client(max_retries=0) as client:
        assert client.id_instance == second.id_instance


def test_state_and_faults(green_api_mock: GreenAPIMock) -> None:
    inst = green_api_mock.add_instance("telegram", contacts=2)
    inst.state = "quotaExceeded"
    assert inst.runtime.state == "quotaExceeded"
    with inst.client(max_retries=0) as client, pytest.raises(g.QuotaExceededError):
        client.get_contacts()
    inst.state = "authorized"
    inst.inject("429", times=1, method="getContacts")
    with inst.client(max_retries=0) as client:
        with pytest.raises(g.RateLimitedError):
            client.get_contacts()
        assert len(client.get_contacts()) == 2  # the fault was used up


def test_rate_limit_is_opt_in_per_instance(green_api_mock: GreenAPIMock) -> None:
    clock = ManualClock()
    limited = green_api_mock.add_instance("whatsapp", contacts=2, rate_limit=True, clock=clock)
    free = green_api_mock.add_instance("whatsapp", contacts=2)
    with limited.client(max_retries=0) as a, free.client(max_retries=0) as b:
        assert len(a.get_contacts()) == 2
        with pytest.raises(g.RateLimitedError):
            a.get_contacts()
        clock.advance(1.0)
        assert len(a.get_contacts()) == 2
        assert [len(b.get_contacts()) for _ in range(5)] == [2] * 5


def test_warmup_is_opt_in(green_api_mock: GreenAPIMock) -> None:
    clock = ManualClock()
    inst = green_api_mock.add_instance("whatsapp", contacts=4, warmup_seconds=60, clock=clock)
    with inst.client() as client:
        assert client.get_contacts() == []
        clock.advance(60)
        assert len(client.get_contacts()) == 4


def test_plain_httpx_through_a_handle_transport(green_api_mock: GreenAPIMock) -> None:
    import httpx

    inst = green_api_mock.add_instance("telegram", contacts=6)
    with httpx.Client(transport=inst.transport(), base_url="http://mock") as raw:
        response = raw.get(f"/waInstance{inst.id_instance}/getContacts/{inst.token}")
    assert response.status_code == 200
    assert len(response.json()) == 6


def test_the_fixture_cleans_up_what_a_test_left_open(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_leaky="""
        def test_leaves_a_client_open(green_api_mock):
            client = green_api_mock.add_instance("whatsapp", contacts=1).client()
            assert len(client.get_contacts()) == 1
        """
    )
    before = sum(t.name == THREAD for t in threading.enumerate())
    result = pytester.runpytest_inprocess(*QUIET_RUN)
    result.assert_outcomes(passed=1)
    assert sum(t.name == THREAD for t in threading.enumerate()) == before


BLOCK_STARLETTE = """
import sys
sys.modules["starlette"] = None  # as if the [mock] extra were not installed
"""


def test_without_the_mock_extra_the_plugin_says_what_to_install(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(BLOCK_STARLETTE)
    pytester.makepyfile(test_needs_mock="def test_it(green_api_mock):\n    pass\n")
    result = pytester.runpytest_subprocess(*QUIET_RUN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*pip install 'green-api-contacts[[]mock[]]'*"])


def test_the_plugin_and_transport_import_without_the_mock_extra() -> None:
    code = (
        BLOCK_STARLETTE + "import green_api_contacts.testing._plugin\n"
        "from green_api_contacts.testing import MockTransport\n"
        "assert 'green_api_contacts.mock' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_readme_shows_the_tested_file() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your code", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    # The same code; `make ruff` formats the README's blocks, the user's file stays verbatim.
    verbatim = ast.parse(USER_FILE.read_text(encoding="utf-8"))
    assert ast.dump(ast.parse(example)) == ast.dump(verbatim)
