"""unverified-at-preview on a (Cognito role, bucket) pair: a note names what is not known yet, exactly
when the verdict of cognito-bucket-access hangs on it, with the grants still open. Each row is a stack
whose document is computed (unknown at a first preview) and its whole verdict in both shapes: at preview
the note; deployed, the same document known and judged for real (here: compliant)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from inproc import grants
from pack_builder import (
    BUCKET_POLICY,
    StackBuilder,
    Tenant,
    doc,
    full_pattern,
    mirror_bucket_policy,
    role_arn,
    role_statements,
    tls_deny,
    with_principal,
)
from verdict_rows import LIST_GRANT, ROLE_GRANTS, TRUST_NOTE, UNVERIFIED

ROLE = {"AWS": role_arn("auth-role")}
[OBJECTS, LISTING] = with_principal(role_statements("files"), ROLE)


@dataclass(frozen=True)
class Row:
    build: Callable[[StackBuilder, Tenant], None]
    preview: frozenset[tuple[str, str, str, str]]  # (rule, level, kind, culprit's logical name)
    note_grants: frozenset | None = None  # the grants of the pair's note, when it carries them
    note_routes: int = 1
    deployed: frozenset[tuple[str, str, str, str]] = frozenset()


def computed_bucket_policy(b: StackBuilder, t: Tenant, document: str, name: str = "computed",
                           naming: bool = True) -> None:  # fmt: skip
    """A bucket policy whose document is computed from the bucket (and the role, when it names it)."""
    deps = [t.bucket.urn] + ([t.role.urn] if naming else [])
    b.add(BUCKET_POLICY, name, {"bucket": "files", "policy": b.computed(document)},
          deps={"bucket": [t.bucket.urn], "policy": deps})  # fmt: skip


def computed_role_policy(b: StackBuilder, t: Tenant) -> None:
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, b.computed(doc(*role_statements("files"))))


def all_granted_and_a_computed_policy(b, t):
    b.bucket_policy(t.bucket, t.role)
    computed_bucket_policy(b, t, mirror_bucket_policy("files", "auth-role"))


def objects_granted_and_listing_computed(b, t):
    b.bucket_policy(t.bucket, t.role, doc(OBJECTS, tls_deny("files")))
    computed_bucket_policy(b, t, doc(LISTING))


def only_a_computed_policy(b, t):
    computed_bucket_policy(b, t, mirror_bucket_policy("files", "auth-role"))


def only_a_computed_policy_not_from_the_role(b, t):
    computed_bucket_policy(b, t, mirror_bucket_policy("files", "auth-role"), naming=False)


def two_computed_policies(b, t):
    computed_bucket_policy(b, t, doc(LISTING, tls_deny("files")), name="b-computed")
    computed_bucket_policy(b, t, doc(OBJECTS), name="a-computed")


def computed_role_document_and_a_granting_policy(b, t):
    computed_role_policy(b, t)
    b.bucket_policy(t.bucket, t.role)


def a_known_role_named_by_a_bucket_it_does_not_reach(b, t):
    b.bucket_policy(t.bucket, t.role)
    other = b.bucket("other")
    b.hardening(other)
    grant = {"Effect": "Allow", "Principal": ROLE, "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::other/*"}  # fmt: skip
    b.bucket_policy(other, t.role, doc(grant, tls_deny("other")), name="other-policy")


def computed_role_document_and_two_policies(b, t):
    computed_role_policy(b, t)
    b.bucket_policy(t.bucket, t.role)
    b.bucket_policy(t.bucket, t.role, doc(tls_deny("files")), name="b-tls")


def computed_role_document_and_a_policy_naming_no_role(b, t):
    computed_role_policy(b, t)
    b.bucket_policy(t.bucket, t.role, doc(tls_deny("files")))


ROWS = {
    "all-granted-and-a-computed-policy": Row(all_granted_and_a_computed_policy, frozenset({TRUST_NOTE})),
    "objects-granted-and-listing-computed": Row(
        objects_granted_and_listing_computed,
        frozenset({TRUST_NOTE, (UNVERIFIED, "advisory", "bucket-document-unknown-naming", "computed")}),
        frozenset({LIST_GRANT})),
    "only-a-computed-policy": Row(
        only_a_computed_policy,
        frozenset({TRUST_NOTE, (UNVERIFIED, "advisory", "bucket-document-unknown-naming", "computed")}),
        ROLE_GRANTS),
    "only-a-computed-policy-not-from-the-role": Row(
        only_a_computed_policy_not_from_the_role,
        frozenset({TRUST_NOTE, (UNVERIFIED, "advisory", "bucket-document-unknown", "computed")}),
        ROLE_GRANTS),
    "two-computed-policies": Row(
        two_computed_policies,
        frozenset({TRUST_NOTE, (UNVERIFIED, "advisory", "bucket-document-unknown-naming", "a-computed")}),
        ROLE_GRANTS, note_routes=2),
    "computed-role-document-and-a-granting-policy": Row(
        computed_role_document_and_a_granting_policy,
        frozenset({TRUST_NOTE, (UNVERIFIED, "advisory", "role-document-unknown", "files-policy")})),
    "a-known-role-named-by-a-bucket-it-does-not-reach": Row(  # judged for real: nothing hangs on a value
        a_known_role_named_by_a_bucket_it_does_not_reach,
        frozenset({TRUST_NOTE, ("no-widening", "mandatory", "wider", "other-policy")}),
        deployed=frozenset({("no-widening", "mandatory", "wider", "other-policy")})),
    "computed-role-document-and-two-policies": Row(  # the note is on the first bucket policy by URN
        computed_role_document_and_two_policies,
        frozenset({TRUST_NOTE, (UNVERIFIED, "advisory", "role-document-unknown", "b-tls")})),
    "computed-role-document-and-a-policy-naming-no-role": Row(
        computed_role_document_and_a_policy_naming_no_role,
        frozenset({TRUST_NOTE, ("granting-bucket-policy", "mandatory", "not-named", "files-policy")}),
        deployed=frozenset({("granting-bucket-policy", "mandatory", "not-granted", "files-policy")})),
}  # fmt: skip


def facts(v) -> set[tuple[str, str, str, str]]:
    return {(f.rule, f.level, f.kind, f.resource.rsplit("::", 1)[-1]) for f in v.findings
            if f.rule != "per-identity-scope"}  # fmt: skip


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("name", list(ROWS), ids=list(ROWS))
def test_a_pair_is_noted_exactly_when_its_verdict_hangs_on_a_computed_document(check, name, preview):
    row = ROWS[name]
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    row.build(b, t)
    v = check(b.capture())
    want = row.preview if preview else row.deployed
    assert facts(v) == set(want) and len(v.findings) == len(want) + len(v.rule("per-identity-scope")), v
    pair_notes = [f for f in v.rule(UNVERIFIED) if f.kind != "trust-unknown"]
    for note in pair_notes:
        assert (note.role, note.bucket) == (t.role.urn, t.bucket.urn)
        assert len(note.routes) == row.note_routes
        if row.note_grants is not None:
            assert grants(note) == set(row.note_grants)


def test_a_document_attached_to_no_known_role_is_noted_only_in_a_stack_with_cognito(check):
    """A RolePolicy whose role is computed from no role of the program may attach to a Cognito role: noted
    when the stack has an identity pool or a Cognito role, not in a stack with neither."""
    from offline.model import UNKNOWN

    def stack(with_pool: bool) -> StackBuilder:
        b = StackBuilder(preview=True)
        if with_pool:
            b.pool()
        users = b.add("aws:cognito/userPool:UserPool", "users", {"name": "users"}, computed={"id": "x"})
        bucket = b.bucket("files")
        b.add("aws:iam/rolePolicy:RolePolicy", "group-policy",
              {"role": UNKNOWN, "policy": doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})},
              deps={"role": [users.urn], "policy": [bucket.urn]})  # fmt: skip
        return b

    noted = check(stack(True).capture()).findings
    assert [(f.rule, f.kind) for f in noted] == [(UNVERIFIED, "document-unattached")]
    assert check(stack(False).capture()).findings == []


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
def test_a_role_document_computed_from_no_bucket_is_noted_with_what_it_depends_on(check, preview):
    """The role's document is computed from a user pool only: at preview which buckets it reaches is not
    known, and the note names what it depends on, by type and name (as every note does); deployed, the
    known document is judged for real (here it reaches the bucket, whose policy grants it). At preview the
    bucket's grant to the role is noted too: whether it is wider than the role's own policies is not known."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    users = b.add("aws:cognito/userPool:UserPool", "users", {"name": "users"}, computed={"id": "us-east-1_x"})
    b.resources.remove(t.role_policy)
    b.add("aws:iam/rolePolicy:RolePolicy", "computed",
          {"role": "auth-role", "policy": b.computed(doc(*role_statements("files")))},
          deps={"role": [t.role.urn], "policy": [users.urn]})  # fmt: skip
    v = check(b.capture())
    notes = [(f.kind, f.resource.rsplit("::", 1)[-1], f.problems) for f in v.rule(UNVERIFIED)]
    want = [("trust-unknown", "auth-role", ("IdentityPool 'pool'",)),
            ("document-unknown", "computed", ("UserPool 'users'",)),
            ("grant-role-unknown", "files-policy", ())]  # fmt: skip
    assert notes == (want if preview else []) and v.mandatory == []
