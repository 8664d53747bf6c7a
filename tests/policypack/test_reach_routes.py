"""Every route by which a Cognito role reaches a bucket (domain notes item 13), preview and deployed.

For each route: without a bucket policy the bucket is a granting-bucket-policy violation (MANDATORY,
on the bucket); with the exact mirror of the role's statements it is clean.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from pack_builder import (
    BUCKET_V2,
    PA,
    POLICY,
    ROLE_POLICY,
    RPA,
    RPAE,
    RPE,
    StackBuilder,
    doc,
    full_pattern,
    mirror_bucket_policy,
    role_statements,
)
from verdict_rows import WITHOUT_SOLVER  # the solver's rules are judged by tests/policypack/isolation

SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
POLICY_ARN = "arn:aws:iam::123456789012:policy/files-access"


def base(b: StackBuilder, *, bucket_type: str = "aws:s3/bucket:Bucket", role_extra: dict | None = None):
    pool = b.pool()
    role = b.role("auth-role", pool=pool, extra=role_extra)
    b.attach(pool, role)
    bucket = b.bucket("files", rtype=bucket_type)
    b.hardening(bucket)
    return pool, role, bucket


def customer_policy(b: StackBuilder, bucket) -> object:
    """An aws:iam/policy:Policy whose ARN is computed (unknown at preview)."""
    props = {"name": "files-access", "policy": doc(*role_statements(bucket.name))}
    return b.add(POLICY, "files-access", props, computed={"arn": POLICY_ARN, "id": POLICY_ARN},
                 deps={"policy": [bucket.urn]})  # fmt: skip


def route_role_policy(b: StackBuilder):
    _, role, bucket = base(b)
    b.role_policy(role, bucket)
    return role, bucket


def route_inline_policies(b: StackBuilder):
    bucket_name = "files"
    inline = [{"name": "files-access", "policy": doc(*role_statements(bucket_name))}]
    _, role, bucket = base(b, role_extra={"inlinePolicies": inline})
    return role, bucket


def route_managed_policy_arns(b: StackBuilder):
    pool = b.pool()
    bucket = b.bucket("files")
    b.hardening(bucket)
    policy = customer_policy(b, bucket)
    role = b.role("auth-role", pool=pool, extra={"managedPolicyArns": [b.computed(POLICY_ARN)]},
                  deps={"managedPolicyArns": [policy.urn]})  # fmt: skip
    b.attach(pool, role)
    return role, bucket


def route_role_policy_attachment(b: StackBuilder):
    _, role, bucket = base(b)
    policy = customer_policy(b, bucket)
    b.add(RPA, "attach", {"role": role.name, "policyArn": b.computed(POLICY_ARN)},
          deps={"role": [role.urn], "policyArn": [policy.urn]})  # fmt: skip
    return role, bucket


def route_policy_attachment(b: StackBuilder):
    _, role, bucket = base(b)
    policy = customer_policy(b, bucket)
    b.add(PA, "attach", {"name": "attach", "roles": [role.name], "policyArn": b.computed(POLICY_ARN)},
          deps={"roles": [role.urn], "policyArn": [policy.urn]})  # fmt: skip
    return role, bucket


def route_attachments_exclusive(b: StackBuilder):
    _, role, bucket = base(b)
    policy = customer_policy(b, bucket)
    b.add(RPAE, "exclusive", {"roleName": role.name, "policyArns": [b.computed(POLICY_ARN)]},
          deps={"roleName": [role.urn], "policyArns": [policy.urn]})  # fmt: skip
    return role, bucket


def route_policies_exclusive_with_role_policy(b: StackBuilder):
    _, role, bucket = base(b)
    b.role_policy(role, bucket)
    b.add(RPE, "exclusive", {"roleName": role.name, "policyNames": ["files-access"]},
          deps={"roleName": [role.urn]})  # fmt: skip
    return role, bucket


def route_bucket_v2(b: StackBuilder):
    _, role, bucket = base(b, bucket_type=BUCKET_V2)
    b.role_policy(role, bucket)
    return role, bucket


def route_role_mappings_only(b: StackBuilder):
    """The role is attached through a role-mapping rule, and its (known) trust names Cognito."""
    from pack_builder import ATTACH, pool_id_of, role_arn, trust

    pool = b.pool()
    role = b.role("auth-role", trust_doc=trust(pool_id_of(pool)))
    b.add(ATTACH, "roles", {
        "identityPoolId": b.computed(pool_id_of(pool)),
        "roles": {"authenticated": b.computed(role_arn("default-role"))},
        "roleMappings": [{"identityProvider": "idp", "type": "Rules", "ambiguousRoleResolution": "Deny",
                          "mappingRules": [{"claim": "group", "matchType": "Equals", "value": "a",
                                            "roleArn": b.computed(role_arn(role.name))}]}],
    }, deps={"identityPoolId": [pool.urn], "roleMappings": [role.urn]})  # fmt: skip
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    return role, bucket


ROUTES: dict[str, Callable[[StackBuilder], tuple]] = {
    "RolePolicy": route_role_policy,
    "Role.inlinePolicies": route_inline_policies,
    "Role.managedPolicyArns+Policy": route_managed_policy_arns,
    "Policy+RolePolicyAttachment": route_role_policy_attachment,
    "Policy+PolicyAttachment": route_policy_attachment,
    "RolePolicyAttachmentsExclusive": route_attachments_exclusive,
    "RolePoliciesExclusive+RolePolicy": route_policies_exclusive_with_role_policy,
    "BucketV2": route_bucket_v2,
    "IdentityPoolRoleAttachment.roleMappings": route_role_mappings_only,
}


@SHAPES
@pytest.mark.parametrize("route", ROUTES)
def test_route_without_bucket_policy_is_a_violation(check, route, preview):
    b = StackBuilder(preview=preview)
    role, bucket = ROUTES[route](b)
    v = check(b.capture())
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.urn == bucket.urn
    assert d.role == role.urn and d.kind == "no-bucket-policy"
    sub = "${cognito-identity.amazonaws.com:sub}"
    per_user, listing = f"arn:aws:s3:::files/users/{sub}/*", (f"users/{sub}/", f"users/{sub}/*")
    assert {(g.action, g.pattern, g.prefixes) for g in d.grants} == {
        *((a, per_user, None) for a in ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")),
        ("s3:ListBucket", "arn:aws:s3:::files", listing),
    }
    assert [x.rule for x in v.mandatory] == ["granting-bucket-policy"]


@SHAPES
@pytest.mark.parametrize("route", ROUTES)
def test_route_with_mirrored_bucket_policy_is_clean(check, route, preview):
    b = StackBuilder(preview=preview)
    role, bucket = ROUTES[route](b)
    b.bucket_policy(bucket, role)
    v = check(b.capture())
    assert v.mandatory == [], v
    assert v.rule("per-identity-scope") == [] and v.rule("bucket-hardening") == []


@SHAPES
def test_bucket_inline_policy_counts_as_the_bucket_policy(check, preview):
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.bucket("files", policy=mirror_bucket_policy("files", "auth-role"))
    b.hardening(bucket)
    b.role_policy(role, bucket)
    v = check(b.capture())
    assert v.mandatory == [], v


@SHAPES
@pytest.mark.parametrize("managed", ["AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"])
def test_aws_managed_policy_reaches_every_bucket(check, managed, preview):
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    buckets = [b.bucket(n) for n in ("files", "logs")]
    b.add(RPA, "managed", {"role": role.name, "policyArn": f"arn:aws:iam::aws:policy/{managed}"},
          deps={"role": [role.urn]})  # fmt: skip
    b.bucket_policy(buckets[0], role)  # the per-user mirror does not cover s3:Get* on the whole bucket
    v = check(b.capture())
    by_urn = {d.urn: d for d in v.rule("granting-bucket-policy")}
    policy_urn = "urn:pulumi:test::files::aws:s3/bucketPolicy:BucketPolicy::files-policy"
    assert set(by_urn) == {buckets[1].urn, policy_urn}
    assert all(d.level == "mandatory" for d in by_urn.values())
    logs = by_urn[buckets[1].urn]
    assert any(f"AWS-managed policy {managed}" in r for r in logs.routes)
    logs_objects = {g.action for g in logs.grants if g.pattern == "arn:aws:s3:::logs/*"}
    assert "s3:GetObject" in logs_objects and len(logs_objects) > 8  # the whole s3:Get* family
    if managed == "AmazonS3FullAccess":  # s3:* on every key: a real cross-identity write (issue 14), which
        # blocks; the same statement is not advised again as a read
        [iso] = [d for d in v.rule("identity-isolation") if d.bucket == buckets[0].urn]
        cx = iso.counterexample
        assert iso.level == "mandatory" and cx is not None and cx.identity_b in cx.key
        assert cx.origin is not None and "AmazonS3FullAccess" in cx.origin.label
        assert [d for d in v.rule("per-identity-scope") if d.bucket == buckets[0].urn] == []
        return
    [scope] = [d for d in v.rule("per-identity-scope") if d.bucket == buckets[0].urn]
    assert "arn:aws:s3:::files/*" in {g.pattern for g in scope.grants} and scope.level == "advisory"


@SHAPES
def test_role_that_is_not_a_cognito_role_is_not_judged(check, preview):
    """A Lambda role reaching a bucket without a bucket policy is outside the user's rule."""
    b = StackBuilder(preview=preview)
    lambda_trust = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole"})  # fmt: skip
    role = b.role("worker", trust_doc=lambda_trust)
    bucket = b.bucket("files")
    everything = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    b.role_policy(role, bucket, json.dumps(everything))
    v = check(b.capture())
    assert v.findings == []


