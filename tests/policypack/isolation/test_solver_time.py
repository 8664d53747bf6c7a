"""The solver reports how long it took, in milliseconds: ``solve`` returns it with its answer, ``decide``
passes it on and ``check`` keeps it per property in ``Result.timings_ms`` (tools/isolation_timings.py
prints these figures). The figure covers the whole search, the building of each part's formula included,
and nothing outside the call: so it is at least the time the property's own formulas took to build and
at most the wall-clock time around the call, both for a model and for a proof. Rows are (statements,
the answer)."""

from __future__ import annotations

import importlib
import time
from typing import Any

import pytest
import z3
from cognito_s3_guard.isolation.check import Parts, Vars, check, solve, write_parts
from cognito_s3_guard.isolation.model import Problem

from .helpers import ARN, SUB, TIMEOUT_MS, problem

OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
check_mod = importlib.import_module("cognito_s3_guard.isolation.check")  # the module, not check()
ROWS: dict[str, tuple[list[dict[str, Any]], str]] = {
    "the own folder only: a proof that no write crosses": ([OWN], "unsat"),
    "PutObject on users/*: a model of a crossing write": (
        [OWN, {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}],
        "sat",
    ),
}


def timed(parts: Parts, spent: list[float]) -> Parts:
    """The same property, recording the seconds each building of its formulas takes."""

    def build(p: Problem, v: Vars) -> list[z3.BoolRef]:
        start = time.perf_counter()
        built = parts(p, v)
        spent.append(time.perf_counter() - start)
        return built

    return build


@pytest.mark.parametrize("name", list(ROWS))
def test_the_solver_reports_its_time_in_milliseconds(name: str) -> None:
    stmts, want = ROWS[name]
    spent: list[float] = []
    start = time.perf_counter()
    answer, _, ms = solve(problem(*stmts), timed(write_parts, spent), TIMEOUT_MS)
    wall_ms = (time.perf_counter() - start) * 1000
    assert answer == want and len(spent) >= 2  # once to count the parts, once per query
    assert sum(spent) * 1000 <= ms <= wall_ms


def test_a_property_the_fast_path_decides_reports_no_solver_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing and reading crossing-free on their own fast path (``public/`` is in no area) spend no solver
    time: ``check`` reports 0 ms for each; only the shared property goes to the solver."""
    monkeypatch.setattr(check_mod, "_CACHE", {})  # a cached result carries no timings
    public = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}
    result = check(problem(OWN, public), TIMEOUT_MS)
    assert (result.write.via, result.read.via) == ("fast-path", "fast-path")
    assert result.timings_ms[:2] == (0.0, 0.0) and len(result.timings_ms) == 3
