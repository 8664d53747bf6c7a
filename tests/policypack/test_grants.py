"""Each way to get the bucket-side grant wrong (granting-bucket-policy, no-widening), and the right ones.

cdk-nag style: a compliant case and numbered non-compliant cases, checked in-process on the graph, in both
a first-preview shape (ARNs unknown, documents built from names known) and a deployed shape.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from cognito_s3_guard.reach import INCLUDED_ROUTE
from inproc import grants
from pack_builder import (
    OBJECT_ACTIONS,
    SUB,
    StackBuilder,
    doc,
    full_pattern,
    role_arn,
    role_statements,
    tls_deny,
    with_principal,
)

from offline.model import UNKNOWN

SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
ROLE = {"AWS": role_arn("auth-role")}
FILES = "arn:aws:s3:::files"


def judged(
    check, preview: bool, bucket_statements: list[dict[str, Any]] | None, role_policy: str | None = None
):
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    if role_policy is not None:
        b.resources.remove(t.role_policy)
        b.role_policy(t.role, t.bucket, role_policy)
    if bucket_statements is not None:
        b.bucket_policy(t.bucket, t.role, doc(*bucket_statements))
    return check(b.capture()), t


def list_statement(prefixes: Any, principal: Any = ROLE) -> dict[str, Any]:
    stmt = {"Effect": "Allow", "Principal": principal, "Action": "s3:ListBucket", "Resource": FILES}
    if prefixes is not None:
        stmt["Condition"] = {"StringLike": {"s3:prefix": prefixes}}
    return stmt


def objects(resource: str, actions: Any = OBJECT_ACTIONS, principal: Any = ROLE) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": actions, "Resource": resource}


PER_USER = f"{FILES}/users/{SUB}/*"


def included(finding) -> set[str]:
    """Resources of the grants that reach the role through a principal that does not name it."""
    return {g.pattern for g in finding.grants if g.route == INCLUDED_ROUTE}
PREFIXES = [f"users/{SUB}/", f"users/{SUB}/*"]


@SHAPES
def test_compliance_exact_mirror(check, preview):
    v, _ = judged(check, preview, [*with_principal(role_statements("files"), ROLE), tls_deny("files")])
    # At preview the trust policy needs the pool id: the only diagnostic is that advisory note.
    assert v.rules() == ({"unverified-at-preview"} if preview else set()), v
    assert all(d.kind == "trust-unknown" for d in v.findings)


@SHAPES
def test_compliance_principal_star_with_principal_arn_condition(check, preview):
    cond = {"ArnEquals": {"aws:PrincipalArn": role_arn("auth-role")}}
    stmts = [
        {**s, "Principal": "*", "Condition": {**s.get("Condition", {}), **cond}}
        for s in role_statements("files")
    ]
    v, _ = judged(check, preview, [*stmts, tls_deny("files")])
    assert v.mandatory == [], v


@SHAPES
def test_compliance_string_forms(check, preview):
    """Statement as an object, Action/Resource as strings, principal as a string list, mixed-case action."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    one = {"Effect": "Allow", "Action": "S3:GETOBJECT", "Resource": PER_USER}
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, json.dumps({"Version": "2012-10-17", "Statement": one}))
    principal = {"AWS": [role_arn("auth-role")]}
    bucket_doc = {"Statement": [{**one, "Principal": principal, "Action": ["s3:GetObject"]},
                                tls_deny("files")]}  # fmt: skip
    b.bucket_policy(t.bucket, t.role, json.dumps(bucket_doc))
    v = check(b.capture())
    assert v.mandatory == [], v


@SHAPES
def test_noncompliance_1_bucket_policy_names_another_role(check, preview):
    other = {"AWS": role_arn("someone-else")}
    v, _ = judged(check, preview, [*with_principal(role_statements("files"), other), tls_deny("files")])
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.kind == "not-granted"
    assert d.urn.endswith("aws:s3/bucketPolicy:BucketPolicy::files-policy")
    assert {(a, PER_USER, None) for a in OBJECT_ACTIONS} <= grants(d)
    assert v.rule("no-widening") == []


