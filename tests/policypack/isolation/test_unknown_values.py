"""Values the pack cannot know are read towards access: a policy variable other than the identity's may
take any value (another identity's id included), so it widens an Allow, and a Deny or a NotResource
exclusion that depends on it never subtracts; a statement with neither Resource nor NotResource grants
nothing. Each crossing's counterexample replays through the oracle."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import check, decide
from cognito_s3_guard.isolation.oracle import allowed, in_area

from .helpers import ARN, SUB, TIMEOUT_MS, problem

OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
PUT_USERS = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}
NOT_USERNAME = (
    "non-compliant: an Allow with NotResource on another variable's folder excludes nothing for sure"
)
USERNAME = "${aws:username}"  # unset for a Cognito identity: its value is not known to the pack

ROWS: dict[str, tuple[list[dict[str, Any]], str]] = {
    "non-compliant: an Allow on another variable's folder may be another identity's folder": (
        [OWN, {"Effect": "Allow", "Action": "s3:PutObject",
               "Resource": f"{ARN}/users/${{aws:PrincipalTag/team}}/*"}],
        "crossing-write",
    ),
    NOT_USERNAME: (
        [OWN, {"Effect": "Allow", "Action": "s3:PutObject", "NotResource": f"{ARN}/{USERNAME}/*"}],
        "crossing-write",
    ),
    "non-compliant: a Deny on another variable's folder does not cut back a write on users/*": (
        [OWN, PUT_USERS, {"Effect": "Deny", "Action": "s3:PutObject",
                          "Resource": f"{ARN}/users/{USERNAME}/*"}],
        "crossing-write",
    ),
    "non-compliant: a Deny conditioned on another variable does not cut back a write on users/*": (
        [OWN, PUT_USERS, {"Effect": "Deny", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*",
                          "Condition": {"StringNotLike": {"s3:prefix": f"{USERNAME}/*"}}}],
        "crossing-write",
    ),
    "compliant: the same Deny on the identity's own variable cuts every other folder": (
        [OWN, PUT_USERS, {"Effect": "Deny", "Action": "s3:PutObject", "NotResource": f"{ARN}/users/{SUB}/*"}],
        "isolated",
    ),
    "compliant: an Allow with neither Resource nor NotResource grants nothing": (
        [OWN, {"Effect": "Allow", "Action": "s3:PutObject"}],
        "isolated",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ROWS))
def test_unknown_values_are_read_towards_access(name: str) -> None:
    stmts, want = ROWS[name]
    p = problem(*stmts)
    verdict = check(p, TIMEOUT_MS).write
    assert verdict.kind == want
    if want == "crossing-write":
        cx = verdict.counterexample
        assert cx is not None and cx.origin is not None and cx.origin.index == 1  # the widening statement
        assert allowed(p, cx.identity_a, cx.action, cx.key, None) and in_area(p, cx.identity_b, cx.key)


def test_the_solver_alone_reads_a_notresource_on_another_variable_as_excluding_nothing() -> None:
    stmts, _ = ROWS[NOT_USERNAME]
    p = problem(*stmts)
    verdict, _ = decide(p, "write", TIMEOUT_MS, witness=False)
    cx = verdict.counterexample
    assert verdict.kind == "crossing-write" and cx is not None
    assert allowed(p, cx.identity_a, cx.action, cx.key, None) and in_area(p, cx.identity_b, cx.key)


def test_a_key_beyond_latin_1_is_reported_as_the_characters_it_holds() -> None:
    """The solver's model of a key under ``写真/`` comes back as ``写真/...``, not as z3 prints it
    (``\\u{..}``), so that it replays and is reported as a crossing, not as undecided."""
    folder = {
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": f"{ARN}/写真/{SUB}/*",
    }
    p = problem(folder, {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/写真/*"})
    verdict, _ = decide(p, "write", TIMEOUT_MS, witness=False)
    cx = verdict.counterexample
    assert verdict.kind == "crossing-write" and cx is not None
    assert cx.key.startswith(f"写真/{cx.identity_b}/")
    assert allowed(p, cx.identity_a, "s3:PutObject", cx.key, None)
