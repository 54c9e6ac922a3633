"""The exception hierarchy: shape, texts, and the mapping of documented 400 messages."""

from __future__ import annotations

import pickle

import pytest

import green_api_contacts
from green_api_contacts import errors
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
    bad_request_class,
)
from green_api_contacts.generated import telegram_structs, whatsapp_structs

PARENTS = {
    ConfigurationError: GreenAPIError,
    InvalidRequestError: GreenAPIError,
    APIError: GreenAPIError,
    BadRequestError: APIError,
    ValidationFailedError: BadRequestError,
    InstanceStartingError: BadRequestError,
    InstanceNotAuthorizedError: BadRequestError,
    InstanceExpiredError: BadRequestError,
    InstanceDeletedError: BadRequestError,
    InstanceNotReadyError: InstanceStartingError,  # and InstanceNotAuthorizedError
    UnauthorizedError: APIError,
    ForbiddenError: APIError,
    NotFoundError: APIError,
    RateLimitedError: APIError,
    QuotaExceededError: APIError,
    ChatLimitExceededError: QuotaExceededError,  # and BadRequestError
    ServerError: APIError,
    UnexpectedStatusError: APIError,
    ResponseValidationError: GreenAPIError,
    ResponseTooLargeError: ResponseValidationError,
    TransportError: GreenAPIError,
    RequestTimeoutError: TransportError,
    FlavourMismatchError: ConfigurationError,
    ClientClosedError: GreenAPIError,
}


@pytest.mark.parametrize(("child", "parent"), PARENTS.items())
def test_hierarchy(child: type[Exception], parent: type[Exception]) -> None:
    assert child.__bases__[0] is parent


def test_every_error_is_exported_from_the_package() -> None:
    for name in errors.__all__:
        if name[0].isupper():
            assert getattr(green_api_contacts, name) is getattr(errors, name)


def test_input_errors_are_value_errors() -> None:
    assert issubclass(InvalidRequestError, ValueError)
    assert issubclass(ConfigurationError, ValueError)
    assert not issubclass(APIError, ValueError)


def test_every_exported_error_is_in_the_hierarchy_table() -> None:
    exported = {getattr(errors, name) for name in errors.__all__ if name[0].isupper()}
    assert exported == set(PARENTS) | {GreenAPIError}


def test_a_closed_client_error_is_still_a_runtime_error() -> None:
    """httpx raised RuntimeError for a call on a closed client; code catching that keeps working."""
    assert issubclass(ClientClosedError, RuntimeError)
    assert not issubclass(ClientClosedError, ValueError)


DOCUMENTED_400 = [
    ("instance in starting process try later", InstanceStartingError),
    ("instance account not authorized", InstanceNotAuthorizedError),
    ("Instance account is expired. Renew your instance from personal area", InstanceExpiredError),
    ("Instance is deleted", InstanceDeletedError),
    ("Validation failed", ValidationFailedError),
    ("Validation failed. Details: 'chatId' is required", ValidationFailedError),
    (
        "Validation failed. Details: 'chatId' must be one of the next formats: "
        "'phone_number@c.us' or 'group_id@g.us'",
        ValidationFailedError,
    ),
    ("bad request data", BadRequestError),
    ("Unexpected token } in JSON at position 12", BadRequestError),
    ("something new", BadRequestError),
    ("  INSTANCE IN STARTING PROCESS try later ", InstanceStartingError),
]


@pytest.mark.parametrize(("message", "expected"), DOCUMENTED_400)
def test_400_messages_map_to_classes(message: str, expected: type[BadRequestError]) -> None:
    assert bad_request_class(message) is expected


def test_str_and_repr() -> None:
    error = InstanceStartingError(
        "instance in starting process try later",
        status_code=400,
        operation="getContacts",
        flavour="whatsapp",
    )
    assert str(error) == "getContacts (whatsapp): HTTP 400: instance in starting process try later"
    assert repr(error) == (
        "InstanceStartingError(message='instance in starting process try later', status_code=400, "
        "operation='getContacts', flavour='whatsapp')"
    )
    assert str(TransportError("boom")) == "boom"
    assert str(TransportError("boom", operation="getContactInfo")) == "getContactInfo: boom"
    assert str(ConfigurationError("x", flavour="telegram")) == "telegram: x"


def test_errors_survive_pickling_with_their_message() -> None:
    error = pickle.loads(pickle.dumps(RateLimitedError("slow down", retry_after=2.0)))
    assert error.message == "slow down"
    large = pickle.loads(pickle.dumps(ResponseTooLargeError("big", limit=10, status_code=200)))
    assert (large.message, large.limit, large.status_code) == ("big", 10, 200)
    wrong = pickle.loads(pickle.dumps(FlavourMismatchError("no", right_client="TelegramClient")))
    assert (wrong.message, wrong.right_client) == ("no", "TelegramClient")


@pytest.mark.parametrize("module", [whatsapp_structs, telegram_structs])
def test_quota_figures_come_from_the_exceeded_part(module: object) -> None:
    status = module.QuotaStatus  # type: ignore[attr-defined]
    invoke = status(method="getcontacts", used=3, total=1000, status="QUOTE_ALLOWED")
    correspondents = status(used=3, total=3, status="QUOTE_EXCEEDED", description="limit")
    error = QuotaExceededError(
        "q", invoke_status=invoke, correspondents_status=correspondents, status_code=466
    )
    assert (error.used, error.total, error.status, error.description) == (
        3,
        3,
        "QUOTE_EXCEEDED",
        "limit",
    )
    assert error.method is None
    only_invoke = QuotaExceededError("q", invoke_status=invoke)
    assert (only_invoke.method, only_invoke.used, only_invoke.total) == ("getcontacts", 3, 1000)


def test_quota_error_without_figures() -> None:
    error = QuotaExceededError("quota", status_code=466)
    assert (error.method, error.used, error.total, error.status, error.description) == (None,) * 5


def test_rate_limited_retry_after() -> None:
    assert RateLimitedError("x").retry_after is None
    assert RateLimitedError("x", retry_after=1.5).retry_after == 1.5
