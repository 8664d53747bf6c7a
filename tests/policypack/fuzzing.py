"""How long hypothesis runs. CI (the default): derandomized, a few examples per test, so the suite stays
fast and a failure reproduces. ``make fuzz`` sets PACK_FUZZ=1: random seeds and ``FUZZ_FACTOR`` times as
many examples (PACK_FUZZ_FACTOR overrides it)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ = os.environ.get("PACK_FUZZ", "") not in ("", "0")
FUZZ_FACTOR = int(os.environ.get("PACK_FUZZ_FACTOR", "25"))


def budget(examples: int, **extra) -> settings:
    """Settings for a test that runs ``examples`` examples in CI and many more under ``make fuzz``."""
    return settings(
        max_examples=examples * FUZZ_FACTOR if FUZZ else examples,
        derandomize=not FUZZ,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               *extra.pop("suppress", [])],
        **extra,
    )  # fmt: skip