@SHAPES
def test_noncompliance_2_missing_an_action(check, preview):
    v, _ = judged(
        check, preview, [objects(PER_USER, ["s3:GetObject", "s3:PutObject"]), list_statement(PREFIXES)]
    )
    [d] = v.rule("granting-bucket-policy")
    assert d.kind == "not-granted" and grants(d) == {("s3:DeleteObject", PER_USER, None)}
    assert v.rule("no-widening") == []


@SHAPES
def test_noncompliance_3_list_bucket_without_prefix_condition(check, preview):
    v, _ = judged(check, preview, [objects(PER_USER), list_statement(None)])
    [d] = v.rule("no-widening")
    assert d.level == "mandatory" and grants(d) == {("s3:ListBucket", FILES, None)}
    assert v.rule("granting-bucket-policy") == []  # it covers the role's listing, it is only too wide


@SHAPES
def test_noncompliance_4_whole_bucket(check, preview):
    v, _ = judged(check, preview, [objects(f"{FILES}/*"), list_statement(PREFIXES)])
    [d] = v.rule("no-widening")
    assert grants(d) == {(a, f"{FILES}/*", None) for a in OBJECT_ACTIONS}


@SHAPES
def test_noncompliance_5_users_star_prefix(check, preview):
    v, _ = judged(check, preview, [objects(PER_USER), list_statement(["users/*"])])
    [d] = v.rule("no-widening")
    assert grants(d) == {("s3:ListBucket", FILES, ("users/*",))}


@SHAPES
def test_noncompliance_6_extra_action(check, preview):
    v, _ = judged(
        check, preview, [objects(PER_USER, [*OBJECT_ACTIONS, "s3:PutObjectAcl"]), list_statement(PREFIXES)]
    )
    [d] = v.rule("no-widening")
    assert grants(d) == {("s3:PutObjectAcl", PER_USER, None)}


@SHAPES
def test_noncompliance_7_star_principal_without_condition_names_no_one(check, preview):
    v, _ = judged(check, preview, [objects(PER_USER, principal="*"), list_statement(PREFIXES, principal="*")])
    [d] = v.rule("granting-bucket-policy")
    # Issue 10: granted, but to everyone: reported as the public grant it is, on the bucket policy.
    assert d.kind == "public-grant" and "BucketPolicy::" in d.urn
    [public] = [g for g in d.gaps if g.code == "public"]
    assert f"s3:GetObject on {PER_USER}" in public.values
    assert ("s3:GetObject", PER_USER, None) in grants(d)


@SHAPES
def test_noncompliance_8_grant_on_a_bucket_the_role_does_not_reach(check, preview):
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    other = b.bucket("archive")
    b.hardening(other)
    b.bucket_policy(other, t.role, doc(objects("arn:aws:s3:::archive/*")), name="archive-policy")
    v = check(b.capture())
    [d] = v.rule("no-widening")
    assert d.urn.endswith("BucketPolicy::archive-policy") and d.bucket == other.urn and d.role == t.role.urn
    assert v.rule("granting-bucket-policy") == []


@SHAPES
def test_noncompliance_9_not_action_role_policy_reaches_the_bucket(check, preview):
    role_doc = doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    v, _ = judged(check, preview, None, role_policy=role_doc)
    [d] = v.rule("granting-bucket-policy")
    assert d.kind == "no-bucket-policy" and ("s3:GetObject", f"{FILES}/*", None) in grants(d)


@SHAPES
def test_compliance_certain_deny_is_subtracted(check, preview):
    """Allow s3:*Object on the folder, Deny s3:DeleteObject everywhere: the role reaches Get and Put only."""
    role_doc = doc(
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": PER_USER,
        },
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
    )
    v, _ = judged(check, preview, [objects(PER_USER, ["s3:GetObject", "s3:PutObject"]), tls_deny("files")],
                  role_policy=role_doc)  # fmt: skip
    assert v.mandatory == [], v


@SHAPES
def test_noncompliance_10_not_resource_bucket_grant_is_wider(check, preview):
    stmt = {
        "Effect": "Allow",
        "Principal": ROLE,
        "Action": OBJECT_ACTIONS,
        "NotResource": f"{FILES}/private/*",
    }
    v, _ = judged(check, preview, [stmt, list_statement(PREFIXES)])
    [d] = v.rule("no-widening")
    assert {p for _, p, _ in grants(d)} == {f"{FILES}/*"}


