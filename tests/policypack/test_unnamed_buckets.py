"""A bucket whose name the provider computes (``bucketPrefix``, or no name) is judged at a first preview,
where its name is unknown, as far as the role's patterns decide whatever the name is.

A pattern that matches every bucket name (``*``, ``arn:aws:s3:::*/...``) reaches it for certain: the verdict
is the deployed one (a missing granting bucket policy blocks in both shapes). A pattern that may or may
not match the name (``team-*``, a NotResource) proves nothing yet: an advisory ``bucket-name-unknown`` says
so at preview, never a block; deployed, the real name decides. A literal name of another bucket never
touches it. A statement that grants or takes back nothing of S3 on the bucket (a Deny under a condition,
which may not apply; another service's action on a pattern that may match the name) leaves the verdict
as it is without it.

Rows in both shapes, each stating the verdict of the cognito-bucket-access and advisory rules as facts
(rule, level, kind, culprit's logical name) plus the grants of the findings that carry them. Bucket
hardening is not what these rows are about and is left out; the solver's two rules are off (fast rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cognito_s3_guard.reach import UNNAMED
from pack_builder import BUCKET, BUCKET_POLICY, StackBuilder, doc, role_arn
from verdict_rows import (
    GBP,
    READABLE,
    TRUST,
    TRUST_NOTE,
    UNVERIFIED,
    WIDE,
    WITHOUT_SOLVER,
    Expect,
    assert_findings,
    expect,
)

JUDGED = {GBP, UNVERIFIED, WIDE, READABLE, TRUST}
REAL = "team-a1b2c3"  # the name the provider gives the bucket once deployed


def objects(preview: bool) -> str:
    """The unnamed bucket's objects as its grants name them: by a placeholder at preview."""
    return f"arn:aws:s3:::{UNNAMED if preview else REAL}/*"


def stack(preview: bool, *statements: dict[str, Any]):
    """A Cognito role whose inline policy is ``statements``, and a bucket named by the provider
    (``bucketPrefix``: its ``bucket`` output is unknown at a first preview)."""
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.add(BUCKET, "scratch", {"bucketPrefix": "team-", "bucket": b.computed(REAL)},
                   computed={"arn": f"arn:aws:s3:::{REAL}", "id": REAL})  # fmt: skip
    b.role_policy(role, bucket, doc(*statements))
    return b, role, bucket


def get(resource: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}


# --- the rows ---------------------------------------------------------------------------------------


def every_bucket_without_a_bucket_policy(preview: bool):
    """Resource "*" reaches the bucket whatever its name; it has no bucket policy: blocked in both
    shapes, on the bucket, with what the role reaches there."""
    b, _, _ = stack(preview, get("*"))
    return b, expect((GBP, "mandatory", "no-bucket-policy", "scratch"),
                     grants={(GBP, "scratch"): {("s3:GetObject", objects(preview), None)}})  # fmt: skip


def every_bucket_arn_pattern_without_a_bucket_policy(preview: bool):
    """``arn:aws:s3:::*/users/*`` (a bucket part of only ``*``) matches the bucket whatever its name, as
    an AmazonS3FullAccess-like statement does: blocked in both shapes."""
    b, _, _ = stack(preview, get("arn:aws:s3:::*/users/*"))
    return b, expect((GBP, "mandatory", "no-bucket-policy", "scratch"),
                     grants={(GBP, "scratch"): {("s3:GetObject", objects(preview), None)}})  # fmt: skip


def every_bucket_with_a_granting_bucket_policy(preview: bool):
    """Resource "*", and a bucket policy (built from the bucket's ARN and the role's, so unknown at a
    first preview) that grants the role exactly that: never blocked; at preview the advisory note says
    the bucket's document is not known yet."""
    b, role, bucket = stack(preview, get("*"))
    grant = {**get(f"arn:aws:s3:::{REAL}/*"), "Principal": {"AWS": role_arn("auth-role")}}
    b.add(BUCKET_POLICY, "scratch-policy", {"bucket": b.computed(REAL), "policy": b.computed(doc(grant))},
          deps={"bucket": [bucket.urn], "policy": [bucket.urn, role.urn]})  # fmt: skip
    if not preview:
        return b, expect()
    unknown = {("s3:GetObject", objects(True), None)}
    return b, expect((UNVERIFIED, "advisory", "bucket-document-unknown-naming", "scratch-policy"),
                     grants={(UNVERIFIED, "scratch-policy"): unknown})  # fmt: skip


