"""The one adapter over the generated openapi-python-client request builders.

openapi-python-client's `_get_kwargs` functions are the only part of the generated clients the
public clients use (their `*_detailed` functions fail on GREEN-API's 466, see README). They are
private to the generated package, so this is the only module that reaches into them: the
per-flavour builders below, and `Call`, the validated request they become.

The builders get a placeholder (`TOKEN_SLOT`) for the token; a `Call` holds the URL up to the
slash before it, and the token is put in only in the expression that hands the URL to httpx.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import quote

import httpx

from green_api_contacts.client._config import Secret
from green_api_contacts.errors import InvalidRequestError
from green_api_contacts.flavours import Flavour as RegistryFlavour

if TYPE_CHECKING:
    from green_api_contacts.client._flavours import Flavour

Operation = Literal["getContacts", "getContactInfo"]

# What the generated request builders get instead of the token: the URL's last path segment.
TOKEN_SLOT: Final = "apiTokenInstance"  # noqa: S105 - a placeholder, not a token
MAX_COUNT: Final = 2_147_483_647


def _user_agent() -> str:
    try:
        release = version("green-api-contacts")
    except PackageNotFoundError:  # running from a source tree that is not installed
        release = "0+unknown"
    return f"green-api-contacts/{release} python-httpx/{httpx.__version__}"


USER_AGENT: Final = _user_agent()


ContactsBuilder = Callable[[int, str, "int | None", "bool | None"], dict[str, Any]]
InfoBuilder = Callable[[int, str, str], dict[str, Any]]


def _snake(name: str) -> str:
    """`getContactInfo` -> `get_contact_info`: openapi-python-client's module names."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _kwargs_builder(flavour: RegistryFlavour, operation: str) -> Callable[..., dict[str, Any]]:
    """The generated `_get_kwargs` of `operation` in the flavour's openapi-python-client."""
    module = flavour.client(f"api.contacts.{_snake(operation)}")
    builder: Callable[..., dict[str, Any]] = module._get_kwargs
    return builder


def contacts_builder(flavour: RegistryFlavour) -> ContactsBuilder:
    """GetContacts' request builder: only the options the flavour's document declares.

    Each generated client has its own UNSET sentinel; an option left at None is that UNSET.
    """
    build = _kwargs_builder(flavour, "getContacts")
    unset = flavour.client("types").UNSET
    declared = flavour.options.get("getContacts", ())

    def contacts_kwargs(
        id_: int, token: str, count: int | None, group: bool | None
    ) -> dict[str, Any]:
        given = {"count": count, "group": group}
        options = {name: unset if given.get(name) is None else given[name] for name in declared}
        return build(id_, token, **options)

    return contacts_kwargs


def info_builder(flavour: RegistryFlavour) -> InfoBuilder:
    """GetContactInfo's request builder, the body the flavour's generated request model."""
    build = _kwargs_builder(flavour, "getContactInfo")
    body_model: Any = getattr(flavour.client("models"), flavour.request_struct)

    def info_kwargs(id_: int, token: str, chat_id: str) -> dict[str, Any]:
        return build(id_, token, body=body_model.from_dict({"chatId": chat_id}))

    return info_kwargs


@dataclass(frozen=True, slots=True, repr=False)
class Call:
    """One validated request, ready to send (and to send again for retry_empty).

    It holds no token: `url_before_token` ends with the slash after the method name, and
    `url(token)` is called in the expression that hands the URL to httpx.
    """

    operation: Operation
    method: str
    url_before_token: str
    options: dict[str, Any]  # params, json, headers: what httpx.Client.request takes besides

    def url(self, token: Secret[str]) -> str:
        return self.url_before_token + quote(token.reveal(), safe="")

    def __repr__(self) -> str:
        return f"<Call {self.operation}>"


def _finish(operation: Operation, api_url: str, kwargs: dict[str, Any]) -> Call:
    """A Call from what a generated builder returned for the token TOKEN_SLOT."""
    method = kwargs.pop("method")
    before_token, slot = kwargs.pop("url").rsplit("/", 1)
    if slot != TOKEN_SLOT:  # the generated URL layout changed: the token is not last
        raise RuntimeError(f"{operation}: the token is not the URL's last path segment")
    headers = dict(kwargs.get("headers") or {})
    headers["User-Agent"] = USER_AGENT
    headers.setdefault("Accept", "application/json")
    kwargs["headers"] = headers
    return Call(operation, method, f"{api_url}{before_token}/", kwargs)


def contacts_call(
    flavour: Flavour[Any, Any], api_url: str, id_instance: int, count: object, group: object
) -> Call:
    """GetContacts, its arguments checked before anything is sent."""
    if count is not None and (
        isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT
    ):
        raise InvalidRequestError(
            f"count must be an integer from 1 to {MAX_COUNT}, or None for all contacts; "
            f"got {count!r}",
            operation="getContacts",
            flavour=flavour.name,
        )
    if group is not None and not isinstance(group, bool):
        raise InvalidRequestError(
            f"group must be True, False or None; got {group!r}",
            operation="getContacts",
            flavour=flavour.name,
        )
    if group is not None and not flavour.spec.has_option("getContacts", "group"):
        raise InvalidRequestError(
            f"group is not an option of {flavour.spec.title}'s GetContacts; got {group!r}",
            operation="getContacts",
            flavour=flavour.name,
        )
    kwargs = flavour.contacts_kwargs(id_instance, TOKEN_SLOT, count, group)
    return _finish("getContacts", api_url, kwargs)


def empty_retries(flavour: Flavour[Any, Any], retry_empty: object, *, default: int) -> int:
    """get_contacts' `retry_empty` (the client's `default` when None), checked."""
    if retry_empty is None:
        return default
    if isinstance(retry_empty, bool) or not isinstance(retry_empty, int) or retry_empty < 0:
        raise InvalidRequestError(
            f"retry_empty must be an integer >= 0 or None; got {retry_empty!r}",
            operation="getContacts",
            flavour=flavour.name,
        )
    return retry_empty


def _short_repr(value: str, limit: int = 60) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def info_call(flavour: Flavour[Any, Any], api_url: str, id_instance: int, chat_id: object) -> Call:
    """GetContactInfo, the chat id checked first against the flavour's full-match grammar."""
    if not isinstance(chat_id, str):
        raise InvalidRequestError(
            f"chat_id must be a str ({flavour.chat_id_format}); got {type(chat_id).__name__}",
            operation="getContactInfo",
            flavour=flavour.name,
        )
    # The registry's grammar, the whole string (msgspec searches its pattern, whose `$` also
    # matches before a final newline: "71234567890@c.us\n" must be refused before sending).
    if flavour.is_chat_id(chat_id):
        return unchecked_info_call(flavour, api_url, id_instance, chat_id)
    problem = f"chat_id {_short_repr(chat_id)} is not {flavour.chat_id_format}"
    raise InvalidRequestError(problem, operation="getContactInfo", flavour=flavour.name)


def unchecked_info_call(
    flavour: Flavour[Any, Any], api_url: str, id_instance: int, chat_id: str
) -> Call:
    """The request without client-side validation (tests use it to reach the API's 400)."""
    kwargs = flavour.info_kwargs(id_instance, TOKEN_SLOT, chat_id)
    return _finish("getContactInfo", api_url, kwargs)
