"""Issue 10: what an unknown value cannot hold, from what it is computed from (a first preview).

Each bound both ways: the correct program (the document depends on what it must name) stays clean
apart from the honest unverified-at-preview note; the program that lacks the dependency is blocked, and
the finding says what the document is computed from."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.bounds import Closure, engine_assigned, urn_label
from cognito_s3_guard.documents import parse_document
from cognito_s3_guard.findings import Gap
from cognito_s3_guard.principals import web_identity_assumable
from cognito_s3_guard.render import render
from pack_builder import UNKNOWN, StackBuilder, doc, pool_id_of, trust

AUTONAMED = "auth-role-1a2b3c4"  # the engine's autoname shape for logical name "auth-role"
USER_POOL = "aws:cognito/userPool:UserPool"
PARAM = "aws:ssm/parameter:Parameter"
USER_GROUP = "aws:cognito/userGroup:UserGroup"


def program(*, role_name: str = AUTONAMED, policy_deps: str = "role", trust_from: str = "pool",
            attach_pool: bool = True) -> tuple[StackBuilder, dict[str, Any]]:  # fmt: skip
    """The full pattern at a first preview, with every document computed (unknown). ``policy_deps``: what
    the bucket policy's document depends on besides the bucket ("role", "none", "param": an SSM parameter
    that holds the role's ARN). ``trust_from``: "pool", "user-pool" or "param" (a parameter holding the
    pool id)."""
    b = StackBuilder(preview=True)
    pool = b.pool()
    users = b.add(USER_POOL, "users", {"name": "users"}, computed={"id": "us-east-1_x"})
    param_role = None
    trust_deps = {"pool": [pool.urn], "user-pool": [users.urn]}.get(trust_from, [])
    if trust_from == "param":
        holder = b.add(PARAM, "pool-id", {"name": "pool-id"}, computed={"value": "x"},
                       deps={"value": [pool.urn]})  # fmt: skip
        trust_deps = [holder.urn]
    role = b.role("auth-role", trust_doc=UNKNOWN, extra={"name": role_name},
                  deps={"assumeRolePolicy": trust_deps})  # fmt: skip
    if attach_pool:
        b.attach(pool, role)
    else:  # a pool outside the program: its id is a literal
        b.add("aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment", "roles",
              {"identityPoolId": "us-east-1:outside", "roles": {"authenticated": UNKNOWN}},
              deps={"roles": [role.urn]})  # fmt: skip
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    if policy_deps == "param":
        param_role = b.add(PARAM, "role-arn", {"name": "role-arn"}, computed={"value": "x"},
                           deps={"value": [role.urn]})  # fmt: skip
    extra = {"role": [role.urn], "none": [], "param": [param_role.urn if param_role else ""]}[policy_deps]
    b.add("aws:s3/bucketPolicy:BucketPolicy", "files-policy", {"bucket": "files", "policy": UNKNOWN},
          deps={"bucket": [bucket.urn], "policy": [bucket.urn, *extra]})  # fmt: skip
    return b, {"pool": pool, "users": users, "role": role, "bucket": bucket}


# --- the bucket-policy bound -----------------------------------------------------------------------


def test_an_unknown_bucket_policy_that_depends_on_the_role_stays_unverified(check):
    b, _ = program()
    v = check(b.capture())
    assert v.mandatory == []
    assert any(f.kind.startswith("bucket-document-unknown") for f in v.rule("unverified-at-preview"))


def test_an_unknown_bucket_policy_not_computed_from_an_autonamed_role_cannot_name_it(check):
    b, r = program(policy_deps="none")
    v = check(b.capture())
    [d] = v.mandatory
    assert d.rule == "granting-bucket-policy" and d.kind == "not-granted"
    assert d.urn.endswith("BucketPolicy::files-policy")
    assert d.role == r["role"].urn and d.bucket == r["bucket"].urn
    route = "aws:s3/bucketPolicy:BucketPolicy 'files-policy'"
    assert d.gaps == (Gap("cannot-name", route, ("Bucket 'files'",), (AUTONAMED,)),)
    assert not any(f.kind.startswith("bucket-document-unknown") for f in v.rule("unverified-at-preview"))
    text = render(d)
    assert f"'{AUTONAMED}'" in text and "computed only from Bucket 'files'" in text and "cannot name" in text


def test_a_dependency_through_another_resource_may_carry_the_role_name(check):
    """An SSM parameter holding the role's ARN: the policy depends on the role only transitively."""
    b, _ = program(policy_deps="param")
    assert check(b.capture()).mandatory == []


