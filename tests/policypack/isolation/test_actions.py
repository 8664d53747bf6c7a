"""Which actions a statement grants or denies decides the isolation verdicts: NotAction in an Allow
(everything else, writes included) and in a Deny (it denies everything else), action names in any
letter case, and statements on other services. Each row names the three verdicts and, for a crossing,
the action of its counterexample, which the oracle allows."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import check
from cognito_s3_guard.isolation.model import READ_ACTIONS, WRITE_ACTIONS
from cognito_s3_guard.isolation.oracle import allowed, in_area

from .helpers import ARN, SUB, TIMEOUT_MS, problem

OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
USERS = f"{ARN}/users/*"

ROWS: dict[str, tuple[list[dict[str, Any]], tuple[str, str, str]]] = {
    "non-compliant: an Allow of everything but reads and listings on users/* allows every write there": (
        [OWN, {"Effect": "Allow", "NotAction": ["s3:Get*", "s3:List*"], "Resource": USERS}],
        ("crossing-write", "isolated", "shared"),
    ),
    "compliant: an Allow of everything but s3:* grants nothing in the bucket": (
        [OWN, {"Effect": "Allow", "NotAction": "s3:*", "Resource": USERS}],
        ("isolated", "isolated", "isolated"),
    ),
    "non-compliant: a Deny of everything but GetObject on users/* leaves the read of every folder": (
        [OWN, {"Effect": "Allow", "Action": "s3:*", "Resource": USERS},
         {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": USERS}],
        ("isolated", "crossing-read", "shared"),
    ),
    "non-compliant: an action name in another letter case is the same action": (
        [OWN, {"Effect": "Allow", "Action": "S3:putobject", "Resource": USERS}],
        ("crossing-write", "isolated", "shared"),
    ),
    "compliant: a statement on another service reaches no key": (
        [OWN, {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
        ("isolated", "isolated", "isolated"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ROWS))
def test_the_granted_actions_decide_the_verdicts(name: str) -> None:
    stmts, want = ROWS[name]
    p = problem(*stmts)
    result = check(p, TIMEOUT_MS)
    assert (result.write.kind, result.read.kind, result.shared.kind) == want
    for verdict, actions in ((result.write, WRITE_ACTIONS), (result.read, READ_ACTIONS)):
        cx = verdict.counterexample
        if verdict.kind == "isolated":
            assert cx is None
            continue
        assert cx is not None and cx.action in actions and cx.origin is not None and cx.origin.index == 1
        assert allowed(p, cx.identity_a, cx.action, cx.key, None) and in_area(p, cx.identity_b, cx.key)
