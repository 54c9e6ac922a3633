"""``python -m green_api_contacts.drift PATH...``."""

from ._cli import main

raise SystemExit(main())
