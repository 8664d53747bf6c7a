"""Statements that neither grant nor take back S3 access on a bucket whose name is not known yet (a
first preview of a ``bucketPrefix`` bucket): a Deny under a condition (it may not apply, so it takes
nothing back, as on a named bucket), and a statement of another service whose Resource may match the
name (it allows or denies nothing of S3, so it leaves nothing unverified).

Each row adds such a statement to a role that reaches the bucket whatever its name (``Resource "*"``),
with no bucket policy: the verdict is the one without the statement, a block in both shapes. The stack
is test_unnamed_buckets.py's; the rows are checked by verdict_rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pack_builder import StackBuilder
from test_unnamed_buckets import JUDGED, get, objects, stack
from verdict_rows import GBP, TRUST_NOTE, WITHOUT_SOLVER, Expect, assert_findings, expect

OTHER_SERVICE = "arn:aws:s3:::team-*"  # may or may not match the bucket's name ("team-" prefix)


def blocked(preview: bool, *extra: dict[str, Any]) -> tuple[StackBuilder, Expect]:
    """The role reaches s3:GetObject on every bucket, plus ``extra``; no bucket policy: blocked."""
    b, _, _ = stack(preview, get("*"), *extra)
    return b, expect((GBP, "mandatory", "no-bucket-policy", "scratch"),
                     grants={(GBP, "scratch"): {("s3:GetObject", objects(preview), None)}})  # fmt: skip


def a_deny_under_a_condition_takes_nothing_back(preview: bool):
    """A Deny of s3:GetObject on every bucket, but only over plain HTTP: it may not apply, so the role
    still reaches the bucket whatever its name."""
    deny = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # fmt: skip
    return blocked(preview, deny)


def a_deny_of_another_service_on_a_name_pattern_takes_nothing_back(preview: bool):
    """A Deny of iam:* on ``team-*`` (which may match the name) denies nothing of S3: no unverified
    note, the grant stands."""
    return blocked(preview, {"Effect": "Deny", "Action": "iam:*", "Resource": OTHER_SERVICE})


def an_allow_of_another_service_on_a_name_pattern_reaches_nothing(preview: bool):
    """An Allow of iam:PassRole on ``team-*`` beside the S3 grant allows nothing of S3 on the bucket:
    it adds no unverified note at preview."""
    return blocked(preview, {"Effect": "Allow", "Action": "iam:PassRole", "Resource": OTHER_SERVICE})


ROWS: list[Callable[[bool], tuple[StackBuilder, Expect]]] = [
    a_deny_under_a_condition_takes_nothing_back,
    a_deny_of_another_service_on_a_name_pattern_takes_nothing_back,
    an_allow_of_another_service_on_a_name_pattern_reaches_nothing,
]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("row", ROWS, ids=[r.__name__ for r in ROWS])
def test_verdict(check, row, preview):
    b, e = row(preview)
    if preview:
        e = e.with_facts(TRUST_NOTE)
    assert_findings([f for f in check(b.capture(), WITHOUT_SOLVER).findings if f.rule in JUDGED], e)
