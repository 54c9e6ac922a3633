"""Typed GREEN-API contacts clients for WhatsApp and Telegram."""

# The import root spans two trees: hand-written code in src/ and what `make generate`
# writes to generated/ (see ARCHITECTURE.md). In a wheel both are one folder; in a
# development install extend_path joins them.
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)
