"""`python -m medlint.cli`, as the `medlint` console script."""
from __future__ import annotations

import sys

from . import main

if __name__ == "__main__":  # pragma: no cover; a module walk (tests/test_lazyre.py) imports this one too
    sys.exit(main())