def test_a_literal_role_name_can_be_spelled_out_so_it_stays_unverified(check):
    b, _ = program(role_name="auth-files-role", policy_deps="none")
    v = check(b.capture())
    assert v.mandatory == [] and v.rule("unverified-at-preview")


@pytest.mark.parametrize(
    ("logical", "physical", "assigned"),
    [
        ("auth", "auth-1a2b3c4", True),
        ("auth", "auth-1A2B3C4", False),  # the engine's suffix is lower-case hex
        ("auth", "auth-1a2b3c", False),
        ("auth", "auth-1a2b3c4d", False),
        ("auth", "other-1a2b3c4", False),
        ("auth", "user-1a2b3c4", False),  # the autoname shape after another logical name of that length
        ("auth", "auth", False),
        ("auth", None, False),
    ],
)
def test_engine_assigned_names_have_the_autoname_shape_only(logical, physical, assigned):
    assert engine_assigned(logical, physical) is assigned


class _Resource:
    def __init__(self, name: str, deps: Any = (), pdeps: Any = None) -> None:
        self.urn, self.dependencies, self.property_dependencies = f"urn:{name}", deps, pdeps or {}


_STACK = [
    _Resource("a", ["urn:b"]),
    _Resource("b", ["urn:c"]),
    _Resource("c"),
    _Resource("d", 5),  # dependencies that cannot be read
    _Resource("e", (), {"policy": ["urn:c"], "bucket": None}),
    _Resource("f", None, {"policy": ["urn:outside"]}),
]


@pytest.mark.parametrize(
    ("deps", "target", "reaches"),
    [
        (["urn:a"], "urn:a", True),
        (["urn:a"], "urn:c", True),
        (["urn:e"], "urn:c", True),
        (["urn:c", "urn:e"], "urn:a", False),
        (["urn:a"], "urn:e", False),
        ([], "urn:a", False),
        (["urn:outside"], "urn:a", True),
        (["urn:f"], "urn:a", True),
        (["urn:d"], "urn:a", True),
    ],
    ids=[
        "itself",
        "through-dependencies",
        "through-property-dependencies",
        "not-upstream",
        "downstream-only",
        "no-dependencies",
        "a-resource-outside-the-request",
        "through-a-resource-outside-the-request",
        "through-a-resource-whose-dependencies-cannot-be-read",
    ],
)
def test_a_value_may_hold_what_its_dependencies_reach_or_what_cannot_be_followed(deps, target, reaches):
    """The bound: a value computed from ``deps`` may hold an identifier of ``target`` only if ``target`` is
    upstream of them. A dependency that cannot be followed (not a resource of the request, or a resource
    whose dependencies cannot be read) may reach anything, so it never bounds (no false block)."""
    assert Closure(_STACK).reaches(deps, target) is reaches


# --- the trust bound -------------------------------------------------------------------------------


def test_an_unknown_trust_computed_from_the_identity_pool_stays_unverified(check):
    b, _ = program()
    v = check(b.capture())
    assert v.rule("cognito-role-trust") == []
    assert [f.kind for f in v.rule("unverified-at-preview") if f.kind == "trust-unknown"] == ["trust-unknown"]


