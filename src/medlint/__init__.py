"""medlint: lint and validate drug-information records before they are published."""
from __future__ import annotations

__version__ = "0.1.0"
