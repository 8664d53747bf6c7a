"""How a statement's conditions change the isolation verdicts: ``s3:prefix`` present or absent (IfExists,
``Null``, the set quantifiers, negated operators), and keys or operators the pack cannot know, which it
reads towards access (true in an Allow; a Deny that depends on them never subtracts). Each row names the
three verdicts; every crossing's counterexample replays through the concrete evaluator (the oracle)."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import Verdict, check, decide
from cognito_s3_guard.isolation.model import LIST, Problem
from cognito_s3_guard.isolation.oracle import allowed

from .helpers import ARN, SUB, TIMEOUT_MS, assert_replays, problem

OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
PUT_USERS = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}
SUB_KEY = "cognito-identity.amazonaws.com:sub"


def listing(condition: dict[str, Any] | None = None) -> dict[str, Any]:
    """s3:ListBucket on the bucket for every identity alike (no per-identity part: nobody's area)."""
    stmt: dict[str, Any] = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN}
    return {**stmt, "Condition": condition} if condition else stmt


def deny_listing(condition: dict[str, Any]) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": ARN, "Condition": condition}


def deny_put_users(condition: dict[str, Any]) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*", "Condition": condition}


PUBLIC_IF_EXISTS = listing({"StringLikeIfExists": {"s3:prefix": "public/*"}})
NO_PREFIX = "no prefix"  # the crossing is a listing without any s3:prefix

