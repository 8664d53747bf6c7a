"""How long hypothesis runs. CI (the default): derandomized, the examples each test names (the verdict
properties a few hundred in all), so that a failure reproduces. ``make fuzz`` sets PACK_FUZZ=1: random
seeds and ``FUZZ_FACTOR`` times as many examples (PACK_FUZZ_FACTOR overrides it). ``make mutate`` runs
each test against hundreds of changed packs and sets PACK_EXAMPLE_SCALE (a fraction) to run fewer, still
derandomized: its score is then a lower bound of what CI's examples would catch."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ = os.environ.get("PACK_FUZZ", "") not in ("", "0")
FUZZ_FACTOR = int(os.environ.get("PACK_FUZZ_FACTOR", "25"))
SCALE = float(os.environ.get("PACK_EXAMPLE_SCALE", "1"))


def budget(examples: int, **extra) -> settings:
    """Settings for a test that runs ``examples`` examples in CI and many more under ``make fuzz``."""
    return settings(
        max_examples=examples * FUZZ_FACTOR if FUZZ else max(1, round(examples * SCALE)),
        derandomize=not FUZZ,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               *extra.pop("suppress", [])],
        **extra,
    )  # fmt: skip
