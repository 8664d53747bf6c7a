"""pytest plugin for `make mutate` (tools/mutate.py loads it with `-p tools.mutation_plugin`).

It changes no test and no verdict; it only makes a mutant's test run stop sooner and repeat exactly:
- `MUTATION_DURATIONS_OUT=path`: record each test's call time (the baseline run, on the unmutated pack).
- `MUTATION_DURATIONS_IN=path`: run the tests fastest first, by those times, so that with `-x` a killed
  mutant costs the cheap tests that catch it, not the slow fuzz tests that happen to sort first.
- hypothesis runs derandomized and without its example database, so a run depends on the seed and the
  sample only, not on what an earlier mutant left in `.hypothesis/`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

_calls: dict[str, float] = {}


def pytest_configure(config: pytest.Config) -> None:
    try:
        from hypothesis import settings
    except ImportError:  # pragma: no cover - hypothesis is a dev dependency
        return
    settings.register_profile("mutation", derandomize=True, database=None)
    settings.load_profile("mutation")


def order_by_duration(nodeids: list[str], durations: dict[str, float]) -> list[str]:
    """Fastest first; a test the baseline did not time keeps its place among the untimed, last."""
    known = [n for n in nodeids if n in durations]
    unknown = [n for n in nodeids if n not in durations]
    return sorted(known, key=lambda n: durations[n]) + unknown


def pytest_collection_modifyitems(config: pytest.Config, items: list[Any]) -> None:
    path = os.environ.get("MUTATION_DURATIONS_IN")
    if not path or not Path(path).is_file():
        return
    durations = json.loads(Path(path).read_text())
    by_id = {item.nodeid: item for item in items}
    items[:] = [by_id[n] for n in order_by_duration(list(by_id), durations)]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _calls[report.nodeid] = report.duration


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = os.environ.get("MUTATION_DURATIONS_OUT")
    if path:
        Path(path).write_text(json.dumps(_calls, indent=0, sort_keys=True))