# name: (statements, (write, read, shared), the crossing read's list prefix when it is a listing)
ROWS: dict[str, tuple[list[dict[str, Any]], tuple[str, str, str], str | None]] = {
    "compliant: listing only under public/ (StringLike, prefix required)": (
        [OWN, listing({"StringLike": {"s3:prefix": "public/*"}})], ("isolated", "isolated", "shared"), None,
    ),
    "non-compliant: StringLikeIfExists lets a listing without a prefix show every key": (
        [OWN, PUBLIC_IF_EXISTS], ("isolated", "crossing-read", "shared"), NO_PREFIX,
    ),
    "compliant: the same, with a Deny of listings whose s3:prefix is Null": (
        [OWN, PUBLIC_IF_EXISTS, deny_listing({"Null": {"s3:prefix": "true"}})],
        ("isolated", "isolated", "shared"), None,
    ),
    "non-compliant: a Deny of listings that have a prefix leaves the one without": (
        [OWN, PUBLIC_IF_EXISTS, deny_listing({"Null": {"s3:prefix": "false"}})],
        ("isolated", "crossing-read", "shared"), NO_PREFIX,
    ),
    "non-compliant: ForAllValues holds vacuously for a listing without a prefix": (
        [OWN, listing({"ForAllValues:StringLike": {"s3:prefix": "public/*"}})],
        ("isolated", "crossing-read", "shared"), NO_PREFIX,
    ),
    "compliant: ForAnyValue needs a prefix that matches": (
        [OWN, listing({"ForAnyValue:StringLike": {"s3:prefix": "public/*"}})],
        ("isolated", "isolated", "shared"), None,
    ),
    "non-compliant: StringNotLike users/* holds for a listing without a prefix": (
        [OWN, listing({"StringNotLike": {"s3:prefix": "users/*"}})], ("isolated", "crossing-read", "shared"),
        NO_PREFIX,
    ),
    "compliant: a bucket-wide listing cut back by a Deny StringNotLike public/*": (
        [OWN, listing(), deny_listing({"StringNotLike": {"s3:prefix": "public/*"}})],
        ("isolated", "isolated", "shared"), None,
    ),
    "compliant: StringEquals names the one shared prefix public/": (
        [OWN, listing({"StringEquals": {"s3:prefix": "public/"}})], ("isolated", "isolated", "shared"), None,
    ),
    "non-compliant: StringEquals names users/, the parent of every folder": (
        [OWN, listing({"StringEquals": {"s3:prefix": "users/"}})],
        ("isolated", "crossing-read", "shared"), "users/",
    ),
    "compliant: StringEquals on the own folder beside a shared public/ read": (
        [OWN, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN,
               "Condition": {"StringEquals": {"s3:prefix": f"users/{SUB}/"}}},
         {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}],
        ("isolated", "isolated", "shared"), None,
    ),
    "non-compliant: a Deny whose only condition is on a key the pack cannot know (Null aws:SourceIp)": (
        [OWN, PUT_USERS, deny_put_users({"Null": {"aws:SourceIp": "true"}})],
        ("crossing-write", "isolated", "shared"), None,
    ),
    "compliant: a Deny of writes outside the own folder, by the identity's own key": (
        [OWN, PUT_USERS, {"Effect": "Deny", "Action": "s3:PutObject", "NotResource": f"{ARN}/users/{SUB}/*"}],
        ("isolated", "isolated", "isolated"), None,
    ),
    "non-compliant: a Deny with an operator the pack does not model (a date) never subtracts": (
        [OWN, PUT_USERS, deny_put_users({"DateLessThan": {"aws:CurrentTime": "2099-01-01T00:00:00Z"}})],
        ("crossing-write", "isolated", "shared"), None,
    ),
    "non-compliant: an Allow with an operator the pack does not model is read as granting": (
        [OWN, {**PUT_USERS, "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}],
        ("crossing-write", "isolated", "shared"), None,
    ),
    "non-compliant: a Deny with a misspelt set quantifier never subtracts": (
        [OWN, listing({"StringLike": {"s3:prefix": "users/*"}}),
         deny_listing({"ForSomeValues:StringLike": {"s3:prefix": "users/*"}})],
        ("isolated", "crossing-read", "shared"), "users/*",
    ),
    "compliant: the same Deny with ForAnyValue subtracts every users/ listing": (
        [OWN, listing({"StringLike": {"s3:prefix": "users/*"}}),
         deny_listing({"ForAnyValue:StringLike": {"s3:prefix": "users/*"}})],
        ("isolated", "isolated", "isolated"), None,
    ),
    "compliant: writes on users/* only for identities of another region's pool": (
        [OWN, {**PUT_USERS, "Condition": {"StringLike": {SUB_KEY: "eu-west-1:*"}}}],
        ("isolated", "isolated", "isolated"), None,
    ),
}  # fmt: skip


def replays(p: Problem, verdict: Verdict) -> None:
    """The counterexample is allowed by the oracle and lies in B's area (outside A's when shared)."""
    cx = verdict.counterexample
    assert cx is not None and cx.identity_a != cx.identity_b and cx.origin is not None
    assert_replays(p, cx, shared=verdict.kind == "shared")


@pytest.mark.parametrize("name", list(ROWS))
def test_conditions_decide_the_verdicts(name: str) -> None:
    stmts, want, _ = ROWS[name]
    p = problem(*stmts)
    result = check(p, TIMEOUT_MS)
    assert (result.write.kind, result.read.kind, result.shared.kind) == want
    for verdict in (result.write, result.read, result.shared):
        if verdict.kind != "isolated":
            replays(p, verdict)


@pytest.mark.parametrize("name", [n for n, row in ROWS.items() if row[1][1] == "crossing-read"])
def test_a_crossing_listing_names_the_prefix_it_lists_with(name: str) -> None:
    """A listing allowed only without an s3:prefix (IfExists, ForAllValues, a negated operator) is
    reported as one without a prefix; one allowed only with a prefix names a prefix the condition admits."""
    stmts, _, how = ROWS[name]
    p = problem(*stmts)
    cx = check(p, TIMEOUT_MS).read.counterexample
    assert cx is not None and cx.action == LIST
    if how == NO_PREFIX:
        assert cx.prefix is None
    else:
        assert cx.prefix is not None and cx.prefix.startswith("users/")


SOLVER_ROWS = [
    "non-compliant: StringEquals names users/, the parent of every folder",
    "non-compliant: a Deny with a misspelt set quantifier never subtracts",
    "non-compliant: a Deny whose only condition is on a key the pack cannot know (Null aws:SourceIp)",
]


@pytest.mark.parametrize("name", SOLVER_ROWS)
def test_the_solver_alone_finds_the_same_crossing(name: str) -> None:
    """Without the witness search the solver finds the crossing too, and its model replays."""
    stmts, want, _ = ROWS[name]
    p = problem(*stmts)
    for prop, kind in zip(("write", "read"), want, strict=False):
        verdict, _ = decide(p, prop, TIMEOUT_MS, witness=False)
        assert verdict.kind == kind
        if kind != "isolated":
            replays(p, verdict)


A = "us-east-1:0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"
PUT = "s3:PutObject"


def _put_if(operator: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": PUT, "Resource": f"{ARN}/*",
            "Condition": {operator: {"s3:prefix": ["private/*"]}}}  # fmt: skip


def test_a_for_any_value_negated_condition_on_an_absent_key_does_not_hold() -> None:
    """An object request carries no ``s3:prefix``: ForAnyValue over no values is false, negated or not,
    while the unquantified StringNotLike holds on a missing key."""
    p_any = problem(_put_if("ForAnyValue:StringNotLike"))
    assert allowed(p_any, A, PUT, "users/x", None) is False
    assert allowed(problem(_put_if("ForAnyValue:StringNotEquals")), A, PUT, "users/x", None) is False
    assert allowed(problem(_put_if("StringNotLike")), A, PUT, "users/x", None) is True
