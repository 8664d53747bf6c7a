"""A statement set is solved once per analysis process: the same set in another order, with duplicates or
with other origins is answered from the cache, with the origins of the problem at hand; another bucket,
region or set of shared prefixes is judged afresh (each can change the verdict). ``STATS`` counts every
check once, under the route that answered it (tools/isolation_timings.py prints the fast-path and cache
hit rates from it): "fast" (the usual shape, never cached), "solved" or "cache"."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from types import ModuleType
from typing import Any

import pytest
from cognito_s3_guard.isolation import STATS, Problem, Result, check, decide

from .helpers import ARN, SUB, TIMEOUT_MS, problem

OWN = {"Sid": "CacheOwn", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
       "Resource": f"{ARN}/users/{SUB}/*"}  # fmt: skip


def kinds(result: Result) -> tuple[str, str, str]:
    return (result.write.kind, result.read.kind, result.shared.kind)


def vias(result: Result) -> set[str]:
    return {result.write.via, result.read.via, result.shared.via}


def test_the_same_statements_in_another_order_and_twice_are_answered_from_the_cache() -> None:
    public = {"Sid": "CacheOrder", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}
    first = check(problem(OWN, public), TIMEOUT_MS)
    p = problem(public, OWN, public)
    again = check(p, TIMEOUT_MS)
    assert kinds(first) == kinds(again) == ("isolated", "isolated", "shared") and vias(again) == {"cache"}
    cx = again.shared.counterexample
    assert cx is not None and cx.origin in (p.statements[0].origin, p.statements[2].origin)  # at hand


def test_declared_shared_prefixes_are_judged_afresh() -> None:
    public = {
        "Sid": "CacheShared",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": f"{ARN}/public/*",
    }
    assert check(problem(OWN, public), TIMEOUT_MS).shared.kind == "shared"
    declared = check(problem(OWN, public, shared=("public/",)), TIMEOUT_MS)
    assert declared.shared.kind == "isolated" and "cache" not in vias(declared)


def test_another_region_is_judged_afresh() -> None:
    region_wide = {"Sid": "CacheRegion", "Effect": "Allow", "Action": "s3:PutObject",
                   "Resource": f"{ARN}/users/us-east-1:*"}  # fmt: skip
    assert check(problem(OWN, region_wide), TIMEOUT_MS).write.kind == "crossing-write"
    other = check(problem(OWN, region_wide, region="eu-west-1"), TIMEOUT_MS)
    assert other.write.kind == "isolated" and "cache" not in vias(other)


def test_another_bucket_is_judged_afresh() -> None:
    wide = {"Sid": "CacheBucket", "Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}
    p = problem(OWN, wide)
    assert check(p, TIMEOUT_MS).write.kind == "crossing-write"
    elsewhere: Problem = replace(p, bucket="other")  # the same statements name no key of "other"
    result = check(elsewhere, TIMEOUT_MS)
    assert kinds(result) == ("isolated", "isolated", "isolated") and "cache" not in vias(result)


ROUTED = {"Sid": "CacheRoutes", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/routes/*"}
# name: (statements, the route of a first check and of a second check of the same statements)
ROUTES: dict[str, tuple[list[dict[str, Any]], tuple[str, str]]] = {
    "the usual shape takes the fast path every time": ([OWN], ("fast", "fast")),
    "a new statement set is solved, then answered from the cache": (
        [OWN, ROUTED],
        ("solved", "cache"),
    ),
}


@pytest.mark.parametrize("name", list(ROUTES))
def test_each_check_is_counted_once_under_the_route_that_answered_it(name: str) -> None:
    stmts, routes = ROUTES[name]
    for route in routes:
        before = dict(STATS)
        check(problem(*stmts), TIMEOUT_MS)
        assert {k: STATS[k] - before[k] for k in STATS} == {k: int(k == route) for k in STATS}


def test_a_repeated_check_is_answered_from_the_cache_and_counted_once() -> None:
    """tools/isolation_timings.py reports the cache's hit rate from STATS: each repeat of a solved
    problem is one cache hit, answered with via "cache"."""
    p = problem(OWN, {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/counted-once/*"})
    check(p, TIMEOUT_MS)
    before = STATS["cache"]
    again = [check(p, TIMEOUT_MS) for _ in range(3)]
    assert STATS["cache"] == before + 3
    assert {r.write.via for r in again} == {"cache"}


def test_a_problem_rebuilt_equal_to_one_decided_before_is_decided_the_same() -> None:
    """The analyzer serves one preview after another in one process: the same statements, judged again as
    a new but equal problem, give the same crossing and culprit (not an internal error)."""
    stmts = [OWN, {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*/rebuilt"}]
    first, _ = decide(problem(*stmts), "write", TIMEOUT_MS)
    again, _ = decide(problem(*stmts), "write", TIMEOUT_MS)
    assert first.kind == again.kind == "crossing-write"
    assert first.counterexample is not None and again.counterexample is not None
    assert again.counterexample.origin == first.counterexample.origin
    assert again.counterexample.origin.index == 1


def fresh_check_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A second copy of the module that holds ``check``, as a new analysis process loads it."""
    source = importlib.util.find_spec("cognito_s3_guard.isolation.check")
    assert source is not None and source.origin is not None
    spec = importlib.util.spec_from_file_location("cognito_s3_guard.isolation._fresh_check", source.origin)
    assert spec is not None and spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, copy)  # its dataclasses look their module up there
    spec.loader.exec_module(copy)
    return copy


def test_a_new_process_counts_its_checks_from_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """tools/isolation_timings.py prints STATS of its own process as absolute counts (and the fast-path
    hit rate over their sum): a process starts with nothing counted, so after its first check the counts
    are exactly that one check under its route."""
    fresh = fresh_check_module(monkeypatch)
    assert fresh.STATS == {"fast": 0, "cache": 0, "solved": 0}
    fresh.check(problem(OWN), TIMEOUT_MS)
    assert fresh.STATS == {"fast": 1, "cache": 0, "solved": 0}
