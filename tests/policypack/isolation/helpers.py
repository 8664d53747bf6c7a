"""Building isolation problems from raw statements, for the tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cognito_s3_guard.documents import parse_document
from cognito_s3_guard.isolation import Counterexample, Origin, Problem, Tagged
from cognito_s3_guard.isolation.model import LIST
from cognito_s3_guard.isolation.oracle import allowed, in_area

SUB = "${cognito-identity.amazonaws.com:sub}"
BUCKET = "files"
ARN = f"arn:aws:s3:::{BUCKET}"
TIMEOUT_MS = 20000  # generous under a loaded CI machine; the figures are in tools/isolation_timings.py


def problem(
    *stmts: dict[str, Any], shared: tuple[str, ...] = (), region: str | None = "us-east-1"
) -> Problem:
    doc = parse_document({"Version": "2012-10-17", "Statement": list(stmts)})
    assert doc.known, doc.problem
    tagged = tuple(Tagged(s, Origin("RolePolicy 'authenticated-files'", i, s.sid)) for i, s in
                   enumerate(doc.statements))  # fmt: skip
    return Problem(BUCKET, tagged, region, shared)


def two_layers(stmts: list[dict[str, Any]]) -> Problem:
    """The role policy and a bucket policy that mirrors it for the role's ARN (both layers tagged)."""
    role = problem(*stmts)
    mirror = tuple(
        Tagged(t.stmt, Origin("BucketPolicy 'uploads-policy'", t.origin.index, t.origin.sid))
        for t in role.statements
    )
    return replace(role, statements=role.statements + mirror)


def assert_replays(p: Problem, cx: Counterexample, shared: bool = False) -> None:
    """The oracle replays the counterexample: identity A is allowed the request (a listing's key starts
    with its prefix), and the key lies in B's area, or, for a shared grant, outside A's own."""
    if cx.action == LIST:
        assert allowed(p, cx.identity_a, LIST, None, cx.prefix)
        assert cx.prefix is None or cx.key.startswith(cx.prefix)
    else:
        assert allowed(p, cx.identity_a, cx.action, cx.key, None)
    if shared:
        assert not in_area(p, cx.identity_a, cx.key, lists=False)
    else:
        assert in_area(p, cx.identity_b, cx.key)
