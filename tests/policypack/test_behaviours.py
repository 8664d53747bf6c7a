"""Behaviours no other table pinned down (issue 15), judged at the verdict level in both shapes.

Each row builds a stack and states its whole verdict as facts: (rule, level, kind, culprit's logical
name), plus the grants or gap codes of the findings that carry them. A wrong count, a wrong culprit or an
extra finding fails the row. Graph-level tests already cover some of these edges (test_graph_edges.py:
malformed inlinePolicies entries, a managed-policy ARN matching no Policy, known-name edges, mixed lists
in a PolicyAttachment); these rows check what the rules then make of them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from pack_builder import (
    ACCOUNT,
    OBJECT_ACTIONS,
    PA,
    POLICY,
    REGION,
    ROLE_POLICY,
    RPA,
    StackBuilder,
    Tenant,
    doc,
    full_pattern,
    pool_id_of,
    role_arn,
    role_statements,
    tls_deny,
    trust,
    with_principal,
)
from verdict_rows import (
    FILES,
    GBP,
    PER_USER,
    READABLE,
    ROLE_GRANTS,
    TRUST,
    TRUST_NOTE,
    UNVERIFIED,
    WIDE,
    Expect,
    assert_verdict,
    expect,
    trust_is_computed,
)

from offline.model import UNKNOWN

ROLE = {"AWS": role_arn("auth-role")}
def pattern(
    preview: bool, bucket_statements: list[dict[str, Any]] | None = None
) -> tuple[StackBuilder, Tenant]:
    """The full pattern; its bucket policy made of ``bucket_statements`` when given."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=bucket_statements is None)
    if bucket_statements is not None:
        b.bucket_policy(t.bucket, t.role, doc(*bucket_statements))
    return b, t


def mirror(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    return [*with_principal(role_statements("files"), ROLE), tls_deny("files"), *extra]


def replace_role_policy(b: StackBuilder, t: Tenant, document: str) -> None:
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, document)


# --- the rows: each returns the stack and its expected verdict for one shape ------------------------


