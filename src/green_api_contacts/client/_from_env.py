"""`client_from_env`: the client GREEN_API_FLAVOUR names, blocking or asyncio."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, overload

from green_api_contacts.client._config import Secret
from green_api_contacts.client._env import env_flavour
from green_api_contacts.client._flavours import FLAVOURS
from green_api_contacts.client._public import (
    AnyAsyncClient,
    AnySyncClient,
    async_client_class,
    client_class,
)
from green_api_contacts.errors import ConfigurationError

__all__ = ["AnyAsyncClient", "AnyClient", "client_from_env"]

AnyClient = AnySyncClient


@overload
def client_from_env(
    *, async_: Literal[False] = False, environ: Mapping[str, str] | None = None, **options: Any
) -> AnyClient: ...


@overload
def client_from_env(
    *, async_: Literal[True], environ: Mapping[str, str] | None = None, **options: Any
) -> AnyAsyncClient: ...


@overload
def client_from_env(
    *, async_: bool, environ: Mapping[str, str] | None = None, **options: Any
) -> AnyClient | AnyAsyncClient: ...


def client_from_env(
    *, async_: bool = False, environ: Mapping[str, str] | None = None, **options: Any
) -> AnyClient | AnyAsyncClient:
    """The client of the flavour GREEN_API_FLAVOUR names (any case; default: the first flavour,
    whatsapp, as the command line), configured like `from_env`; asyncio when `async_`.

    `options` go to the constructor (timeout, max_response_size, http_client, ...).
    """
    environment = Secret(os.environ if environ is None else environ)
    del environ  # a frame local: tracebacks with locals would print it
    flavour = env_flavour(environment)
    if isinstance(flavour, ConfigurationError):
        raise flavour
    wanted = FLAVOURS[0] if flavour is None else flavour
    # The registry's class for the flavour, never a branch on its name; a registered flavour
    # without declared public classes (a new entry still being added) is a ConfigurationError.
    pick = async_client_class if async_ else client_class
    try:
        cls: type[AnyClient | AnyAsyncClient] = pick(wanted.name)
    except LookupError:
        kind = "asyncio" if async_ else "blocking"
        raise ConfigurationError(f"no {kind} client for {wanted.name}") from None
    return cls.from_env(environ=environment.reveal(), **options)
