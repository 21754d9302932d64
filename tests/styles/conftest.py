from __future__ import annotations

from collections.abc import Iterator

import pytest

from medlint import rules


@pytest.fixture(autouse=True)
def _builtin_rules_after() -> Iterator[None]:
    """Each config build installs its own rules; a test that built one with house rules must not hand them on."""
    yield
    rules.install(())