def bucket_deny_removes_a_grant(preview: bool):
    """A Deny on the bucket side removes DeleteObject from what the bucket policy grants the role."""
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": f"{FILES}/*"}
    b, _ = pattern(preview, mirror(deny))
    return b, expect((GBP, "mandatory", "not-granted", "files-policy"),
                     grants={(GBP, "files-policy"): {("s3:DeleteObject", PER_USER, None)}})  # fmt: skip


def bucket_deny_for_everyone_but_the_role_removes_nothing(preview: bool):
    """A Deny with NotPrincipal naming the role itself does not apply to the role."""
    deny = {"Effect": "Deny", "NotPrincipal": ROLE, "Action": "s3:*", "Resource": [FILES, f"{FILES}/*"]}
    b, _ = pattern(preview, mirror(deny))
    return b, expect()


def allow_with_not_principal_naming_the_role_grants_it_nothing(preview: bool):
    """The role's own statements with NotPrincipal = the role: everyone is granted but the role."""
    stmts = [{**s, "NotPrincipal": ROLE} for s in role_statements("files")]
    b, _ = pattern(preview, [*stmts, tls_deny("files")])
    return b, expect((GBP, "mandatory", "not-granted", "files-policy"),
                     grants={(GBP, "files-policy"): ROLE_GRANTS})  # fmt: skip


def question_mark_outer_against_star_inner(preview: bool):
    """The role reaches files/a* (any length); the bucket grants files/a? (one character): not granted."""
    b, t = pattern(preview, [{"Effect": "Allow", "Principal": ROLE, "Action": "s3:GetObject",
                              "Resource": f"{FILES}/a?"}, tls_deny("files")])  # fmt: skip
    replace_role_policy(b, t, doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{FILES}/a*"}))
    return b, expect((GBP, "mandatory", "not-granted", "files-policy"),
                     grants={(GBP, "files-policy"): {("s3:GetObject", f"{FILES}/a*", None)}})  # fmt: skip


def question_mark_outer_against_a_policy_variable_inner(preview: bool):
    """users/?/* does not cover users/${sub}/* (an identity id is longer than one character), nor does
    users/${sub}/* cover users/?/*: not granted, and the one-character grant is wider than the role."""
    stmts = with_principal(role_statements("files"), ROLE)
    stmts[0] = {**stmts[0], "Resource": f"{FILES}/users/?/*"}
    b, _ = pattern(preview, [*stmts, tls_deny("files")])
    return b, expect(
        (GBP, "mandatory", "not-granted", "files-policy"), (WIDE, "mandatory", "wider", "files-policy"),
        grants={(GBP, "files-policy"): {(a, PER_USER, None) for a in OBJECT_ACTIONS},
                (WIDE, "files-policy"): {(a, f"{FILES}/users/?/*", None) for a in OBJECT_ACTIONS}},
    )  # fmt: skip


def principal_list_mixing_the_role_and_a_computed_value(preview: bool):
    """At preview the bucket policy is unknown (one principal is computed) but names the role: an
    advisory note listing what it must grant; deployed, the same list is the role and another: clean."""
    principal = {"AWS": [role_arn("auth-role"), b_computed(preview, role_arn("admin"))]}
    b, _ = pattern(preview, [*with_principal(role_statements("files"), principal), tls_deny("files")])
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "bucket-document-unknown-naming", "files-policy"),
                     grants={(UNVERIFIED, "files-policy"): ROLE_GRANTS})  # fmt: skip


def b_computed(preview: bool, value: Any) -> Any:
    return UNKNOWN if preview else value


def role_resource_list_mixing_known_and_computed(preview: bool):
    """The role's Resource list holds the per-user ARN and a computed one; no bucket policy: blocked in
    both shapes (at preview through the document's dependency on the bucket)."""
    b, t = pattern(preview, None)
    b.resources.remove(t.bucket_policy)
    other = b_computed(preview, "arn:aws:s3:::elsewhere/*")
    replace_role_policy(
        b, t, doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": [PER_USER, other]})
    )
    facts = [
        (GBP, "mandatory", "no-bucket-policy", "files"),
        ("bucket-hardening", "advisory", "missing", "files"),
    ]
    if not preview:
        facts.append((UNVERIFIED, "advisory", "bucket-external", "files-access"))
        return b, expect(*facts, grants={(GBP, "files"): {("s3:GetObject", PER_USER, None)}})
    return b, expect(*facts, grants={(GBP, "files"): set()})


def policy_attachment_roles_mixing_known_and_computed(preview: bool):
    """A PolicyAttachment's roles: the role by name beside a computed name; no bucket policy."""
    b, t = pattern(preview, None)
    b.resources.remove(t.role_policy)
    b.resources.remove(t.bucket_policy)
    arn = f"arn:aws:iam::{ACCOUNT}:policy/files-access"
    policy = b.add(POLICY, "files-access", {"name": "files-access", "policy": doc(*role_statements("files"))},
                   computed={"arn": arn}, deps={"policy": [t.bucket.urn]})  # fmt: skip
    b.add(PA, "attach", {"roles": ["auth-role", b_computed(preview, "admin")], "policyArn": b.computed(arn)},
          deps={"policyArn": [policy.urn]})  # fmt: skip
    return b, expect((GBP, "mandatory", "no-bucket-policy", "files"),
                     ("bucket-hardening", "advisory", "missing", "files"),
                     grants={(GBP, "files"): ROLE_GRANTS})  # fmt: skip


def malformed_inline_policy_of_the_role(preview: bool):
    b, t = pattern(preview, None)
    bad = [{"name": "bad", "policy": "{not json"}]
    t.role.inputs["inlinePolicies"] = t.role.outputs["inlinePolicies"] = bad
    return b, expect((READABLE, "mandatory", "malformed", "auth-role"))


def computed_managed_policy_arn_matching_no_policy(preview: bool):
    """Unknown at preview (tied to nothing: unverifiable); deployed, a policy outside the program."""
    b, t = pattern(preview, None)
    arn = b.computed(f"arn:aws:iam::{ACCOUNT}:policy/elsewhere")
    b.add(RPA, "extra", {"role": "auth-role", "policyArn": arn}, deps={"role": [t.role.urn]})
    kind = "document-unknown" if preview else "document-external"
    return b, expect((UNVERIFIED, "advisory", kind, "extra"))


def _trusted(preview: bool, trust_doc: str) -> StackBuilder:
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", trust_doc=trust_doc)
    b.attach(pool, role)
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    b.bucket_policy(bucket, role)
    return b


WEB_IDENTITY = json.loads(trust(f"{REGION}:0000-pool"))["Statement"][0]


def trust_web_identity_beside_tag_session(preview: bool):
    """Action [AssumeRoleWithWebIdentity, TagSession] under the same pinned conditions: clean."""
    stmt = {**WEB_IDENTITY, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}
    return _trusted(preview, doc(stmt)), expect()


def trust_web_identity_beside_assume_role_is_too_wide(preview: bool):
    """Beside sts:AssumeRole, even under the pinned conditions, the action list is too wide."""
    stmt = {**WEB_IDENTITY, "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}
    return _trusted(preview, doc(stmt)), expect(
        (TRUST, "mandatory", "unsafe-trust", "auth-role"), gaps={(TRUST, "auth-role"): {"action-too-wide"}}
    )


def trust_with_a_second_statement_for_a_service(preview: bool):
    service = {
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    return _trusted(preview, doc(WEB_IDENTITY, service)), expect()


def trust_with_a_second_statement_for_anyone(preview: bool):
    anyone = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    return _trusted(preview, doc(WEB_IDENTITY, anyone)), expect(
        (TRUST, "mandatory", "unsafe-trust", "auth-role"), gaps={(TRUST, "auth-role"): {"anyone-statement"}}
    )


def trust_with_a_second_unpinned_web_identity_statement(preview: bool):
    """A second web-identity statement without aud/amr undoes the pinned first one."""
    loose = {k: v for k, v in WEB_IDENTITY.items() if k != "Condition"}
    return _trusted(preview, doc(WEB_IDENTITY, loose)), expect(
        (TRUST, "mandatory", "unsafe-trust", "auth-role"), gaps={(TRUST, "auth-role"): {"no-aud", "no-amr"}}
    )


def trust_with_a_deny_for_anyone(preview: bool):
    """A Deny whose principal is everyone trusts no one: the pinned statement alone decides."""
    deny = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    return _trusted(preview, doc(WEB_IDENTITY, deny)), expect()


def trust_with_only_a_deny_for_anyone(preview: bool):
    """No statement trusts Cognito, and the Deny to everyone trusts no one: the attached role cannot be
    assumed by the pool's users (an advisory), and nothing trusts anyone."""
    deny = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    return _trusted(preview, doc(deny)), expect(("unassumable-role", "advisory", "unassumable", "roles"))


def trust_with_a_not_principal_statement(preview: bool):
    """Allow with NotPrincipal trusts everyone but one: the gap says which statement, and how."""
    anyone = {"Effect": "Allow", "NotPrincipal": {"AWS": role_arn("admin")}, "Action": "sts:AssumeRole"}
    b = _trusted(preview, doc(WEB_IDENTITY, anyone))
    return b, expect((TRUST, "mandatory", "unsafe-trust", "auth-role"),
                     gaps={(TRUST, "auth-role"): {"anyone-statement"}},
                     values={(TRUST, "auth-role"): {("1", "NotPrincipal")}})  # fmt: skip


def no_s3_action_on_the_bucket(preview: bool):
    """Deny iam:* and Allow iam:* to anyone on the bucket: neither is an S3 grant nor removes one."""
    deny = {"Effect": "Deny", "Principal": "*", "Action": "iam:*", "Resource": [FILES, f"{FILES}/*"]}
    allow = {"Effect": "Allow", "Principal": "*", "Action": "iam:*", "Resource": f"{FILES}/*"}
    b, _ = pattern(preview, mirror(deny, allow))
    return b, expect()


def _spelled_out(preview: bool, with_bucket_policy: bool, *extra: dict[str, Any]) -> StackBuilder:
    """The pattern as a program that spells names and ARNs out: no property dependency anywhere, and
    every reference a literal (known at preview), only the resources' own ids and ARNs computed."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    if with_bucket_policy:
        b.bucket_policy(t.bucket, t.role, doc(*mirror(*extra)))
    t.role.outputs["assumeRolePolicy"] = t.role.inputs["assumeRolePolicy"] = trust(pool_id_of(t.pool))
    t.attachment.outputs = t.attachment.inputs = {
        "identityPoolId": pool_id_of(t.pool),
        "roles": {"authenticated": role_arn("auth-role")},
    }
    for r in b.resources:
        r.property_dependencies, r.dependencies = {}, []
    return b


def spelled_out_clean(preview: bool):
    return _spelled_out(preview, True), expect()


def spelled_out_without_bucket_policy(preview: bool):
    return _spelled_out(preview, False), expect(
        (GBP, "mandatory", "no-bucket-policy", "files"),
        ("bucket-hardening", "advisory", "missing", "files"),
        grants={(GBP, "files"): ROLE_GRANTS},
    )


def spelled_out_wide_grant(preview: bool):
    wide = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{FILES}/*"}
    return _spelled_out(preview, True, wide), expect(
        (WIDE, "mandatory", "wider", "files-policy"),
        grants={(WIDE, "files-policy"): {("s3:GetObject", f"{FILES}/*", None)}},
    )


def role_deny_under_a_condition_removes_nothing(preview: bool):
    """A role-side Deny with a condition may not apply: the role still reaches DeleteObject, which the
    bucket policy (Get and Put only) does not grant."""
    b, t = pattern(
        preview, [*with_principal([_objects(["s3:GetObject", "s3:PutObject"])], ROLE), tls_deny("files")]
    )
    deny = {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # fmt: skip
    replace_role_policy(b, t, doc(_objects(OBJECT_ACTIONS), deny))
    return b, expect((GBP, "mandatory", "not-granted", "files-policy"),
                     grants={(GBP, "files-policy"): {("s3:DeleteObject", PER_USER, None)}})  # fmt: skip


def _objects(actions: list[str]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": PER_USER}


def role_statement_listing_another_service_before_the_bucket(preview: bool):
    """Resource [a DynamoDB table, the per-user folder]: the folder is reached all the same."""
    b, t = pattern(preview, None)
    b.resources.remove(t.bucket_policy)
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/notes"
    replace_role_policy(b, t, doc({**_objects(OBJECT_ACTIONS), "Resource": [table, PER_USER]}))
    return b, expect((GBP, "mandatory", "no-bucket-policy", "files"),
                     ("bucket-hardening", "advisory", "missing", "files"),
                     grants={(GBP, "files"): {(a, PER_USER, None) for a in OBJECT_ACTIONS}})  # fmt: skip


def a_document_before_the_role_policy_that_reaches_nothing(preview: bool):
    """The role's first document is computed (unknown at preview, tied to no bucket; deployed, a DynamoDB
    grant): the role policy registered after it still reaches the bucket, which has no bucket policy."""
    b, t = pattern(preview, None)
    b.resources.remove(t.bucket_policy)
    b.resources.remove(t.role_policy)
    table = doc({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"})
    b.add(ROLE_POLICY, "notes", {"role": "auth-role", "name": "notes", "policy": b.computed(table)},
          deps={"role": [t.role.urn]})  # fmt: skip
    b.role_policy(t.role, t.bucket)
    facts = [
        (GBP, "mandatory", "no-bucket-policy", "files"),
        ("bucket-hardening", "advisory", "missing", "files"),
    ]
    if preview:
        facts.append((UNVERIFIED, "advisory", "document-unknown", "notes"))
    return b, expect(*facts, grants={(GBP, "files"): ROLE_GRANTS})


def a_malformed_bucket_document_before_the_bucket_policy(preview: bool):
    """The bucket's own policy property is malformed; the BucketPolicy after it still grants the role."""
    b, t = pattern(preview, None)
    t.bucket.inputs["policy"] = t.bucket.outputs["policy"] = "{not json"
    return b, expect((READABLE, "mandatory", "malformed", "files"))


ROWS: list[Callable[[bool], tuple[StackBuilder, Expect]]] = [
    bucket_deny_removes_a_grant,
    bucket_deny_for_everyone_but_the_role_removes_nothing,
    allow_with_not_principal_naming_the_role_grants_it_nothing,
    question_mark_outer_against_star_inner,
    question_mark_outer_against_a_policy_variable_inner,
    principal_list_mixing_the_role_and_a_computed_value,
    role_resource_list_mixing_known_and_computed,
    policy_attachment_roles_mixing_known_and_computed,
    malformed_inline_policy_of_the_role,
    computed_managed_policy_arn_matching_no_policy,
    trust_web_identity_beside_tag_session,
    trust_web_identity_beside_assume_role_is_too_wide,
    trust_with_a_second_statement_for_a_service,
    trust_with_a_second_statement_for_anyone,
    trust_with_a_second_unpinned_web_identity_statement,
    trust_with_a_deny_for_anyone,
    trust_with_only_a_deny_for_anyone,
    trust_with_a_not_principal_statement,
    no_s3_action_on_the_bucket,
    spelled_out_clean,
    spelled_out_without_bucket_policy,
    spelled_out_wide_grant,
    role_deny_under_a_condition_removes_nothing,
    role_statement_listing_another_service_before_the_bucket,
    a_document_before_the_role_policy_that_reaches_nothing,
    a_malformed_bucket_document_before_the_bucket_policy,
]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("row", ROWS, ids=[r.__name__ for r in ROWS])
def test_behaviour(check, row, preview):
    b, e = row(preview)
    if preview and trust_is_computed(b):
        e = e.with_facts(TRUST_NOTE)
    assert_verdict(check(b.capture()), e)


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize(
    ("exemption", "exempt"),
    [("team:files", True), ("granting-bucket-policy:team:files", True), ("no-widening:team:files", False),
     ("team", False), ("files:team", False)],
)  # fmt: skip
def test_an_exemption_by_a_logical_name_with_a_colon(check, preview, exemption, exempt):
    """A name with a colon is a name unless what comes before the colon is a rule id."""
    b, t = pattern(preview, None)
    b.resources.remove(t.bucket_policy)
    old, new = t.bucket.urn, t.bucket.urn.replace("::files", "::team:files")
    t.bucket.urn, t.bucket.name = new, "team:files"
    for r in b.resources:
        r.property_dependencies = {
            k: [new if u == old else u for u in v] for k, v in r.property_dependencies.items()
        }
        r.dependencies = [new if u == old else u for u in r.dependencies]
    v = check(b.capture(), {"cognito-bucket-access": {"exemptions": [exemption]}})
    assert [f.resource for f in v.rule(GBP)] == ([] if exempt else [new])


def test_findings_are_immutable_hashable_values(check):
    """Rules and the dispatcher may keep findings in sets and share them between policies."""
    b, _ = pattern(False, mirror({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                  "Resource": f"{FILES}/*"}))  # fmt: skip
    [f] = check(b.capture()).rule(WIDE)
    assert {f, f} == {f} and all(hash(g) == hash(g) for g in f.grants)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.level = "advisory"  # type: ignore[misc]
