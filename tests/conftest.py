from __future__ import annotations

import os

# reports and hints must not depend on the developer's terminal
os.environ.setdefault("NO_COLOR", "1")
