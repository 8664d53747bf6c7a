"""unassumable-role: a role that an identity pool or a user-pool group hands out, but that no Cognito
identity can assume, draws one advisory finding on the resource that hands it out (the first by URN when
several do), and nothing mandatory. Both shapes."""

from __future__ import annotations

import pytest
from pack_builder import REGION, StackBuilder, doc, role_arn, trust

SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
LAMBDA_TRUST = doc(
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
)
FED = {"Federated": "cognito-identity.amazonaws.com"}
DENIED_TRUST = doc(  # trusts Cognito by name, then denies the web-identity call to it unconditionally
    {"Effect": "Allow", "Principal": FED, "Action": "sts:AssumeRoleWithWebIdentity"},
    {"Effect": "Deny", "Principal": FED, "Action": "sts:AssumeRoleWithWebIdentity"},
)
PINNED_TRUST = trust(f"{REGION}:0000-pool")


def group(b: StackBuilder, role, name: str = "admins"):
    users = b.add("aws:cognito/userPool:UserPool", "users", {"name": "users"}, computed={"id": "us-east-1_x"})
    arn = b.computed(role_arn(role.name))
    inputs = {"name": name, "userPoolId": b.computed("us-east-1_x"), "roleArn": arn}
    return b.add("aws:cognito/userGroup:UserGroup", name, inputs,
                 deps={"roleArn": [role.urn], "userPoolId": [users.urn]})  # fmt: skip


@SHAPES
def test_a_role_handed_out_by_two_pools_is_reported_once_on_the_first_attachment(check, preview):
    b = StackBuilder(preview=preview)
    pool_a, pool_b = b.pool("pool-a"), b.pool("pool-b")
    role = b.role("app-role", trust_doc=LAMBDA_TRUST)
    second = b.attach(pool_b, role, name="b-roles")
    first = b.attach(pool_a, role, name="a-roles")
    v = check(b.capture())
    [d] = v.findings
    assert (d.rule, d.level, d.kind, d.resource, d.role) == (
        "unassumable-role", "advisory", "unassumable", first.urn, role.urn)
    assert len(d.routes) == 2 and {first.urn, second.urn, role.urn} <= set(d.subjects)
    # Every resource involved exempts it: the role and each attachment that hands it out.
    for exempted in ("app-role", "a-roles", "b-roles", "unassumable-role:b-roles"):
        assert check(b.capture(), {"cognito-s3-advisories": {"exemptions": [exempted]}}).findings == []


@SHAPES
def test_a_cognito_role_denied_to_web_identities_handed_out_by_a_user_pool_group(check, preview):
    b = StackBuilder(preview=preview)
    role = b.role("app-role", trust_doc=DENIED_TRUST)
    admins = group(b, role)
    [d] = check(b.capture()).findings
    assert (d.rule, d.level, d.resource, d.role) == ("unassumable-role", "advisory", admins.urn, role.urn)


@SHAPES
def test_a_cognito_role_denied_to_web_identities_that_nothing_hands_out_is_not_reported(check, preview):
    b = StackBuilder(preview=preview)
    b.role("app-role", trust_doc=DENIED_TRUST)
    assert check(b.capture()).findings == []


@SHAPES
def test_compliance_a_user_pool_groups_role_that_its_identities_can_assume(check, preview):
    b = StackBuilder(preview=preview)
    role = b.role("app-role", trust_doc=PINNED_TRUST)
    group(b, role)
    assert check(b.capture()).rule("unassumable-role") == []
