"""Which server the contract suite talks to, read from the environment.

``CONTRACT_TARGET`` (default ``mock``) picks one of:

``mock``
    The embedded mock, in-process through ASGI: no network, no credentials, rate limit off,
    ``DEFAULT_INSTANCES`` (one instance per flavour it serves, with public example tokens); a
    registered flavour the mock does not serve is skipped, saying so.
``url``
    Any server at ``CONTRACT_BASE_URL`` for one flavour: ``CONTRACT_ID_INSTANCE``,
    ``CONTRACT_TOKEN``, ``CONTRACT_FLAVOUR`` (e.g. ``green-api-contacts mock --no-rate-limit``).
``prism``
    Prism serving our flavour documents at ``CONTRACT_PRISM_<FLAVOUR>_URL`` (one per registered
    flavour, e.g. ``CONTRACT_PRISM_MAX_URL``); ``python -m contract_tests.prism`` starts them all
    and sets them.
``live``
    The real API: ``GREEN_API_URL``, ``GREEN_API_ID_INSTANCE``, ``GREEN_API_TOKEN``,
    ``GREEN_API_FLAVOUR``. Positive data only, at most one request per second and
    :data:`LIVE_MAX_CALLS` requests per run. Without the variables every test is skipped, naming
    the missing ones.

Nothing here ever puts a token into an error message or a ``repr``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from green_api_contacts.flavours import example_instances, flavour_names, get_flavour
from green_api_contacts.mock import DEFAULT_INSTANCES

# A registered flavour's name (green_api_contacts.flavours): every flavour list comes from there.
Flavour = str
TargetKind = Literal["mock", "url", "prism", "live"]
FLAVOURS: Final[tuple[Flavour, ...]] = flavour_names()
TARGET_KINDS: Final[tuple[TargetKind, ...]] = get_args(TargetKind)

# Generated cases each flavour must reach where generation is not rationed (mock, url, Prism).
DEFAULT_MIN_CASES: Final = 1000
# The live API: the Developer plan allows 1000 GetContacts calls a month, and each method 1 request
# per second per instance (shared/green-api-facts.md), so a run stays small and slow.
LIVE_MAX_CALLS: Final = 30
LIVE_MIN_INTERVAL: Final = 1.1

_ID_RE: Final = re.compile(r"[0-9]{1,10}")
_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9._~-]{1,256}")
_URL_RE: Final = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?")

URL_VARS: Final = (
    "CONTRACT_BASE_URL",
    "CONTRACT_ID_INSTANCE",
    "CONTRACT_TOKEN",
    "CONTRACT_FLAVOUR",
)
LIVE_VARS: Final = (
    "GREEN_API_URL",
    "GREEN_API_ID_INSTANCE",
    "GREEN_API_TOKEN",
    "GREEN_API_FLAVOUR",
)
PRISM_VARS: Final[dict[Flavour, str]] = {
    flavour: f"CONTRACT_PRISM_{flavour.upper()}_URL" for flavour in FLAVOURS
}
# The registry's example instance of each flavour (public tokens): Prism's and the mock's.
EXAMPLE_CREDENTIALS: Final[dict[Flavour, tuple[int, str]]] = {
    example.flavour: (example.id_instance, example.token) for example in example_instances()
}
# What the embedded mock serves by default, by flavour (its own declaration).
MOCK_CREDENTIALS: Final[dict[Flavour, tuple[int, str]]] = {
    instance.flavour: (instance.id_instance, instance.token) for instance in DEFAULT_INSTANCES
}


class TargetError(ValueError):
    """The environment does not describe a usable target; the message never holds a token."""


@dataclass(frozen=True)
class Endpoint:
    """One flavour's server and instance. ``base_url`` is ``None`` for the embedded mock."""

    flavour: Flavour
    base_url: str | None
    id_instance: int
    token: str = field(repr=False)


