"""Optional parts of the package and the extra that installs each one.

A core install (``pip install green-api-contacts``) brings only what the clients need. The mock
needs ``[mock]`` (starlette, uvicorn), the generated pydantic models ``[pydantic]``. Importing a
part whose extra is missing raises an ImportError that names the extra, instead of a bare
``No module named 'starlette'`` deep inside a traceback.

The generated ``*_models`` modules are written by ``make generate`` and may not be edited, so
they are guarded by an import hook (`install_model_guard`, a ``sys.meta_path`` finder) that this
module installs when it is imported, which the package's ``__init__`` does first.
Hand-written because importlib offers no "requires extra" notion.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Final

DISTRIBUTION: Final = "green-api-contacts"
# Which top-level modules each extra brings.
EXTRAS: Final[dict[str, tuple[str, ...]]] = {
    "mock": ("starlette", "uvicorn"),
    "pydantic": ("pydantic",),
}
# Generated modules that need an extra, by full module name.
GUARDED_MODULES: Final[dict[str, str]] = {
    "green_api_contacts.generated.whatsapp_models": "pydantic",
    "green_api_contacts.generated.telegram_models": "pydantic",
}


class MissingExtraError(ModuleNotFoundError):
    """A part of the package was imported without the extra that installs its dependencies."""


def missing_modules(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here."""
    return [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]


def require(extra: str, part: str) -> None:
    """Raise `MissingExtraError` naming ``extra`` when its modules are not installed."""
    missing = missing_modules(extra)
    if missing:
        raise MissingExtraError(
            f"{part} needs the [{extra}] extra ({', '.join(missing)} not installed): "
            f"pip install '{DISTRIBUTION}[{extra}]'",
            name=missing[0],
        )


class _ModelGuard:
    """A meta-path finder that only speaks up for guarded modules whose extra is missing."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        extra = GUARDED_MODULES.get(fullname)
        if extra is not None:
            require(extra, fullname)
        return None  # let the ordinary finders load it

    def __repr__(self) -> str:
        return "green_api_contacts._extras._ModelGuard()"


_GUARD: Final = _ModelGuard()


def install_model_guard() -> None:
    """Put the guard first on ``sys.meta_path`` (idempotent)."""
    if _GUARD not in sys.meta_path:
        sys.meta_path.insert(0, _GUARD)


install_model_guard()
