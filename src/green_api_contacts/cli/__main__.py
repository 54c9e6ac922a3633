"""``python -m green_api_contacts.cli``: the console script, run as a module."""

import sys

from green_api_contacts.cli import main

sys.exit(main())