@dataclass(frozen=True)
class Target:
    """The resolved target: an endpoint per targeted flavour, a skip reason for the others."""

    kind: TargetKind
    endpoints: Mapping[Flavour, Endpoint]
    skip_reasons: Mapping[Flavour, str]
    min_cases: int
    max_calls: int | None = None
    min_interval: float = 0.0

    def endpoint(self, flavour: Flavour) -> Endpoint | None:
        return self.endpoints.get(flavour)

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every token this run sends: what reports must never contain."""
        return tuple(sorted({endpoint.token for endpoint in self.endpoints.values()}))

    @property
    def positive_only(self) -> bool:
        """The live API gets valid requests only: fuzzing a production account is not safe."""
        return self.kind == "live"


def resolve_target(env: Mapping[str, str]) -> Target:
    """Read the target from ``env``; raises :class:`TargetError` for a malformed setting."""
    raw_kind = env.get("CONTRACT_TARGET", "mock").strip().lower() or "mock"
    min_cases = _min_cases(env)
    if raw_kind == "mock":
        endpoints = {
            flavour: Endpoint(flavour, None, *MOCK_CREDENTIALS[flavour])
            for flavour in FLAVOURS
            if flavour in MOCK_CREDENTIALS
        }
        unserved = {
            flavour: f"the embedded mock does not serve {flavour} (green_api_contacts.mock)"
            for flavour in FLAVOURS
            if flavour not in MOCK_CREDENTIALS
        }
        return Target("mock", endpoints, unserved, min_cases)
    if raw_kind == "prism":
        urls = _require(
            env, tuple(PRISM_VARS.values()), "the prism target (use `make contract-prism`)"
        )
        return Target("prism", _example_endpoints(urls), {}, min_cases)
    if raw_kind == "url":
        values = _require(env, URL_VARS, "the url target")
        endpoint = _endpoint(values, URL_VARS)
        return Target(
            "url", {endpoint.flavour: endpoint}, _others(endpoint.flavour, "url"), min_cases
        )
    if raw_kind == "live":
        missing = [name for name in LIVE_VARS if not env.get(name, "").strip()]
        if missing:
            reason = f"live target skipped: set {', '.join(missing)} to run it"
            return Target("live", {}, dict.fromkeys(FLAVOURS, reason), 0, LIVE_MAX_CALLS)
        values = {name: env[name] for name in LIVE_VARS}
        endpoint = _endpoint(values, LIVE_VARS)
        return Target(
            "live",
            {endpoint.flavour: endpoint},
            _others(endpoint.flavour, "live"),
            0,
            LIVE_MAX_CALLS,
            LIVE_MIN_INTERVAL,
        )
    raise TargetError(f"CONTRACT_TARGET must be one of {', '.join(TARGET_KINDS)}, got {raw_kind!r}")


def _min_cases(env: Mapping[str, str]) -> int:
    raw = env.get("CONTRACT_MIN_CASES", "").strip()
    if not raw:
        return DEFAULT_MIN_CASES
    if not raw.isdigit():
        raise TargetError("CONTRACT_MIN_CASES must be a non-negative integer")
    return int(raw)


def _require(env: Mapping[str, str], names: tuple[str, ...], what: str) -> dict[str, str]:
    missing = [name for name in names if not env.get(name, "").strip()]
    if missing:
        raise TargetError(f"{what} needs {', '.join(missing)}")
    return {name: env[name].strip() for name in names}


def _example_endpoints(urls: Mapping[str, str]) -> dict[Flavour, Endpoint]:
    endpoints: dict[Flavour, Endpoint] = {}
    for flavour in FLAVOURS:
        id_instance, token = EXAMPLE_CREDENTIALS[flavour]
        base_url = _base_url(urls[PRISM_VARS[flavour]], PRISM_VARS[flavour])
        endpoints[flavour] = Endpoint(flavour, base_url, id_instance, token)
    return endpoints


def _endpoint(values: Mapping[str, str], names: tuple[str, ...]) -> Endpoint:
    url_var, id_var, token_var, flavour_var = names
    raw_id = values[id_var].strip()
    if _ID_RE.fullmatch(raw_id) is None or int(raw_id) == 0:
        raise TargetError(f"{id_var} must be a positive integer of 1 to 10 digits")
    token = values[token_var].strip()
    if _TOKEN_RE.fullmatch(token) is None:
        # Never echo the value: it is a secret.
        raise TargetError(f"{token_var} must be 1-256 characters from [A-Za-z0-9._~-]")
    flavour = _flavour(values[flavour_var], flavour_var)
    return Endpoint(flavour, _base_url(values[url_var], url_var), int(raw_id), token)


def _flavour(raw: str, name: str) -> Flavour:
    try:
        return get_flavour(raw).name
    except ValueError:
        pass
    raise TargetError(f"{name} must be one of {', '.join(FLAVOURS)}, got {raw.strip()!r}")


def _base_url(raw: str, name: str) -> str:
    url = raw.strip().rstrip("/")
    if _URL_RE.fullmatch(url) is None:
        raise TargetError(f"{name} must be an http(s) URL without query or fragment")
    return url


def _others(flavour: Flavour, kind: str) -> dict[Flavour, str]:
    return {
        other: f"{kind} target covers {flavour} only; {other} is not targeted"
        for other in FLAVOURS
        if other != flavour
    }
