"""An identity that a condition names literally (``cognito-identity.amazonaws.com:sub`` equal to one
identity id: an administrator, say) is one of the pool's identities: when it may write every folder, that
is a crossing write by it, found at once (without the solver, which cannot settle a literal id in time)."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import decide
from cognito_s3_guard.isolation.oracle import allowed, in_area

from .helpers import ARN, SUB, TIMEOUT_MS, problem

ADMIN = "us-east-1:0d0d0d0d-0d0d-4d0d-8d0d-0d0d0d0d0d0d"
SUB_KEY = "cognito-identity.amazonaws.com:sub"
OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
PUT_USERS = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}

ROWS: dict[str, list[dict[str, Any]]] = {
    "an Allow of writes on users/* for the named identity only": [
        OWN, {**PUT_USERS, "Condition": {"StringEquals": {SUB_KEY: ADMIN}}},
    ],
    "writes on users/* for everyone, denied to all but the named identity": [
        OWN, PUT_USERS,
        {"Effect": "Deny", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*",
         "Condition": {"StringNotEquals": {SUB_KEY: ADMIN}}},
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", list(ROWS))
def test_a_named_identity_that_may_write_every_folder_is_a_crossing_write(name: str) -> None:
    p = problem(*ROWS[name])
    verdict, solver_ms = decide(p, "write", TIMEOUT_MS)
    cx = verdict.counterexample
    assert verdict.kind == "crossing-write" and cx is not None and solver_ms == 0.0
    assert cx.identity_a == ADMIN and cx.identity_b != ADMIN and cx.key.startswith(f"users/{cx.identity_b}/")
    assert allowed(p, cx.identity_a, cx.action, cx.key, None) and in_area(p, cx.identity_b, cx.key)
    assert cx.origin is not None and cx.origin.index == 1


def test_a_named_identity_of_another_region_is_no_identity_of_this_pool() -> None:
    """The same grant for an identity of an eu-west-1 pool, judged for a us-east-1 pool: no witness."""
    other = ADMIN.replace("us-east-1", "eu-west-1")
    p = problem(OWN, {**PUT_USERS, "Condition": {"StringEquals": {SUB_KEY: other}}})
    verdict, _ = decide(p, "write", 50)
    assert verdict.kind != "crossing-write"
