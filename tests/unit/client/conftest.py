"""Fixtures the client tests share: a mock with a manual clock, and each of the four clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from green_api_contacts.mock import ManualClock, MockApp
from tests.unit.client_support import KINDS, Api, make_api, make_app


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app(clock: ManualClock) -> MockApp:
    return make_app(clock)


@pytest.fixture(params=KINDS)
async def api(
    request: pytest.FixtureRequest, app: MockApp, clock: ManualClock
) -> AsyncIterator[Api]:
    """Each client kind (sync/async, WhatsApp/Telegram) against the mock, closed afterwards."""
    api = make_api(request.param, app=app, clock=clock)
    yield api
    await api.close()
