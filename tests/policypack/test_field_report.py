"""The field report's documents (seed-cognito-s3-findings.md), judged as a first preview and deployed."""

from __future__ import annotations

import json

import pytest
from pack_builder import ACCOUNT, StackBuilder, role_arn

SHAPES = [True, False]
BUCKET = "pfmon-test-filebucket-pahkgcsa7mqk"
ROLE = "pfmon-test-AuthenticatedRole-FapX96OtzGeF"
SUB = "${cognito-identity.amazonaws.com:sub}"

# The report's role policy, verbatim.
REPORT_ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": [f"arn:aws:s3:::{BUCKET}/users/{SUB}", f"arn:aws:s3:::{BUCKET}/users/{SUB}/*"],
        },
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{BUCKET}",
            "Condition": {"StringLike": {"s3:prefix": f"users/{SUB}/*"}},
        },
    ],
}
# The report's "fix", verbatim: users/* for the shared role.
REPORT_BUCKET_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "CognitoIdentityPoolAccess",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"},
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"arn:aws:s3:::{BUCKET}/users/*",
        },
        {
            "Sid": "CognitoIdentityPoolListBucket",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"},
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{BUCKET}",
            "Condition": {"StringLike": {"s3:prefix": "users/*"}},
        },
    ],
}


def corrected_bucket_policy() -> dict:
    """The report's role statements mirrored on the bucket side, principal = the role ARN."""
    return {
        "Version": "2012-10-17",
        "Statement": [{**s, "Principal": {"AWS": role_arn(ROLE)}} for s in REPORT_ROLE_POLICY["Statement"]],
    }


def stack(preview: bool, bucket_policy: dict | None) -> StackBuilder:
    b = StackBuilder(preview=preview)
    pool = b.pool("identity-pool")
    role = b.role(ROLE, pool=pool)
    b.attach(pool, role)
    bucket = b.bucket(BUCKET)
    b.hardening(bucket)
    b.role_policy(role, bucket, json.dumps(REPORT_ROLE_POLICY))
    if bucket_policy is not None:
        b.bucket_policy(bucket, role, json.dumps(bucket_policy))
    return b


@pytest.mark.parametrize("preview", SHAPES, ids=["preview", "deployed"])
def test_starting_point_without_bucket_policy_is_a_granting_violation(check, preview):
    v = check(stack(preview, None).capture())
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.urn.endswith(f"aws:s3/bucket:Bucket::{BUCKET}")
    assert d.role_label.startswith(f"role '{ROLE}'") and d.kind == "no-bucket-policy"
    assert (
        f'"AWS": "{role_arn(ROLE) if not preview else f"arn:aws:iam::<account>:role/{ROLE}"}"'
        in d.remediation
    )
    assert v.rule("no-widening") == []


@pytest.mark.parametrize("preview", SHAPES, ids=["preview", "deployed"])
def test_report_fix_users_star_is_an_isolation_violation(check, preview):
    v = check(stack(preview, REPORT_BUCKET_POLICY).capture())
    [d] = v.rule("no-widening")
    assert d.level == "mandatory" and d.urn.endswith("aws:s3/bucketPolicy:BucketPolicy::files-policy")
    assert {(g.action, g.pattern, g.prefixes) for g in d.grants} == {
        *(
            (a, f"arn:aws:s3:::{BUCKET}/users/*", None)
            for a in ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")
        ),
        ("s3:ListBucket", f"arn:aws:s3:::{BUCKET}", ("users/*",)),
    }
    # users/* covers everything the role has, so the grant itself is complete: it is only too wide.
    assert v.rule("granting-bucket-policy") == []


@pytest.mark.parametrize("preview", SHAPES, ids=["preview", "deployed"])
def test_corrected_pair_is_clean(check, preview):
    v = check(stack(preview, corrected_bucket_policy()).capture())
    assert v.mandatory == [], v
    assert v.rule("no-widening") == [] and v.rule("granting-bucket-policy") == []
