"""What a first preview leaves open is named, never dropped (unverified-at-preview), and once the values
are known the same program is judged in full.

Rows in the style of test_behaviours.py: each builds a stack in both shapes (a first preview: ids, ARNs
and values computed from them unknown; deployed: every value known) and states its whole verdict as facts
(rule, level, kind, culprit's logical name), with the ``what`` and ``problems`` of the notes that carry
them: what is not known yet, and what it is computed from (only what is established).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cognito_s3_guard.policies import SPECS
from cognito_s3_guard.rules import rules_of
from pack_builder import (
    ACCOUNT,
    ATTACH,
    PA,
    POLICY,
    REGION,
    RPA,
    RPAE,
    StackBuilder,
    Tenant,
    doc,
    full_pattern,
    pool_id_of,
    role_arn,
)
from verdict_rows import TRUST_NOTE, UNVERIFIED, Expect, assert_verdict, expect, trust_is_computed

USER_POOL = "aws:cognito/userPool:UserPool"
NATIVE_ATTACH = "aws-native:cognito:IdentityPoolRoleAttachment"
NATIVE_MANAGED_POLICY = "aws-native:iam:ManagedPolicy"


# --- a) an IdentityPoolRoleAttachment whose roles are computed from no role of the program -------------


def attachment(b: StackBuilder, t: Tenant, rtype: str = ATTACH, **props: Any) -> Any:
    """The tenant's role attachment replaced by one of ``rtype`` with ``props`` (values computed: unknown
    at preview) and no property dependencies."""
    b.resources.remove(t.attachment)
    return b.add(rtype, "roles", {k: b.computed(v) for k, v in props.items()})


def attachment_with_its_dependencies(preview: bool):
    """Compliant: the roles are unknown at preview but depend on the role: it is linked."""
    b = StackBuilder(preview=preview)
    full_pattern(b)
    return b, expect()


def attachment_of_unknown_roles_to_an_unknown_pool(preview: bool):
    """Roles and pool id computed, no dependencies: which roles the pool hands out is not known at
    preview (an advisory note on the attachment, naming the property); deployed, the role is linked."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    attachment(b, t, identityPoolId=pool_id_of(t.pool), roles={"authenticated": role_arn("auth-role")})
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "roles-unknown", "roles"),
                     notes={(UNVERIFIED, "roles"): ("roles", ())})  # fmt: skip


def attachment_of_roles_computed_from_a_user_pool(preview: bool):
    """The roles depend on a user pool only (not on any role): the note says what they are computed from.
    The pool id is a literal here: the roles alone decide."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    users = b.add(USER_POOL, "users", {"name": "users"}, computed={"id": f"{REGION}_x"})
    b.resources.remove(t.attachment)
    b.add(ATTACH, "roles", {"identityPoolId": pool_id_of(t.pool),
                            "roles": {"authenticated": b.computed(role_arn("auth-role"))}},
          deps={"roles": [users.urn]})  # fmt: skip
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "roles-unknown", "roles"),
                     notes={(UNVERIFIED, "roles"): ("roles", ("UserPool 'users'",))})  # fmt: skip


def attachment_of_an_unknown_role_mapping_rule(preview: bool):
    """The authenticated role is linked by its dependency; a role-mapping rule's role is computed from
    nothing: only the role mappings are named."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    admin = b.computed(role_arn("admin"))
    rule = {"claim": "isAdmin", "matchType": "Equals", "value": "yes", "roleArn": admin}
    t.attachment.inputs["roleMappings"] = t.attachment.outputs["roleMappings"] = [
        {"identityProvider": "cognito-idp", "type": "Rules", "mappingRules": [rule]}
    ]
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "roles-unknown", "roles"),
                     notes={(UNVERIFIED, "roles"): ("roleMappings", ())})  # fmt: skip


def attachment_with_a_token_role_mapping_of_a_computed_provider(preview: bool):
    """Compliant: a Token role mapping names no role; its identity provider (the user pool and client ids)
    is computed from resources that are not roles, and unknown at preview: nothing to name."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    users = b.add(USER_POOL, "users", {"name": "users"}, computed={"id": f"{REGION}_x"})
    provider = b.computed(f"cognito-idp.{REGION}.amazonaws.com/{REGION}_x:client123")
    token = {"identityProvider": provider, "type": "Token", "ambiguousRoleResolution": "AuthenticatedRole"}
    t.attachment.inputs["roleMappings"] = t.attachment.outputs["roleMappings"] = [token]
    t.attachment.property_dependencies["roleMappings"] = [users.urn]
    return b, expect()


def native_attachment_of_unknown_roles(preview: bool):
    """The same in aws-native: a role attachment's roles computed from nothing."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    attachment(b, t, NATIVE_ATTACH, identityPoolId=pool_id_of(t.pool),
               roles={"authenticated": role_arn("auth-role")})  # fmt: skip
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "roles-unknown", "roles"),
                     notes={(UNVERIFIED, "roles"): ("roles", ())})  # fmt: skip


# --- b) a managed-policy attachment whose role is computed from no role of the program ---------------