@SHAPES
def test_cognito_role_by_trust_alone(check, preview):
    from pack_builder import trust

    b = StackBuilder(preview=preview)
    role = b.role("auth-role", trust_doc=trust("us-east-1:0000-pool"))
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    v = check(b.capture())
    [d] = v.rule("granting-bucket-policy")
    assert d.routes == ("aws:iam/rolePolicy:RolePolicy 'files-access'",)  # reasons go on trust
    assert d.urn == bucket.urn


def test_preview_infers_reach_from_an_unknown_role_document(check):
    """At preview an unknown role-policy document that depends on the bucket reaches it."""
    from offline.model import UNKNOWN

    b = StackBuilder(preview=True)
    _, role, bucket = base(b)
    b.add(ROLE_POLICY, "files-access", {"role": role.name, "policy": UNKNOWN},
          deps={"role": [role.urn], "policy": [bucket.urn]})  # fmt: skip
    v = check(b.capture())
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.urn == bucket.urn
    assert d.kind == "no-bucket-policy" and d.grants == ()  # reached through a document not known yet
    # With a bucket policy that names the role, the scope cannot be compared yet: said precisely, not blocked.
    b.bucket_policy(bucket, role)
    v = check(b.capture())
    assert v.mandatory == []
    notes = [d for d in v.rule("unverified-at-preview") if "RolePolicy 'files-access'" in " ".join(d.routes)]
    assert len(notes) == 1 and notes[0].level == "advisory" and notes[0].kind == "role-document-unknown"