def test_unknown_bucket_policy_that_depends_on_the_role_is_unverified_not_blocked(check):
    b = StackBuilder(preview=True)
    t = full_pattern(b, with_bucket_policy=False)
    b.add("aws:s3/bucketPolicy:BucketPolicy", "files-policy", {"bucket": "files", "policy": UNKNOWN},
          deps={"bucket": [t.bucket.urn], "policy": [t.bucket.urn, t.role.urn]})  # fmt: skip
    v = check(b.capture())
    assert v.mandatory == [], v
    [d] = [d for d in v.rule("unverified-at-preview") if d.urn.endswith("BucketPolicy::files-policy")]
    assert d.level == "advisory" and d.kind == "bucket-document-unknown-naming"
    assert {(a, PER_USER, None) for a in OBJECT_ACTIONS} <= grants(d)


@SHAPES
def test_compliance_listing_prefixes_split_over_two_statements(check, preview):
    v, _ = judged(
        check, preview, [objects(PER_USER), list_statement([PREFIXES[0]]), list_statement([PREFIXES[1]])]
    )
    assert v.mandatory == [], v


@SHAPES
def test_a_bucket_outside_the_program_is_named_not_skipped(check, preview):
    role_doc = doc(*role_statements("files"), {"Effect": "Allow", "Action": "s3:GetObject",
                                               "Resource": "arn:aws:s3:::shared-elsewhere/*"})  # fmt: skip
    v, _ = judged(
        check, preview, [*with_principal(role_statements("files"), ROLE), tls_deny("files")], role_doc
    )
    assert v.mandatory == []
    [d] = [d for d in v.rule("unverified-at-preview") if d.what == "shared-elsewhere"]
    assert d.level == "advisory" and d.kind == "bucket-external"


def test_widening_is_unverified_while_a_role_document_is_unknown_and_untied(check):
    """The role's only document is unknown and tied to no bucket: a grant elsewhere cannot be judged yet."""
    b = StackBuilder(preview=True)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    b.add("aws:iam/rolePolicy:RolePolicy", "computed", {"role": role.name, "policy": UNKNOWN},
          deps={"role": [role.urn], "policy": [pool.urn]})  # fmt: skip
    bucket = b.bucket("archive")
    b.bucket_policy(bucket, role, doc(objects("arn:aws:s3:::archive/*")), name="archive-policy")
    v = check(b.capture())
    assert v.mandatory == [], v
    notes = v.rule("unverified-at-preview")
    assert any(d.kind == "document-unknown" and d.urn.endswith("RolePolicy::computed") for d in notes)
    assert any(d.kind == "grant-role-unknown" and d.bucket == bucket.urn for d in notes)
    # Deployed (document known, reaching nothing on the bucket), the same grant is a violation.
    b2 = StackBuilder(preview=False)
    pool = b2.pool()
    role = b2.role("auth-role", pool=pool)
    b2.attach(pool, role)
    bucket = b2.bucket("archive")
    b2.bucket_policy(bucket, role, doc(objects("arn:aws:s3:::archive/*")), name="archive-policy")
    [d] = check(b2.capture()).rule("no-widening")
    assert d.level == "mandatory"


# --- adversarial shapes: a Deny that only overlaps, or only looks certain, subtracts nothing --------


