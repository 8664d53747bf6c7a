"""Named cases of issue 14: each verdict, and every counterexample replayed through the oracle."""

from __future__ import annotations

import re

import pytest
from cognito_s3_guard.isolation import check
from cognito_s3_guard.isolation.model import LIST, READ_ACTIONS, WRITE_ACTIONS
from cognito_s3_guard.isolation.oracle import allowed, in_area

from tests.policypack.pack_builder import role_statements

from .helpers import ARN, BUCKET, SUB, TIMEOUT_MS, problem

ID = re.compile(r"us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}

CASES = {
    "star before the variable": (
        problem({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                 "Resource": f"{ARN}/users/*{SUB}/*"}),
        {"write": "crossing-write"},
    ),
    "PutObject on users/* beside the own folder": (
        problem(OWN, {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}),
        {"write": "crossing-write"},
    ),
    "DeleteObject on users/* beside the own folder": (
        problem(OWN, {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"{ARN}/users/*"}),
        {"write": "crossing-write", "read": "isolated"},
    ),
    "wide Allow cut back by Deny NotResource": (
        problem({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/*"},
                {"Effect": "Deny", "Action": "s3:*", "NotResource": f"{ARN}/users/{SUB}/*"}),
        {"write": "isolated", "read": "isolated", "shared": "isolated"},
    ),
    "Amplify public/ read, declared shared": (
        problem(OWN, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"},
                shared=("public/",)),
        {"write": "isolated", "read": "isolated", "shared": "isolated"},
    ),
    "Amplify public/ read, not declared": (
        problem(OWN, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}),
        {"write": "isolated", "read": "isolated", "shared": "shared"},
    ),
    "GetObject on users/* (crossing read)": (
        problem(OWN, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/users/*"}),
        {"write": "isolated", "read": "crossing-read"},
    ),
    "ListBucket without a prefix condition": (
        problem(OWN, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN}),
        {"write": "isolated", "read": "crossing-read"},
    ),
}


def _replay(p, verdict) -> None:  # type: ignore[no-untyped-def]
    cx = verdict.counterexample
    assert cx is not None and ID.fullmatch(cx.identity_a) and ID.fullmatch(cx.identity_b)
    assert cx.identity_a != cx.identity_b and cx.origin is not None
    assert in_area(p, cx.identity_b, cx.key)
    if cx.action == LIST:
        assert cx.prefix is None or cx.key.startswith(cx.prefix)
        assert allowed(p, cx.identity_a, LIST, None, cx.prefix)
    else:
        assert allowed(p, cx.identity_a, cx.action, cx.key, None)
    if verdict.kind == "crossing-write":
        assert cx.action in WRITE_ACTIONS
    if verdict.kind == "crossing-read":
        assert cx.action in (*READ_ACTIONS, LIST)


@pytest.mark.parametrize("name", list(CASES))
def test_named_case(name: str) -> None:
    p, want = CASES[name]
    result = check(p, TIMEOUT_MS)
    for prop, kind in want.items():
        verdict = getattr(result, prop)
        assert verdict.kind == kind, (prop, verdict)
        if kind in ("crossing-write", "crossing-read"):
            _replay(p, verdict)


def test_project_statements_take_the_fast_path() -> None:
    p = problem(*role_statements(BUCKET))
    result = check(p, TIMEOUT_MS)
    assert (result.write.kind, result.read.kind, result.shared.kind) == ("isolated",) * 3
    assert result.write.via == "fast-path"


def test_identical_roles_solve_once() -> None:
    stmts = ({"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*{SUB}/*"},)
    first, second = check(problem(*stmts), TIMEOUT_MS), check(problem(*stmts), TIMEOUT_MS)
    assert second.write.via in ("cache",) or first.write.via == "cache"
    assert second.write.kind == first.write.kind
