"""Entry point for ``python -m engine``."""

import sys

from engine.tools.cli import main

sys.exit(main())
