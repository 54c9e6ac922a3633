"""``python -m tools.overlay``."""

from tools.overlay.cli import main

raise SystemExit(main())
