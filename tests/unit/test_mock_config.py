"""Mock configuration: instances, example credentials, the CLI instance spec."""

from __future__ import annotations

import re

import pytest

from green_api_contacts.flavours import example_instances
from green_api_contacts.mock import (
    DEFAULT_INSTANCES,
    EXAMPLE_MAX_ID,
    EXAMPLE_MAX_TOKEN,
    EXAMPLE_TELEGRAM_ID,
    EXAMPLE_TELEGRAM_TOKEN,
    EXAMPLE_WHATSAPP_ID,
    EXAMPLE_WHATSAPP_TOKEN,
    MockInstance,
    create_app,
    parse_instance_spec,
)

SECRET = "c0ffee" * 8 + "ab"


def test_default_instances_are_the_registry_examples() -> None:
    """One per registered flavour, in declaration order, MAX included."""
    assert [(i.id_instance, i.token, i.flavour) for i in DEFAULT_INSTANCES] == [
        (e.id_instance, e.token, e.flavour) for e in example_instances()
    ]
    assert [(i.id_instance, i.flavour) for i in DEFAULT_INSTANCES] == [
        (1101000001, "whatsapp"),
        (4100000000, "telegram"),
        (3100000000, "max"),
    ]
    assert (EXAMPLE_WHATSAPP_ID, EXAMPLE_TELEGRAM_ID, EXAMPLE_MAX_ID) == (
        1101000001,
        4100000000,
        3100000000,
    )
    tokens = (EXAMPLE_WHATSAPP_TOKEN, EXAMPLE_TELEGRAM_TOKEN, EXAMPLE_MAX_TOKEN)
    for token in tokens:
        assert re.fullmatch(r"[0-9a-f]{50}", token)
    assert len(set(tokens)) == 3
    app = create_app()
    assert {runtime.id_instance for runtime in app.mock.instances} == {
        1101000001,
        4100000000,
        3100000000,
    }


def test_repr_never_shows_the_token() -> None:
    instance = MockInstance(1, SECRET, "whatsapp")
    assert SECRET not in repr(instance)
    assert SECRET not in repr(create_app([instance]).mock.instance(1))
    assert SECRET not in str(instance)


def test_book_seed_defaults_to_the_id() -> None:
    assert MockInstance(77, "t", "telegram").book_seed == 77
    assert MockInstance(77, "t", "telegram", seed=5).book_seed == 5


@pytest.mark.parametrize(
    "kwargs",
    [
        {"id_instance": 0},
        {"id_instance": 10**10},
        {"id_instance": True},
        {"token": ""},
        {"token": "has/slash"},
        {"token": "has space"},
        {"flavour": "viber"},
        {"flavour": ""},
        {"contacts": -1},
        {"contacts": 10**7},
        {"state": "sleeping"},
        {"warmup_seconds": -1.0},
        {"warmup_seconds": float("inf")},
        {"seed": 1.5},
    ],
)
def test_invalid_instances_are_rejected(kwargs: dict[str, object]) -> None:
    values: dict[str, object] = {"id_instance": 1, "token": "tok", "flavour": "whatsapp"}
    values.update(kwargs)
    with pytest.raises((TypeError, ValueError)):
        MockInstance(**values)  # type: ignore[arg-type]


def test_duplicate_and_unknown_instances() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        create_app([MockInstance(1, "a", "whatsapp"), MockInstance(1, "b", "telegram")])
    with pytest.raises(KeyError):
        create_app().mock.instance(12345)
    assert create_app().mock.find(12345) is None


def test_parse_instance_spec() -> None:
    instance = parse_instance_spec(f"1101000001:{SECRET}:whatsapp")
    assert (instance.id_instance, instance.token, instance.flavour, instance.contacts) == (
        1101000001,
        SECRET,
        "whatsapp",
        1000,
    )
    telegram = parse_instance_spec(f"4100000000:{SECRET}:Telegram:25")
    assert (telegram.flavour, telegram.contacts) == ("telegram", 25)


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        (f"1101000001:{SECRET}", "got 2 fields"),
        (f"1101000001:{SECRET}:whatsapp:1:2", "got 5 fields"),
        (f"abc:{SECRET}:whatsapp", "ID must be"),
        (f"11010000011:{SECRET}:whatsapp", "ID must be"),
        (f"1101000001:{SECRET}:viber", "FLAVOUR"),
        (f"1101000001:{SECRET}:whatsapp:many", "CONTACTS"),
        (f"1101000001:{SECRET}:whatsapp:-5", "CONTACTS"),
        ("1101000001:bad token:whatsapp", "token must be"),
    ],
)
def test_parse_instance_spec_errors_never_echo_the_token(spec: str, match: str) -> None:
    with pytest.raises(ValueError, match=match) as caught:
        parse_instance_spec(spec)
    assert SECRET not in str(caught.value)
    assert "bad token" not in str(caught.value)
