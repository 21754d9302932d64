"""`python -m medlint.cli`, as the `medlint` console script."""
from __future__ import annotations

import sys

from . import main

sys.exit(main())
