"""The pytest plugin of green-api-contacts: the ``green_api_mock`` fixture.

pytest loads it through the ``pytest11`` entry point in every project where this package is
installed, so it imports nothing heavy and never fails: the mock (the ``[mock]`` extra) is
imported when a test asks for the fixture, and a missing extra then says what to install.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._fixture import GreenAPIMock

MISSING_EXTRA = (
    "the green_api_mock fixture needs the mock: pip install 'green-api-contacts[mock]' ({error})"
)


@pytest.fixture
def green_api_mock() -> Iterator[GreenAPIMock]:
    """GREEN-API mock instances served in-process; see green_api_contacts.testing.GreenAPIMock."""
    try:
        from ._fixture import GreenAPIMock
    except ImportError as error:
        pytest.fail(MISSING_EXTRA.format(error=error), pytrace=False)
    mock = GreenAPIMock()
    try:
        yield mock
    finally:
        mock.close()
