"""bucket-hardening, row by row: which of the four settings a bucket that Cognito users' files live in
lacks (exact gap codes, in order), for classic buckets (settings as resources of their own) and aws-native
ones (settings inline, with a fix that says so), in both shapes. A TLS-only Deny counts only when it
denies object reads and writes to everyone on plain HTTP; an unknown bucket policy at preview may hold
it, so it is not reported missing then."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cognito_s3_guard.rules.bucket_hardening import NATIVE_REMEDIATION, REMEDIATION
from pack_builder import (
    BPA,
    OWNERSHIP,
    SSE,
    SUB,
    StackBuilder,
    Tenant,
    doc,
    full_pattern,
    role_arn,
    role_statements,
    tls_deny,
    with_principal,
)

SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
ROLE = {"AWS": role_arn("auth-role")}
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
ALL_ON = dict.fromkeys(FLAGS, True)


def setting(rtype: str, **inputs: Any) -> Callable[[StackBuilder, Tenant], None]:
    """Replace the bucket's setting resource of ``rtype`` by one with these inputs."""

    def change(b: StackBuilder, t: Tenant) -> None:
        [old] = [r for r in b.resources if r.type == rtype]
        b.resources.remove(old)
        b.add(rtype, old.name, {"bucket": "files", **inputs}, deps={"bucket": [t.bucket.urn]})

    return change


def without(*rtypes: str) -> Callable[[StackBuilder, Tenant], None]:
    def change(b: StackBuilder, t: Tenant) -> None:
        b.resources[:] = [r for r in b.resources if r.type not in rtypes]

    return change


def bucket_statements(*statements: dict[str, Any]) -> Callable[[StackBuilder, Tenant], None]:
    """The bucket policy: the role's own statements mirrored, then these."""

    def change(b: StackBuilder, t: Tenant) -> None:
        b.resources.remove(t.bucket_policy)
        b.bucket_policy(t.bucket, t.role, doc(*with_principal(role_statements("files"), ROLE), *statements))

    return change


def both(*changes: Callable[[StackBuilder, Tenant], None]) -> Callable[[StackBuilder, Tenant], None]:
    def change(b: StackBuilder, t: Tenant) -> None:
        for c in changes:
            c(b, t)

    return change


def second_hardening(b: StackBuilder, t: Tenant) -> None:
    b.hardening(t.bucket, "-2")


TLS = tls_deny("files")
CLASSIC: dict[str, tuple[Callable[[StackBuilder, Tenant], None], tuple[str, ...]]] = {
    "compliance": (both(), ()),
    "one-flag-off": (setting(BPA, **{**ALL_ON, "ignorePublicAcls": False}), ("public-access-block",)),
    "flags-as-strings": (setting(BPA, **dict.fromkeys(FLAGS, "True")), ()),
    "a-flag-string-false": (setting(BPA, **{**ALL_ON, "blockPublicAcls": "false"}), ("public-access-block",)),
    "a-partial-and-a-full-block": (both(setting(BPA, blockPublicAcls=True), second_hardening), ()),
    "object-writer": (setting(OWNERSHIP, rule={"objectOwnership": "ObjectWriter"}), ("ownership-enforced",)),
    "no-encryption": (without(SSE), ("encryption",)),
    "tls-deny-to-any-aws-principal": (bucket_statements({**TLS, "Principal": {"AWS": "*"}}), ()),
    "no-tls-deny": (bucket_statements(), ("tls-deny",)),
    "tls-deny-of-reads-only": (bucket_statements({**TLS, "Action": "s3:GetObject"}), ("tls-deny",)),
    "tls-deny-of-writes-only": (bucket_statements({**TLS, "Action": "s3:PutObject"}), ("tls-deny",)),
    "tls-deny-to-the-role-only": (bucket_statements({**TLS, "Principal": ROLE}), ("tls-deny",)),
    "deny-when-tls": (bucket_statements({**TLS, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
                      ("tls-deny",)),
    "deny-on-another-key": (bucket_statements({**TLS, "Condition": {"Bool": {"aws:MultiFactorAuthPresent":
                                                                              "false"}}}), ("tls-deny",)),
    "everything-missing": (both(without(BPA, OWNERSHIP, SSE), bucket_statements()),
                           ("public-access-block", "tls-deny", "encryption", "ownership-enforced")),
}  # fmt: skip


@SHAPES
@pytest.mark.parametrize("case", list(CLASSIC), ids=list(CLASSIC))
def test_classic_bucket_hardening(check, preview, case):
    change, gaps = CLASSIC[case]
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    change(b, t)
    found = check(b.capture()).rule("bucket-hardening")
    if not gaps:
        assert found == []
        return
    [d] = found
    assert (d.level, d.kind, d.urn, d.bucket, d.role) == ("advisory", "missing", t.bucket.urn, t.bucket.urn,
                                                          t.role.urn)  # fmt: skip
    assert tuple(g.code for g in d.gaps) == gaps and d.remediation == REMEDIATION


@SHAPES
def test_an_unknown_bucket_policy_at_preview_may_hold_the_tls_deny(check, preview):
    """A second bucket policy computed from something not known yet may hold the TLS Deny: at preview it
    is not reported missing; once the document is known without it, it is."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    bucket_statements()(b, t)
    grant = {"Effect": "Allow", "Principal": ROLE, "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::files/users/{SUB}/*"}  # fmt: skip
    b.bucket_policy(t.bucket, t.role, b.computed(doc(grant)), name="computed-policy")
    found = check(b.capture()).rule("bucket-hardening")
    assert [tuple(g.code for g in d.gaps) for d in found] == ([] if preview else [("tls-deny",)])


NATIVE_BUCKET = "aws-native:s3:Bucket"
PAB = {"publicAccessBlockConfiguration": ALL_ON}
SSE_INLINE = {"bucketEncryption": {"serverSideEncryptionConfiguration": [
    {"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}}  # fmt: skip
OWNED = {"ownershipControls": {"rules": [{"objectOwnership": "BucketOwnerEnforced"}]}}
WRITER = {"ownershipControls": {"rules": [{"objectOwnership": "ObjectWriter"}]}}
NATIVE: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "compliance": ({**PAB, **SSE_INLINE, **OWNED}, ()),
    "one-flag-off": ({**SSE_INLINE, **OWNED,
                      "publicAccessBlockConfiguration": {**ALL_ON, "blockPublicPolicy": False}},
                     ("public-access-block",)),
    "empty-encryption": ({**PAB, **OWNED, "bucketEncryption": {}}, ("encryption",)),
    "object-writer": ({**PAB, **SSE_INLINE, **WRITER}, ("ownership-enforced",)),
    "nothing": ({}, ("public-access-block", "encryption", "ownership-enforced")),
}  # fmt: skip


@SHAPES
@pytest.mark.parametrize("case", list(NATIVE), ids=list(NATIVE))
def test_native_bucket_hardening_is_read_inline_and_its_fix_says_so(check, preview, case):
    settings, gaps = NATIVE[case]
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.add(NATIVE_BUCKET, "files", {"bucketName": "files", **settings},
                   computed={"arn": "arn:aws:s3:::files"})  # fmt: skip
    b.role_policy(role, bucket)
    b.bucket_policy(bucket, role)
    found = check(b.capture()).rule("bucket-hardening")
    if not gaps:
        assert found == []
        return
    [d] = found
    assert (d.level, d.urn, d.role) == ("advisory", bucket.urn, role.urn)
    assert tuple(g.code for g in d.gaps) == gaps and d.remediation == NATIVE_REMEDIATION
