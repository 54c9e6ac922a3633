"""The public clients, by concern (one module each; ARCHITECTURE.md draws the flow):

- `_config`: option checks, from_env reading, the `Secret` holding the token;
- `_flavours`: what the flavours' clients differ in, as data built from the registry;
- `_calls`: the one adapter over the generated request builders (validated `Call`s);
- `_flow`: the sans-I/O flow of a call, shared by `_sync` and `_async`, its two drivers;
- `_retry`: the retry policy (httpx-retries' `Retry`, fitted to GREEN-API);
- `_decode`, `_errors_map`: answers into typed results and typed errors;
- `_bounded`: each attempt within its deadline, each body within max_response_size;
- `_mismatch`, `_env`, `_from_env`: the wrong flavour's instance named, from_env's variables,
  and `client_from_env`, the client GREEN_API_FLAVOUR names;
- `_options`: `with_options`, a client derived with other options that shares the pool;
- `_bulk`: `get_contact_infos`, many chats with bounded concurrency and pacing;
- `_transport`: the async default transport (aiohttp under httpx with the `[aiohttp]` extra);
- `_base`, `_public`: the shared configuration and the public classes (two per flavour).
"""

from green_api_contacts.client._config import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
    ENV_API_URL,
    ENV_FLAVOUR,
    ENV_ID_INSTANCE,
    ENV_TOKEN,
)
from green_api_contacts.client._from_env import client_from_env
from green_api_contacts.client._public import (
    AnyAsyncClient,
    AnySyncClient,
    AsyncMaxClient,
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    MaxClient,
    TelegramClient,
    WhatsAppClient,
    async_client_class,
    client_class,
)
from green_api_contacts.client._retry import GreenAPIRetry, RetryAbandoned

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "ENV_API_URL",
    "ENV_FLAVOUR",
    "ENV_ID_INSTANCE",
    "ENV_TOKEN",
    "AnyAsyncClient",
    "AnySyncClient",
    "AsyncMaxClient",
    "AsyncTelegramClient",
    "AsyncWhatsAppClient",
    "GreenAPIRetry",
    "MaxClient",
    "RetryAbandoned",
    "TelegramClient",
    "WhatsAppClient",
    "async_client_class",
    "client_class",
    "client_from_env",
]
