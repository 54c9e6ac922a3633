"""A deterministic, realistic contact book per instance, and the contact-info answers built on it.

Every shape the documentation allows shows up: users without a profile name (no incoming
correspondence), users missing from the phone book (``contactName`` absent or empty), groups
without ``contactName``, old and new WhatsApp group ids, Telegram contacts with hidden phone
numbers (``0``), phone numbers beyond 2**31 and contacts with and without ``username``.

Rooms: ``_words`` (word lists), ``_draw`` (per-contact generators, unique invertible ids),
``_shape`` (what a flavour contributes), one module per flavour and ``_shapes`` (their
registry, keyed like the flavour registry; ``_generic`` derives a shape for a flavour without
one), ``_contacts`` (the book: selection by count and group, lookups), ``_cache``
(shared answer bytes). Everything derives from the seed; nothing touches global random state.
"""

from __future__ import annotations

import json

from ._cache import BODIES, BodyCache
from ._contacts import BookItems, ContactBook, encode_items
from ._generic import GenericShape
from ._shape import BookShape, Found, InfoContext, JSONObject, Kind, Slot
from ._shapes import SHAPES, shape_for


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON, as the API sends it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


__all__ = [
    "BODIES",
    "SHAPES",
    "BodyCache",
    "BookItems",
    "BookShape",
    "ContactBook",
    "Found",
    "GenericShape",
    "InfoContext",
    "JSONObject",
    "Kind",
    "Slot",
    "dumps",
    "encode_items",
    "shape_for",
]
