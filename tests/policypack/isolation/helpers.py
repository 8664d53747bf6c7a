"""Building isolation problems from raw statements, for the tests."""

from __future__ import annotations

from typing import Any

from cognito_s3_guard.documents import parse_document
from cognito_s3_guard.isolation import Origin, Problem, Tagged

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