@pytest.mark.parametrize("source", ["user-pool", "none"])
def test_an_unknown_trust_not_computed_from_the_pool_cannot_pin_it(check, source):
    b, r = program(trust_from=source)
    v = check(b.capture())
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and d.urn == r["role"].urn
    deps = ("UserPool 'users'",) if source == "user-pool" else ()
    assert d.gaps == (Gap("aud-not-from-pool", values=deps, others=("IdentityPool 'pool'",)),)
    assert not [f for f in v.rule("unverified-at-preview") if f.kind == "trust-unknown"]
    if source == "user-pool":
        assert "its aud is computed from UserPool 'users', not from IdentityPool 'pool'" in render(d)


def test_a_trust_computed_through_another_resource_from_the_pool_stays_unverified(check):
    b, _ = program(trust_from="param")
    assert check(b.capture()).rule("cognito-role-trust") == []


def test_a_pool_outside_the_program_may_be_spelled_out_in_the_trust(check):
    b, _ = program(trust_from="user-pool", attach_pool=False)
    assert check(b.capture()).rule("cognito-role-trust") == []


def test_urn_labels_name_any_type():
    assert urn_label("urn:pulumi:s::p::aws:cognito/userPool:UserPool::users") == "UserPool 'users'"
    assert urn_label("urn:pulumi:s::p::my:comp:C$aws:cognito/userPoolClient:UserPoolClient::web") == (
        "UserPoolClient 'web'"
    )



@pytest.mark.parametrize(("value", "label"), [("users", "'users'"), ("", "''")], ids=["bare-name", "empty"])
def test_a_dependency_that_is_not_a_urn_is_labelled_by_its_quoted_text(value: str, label: str) -> None:
    """A dependency handed as a plain string, or as a resource without a URN (read as ""), still gets a
    label for a gap's values: its text in quotes, with no type, never an error."""
    assert urn_label(value) == label

# --- who can assume a role -------------------------------------------------------------------------

FED = {"Federated": "cognito-identity.amazonaws.com"}


