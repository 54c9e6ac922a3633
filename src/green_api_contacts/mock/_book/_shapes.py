"""The registry of book shapes: one entry per flavour, so the book never branches on a name.

Keys are registry flavour names (a test holds them equal to ``green_api_contacts.flavours``'s).
A registered flavour without an entry here gets a :class:`GenericShape` built from its registry
entry and generated Structs, so a new flavour needs a shape only where it behaves differently.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from green_api_contacts.flavours import get_flavour

from ._generic import GenericShape
from ._max import MAX
from ._shape import BookShape
from ._telegram import TELEGRAM
from ._whatsapp import WHATSAPP

SHAPES: Final[Mapping[str, BookShape]] = MappingProxyType(
    {shape.name: shape for shape in (WHATSAPP, TELEGRAM, MAX)}
)

_DERIVED: dict[str, BookShape] = {}
_LOCK: Final = threading.Lock()


def shape_for(flavour: str) -> BookShape:
    """The flavour's shape: its own from ``SHAPES``, else one derived from the registry.

    ValueError for a name the registry does not know either.
    """
    shape = SHAPES.get(flavour)
    if shape is not None:
        return shape
    with _LOCK:
        derived = _DERIVED.get(flavour)
        if derived is None:
            derived = _DERIVED[flavour] = GenericShape(get_flavour(flavour))
        return derived
