"""The registry of book shapes: one entry per flavour, so the book never branches on a name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ._max import MAX
from ._shape import BookShape
from ._telegram import TELEGRAM
from ._whatsapp import WHATSAPP

SHAPES: Final[Mapping[str, BookShape]] = MappingProxyType(
    {shape.name: shape for shape in (WHATSAPP, TELEGRAM, MAX)}
)