@pytest.mark.parametrize("inline", ["whole", "item"])
def test_preview_infers_reach_from_unknown_inline_policies(check, inline):
    """inlinePolicies computed as a whole (or one entry of it) is unknown at preview: infer, never skip."""
    from offline.model import UNKNOWN

    b = StackBuilder(preview=True)
    pool = b.pool()
    bucket = b.bucket("files")
    b.hardening(bucket)
    value = UNKNOWN if inline == "whole" else [UNKNOWN]
    deps = {"inlinePolicies": [bucket.urn]}
    role = b.role("auth-role", pool=pool, extra={"inlinePolicies": value}, deps=deps)
    b.attach(pool, role)
    v = check(b.capture())
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.urn == bucket.urn
    assert d.kind == "no-bucket-policy" and d.grants == () and any("inline polic" in r for r in d.routes)



@SHAPES
def test_a_wildcard_bucket_name_reaches_exactly_the_buckets_it_matches(check, preview):
    """``team-*/*`` reaches the objects of team-a and team-bb; ``team-?`` the bucket team-a alone (one
    character); neither reaches files. Each reached bucket without a bucket policy is blocked for exactly
    what reaches it."""
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    team_a, team_bb, _ = (b.bucket(n) for n in ("team-a", "team-bb", "files"))
    b.role_policy(role, team_a, doc(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::team-*/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::team-?"},
    ))  # fmt: skip
    found = check(b.capture(), WITHOUT_SOLVER).rule("granting-bucket-policy")
    assert {d.urn: {(g.action, g.pattern, g.prefixes) for g in d.grants} for d in found} == {
        team_a.urn: {
            ("s3:GetObject", "arn:aws:s3:::team-a/*", None),
            ("s3:ListBucket", "arn:aws:s3:::team-a", None),
        },
        team_bb.urn: {("s3:GetObject", "arn:aws:s3:::team-bb/*", None)},
    }
    assert {(d.level, d.kind, d.role) for d in found} == {("mandatory", "no-bucket-policy", role.urn)}


@SHAPES
def test_only_an_s3_allow_naming_a_bucket_outside_the_program_is_noted_as_external(check, preview):
    """The role's grant on a bucket the program does not hold is noted (advisory), named; a Deny on such a
    bucket, or an Allow of another service's action on an S3 ARN, grants nothing there and is not noted."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    more = b.role_policy(t.role, t.bucket, doc(
        {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::elsewhere/*"},
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:s3:::nowhere/*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::outside/*"},
    ), name="more")  # fmt: skip
    v = check(b.capture(), WITHOUT_SOLVER)
    external = [d for d in v.findings if d.kind == "bucket-external"]
    assert [(d.rule, d.level, d.resource, d.role, d.what) for d in external] == [
        ("unverified-at-preview", "advisory", more.urn, t.role.urn, "outside")
    ]
    assert v.mandatory == []
