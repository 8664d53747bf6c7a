"""Brute force over a finite model (three identities, keys from the patterns' parts) against the verdict:
an "isolated" verdict with a brute-force counterexample fails."""

from __future__ import annotations

import itertools

from cognito_s3_guard.isolation import check
from cognito_s3_guard.isolation.fastpath import crossing_free
from cognito_s3_guard.isolation.model import LIST, READ_ACTIONS, WRITE_ACTIONS, Problem, action_groups
from cognito_s3_guard.isolation.oracle import allowed, in_area, under_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import ARN, SUB, TIMEOUT_MS, problem

IDS = tuple(f"us-east-1:{c * 8}-{c * 4}-{c * 4}-{c * 4}-{c * 12}" for c in "0ae")
PATTERNS = [f"users/{SUB}/*", f"users/*{SUB}/*", "users/*", "public/*", "*", f"users/{SUB}*"]
ACTIONS = [["s3:GetObject"], ["s3:PutObject"], ["s3:DeleteObject"], ["s3:*"], ["s3:ListBucket"]]
PREFIXES = [f"users/{SUB}/", "users/", "public/"]


@st.composite
def statement(draw: st.DrawFn) -> dict[str, object]:
    effect = draw(st.sampled_from(["Allow", "Allow", "Deny"]))
    acts = draw(st.sampled_from(ACTIONS))
    where = [f"{ARN}/{draw(st.sampled_from(PATTERNS))}"]
    if "s3:ListBucket" in acts or "s3:*" in acts:
        where.append(ARN)
    key = "NotResource" if effect == "Deny" and draw(st.booleans()) else "Resource"
    out: dict[str, object] = {"Effect": effect, "Action": acts, key: where}
    if draw(st.booleans()):
        op = draw(st.sampled_from(["StringLike", "StringNotLike", "StringLikeIfExists"]))
        out["Condition"] = {op: {"s3:prefix": draw(st.sampled_from(PREFIXES)) + "*"}}
    return out


def _keys(p: Problem) -> list[str]:
    parts = ["users/", "public/", "home/", *(f"users/{i}/" for i in IDS)]
    parts += [f"users/{i}/{j}/" for i in IDS for j in IDS] + [f"home/{i}/" for i in IDS]
    return [k + "x" for k in parts] + parts


def brute(p: Problem, prop: str) -> bool:
    """Some concrete crossing in the finite model."""
    keys = _keys(p)
    for a, b in itertools.permutations(IDS, 2):
        for k in keys:
            if not in_area(p, b, k):
                continue
            # One action per class that every statement treats alike (the oracle cannot tell them apart).
            writes, reads = action_groups(p, WRITE_ACTIONS), action_groups(p, READ_ACTIONS)
            if prop == "write" and any(allowed(p, a, act, k, None) for act in writes):
                return True
            if prop == "read" and not under_shared(p, k):
                if any(allowed(p, a, act, k, None) for act in reads):
                    return True
                if any(allowed(p, a, LIST, None, q) for q in [None, *(k[:n] for n in range(len(k) + 1))]):
                    return True
    return False


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(statement(), min_size=1, max_size=3), st.sampled_from(["us-east-1", None]))
def test_isolated_verdict_has_no_brute_force_counterexample(
    stmts: list[dict[str, object]], region: str | None
) -> None:
    p = problem(*stmts, region=region)
    result = check(p, TIMEOUT_MS)
    for prop in ("write", "read"):
        verdict = getattr(result, prop)
        assert verdict.kind != "undecided", (prop, stmts, verdict.reason)
        if verdict.kind == "isolated":
            assert not brute(p, prop), (prop, stmts)
        else:
            cx = verdict.counterexample
            assert cx is not None and in_area(p, cx.identity_b, cx.key)
            assert allowed(p, cx.identity_a, cx.action, None if cx.action == LIST else cx.key, cx.prefix)


OWN_PATTERNS = [f"users/{SUB}/*", f"users/{SUB}*", f"home/{SUB}/*", f"users/x{SUB}/*"]
OTHER_PATTERNS = ["public/*", "users/*", "*", "user*", "pub?ic/*", "public/${aws:username}/*", "home/x/*",
                  "usersx/*", "users/?/*", "users/u*", "users/x*", "users/??*", "home/?*"]


@st.composite
def split_statement(draw: st.DrawFn) -> dict[str, object]:
    """A per-identity statement in a usual shape, or one the same for every identity, or a Deny."""
    own = draw(st.booleans())
    pattern = draw(st.sampled_from(OWN_PATTERNS if own else OTHER_PATTERNS))
    acts = draw(st.sampled_from(ACTIONS))
    out: dict[str, object] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Allow", "Deny"])),
                              "Action": acts, "Resource": [f"{ARN}/{pattern}"]}  # fmt: skip
    if "s3:ListBucket" in acts or "s3:*" in acts:
        out["Resource"] = [*out["Resource"], ARN]  # type: ignore[list-item]
        if draw(st.integers(0, 3)):
            out["Condition"] = {"StringLike": {"s3:prefix": pattern}}
    return out


@settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(split_statement(), min_size=1, max_size=4), st.sampled_from(["us-east-1", None]))
def test_a_property_fast_path_has_no_brute_force_counterexample(
    stmts: list[dict[str, object]], region: str | None
) -> None:
    """Whenever the per-property fast path calls write or read isolated, brute force finds no crossing
    (the solver's agreement on named shapes: test_cases)."""
    p = problem(*stmts, region=region)
    for prop in ("write", "read"):
        if crossing_free(p, prop):
            assert not brute(p, prop), (prop, stmts)
