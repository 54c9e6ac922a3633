"""``python -m tools.breaking``."""

from tools.breaking.cli import main

raise SystemExit(main())
