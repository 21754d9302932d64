from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# reports and hints must not depend on the developer's terminal
os.environ.setdefault("NO_COLOR", "1")

# Property tests: `ci` (the default) is bounded and reproducible, so that a pull request never fails on an
# input that the previous run did not try; `MEDLINT_FUZZ=long` explores 25 times as many inputs, at random
# (docs/robustness.md). Tests that set max_examples themselves keep their own count.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("long" if os.environ.get("MEDLINT_FUZZ") == "long" else "ci")