def a_known_bucket_policy_of_a_bucket_not_named_yet(preview: bool):
    """Resource "*", and a bucket policy known at preview (it spells no name: ``arn:aws:s3:::*/*``) that
    grants the role exactly that: what its patterns grant on a bucket whose name is not known yet is not
    judged at preview (an advisory on the bucket policy, never a block); deployed, it grants: compliant."""
    b, _, bucket = stack(preview, get("*"))
    grant = {**get("arn:aws:s3:::*/*"), "Principal": {"AWS": role_arn("auth-role")}}
    b.add(BUCKET_POLICY, "scratch-policy", {"bucket": b.computed(REAL), "policy": doc(grant)},
          deps={"bucket": [bucket.urn]})  # fmt: skip
    if not preview:
        return b, expect()
    unknown = {("s3:GetObject", objects(True), None)}
    return b, expect((UNVERIFIED, "advisory", "bucket-policy-name-unknown", "scratch-policy"),
                     grants={(UNVERIFIED, "scratch-policy"): unknown})  # fmt: skip


def a_deny_that_may_match_the_name(preview: bool):
    """Resource "*" reaches the bucket whatever its name, but a Deny of everything on ``team-*`` may take
    it back: at preview an advisory on the bucket (no block); deployed, the name matches the Deny and the
    role reaches nothing there."""
    deny = {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::team-*/*"}
    b, _, _ = stack(preview, get("*"), deny)
    facts = [(UNVERIFIED, "advisory", "bucket-name-unknown", "scratch")] if preview else []
    return b, expect(*facts)


def a_pattern_that_may_match_the_name(preview: bool):
    """``arn:aws:s3:::team-*/*`` may or may not match a name not known yet: at preview an advisory on the
    bucket says so (no block); deployed, the real name matches and the missing bucket policy blocks."""
    b, _, _ = stack(preview, get("arn:aws:s3:::team-*/*"))
    if preview:
        return b, expect((UNVERIFIED, "advisory", "bucket-name-unknown", "scratch"))
    return b, expect((GBP, "mandatory", "no-bucket-policy", "scratch"),
                     grants={(GBP, "scratch"): {("s3:GetObject", objects(False), None)}})  # fmt: skip


def a_not_resource_that_may_spare_the_name(preview: bool):
    """A NotResource that spares another bucket's objects may or may not spare a name not known yet: an
    advisory at preview; deployed, the name is not spared and the missing bucket policy blocks."""
    b, _, _ = stack(
        preview, {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::o*/*"}
    )
    if preview:
        return b, expect((UNVERIFIED, "advisory", "bucket-name-unknown", "scratch"))
    return b, expect((GBP, "mandatory", "no-bucket-policy", "scratch"),
                     grants={(GBP, "scratch"): {("s3:GetObject", objects(False), None)}})  # fmt: skip


def a_not_resource_that_spares_nothing_of_s3(preview: bool):
    """A NotResource that spares only a DynamoDB table spares no S3 name: it reaches the bucket whatever
    its name, which has no bucket policy: blocked in both shapes."""
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/notes"
    b, _, _ = stack(preview, {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": table})
    return b, expect((GBP, "mandatory", "no-bucket-policy", "scratch"),
                     grants={(GBP, "scratch"): {("s3:GetObject", objects(preview), None)}})  # fmt: skip


def a_named_bucket_beside_the_unnamed_one(preview: bool):
    """The role reaches only the named bucket ``files`` (no bucket policy: blocked there); the unnamed
    bucket beside it gets nothing, in either shape."""
    b, _, _ = stack(preview, get("arn:aws:s3:::files/*"))
    b.add(BUCKET, "files", {"bucket": "files"}, computed={"arn": "arn:aws:s3:::files", "id": "files"})
    files = {("s3:GetObject", "arn:aws:s3:::files/*", None)}
    return b, expect((GBP, "mandatory", "no-bucket-policy", "files"), grants={(GBP, "files"): files})


# --- statements that neither grant nor take back S3 access on the unnamed bucket ------------------------


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
    every_bucket_without_a_bucket_policy,
    every_bucket_arn_pattern_without_a_bucket_policy,
    every_bucket_with_a_granting_bucket_policy,
    a_known_bucket_policy_of_a_bucket_not_named_yet,
    a_deny_that_may_match_the_name,
    a_pattern_that_may_match_the_name,
    a_not_resource_that_may_spare_the_name,
    a_not_resource_that_spares_nothing_of_s3,
    a_named_bucket_beside_the_unnamed_one,
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
