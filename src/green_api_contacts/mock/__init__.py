"""A faithful mock of GREEN-API's GetContacts and GetContactInfo, for every registered flavour.

It is an ASGI app modelled on the documentation: the same URLs (and path prefixes), status
codes, bodies and error messages, a deterministic contact book per instance, instance states,
the warm-up window with ``[]`` answers, OPTIONS answered 204, and injectable faults (429, 5xx
pages, slow and truncated answers) to test clients against. The token is never logged.
Everything that differs by flavour comes from the flavour registry (green_api_contacts.flavours).

Assumed, not published: the rate limit of 1 request per second per method and instance (no
GREEN-API page found so far states it; ``rate_limit=False`` or the CLI's ``--no-rate-limit``
switches it off) and the 466 quota answer's 1000 GetContacts calls a month (the state
``quotaExceeded``; no published page states that figure either). Stated by GREEN-API staff:
``count`` returns the last N contacts; some instances ignore ``count`` and ``group``
(``MockInstance(ignore_count_and_group=True)``).

>>> app = create_app()                       # DEFAULT_INSTANCES: one per registered flavour
>>> app.mock.instance(1101000001).state = "starting"
>>> app.mock.instance(4100000000).inject("429; retry-after=2", times=3, method="getContacts")
"""

# First: without the [mock] extra, fail with an ImportError that names it.
from . import _require_extra  # noqa: F401
from ._app import InstanceRuntime, MockApp, MockControl, create_app
from ._book import ContactBook
from ._config import (
    DEFAULT_INSTANCES,
    EXAMPLE_MAX_ID,
    EXAMPLE_MAX_TOKEN,
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
    FLAVOURS,
    INSTANCE_STATES,
    Flavour,
    InstanceState,
    MockInstance,
    parse_instance_spec,
)
from ._errors import redact_path
from ._faults import FAULT_HEADER, FAULT_KINDS, Fault, FaultKind
from ._limits import ManualClock, RateDecision, RateLimiter
from ._server import BackgroundServer

__all__ = [
    "DEFAULT_INSTANCES",
    "EXAMPLE_MAX_ID",
    "EXAMPLE_MAX_TOKEN",
    "EXAMPLE_TELEGRAM_ID",
    "EXAMPLE_TELEGRAM_TOKEN",
    "EXAMPLE_WHATSAPP_ID",
    "EXAMPLE_WHATSAPP_TOKEN",
    "FAULT_HEADER",
    "FAULT_KINDS",
    "FLAVOURS",
    "INSTANCE_STATES",
    "BackgroundServer",
    "ContactBook",
    "Fault",
    "FaultKind",
    "Flavour",
    "InstanceRuntime",
    "InstanceState",
    "ManualClock",
    "MockApp",
    "MockControl",
    "MockInstance",
    "RateDecision",
    "RateLimiter",
    "create_app",
    "parse_instance_spec",
    "redact_path",
]
