"""Test your own code against GREEN-API without a network.

- :class:`MockTransport`: serves an ASGI app (the mock) to sync and async httpx clients.
- The ``green_api_mock`` pytest fixture (registered by this package's pytest plugin):
  ``green_api_mock.add_instance("whatsapp", contacts=25).client()``; see :class:`GreenAPIMock`.

``GreenAPIMock`` and ``MockInstanceHandle`` need the ``[mock]`` extra and are imported on
first use, so that ``MockTransport`` works with any ASGI app without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._transport import MockTransport

if TYPE_CHECKING:
    from ._fixture import GreenAPIMock, MockInstanceHandle

__all__ = ["GreenAPIMock", "MockInstanceHandle", "MockTransport"]


def __getattr__(name: str) -> Any:
    if name in ("GreenAPIMock", "MockInstanceHandle"):
        from . import _fixture

        return getattr(_fixture, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
