"""``python -m tools.check_examples``."""

import sys

from tools.check_examples.cli import main

sys.exit(main())
