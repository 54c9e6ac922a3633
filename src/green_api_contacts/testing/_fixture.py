"""What the ``green_api_mock`` pytest fixture hands out: mock instances served in-process.

Each instance gets its own mock app, so that the rate limit, the warm-up window and the quota
state are off unless that one instance asks for them, and one instance's limit never slows
another's test. Clients reach it through :class:`MockTransport`: no socket, no port, no network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Final

import green_api_contacts
from green_api_contacts.flavours import get_flavour
from green_api_contacts.mock import (
    FLAVOURS,
    Fault,
    InstanceRuntime,
    InstanceState,
    MockApp,
    MockInstance,
    create_app,
)

from ._transport import MockTransport

__all__ = ["GreenAPIMock", "MockInstanceHandle", "client_classes"]


def client_classes(flavour: str) -> tuple[type[Any], type[Any]]:
    """The public (sync, async) client classes of ``flavour``, named by the flavour registry.

    ``{class_prefix}Client`` and ``Async{class_prefix}Client`` (green_api_contacts.flavours), so
    that a flavour added to the registry, the package and the mock needs no change here.
    """
    prefix = get_flavour(flavour).class_prefix
    names = (f"{prefix}Client", f"Async{prefix}Client")
    found = [getattr(green_api_contacts, name, None) for name in names]
    classes = [cls for cls in found if isinstance(cls, type)]
    if len(classes) != len(names):
        raise LookupError(f"green_api_contacts has no {' and '.join(names)} for {flavour!r}")
    return classes[0], classes[1]


def _token_for(id_instance: int) -> str:
    """A token shaped like GREEN-API's (50 lowercase hex), derived from the id: reproducible."""
    return hashlib.sha256(f"green_api_mock:{id_instance}".encode()).hexdigest()[:50]


class MockInstanceHandle:
    """One mock instance of a test: make clients for it, change its state, inject faults.

    ``client(**options)`` and ``async_client(**options)`` take the client constructors'
    options (``max_retries``, ``timeout``, ...) and talk to this instance in-process.
    """

    def __init__(self, config: MockInstance, app: MockApp, owner: GreenAPIMock) -> None:
        self.config: Final = config
        self.app: Final = app
        self._owner = owner

    def __repr__(self) -> str:  # the token stays out, as everywhere in this package
        return f"MockInstanceHandle({self.flavour!r}, id_instance={self.id_instance})"

    @property
    def id_instance(self) -> int:
        return self.config.id_instance

    @property
    def token(self) -> str:
        """The instance's apiTokenInstance (a mock's, not a secret)."""
        return self.config.token

    @property
    def flavour(self) -> str:
        return self.config.flavour

    @property
    def runtime(self) -> InstanceRuntime:
        """The mock's live view of the instance (state, warm-up, pending faults, contact book)."""
        return self.app.mock.instance(self.id_instance)

    @property
    def state(self) -> InstanceState:
        return self.runtime.state

    @state.setter
    def state(self, value: InstanceState) -> None:
        self.runtime.state = value

    def inject(self, fault: Fault | str, times: int = 1, method: str | None = None) -> None:
        """The next ``times`` requests (to ``method`` only, if given) get ``fault``, e.g. "500"."""
        self.runtime.inject(fault, times=times, method=method)

    def transport(self) -> MockTransport:
        """A new transport to this instance, for plain httpx or your own client options."""
        transport = MockTransport(self.app)
        self._owner._track(transport)
        return transport

    def client(self, **options: Any) -> Any:
        """A blocking client of this instance's flavour; closed after the test if you did not."""
        sync, _ = client_classes(self.flavour)
        client = self._build(sync, options)
        self._owner._track(client)
        return client

    def async_client(self, **options: Any) -> Any:
        """An asyncio client of this instance's flavour; use it with ``async with``."""
        _, async_ = client_classes(self.flavour)
        return self._build(async_, options)

    def _build(self, cls: Callable[..., Any], options: dict[str, Any]) -> Any:
        if "http_client" not in options:
            options.setdefault("transport", self.transport())
        return cls(id_instance=self.id_instance, api_token=self.token, **options)


class GreenAPIMock:
    """The ``green_api_mock`` fixture: add instances of any flavour the mock knows.

    Everything it made (transports, blocking clients) is closed when the test ends.
    """

    def __init__(self) -> None:
        self._instances: dict[int, MockInstanceHandle] = {}
        self._closables: list[Any] = []

    @property
    def flavours(self) -> tuple[str, ...]:
        """The flavours ``add_instance`` accepts: those the mock knows."""
        return tuple(FLAVOURS)

    @property
    def instances(self) -> tuple[MockInstanceHandle, ...]:
        return tuple(self._instances.values())

    def add_instance(
        self,
        flavour: str,
        contacts: int = 10,
        *,
        id_instance: int | None = None,
        token: str | None = None,
        state: InstanceState = "authorized",
        seed: int | None = None,
        rate_limit: bool = False,
        warmup_seconds: float = 0.0,
        clock: Callable[[], float] | None = None,
    ) -> MockInstanceHandle:
        """A new instance with ``contacts`` contacts, authorized, without limits.

        ``rate_limit=True`` turns on GREEN-API's 1 request per second per method;
        ``warmup_seconds`` makes GetContacts answer ``[]`` that long after login; the quota
        answer (466) is ``state="quotaExceeded"``. ``clock`` (monotonic seconds) drives both
        windows, so a test can move time instead of sleeping.
        """
        known = [name for name in FLAVOURS if name == flavour]  # typed as the mock's names
        if not known:
            raise ValueError(f"unknown flavour {flavour!r}; the mock knows {', '.join(FLAVOURS)}")
        if id_instance is None:
            id_instance = self._next_id(flavour)
        if id_instance in self._instances:
            raise ValueError(f"this test already has an instance {id_instance}")
        config = MockInstance(
            id_instance=id_instance,
            token=_token_for(id_instance) if token is None else token,
            flavour=known[0],
            contacts=contacts,
            seed=seed,
            state=state,
            warmup_seconds=warmup_seconds,
        )
        app = create_app([config], rate_limit=rate_limit, clock=clock)
        handle = MockInstanceHandle(config, app, self)
        self._instances[id_instance] = handle
        return handle

    def _next_id(self, flavour: str) -> int:
        """The flavour's example idInstance from the registry, then the next free ones."""
        candidate = get_flavour(flavour).id_instance_example
        while candidate in self._instances:
            candidate += 1
        return candidate

    def _track(self, closable: Any) -> None:
        self._closables.append(closable)

    def close(self) -> None:
        """Close what the test left open and forget every instance."""
        closables, self._closables = self._closables, []
        for closable in reversed(closables):
            closable.close()
        self._instances.clear()
