"""Typed GREEN-API contacts clients for every registered flavour (WhatsApp, Telegram, MAX).

This module is the public API: the clients, the errors, the result types, `redact` and
`__version__`. The package's parts are folders: `client` (the clients, one concern per module),
`cli` (the command line), `mock` (the faithful mock, `[mock]` extra), `drift` (the drift
report), `testing` (for users' tests), `generated` (written by `make generate` only); beside
them `errors`, `types`, `flavours` (the typed registry), the tolerant decoder (`_tolerant`) and
the extras guard (`_extras`).
ARCHITECTURE.md maps every module and the way imports flow.
"""

# The import root spans two trees: hand-written code in src/ and what `make generate`
# writes to generated/ (see ARCHITECTURE.md). In a wheel both are one folder; in a
# development install extend_path joins them.
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

# Public API. Imported after extend_path so that the generated modules are found.
# _extras installs, on import, the guard that names the [pydantic] extra when the generated
# pydantic models are imported without it.
from green_api_contacts import _extras  # noqa: F401
from green_api_contacts._redact import RedactingFilter, redact
from green_api_contacts._version import package_version
from green_api_contacts.client import (
    AsyncMaxClient,
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    GreenAPIRetry,
    MaxClient,
    TelegramClient,
    WhatsAppClient,
    client_from_env,
)
from green_api_contacts.errors import (
    APIError,
    BadRequestError,
    ChatLimitExceededError,
    ClientClosedError,
    ConfigurationError,
    FlavourMismatchError,
    ForbiddenError,
    GreenAPIError,
    InstanceDeletedError,
    InstanceExpiredError,
    InstanceNotAuthorizedError,
    InstanceNotReadyError,
    InstanceStartingError,
    InvalidRequestError,
    NotFoundError,
    QuotaExceededError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnauthorizedError,
    UnexpectedStatusError,
    ValidationFailedError,
)
from green_api_contacts.types import (
    UNSET,
    MaxContact,
    MaxContactInfo,
    TelegramContact,
    TelegramContactInfo,
    UnsetType,
    WhatsAppContact,
    WhatsAppContactInfo,
    WhatsAppProduct,
    WhatsAppProductImageUrls,
    WhatsAppProductReviewStatus,
)

__version__: str = package_version()
"""info.version of openapi.yaml, the package's one version (see _version.py)."""

__all__ = [
    "UNSET",
    "APIError",
    "AsyncMaxClient",
    "AsyncTelegramClient",
    "AsyncWhatsAppClient",
    "BadRequestError",
    "ChatLimitExceededError",
    "ClientClosedError",
    "ConfigurationError",
    "FlavourMismatchError",
    "ForbiddenError",
    "GreenAPIError",
    "GreenAPIRetry",
    "InstanceDeletedError",
    "InstanceExpiredError",
    "InstanceNotAuthorizedError",
    "InstanceNotReadyError",
    "InstanceStartingError",
    "InvalidRequestError",
    "MaxClient",
    "MaxContact",
    "MaxContactInfo",
    "NotFoundError",
    "QuotaExceededError",
    "RateLimitedError",
    "RedactingFilter",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "TelegramClient",
    "TelegramContact",
    "TelegramContactInfo",
    "TransportError",
    "UnauthorizedError",
    "UnexpectedStatusError",
    "UnsetType",
    "ValidationFailedError",
    "WhatsAppClient",
    "WhatsAppContact",
    "WhatsAppContactInfo",
    "WhatsAppProduct",
    "WhatsAppProductImageUrls",
    "WhatsAppProductReviewStatus",
    "__version__",
    "client_from_env",
    "redact",
]