@SHAPES
def test_noncompliance_11_bucket_deny_that_only_overlaps_does_not_hide_a_wide_grant(check, preview):
    """Deny s3:* on */private/* spares every other key: the Allow on files/* is still wider."""
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::*/private/*"}
    v, _ = judged(check, preview, [objects(f"{FILES}/*"), list_statement(PREFIXES), deny, tls_deny("files")])
    [d] = v.rule("no-widening")
    assert d.level == "mandatory" and grants(d) == {(a, f"{FILES}/*", None) for a in OBJECT_ACTIONS}
    assert v.rule("granting-bucket-policy") == []


@SHAPES
@pytest.mark.parametrize(
    "deny",
    [
        {"Effect": "Deny", "Action": OBJECT_ACTIONS, "NotResource": PER_USER},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*/private/*"},
    ],
    ids=["not-resource", "overlapping-wildcard"],
)
def test_noncompliance_12_role_deny_that_spares_objects_still_reaches_the_bucket(check, preview, deny):
    role_doc = doc({"Effect": "Allow", "Action": OBJECT_ACTIONS, "Resource": f"{FILES}/*"}, deny)
    v, _ = judged(check, preview, [tls_deny("files")], role_policy=role_doc)
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.kind == "not-granted"


# --- adversarial shapes: principals that include the role without naming its ARN --------------------
SESSION = "arn:aws:sts::123456789012:assumed-role/auth-role/CognitoIdentityCredentials"


@SHAPES
@pytest.mark.parametrize(
    ("principal", "condition"),
    [
        ("*", None),
        ({"AWS": "*"}, {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        ("*", {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}),
        ({"AWS": "123456789012"}, None),
        ({"AWS": "arn:aws:iam::123456789012:root"}, None),
        ({"AWS": ["arn:aws:iam::999999999999:user/x", SESSION]}, None),
        ({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, None),
    ],
    ids=["star", "aws-star-ip", "star-not-admin", "account-id", "account-root", "session-arn", "canonical"],
)
def test_noncompliance_13_wide_grant_to_a_principal_that_includes_the_role(
    check, preview, principal, condition
):
    """Everyone, the account, or the role's own session: each includes every user of the Cognito role.
    An account principal delegates to the account's identity policies (IAM User Guide, "AWS account
    principals"); whether that widens a same-account role is debatable, so the pack takes the safe side."""
    wide = objects(f"{FILES}/*", principal=principal)
    if condition:
        wide["Condition"] = condition
    v, _ = judged(check, preview, [*with_principal(role_statements("files"), ROLE), wide, tls_deny("files")])
    [d] = v.rule("no-widening")
    assert d.level == "mandatory" and included(d) == {f"{FILES}/*"}
    assert v.rule("granting-bucket-policy") == []


@SHAPES
@pytest.mark.parametrize(
    "deny",
    [
        {"Effect": "Allow", "NotPrincipal": {"AWS": role_arn("admin")}, "Action": "s3:GetObject",
         "Resource": f"{FILES}/*"},
    ],
    ids=["not-principal"],
)  # fmt: skip
def test_noncompliance_14_allow_with_not_principal_includes_the_role(check, preview, deny):
    v, _ = judged(check, preview, [*with_principal(role_statements("files"), ROLE), deny, tls_deny("files")])
    [d] = v.rule("no-widening")
    assert ("s3:GetObject", f"{FILES}/*", None) in grants(d) and included(d) == {f"{FILES}/*"}


@SHAPES
def test_compliance_wide_grants_to_other_principals(check, preview):
    """A grant to another role by PrincipalArn, or to a service, does not reach the Cognito role."""
    other = objects(f"{FILES}/*", principal="*")
    other["Condition"] = {"ArnEquals": {"aws:PrincipalArn": role_arn("admin")}}
    service = objects(f"{FILES}/*", ["s3:GetObject"], {"Service": "cloudfront.amazonaws.com"})
    distribution = "arn:aws:cloudfront::123456789012:distribution/X"
    service["Condition"] = {"StringEquals": {"AWS:SourceArn": distribution}}
    # "*" limited to requests a service makes on a resource's behalf: a user's own request has no
    # aws:SourceArn, so StringEquals on it is false for the Cognito role (IAM User Guide, global keys).
    on_behalf = objects(f"{FILES}/*", ["s3:GetObject"], "*")
    on_behalf["Condition"] = {"ArnLike": {"aws:SourceArn": distribution}}
    stmts = [*with_principal(role_statements("files"), ROLE), other, service, on_behalf, tls_deny("files")]
    v, _ = judged(check, preview, stmts)
    assert v.mandatory == [], v


@SHAPES
def test_noncompliance_15_session_grant_on_a_bucket_the_role_does_not_reach(check, preview):
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    other = b.bucket("archive")
    b.hardening(other)
    grant = objects("arn:aws:s3:::archive/*", principal={"AWS": SESSION})
    b.bucket_policy(other, t.role, doc(grant), name="archive-policy")
    [d] = check(b.capture()).rule("no-widening")
    assert d.level == "mandatory" and d.urn.endswith("BucketPolicy::archive-policy")


@SHAPES
@pytest.mark.parametrize(
    "cond",
    [{"ArnEquals": {"aws:PrincipalArn": role_arn("admin")}},
     {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/*"}}],
    ids=["another-role", "literal-star"],
)  # fmt: skip
def test_noncompliance_16_role_arn_with_a_principal_arn_condition_for_someone_else_grants_nothing(
    check, preview, cond
):
    """Principal is the role, but aws:PrincipalArn must be another role (or, compared literally, a string
    no ARN equals): the statement never applies."""
    stmts = [
        {**s, "Condition": {**s.get("Condition", {}), **cond}}
        for s in with_principal(role_statements("files"), ROLE)
    ]
    v, _ = judged(check, preview, [*stmts, tls_deny("files")])
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.kind == "not-granted"


@SHAPES
def test_noncompliance_17_listing_prefix_under_for_all_values_restricts_nothing(check, preview):
    """ForAllValues is true when the request has no s3:prefix at all, so it lists the whole bucket."""
    listing = list_statement(PREFIXES)
    listing["Condition"] = {"ForAllValues:StringLike": {"s3:prefix": PREFIXES}}
    v, _ = judged(check, preview, [objects(PER_USER), listing, tls_deny("files")])
    [d] = v.rule("no-widening")
    assert d.level == "mandatory" and grants(d) == {("s3:ListBucket", FILES, None)}


@SHAPES
def test_compliance_listing_prefix_under_for_any_value_is_a_prefix_condition(check, preview):
    listing = list_statement(PREFIXES)
    listing["Condition"] = {"ForAnyValue:StringLike": {"s3:prefix": PREFIXES}}
    v, _ = judged(check, preview, [objects(PER_USER), listing, tls_deny("files")])
    assert v.mandatory == [], v


@SHAPES
def test_noncompliance_18_principal_arn_string_equals_with_a_wildcard_matches_no_role(check, preview):
    """StringEquals compares literally (only the Like and Arn operators expand wildcards), so
    aws:PrincipalArn StringEquals "arn:aws:iam::<acct>:role/*" names no real role: nothing is granted."""
    cond = {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/*"}}
    stmts = [
        {**s, "Principal": "*", "Condition": {**s.get("Condition", {}), **cond}}
        for s in role_statements("files")
    ]
    v, _ = judged(check, preview, [*stmts, tls_deny("files")])
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.kind == "not-granted"


def test_noncompliance_19_a_role_of_the_same_name_in_another_account_is_not_the_role(check):
    """Deployed, the role's ARN is known: a principal in another account with the same role name is
    someone else (at a first preview the account is not known yet, so only the name can be compared)."""
    other_account = {"AWS": "arn:aws:iam::999999999999:role/auth-role"}
    stmts = [*with_principal(role_statements("files"), other_account), tls_deny("files")]
    v, _ = judged(check, False, stmts)
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.kind == "not-granted"


@SHAPES
@pytest.mark.parametrize("where", ["second-bucket-policy", "inline-bucket", "inline-bucket-v2"])
def test_noncompliance_20_wide_grant_in_another_document_of_the_bucket(check, preview, where):
    """The mirror is right, but another bucket policy of the same bucket widens it: still caught."""
    from pack_builder import BUCKET, BUCKET_V2

    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    wide = doc(objects(f"{FILES}/*"))
    if where == "second-bucket-policy":
        b.bucket_policy(t.bucket, t.role, wide, name="second-policy")
    else:
        b.resources.remove(t.bucket)
        rtype = BUCKET if where == "inline-bucket" else BUCKET_V2
        bucket = b.bucket("files", rtype=rtype, policy=wide)
        b.resources.insert(0, b.resources.pop())
        swap = {t.bucket.urn: bucket.urn}  # the rest of the tenant now depends on the new bucket's URN
        for r in b.resources:
            deps = r.property_dependencies
            r.property_dependencies = {k: [swap.get(u, u) for u in us] for k, us in deps.items()}
    v = check(b.capture())
    [d] = v.rule("no-widening")
    assert d.level == "mandatory" and {p for _, p, _ in grants(d)} == {f"{FILES}/*"}


# --- partitions: a China or GovCloud stack writes arn:aws-cn:/arn:aws-us-gov: ARNs ------------------


def in_partition(partition: str, value: Any) -> Any:
    return json.loads(json.dumps(value).replace("arn:aws:", f"arn:{partition}:"))


def partitioned(check, preview: bool, partition: str, bucket_statements: list[dict[str, Any]]):
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    for record in (t.role, t.bucket, t.attachment):  # computed ARNs are in the stack's partition
        record.outputs = in_partition(partition, record.outputs)
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, doc(*in_partition(partition, role_statements("files"))))
    b.bucket_policy(t.bucket, t.role, doc(*in_partition(partition, bucket_statements)))
    return check(b.capture())


PARTITIONS = pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])


@SHAPES
@PARTITIONS
def test_partition_compliance_mirror(check, preview, partition):
    v = partitioned(
        check, preview, partition, [*with_principal(role_statements("files"), ROLE), tls_deny("files")]
    )
    assert v.mandatory == [], v


@SHAPES
@PARTITIONS
def test_partition_noncompliance_no_bucket_grant(check, preview, partition):
    v = partitioned(check, preview, partition, [tls_deny("files")])
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "mandatory" and d.kind == "not-granted"


@SHAPES
@PARTITIONS
def test_partition_noncompliance_wide_grant(check, preview, partition):
    stmts = [*with_principal(role_statements("files"), ROLE), objects(f"{FILES}/*"), tls_deny("files")]
    [d] = partitioned(check, preview, partition, stmts).rule("no-widening")
    assert d.level == "mandatory"


@SHAPES
@PARTITIONS
def test_partition_compliance_star_with_principal_arn(check, preview, partition):
    cond = {"ArnEquals": {"aws:PrincipalArn": role_arn("auth-role")}}
    stmts = [{**s, "Principal": "*", "Condition": {**s.get("Condition", {}), **cond}}
             for s in role_statements("files")]  # fmt: skip
    v = partitioned(check, preview, partition, [*stmts, tls_deny("files")])
    assert v.mandatory == [], v


# --- the role's own sessions: which session principals are the role's (reach.names_session) ----------

from cognito_s3_guard.documents import parse_document  # noqa: E402
from cognito_s3_guard.graph import Node, Role  # noqa: E402
from cognito_s3_guard.reach import names_session  # noqa: E402


def session_role(arn: str | None) -> Role:
    trust = parse_document({"Statement": []})
    return Role(Node("urn:pulumi:s::p::aws:iam/role:Role::auth-role", "aws:iam/role:Role", "auth-role"),
                "auth-role", "/", arn, trust, ())  # fmt: skip


def session_statement(principal: str):
    d = parse_document({"Statement": [objects(f"{FILES}/*", principal={"AWS": principal})]})
    assert d.known, d.problem
    return d.statements[0]


def session_of(account: str, name: str = "auth-role") -> str:
    return f"arn:aws:sts::{account}:assumed-role/{name}/CognitoIdentityCredentials"


# (the role's ARN: None at a first preview, the session principal, is it one of the role's sessions)
SESSION_ROWS = [
    (None, session_of("999999999999"), True),  # the account is not known yet
    (role_arn("auth-role"), session_of("123456789012"), True),
    (role_arn("auth-role"), session_of("*"), True),
    (role_arn("auth-role"), session_of("999999999999"), False),  # deployed: another account's role
    (role_arn("auth-role"), session_of("123456789012", "other"), False),
    # a wildcard account in the role's ARN decides nothing: a session in any account may be the role's
    ("arn:aws:iam::*:role/auth-role", session_of("999999999999"), True),
    ("arn:aws:iam::*:role/auth-role", session_of("*"), True),
    ("arn:aws:iam::*:role/auth-role", session_of("999999999999", "other"), False),
]


@pytest.mark.parametrize(
    ("arn", "principal", "named"),
    SESSION_ROWS,
    ids=["preview", "own-account", "any-account", "another-account", "another-role",
         "star-arn-another-account", "star-arn-any-account", "star-arn-another-role"],
)  # fmt: skip
def test_a_session_principal_is_the_roles_own_when_name_and_known_account_match(arn, principal, named):
    """A bucket statement for ``arn:aws:sts::<acct>:assumed-role/<role>/<session>`` grants the role's
    users by name (it counts as naming the role) when the role name matches and the account is the
    role's, ``*``, or not known: the role's ARN is unknown at a first preview or spells its account as a
    wildcard."""
    assert names_session(session_statement(principal), session_role(arn)) is named