@pytest.mark.parametrize(
    ("statements", "assumable"),
    [
        ([{"Effect": "Allow", "Principal": FED, "Action": "sts:AssumeRoleWithWebIdentity"}], True),
        ([{"Effect": "Allow", "Principal": FED, "Action": "sts:*"}], True),
        ([{"Effect": "Allow", "Principal": FED, "Action": "sts:AssumeRole*"}], True),
        ([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"}], True),
        ([{"Effect": "Allow", "Principal": FED, "NotAction": "sts:AssumeRole"}], True),
        ([{"Effect": "Allow", "Principal": FED, "NotAction": "sts:AssumeRoleWith*"}], False),
        ([{"Effect": "Allow", "Principal": FED, "Action": "sts:AssumeRole"}], False),
        ([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:*"}], False),
        ([{"Effect": "Allow", "Principal": FED, "Action": "sts:*"},
          {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"}], False),
        ([{"Effect": "Allow", "Principal": FED, "Action": "sts:*"},
          {"Effect": "Deny", "Principal": "*", "Action": "sts:*",
           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], True),  # a conditional Deny: may not
    ],
)  # fmt: skip
def test_web_identity_assumable(statements, assumable):
    assert web_identity_assumable(parse_document(doc(*statements))) is assumable


def test_an_unknown_trust_may_be_assumable():
    assert web_identity_assumable(parse_document(UNKNOWN))


@pytest.mark.parametrize("preview", [True, False])
def test_an_assumable_but_unpinned_attached_role_is_still_blocked(check, preview):
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", trust_doc=doc({"Effect": "Allow", "Principal": FED, "Action": "sts:*"}))
    b.attach(pool, role)
    v = check(b.capture())
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and {g.code for g in d.gaps} >= {"no-aud", "no-amr"}
    assert v.rule("unassumable-role") == []


def test_an_unassumable_attached_role_draws_one_advisory_that_says_so(check):
    b = StackBuilder(preview=False)
    pool = b.pool()
    role = b.role("legacy", trust_doc=trust(pool_id_of(pool), action="sts:AssumeRole"))
    att = b.attach(pool, role)
    bucket = b.bucket("files")
    b.role_policy(role, bucket)  # reaches the bucket, but no identity can assume it
    v = check(b.capture())
    assert v.mandatory == []
    [d] = v.rule("unassumable-role")
    assert d.level == "advisory" and d.urn == att.urn and d.role == role.urn
    assert "no identity can assume it" in render(d)


# --- bugs: nothing at preview is skipped silently; culprits do not depend on registration order ------


def test_an_unknown_bucket_policy_that_depends_on_a_role_reaching_nothing_there_is_named(check):
    b = StackBuilder(preview=True)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.bucket("other")
    b.hardening(bucket)
    b.add("aws:s3/bucketPolicy:BucketPolicy", "other-policy", {"bucket": "other", "policy": UNKNOWN},
          deps={"bucket": [bucket.urn], "policy": [bucket.urn, role.urn]})  # fmt: skip
    v = check(b.capture())
    [d] = [f for f in v.rule("unverified-at-preview") if f.kind == "bucket-document-unknown-unreaching"]
    assert d.urn.endswith("BucketPolicy::other-policy") and d.role == role.urn and d.bucket == bucket.urn


def test_a_role_policy_whose_role_is_computed_from_no_role_is_named(check):
    """Amplify's '<UserPoolId>-AdminsGroupRole': the RolePolicy's role depends on the user pool only."""
    b = StackBuilder(preview=True)
    pool = b.pool()
    users = b.add(USER_POOL, "users", {"name": "users"}, computed={"id": "us-east-1_x"})
    bucket = b.bucket("files")
    rp = b.add("aws:iam/rolePolicy:RolePolicy", "AdminsGroupPolicy",
               {"role": UNKNOWN, "policy": doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})},
               deps={"role": [users.urn], "policy": [bucket.urn]})  # fmt: skip
    assert pool is not None
    v = check(b.capture())
    [d] = [f for f in v.rule("unverified-at-preview") if f.kind == "document-unattached"]
    assert d.urn == rp.urn and d.what == "role" and d.problems == ("UserPool 'users'",)
    assert "UserPool 'users'" in render(d)


def _two_wide_policies(first: str) -> StackBuilder:
    b = StackBuilder(preview=False)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    wide = doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/auth-role"},
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::files/*"})  # fmt: skip
    names = ["b-policy", "a-policy"] if first == "b" else ["a-policy", "b-policy"]
    for name in names:
        b.bucket_policy(bucket, role, wide, name=name)
    return b


def test_culprits_do_not_depend_on_registration_order(check):
    seen = []
    for first in ("a", "b"):
        v = check(_two_wide_policies(first).capture())
        seen.append(sorted((f.rule, f.kind, f.urn) for f in v.findings))
    assert seen[0] == seen[1]
    assert any(urn.endswith("BucketPolicy::a-policy") for rule, _, urn in seen[0] if rule == "no-widening")


def test_a_correct_program_never_reads_the_whole_stacks_dependencies():
    """The bounds follow dependencies transitively only when a direct one does not decide (speed)."""
    from cognito_s3_guard import analysis
    from cognito_s3_guard.config import read_config
    from cognito_s3_guard.policies import SPECS, findings_of
    from inproc import sdk_resources

    b, _ = program()
    analysis._memo.clear()
    a = analysis.analyze(sdk_resources(b.capture().resources))
    for spec in SPECS:
        if spec.kind == "stack":
            findings_of(spec.name, a, read_config(spec.name, {})[0])
    assert not a.closure.built
    b2, _ = program(policy_deps="none")
    a2 = analysis.analyze(sdk_resources(b2.capture().resources))
    config = read_config("cognito-bucket-access", {})[0]
    assert [f.rule for f in findings_of("cognito-bucket-access", a2, config)] == ["granting-bucket-policy"]
    assert a2.closure.built
