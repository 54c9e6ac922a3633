"""The tolerant decoder: strict and fast for known shapes, never losing what the API sent."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest

from green_api_contacts._tolerant import TolerantStruct, tolerant_decoder
from green_api_contacts.generated import telegram_structs as tg
from green_api_contacts.generated import whatsapp_structs as wa

contacts: Callable[[bytes], list[wa.WhatsAppContact]] = tolerant_decoder(list[wa.WhatsAppContact])
info: Callable[[bytes], wa.WhatsAppContactInfo | None] = tolerant_decoder(
    wa.WhatsAppContactInfoOrNull
)
tg_contacts: Callable[[bytes], list[tg.TelegramContact]] = tolerant_decoder(
    list[tg.TelegramContact]
)


def test_every_generated_struct_is_tolerant() -> None:
    for module in (wa, tg):
        structs = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, msgspec.Struct)
        ]
        assert structs
        assert all(issubclass(s, TolerantStruct) for s in structs)


def test_known_fields_decode_with_their_types() -> None:
    [user, group] = contacts(
        b'[{"id":"1@c.us","name":"","contactName":"Ivan","type":"user"},'
        b'{"id":"2-3@g.us","name":"G","type":"group"}]'
    )
    assert (user.id, user.name, user.contact_name, user.type) == ("1@c.us", "", "Ivan", "user")
    assert group.contact_name == ""  # absent: its default (README, Fields and absent values)
    assert user.extra == {}
    assert group.extra == {}


def test_big_integers_stay_integers() -> None:
    [contact] = tg_contacts(b'[{"chatId":"1","phoneNumber":79876543210}]')
    assert contact.phone_number == 79876543210
    assert type(contact.phone_number) is int


def test_unknown_enum_values_are_kept_as_strings() -> None:
    [contact] = contacts(b'[{"id":"1@c.us","type":"channel"}]')
    assert contact.type == "channel"


def test_documented_null_is_none() -> None:
    assert info(b"null") is None
    decoded = info(b'{"lastSeen":null,"muteExpiration":null,"products":[{"price":null}]}')
    assert decoded is not None
    assert decoded.last_seen is None
    assert decoded.mute_expiration is None
    assert decoded.products
    assert decoded.products[0].price is None


def test_unknown_fields_are_kept_at_every_level() -> None:
    decoded = info(
        b'{"chatId":"1@c.us","newTop":{"a":1},"products":[{"id":"p","imageUrls":'
        b'{"requested":"r","newDeep":2},"newMid":[3]},{"id":"q"}]}'
    )
    assert decoded is not None
    assert decoded.chat_id == "1@c.us"
    assert decoded.extra == {"newTop": {"a": 1}}
    products = decoded.products
    assert isinstance(products, list)
    assert products[0].extra == {"newMid": [3]}
    assert isinstance(products[0].image_urls, wa.WhatsAppProductImageUrls)
    assert products[0].image_urls.extra == {"newDeep": 2}
    assert products[1].extra == {}


def test_unknown_fields_in_a_list_stay_with_their_own_item() -> None:
    decoded = contacts(b'[{"id":"a@c.us"},{"id":"b@c.us","x":1},{"id":"c@c.us","y":2}]')
    assert [c.extra for c in decoded] == [{}, {"x": 1}, {"y": 2}]


def test_the_fast_and_the_tolerant_path_agree_on_known_fields() -> None:
    plain = contacts(b'[{"id":"1@c.us","name":"N","type":"user"}]')
    extra = contacts(b'[{"id":"1@c.us","name":"N","type":"user","more":true}]')
    assert plain == extra


def test_wrong_shapes_raise_validation_errors() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$\[0\]\.id"):
        contacts(b'[{"id":5}]')
    with pytest.raises(msgspec.ValidationError, match="required field `id`"):
        contacts(b'[{"name":"x"}]')
    with pytest.raises(msgspec.ValidationError):
        contacts(b'{"id":"1@c.us"}')
    with pytest.raises(msgspec.ValidationError, match=r"\$\[0\]\.id"):
        contacts(b'[{"id":5,"unknown":1}]')  # wrong and unknown: the real error wins


def test_bytes_that_are_not_json_raise_decode_errors() -> None:
    with pytest.raises(msgspec.DecodeError):
        contacts(b'[{"id":"1@c.us"')
    with pytest.raises(msgspec.DecodeError):
        contacts(b"<html>502 Bad Gateway</html>")


def test_repr_shows_each_sent_field_once_and_leaves_out_unset() -> None:
    """Issue 13: a result's repr shows what arrived, once, not a wall of ``x=UNSET``."""
    info: wa.WhatsAppContactInfo = tolerant_decoder(wa.WhatsAppContactInfo)(
        b'{"avatar":"","name":"n","chatId":"1@c.us","lastSeen":null,"isArchive":false,"x":1}'
    )
    text = repr(info)
    assert text == (
        "WhatsAppContactInfo(avatar='', name='n', contact_name='', email='', category='', "
        "description='', products=[], chat_id='1@c.us', last_seen=None, is_archive=False, "
        "is_disappearing=False, is_mute=False, message_expiration=0, is_business=False)"
    )
    assert "UNSET" not in text
    assert text.count(" name=") == 1
