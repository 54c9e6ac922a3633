"""Imported first by the mock package: without the ``[mock]`` extra, an ImportError naming it."""

from green_api_contacts._extras import require

require("mock", "green_api_contacts.mock")