NOTES_ARN = f"arn:aws:iam::{ACCOUNT}:policy/notes"
NOTES = doc({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"})  # no S3: reaches no bucket


def with_notes_policy(b: StackBuilder) -> tuple[Tenant, Any]:
    """The full pattern, and a managed Policy 'notes' (DynamoDB only) for an attachment to attach."""
    t = full_pattern(b)
    policy = b.add(POLICY, "notes", {"name": "notes", "policy": NOTES}, computed={"arn": NOTES_ARN})
    return t, policy


def role_policy_attachment_with_its_dependency(preview: bool):
    """Compliant: the role is named by a dependency; the policy reaches no bucket: clean."""
    b = StackBuilder(preview=preview)
    t, policy = with_notes_policy(b)
    b.add(RPA, "attach-notes", {"role": t.role.name, "policyArn": b.computed(NOTES_ARN)},
          deps={"role": [t.role.urn], "policyArn": [policy.urn]})  # fmt: skip
    return b, expect()


def _unattached(preview: bool, note: tuple[str, tuple[str, ...]]) -> Expect:
    if not preview:
        return expect()
    return expect((UNVERIFIED, "advisory", "document-unattached", "attach-notes"),
                  notes={(UNVERIFIED, "attach-notes"): note})  # fmt: skip


def role_policy_attachment_of_a_role_computed_from_nothing(preview: bool):
    """The role is computed (unknown at preview) and depends on nothing: named as a RolePolicy in the
    same case is (document-unattached, its role); deployed, the role is known and linked."""
    b = StackBuilder(preview=preview)
    t, policy = with_notes_policy(b)
    b.add(RPA, "attach-notes", {"role": b.computed(t.role.name), "policyArn": b.computed(NOTES_ARN)},
          deps={"policyArn": [policy.urn]})  # fmt: skip
    return b, _unattached(preview, ("role", ()))


def role_policy_attachment_of_a_role_computed_from_a_user_pool(preview: bool):
    b = StackBuilder(preview=preview)
    t, policy = with_notes_policy(b)
    users = b.add(USER_POOL, "users", {"name": "users"}, computed={"id": f"{REGION}_x"})
    b.add(RPA, "attach-notes", {"role": b.computed(t.role.name), "policyArn": b.computed(NOTES_ARN)},
          deps={"role": [users.urn], "policyArn": [policy.urn]})  # fmt: skip
    return b, _unattached(preview, ("role", ("UserPool 'users'",)))


def policy_attachment_of_roles_computed_from_nothing(preview: bool):
    b = StackBuilder(preview=preview)
    t, policy = with_notes_policy(b)
    b.add(PA, "attach-notes", {"roles": b.computed([t.role.name]), "policyArn": b.computed(NOTES_ARN)},
          deps={"policyArn": [policy.urn]})  # fmt: skip
    return b, _unattached(preview, ("roles", ()))


def exclusive_attachments_of_a_role_computed_from_nothing(preview: bool):
    b = StackBuilder(preview=preview)
    t, policy = with_notes_policy(b)
    b.add(RPAE, "attach-notes", {"roleName": b.computed(t.role.name), "policyArns": [b.computed(NOTES_ARN)]},
          deps={"policyArns": [policy.urn]})  # fmt: skip
    return b, _unattached(preview, ("roleName", ()))


def native_managed_policy_of_roles_computed_from_nothing(preview: bool):
    """aws-native: a ManagedPolicy attaches itself through its own roles (role names)."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    b.add(NATIVE_MANAGED_POLICY, "attach-notes",
          {"managedPolicyName": "notes", "policyDocument": NOTES, "roles": b.computed([t.role.name])},
          computed={"policyArn": NOTES_ARN})  # fmt: skip
    return b, _unattached(preview, ("roles", ()))


def native_role_policy_of_a_role_computed_from_a_user_pool(preview: bool):
    """aws-native RolePolicy names its role by roleName: the note names that property and what it is
    computed from (its own dependencies, not those of a 'role' property it does not have)."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    users = b.add(USER_POOL, "users", {"name": "users"}, computed={"id": f"{REGION}_x"})
    b.add("aws-native:iam:RolePolicy", "attach-notes",
          {"policyName": "notes", "policyDocument": NOTES, "roleName": b.computed(t.role.name)},
          deps={"roleName": [users.urn]})  # fmt: skip
    return b, _unattached(preview, ("roleName", ("UserPool 'users'",)))


ROWS: list[Callable[[bool], tuple[StackBuilder, Expect]]] = [
    attachment_with_its_dependencies,
    attachment_of_unknown_roles_to_an_unknown_pool,
    attachment_of_roles_computed_from_a_user_pool,
    attachment_of_an_unknown_role_mapping_rule,
    attachment_with_a_token_role_mapping_of_a_computed_provider,
    native_attachment_of_unknown_roles,
    role_policy_attachment_with_its_dependency,
    role_policy_attachment_of_a_role_computed_from_nothing,
    role_policy_attachment_of_a_role_computed_from_a_user_pool,
    policy_attachment_of_roles_computed_from_nothing,
    exclusive_attachments_of_a_role_computed_from_nothing,
    native_managed_policy_of_roles_computed_from_nothing,
    native_role_policy_of_a_role_computed_from_a_user_pool,
]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("row", ROWS, ids=[r.__name__ for r in ROWS])
def test_preview_gap(check, row, preview):
    b, e = row(preview)
    if preview and trust_is_computed(b):
        e = e.with_facts(TRUST_NOTE)
    assert_verdict(check(b.capture()), e)


# --- c) a stack policy's description names every rule it reports ------------------------------------


@pytest.mark.parametrize("spec", [s for s in SPECS if s.kind == "stack"], ids=lambda s: s.name)
def test_a_stack_policy_description_names_each_of_its_rules(spec):
    """The description is what `pulumi preview` prints above each finding of the policy: a user who reads
    it must find every rule that the policy reports by default, by id, as in "(unassumable-role)"."""
    assert {r.id for r in rules_of(spec.name) if f"({r.id}" not in spec.description} == set()
