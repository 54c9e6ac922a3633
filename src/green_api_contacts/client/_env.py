"""What `from_env` reads: the instance's settings and GREEN_API_FLAVOUR, checked.

Like `_config`, these functions return the error for the caller to raise, and take the
environment wrapped in a `Secret`: its repr holds every secret of the process, and a traceback
rendered with its locals would print it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from green_api_contacts.client import _config, _mismatch
from green_api_contacts.client._config import Secret
from green_api_contacts.client._flavours import FLAVOURS, Flavour
from green_api_contacts.errors import ConfigurationError, GreenAPIError

__all__ = ["Settings", "env_flavour", "settings"]

Settings = tuple[int, Secret[str], Secret[str | None]]


def env_flavour(env: Secret[Mapping[str, str]]) -> Flavour[Any, Any] | ConfigurationError | None:
    """The flavour GREEN_API_FLAVOUR names (any case), None when unset, or what is wrong."""
    named = _config.read_env_flavour(env.reveal())
    if named is None:
        return None
    wanted = _mismatch.by_name(named)
    if wanted is None:
        return ConfigurationError(_config.env_flavour_problem(f.name for f in FLAVOURS))
    return wanted


def settings(
    flavour: Flavour[Any, Any], driver_prefix: str, env: Secret[Mapping[str, str]]
) -> Settings | GreenAPIError:
    """(idInstance, token, api_url) for `flavour`'s client, or the error to raise: a missing or
    bad variable, or GREEN_API_FLAVOUR naming another flavour (the error names its client)."""
    wanted = env_flavour(env)
    if isinstance(wanted, ConfigurationError):
        return wanted
    if wanted is not None and wanted is not flavour:
        return _mismatch.env_error(flavour, wanted, driver_prefix)
    found = _config.read_env(env.reveal())
    return ConfigurationError(found) if isinstance(found, str) else found
