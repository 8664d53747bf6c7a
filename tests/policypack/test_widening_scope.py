"""no-widening's scope: the buckets a Cognito role reaches, plus the buckets whose policy grants the role
something by name. A statement that names the role but grants nothing does not pull a bucket in.

In one account either layer grants a request (IAM User Guide, "Policy evaluation logic"), so a bucket whose
policy grants the role by name (its ARN, its session ARN, or "*" with aws:PrincipalArn) holds the role's
users' files just as one its own policies reach, and there every grant that applies to the role (one to
everyone included) is compared with the role's own scope. A bucket neither reaches (a public website
bucket) holds no user's folder: its grant to everyone is none of no-widening's business, and a statement
that names the role without granting it anything (s3:GetObject on the bucket ARN matches no object; a
non-S3 action; a grant the bucket's own Deny removes) changes nothing.

Rows in the style of test_behaviours.py: each builds the full pattern (the role reaches bucket 'files',
which mirrors it) plus what the row says, in both shapes (deployed; a first preview: ARNs and ids unknown,
relations by property dependencies), and states the whole verdict as facts (rule, level, kind, culprit's
logical name) with the grants of the findings that carry them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pack_builder import (
    ACCOUNT,
    BUCKET_POLICY,
    OBJECT_ACTIONS,
    POLICY,
    RPA,
    StackBuilder,
    Tenant,
    doc,
    full_pattern,
    role_arn,
    role_statements,
    tls_deny,
    with_principal,
)
from verdict_rows import (
    FILES,
    GBP,
    PER_USER,
    PREFIXES,
    TRUST_NOTE,
    UNVERIFIED,
    WIDE,
    Expect,
    assert_verdict,
    expect,
    trust_is_computed,
)

SITE = "arn:aws:s3:::site"
ROLE = {"AWS": role_arn("auth-role")}
SESSION = {"AWS": "arn:aws:sts::123456789012:assumed-role/auth-role/CognitoIdentityCredentials"}


def allow(principal: Any, actions: Any, resources: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": actions, "Resource": resources, **extra}


EVERYONE_READS_SITE = allow("*", "s3:GetObject", f"{SITE}/*")
NOTHING_BY_ARN = allow(ROLE, "s3:GetObject", SITE)  # an object action on the bucket ARN: no object matches


def wider_on(culprit: str) -> Expect:
    """One no-widening finding on ``culprit``: the grant to everyone and the grant of uploads/* by name."""
    wide = {("s3:GetObject", f"{SITE}/*", None), ("s3:PutObject", f"{SITE}/uploads/*", None)}
    return expect((WIDE, "mandatory", "wider", culprit), grants={(WIDE, culprit): wide})


def with_site(preview: bool, *statements: dict[str, Any]) -> tuple[StackBuilder, Tenant]:
    """The full pattern, and a hardened bucket 'site' that the role's own policies reach nothing in, with
    a bucket policy of ``statements`` (its document depends on the role, as a program that names the role
    by its ARN output would write it)."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    site = b.bucket("site")
    b.hardening(site)
    b.bucket_policy(site, t.role, doc(*statements), name="site-policy")
    return b, t


# --- compliant: nothing names the role with a grant, so the public bucket is out of scope -----------


def a_public_bucket_the_role_has_nothing_to_do_with(preview: bool):
    return with_site(preview, EVERYONE_READS_SITE, tls_deny("site"))[0], expect()


def naming_the_role_with_an_object_action_on_the_bucket_arn(preview: bool):
    """s3:GetObject on arn:aws:s3:::site matches no object: the role is named, and granted nothing."""
    return with_site(preview, EVERYONE_READS_SITE, NOTHING_BY_ARN)[0], expect()


def naming_the_role_with_a_non_s3_action(preview: bool):
    return with_site(preview, EVERYONE_READS_SITE, allow(ROLE, "iam:PassRole", f"{SITE}/*"))[0], expect()


def naming_the_role_with_a_grant_the_bucket_denies(preview: bool):
    """The role's only grant by name is removed by an unconditional Deny to everyone: nothing is left."""
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"{SITE}/*"}
    b, _ = with_site(preview, EVERYONE_READS_SITE, allow(ROLE, "s3:PutObject", f"{SITE}/uploads/*"), deny)
    return b, expect()


def naming_a_session_of_the_role_with_a_statement_that_grants_nothing(preview: bool):
    return with_site(preview, EVERYONE_READS_SITE, {**NOTHING_BY_ARN, "Principal": SESSION})[0], expect()


def naming_the_role_by_principal_arn_with_a_statement_that_grants_nothing(preview: bool):
    cond = {"ArnEquals": {"aws:PrincipalArn": role_arn("auth-role")}}
    stmt = {**NOTHING_BY_ARN, "Principal": "*", "Condition": cond}
    return with_site(preview, EVERYONE_READS_SITE, stmt)[0], expect()


# --- non-compliant: a grant by name puts the bucket in scope, and everything there is wider ----------


def a_grant_by_arn_on_a_public_bucket(preview: bool):
    """The role is granted uploads/* by name: its users' files live here, and the grant to everyone
    applies to the role too. Both are wider than the role's own scope (nothing) on 'site'."""
    b, _ = with_site(preview, EVERYONE_READS_SITE, allow(ROLE, "s3:PutObject", f"{SITE}/uploads/*"))
    return b, wider_on("site-policy")


def a_grant_to_a_session_of_the_role_on_a_public_bucket(preview: bool):
    b, _ = with_site(preview, EVERYONE_READS_SITE, allow(SESSION, "s3:PutObject", f"{SITE}/uploads/*"))
    return b, wider_on("site-policy")


def a_grant_by_principal_arn_on_a_public_bucket(preview: bool):
    cond = {"ArnEquals": {"aws:PrincipalArn": role_arn("auth-role")}}
    stmt = allow("*", "s3:PutObject", f"{SITE}/uploads/*", Condition=cond)
    b, _ = with_site(preview, EVERYONE_READS_SITE, stmt)
    return b, wider_on("site-policy")


def a_grant_a_deny_only_trims_keeps_the_bucket_in_scope(preview: bool):
    """The Deny covers uploads/private/* only: uploads/* is still granted by name."""
    private = f"{SITE}/uploads/private/*"
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": private}
    b, _ = with_site(preview, EVERYONE_READS_SITE, allow(ROLE, "s3:PutObject", f"{SITE}/uploads/*"), deny)
    return b, wider_on("site-policy")


def a_grant_to_everyone_on_the_bucket_the_role_reaches(preview: bool):
    """The role reaches 'files', whose policy grants everyone, not the role: a public grant (mandatory,
    granting-bucket-policy) and wider than the role's per-user folder (no-widening), as before."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    b.bucket_policy(t.bucket, t.role, doc(allow("*", "s3:GetObject", f"{FILES}/*"), tls_deny("files")))
    role_grants = {(a, PER_USER, None) for a in OBJECT_ACTIONS} | {("s3:ListBucket", FILES, PREFIXES)}
    return b, expect((GBP, "mandatory", "public-grant", "files-policy"),
                     (WIDE, "mandatory", "wider", "files-policy"),
                     grants={(GBP, "files-policy"): role_grants,
                             (WIDE, "files-policy"): {("s3:GetObject", f"{FILES}/*", None)}})  # fmt: skip


def a_statement_that_grants_nothing_beside_the_role_on_the_bucket_it_reaches(preview: bool):
    """On a bucket the role reaches, naming it once more with a statement that grants nothing changes
    nothing either: the mirror plus GetObject on the bucket ARN is as clean as the mirror alone."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    mirror = [allow(ROLE, OBJECT_ACTIONS, PER_USER),
              allow(ROLE, "s3:ListBucket", FILES, Condition={"StringLike": {"s3:prefix": list(PREFIXES)}}),
              allow(ROLE, "s3:GetObject", FILES), tls_deny("files")]  # fmt: skip
    b.bucket_policy(t.bucket, t.role, doc(*mirror))
    return b, expect()


# --- documents not known at a first preview: whether they grant by name is not established ----------


def _site_with_a_computed_second_policy(preview: bool, deployed_doc: str) -> StackBuilder:
    """'site' carries the grant to everyone inline (a literal, known in both shapes) and a BucketPolicy
    computed from the role's ARN: unknown at preview (depending on the role), ``deployed_doc`` once known."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    site = b.bucket("site", policy=doc(EVERYONE_READS_SITE))
    b.hardening(site)
    b.add(BUCKET_POLICY, "site-policy", {"bucket": "site", "policy": b.computed(deployed_doc)},
          deps={"bucket": [site.urn], "policy": [site.urn, t.role.urn]})  # fmt: skip
    return b


def a_computed_policy_that_turns_out_to_grant_nothing(preview: bool):
    """At preview the computed document may name the role with a grant: not established, so an advisory
    note, not a block; deployed, it names the role with GetObject on the bucket ARN: clean."""
    b = _site_with_a_computed_second_policy(preview, doc(NOTHING_BY_ARN))
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "bucket-document-unknown-unreaching", "site-policy"))


def a_computed_policy_that_turns_out_to_grant_the_role(preview: bool):
    """The same at preview; deployed, the document grants the role uploads/*: the bucket is in scope and
    both grants are wider (the culprit is the first resource by URN: the bucket, whose inline policy
    holds the grant to everyone)."""
    b = _site_with_a_computed_second_policy(preview, doc(allow(ROLE, "s3:PutObject", f"{SITE}/uploads/*")))
    if preview:
        return b, expect((UNVERIFIED, "advisory", "bucket-document-unknown-unreaching", "site-policy"))
    return b, wider_on("site")


# --- a document whose role is computed from no role (unattached at preview) may be the role's --------

FILES_ACCESS_ARN = f"arn:aws:iam::{ACCOUNT}:policy/files-access"
MIRROR_GRANTS = {(a, PER_USER, None) for a in OBJECT_ACTIONS} | {("s3:ListBucket", FILES, PREFIXES)}


def _reach_through_an_attachment(b: StackBuilder, attached: str) -> None:
    """The role's S3 access through a managed Policy whose RolePolicyAttachment names the role
    ``attached`` by a computed value that depends on no role (unknown at preview)."""
    policy = b.add(POLICY, "files-access", {"name": "files-access", "policy": doc(*role_statements("files"))},
                   computed={"arn": FILES_ACCESS_ARN})  # fmt: skip
    b.add(RPA, "attach", {"role": b.computed(attached), "policyArn": b.computed(FILES_ACCESS_ARN)},
          deps={"policyArn": [policy.urn]})  # fmt: skip


def a_mirror_while_the_role_policy_attachment_is_unknown(preview: bool):
    """At preview the role's own policies reach nothing known on 'files', but the attachment whose role
    is not known yet may be the role's (its name is a literal, which a computed value can spell): whether
    the bucket's grant by name is wider is not established, an advisory; deployed, the mirror is clean."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    b.resources.remove(t.role_policy)
    _reach_through_an_attachment(b, "auth-role")
    if not preview:
        return b, expect()
    return b, expect((UNVERIFIED, "advisory", "document-unattached", "attach"),
                     (UNVERIFIED, "advisory", "grant-role-unknown", "files-policy"),
                     grants={(UNVERIFIED, "files-policy"): MIRROR_GRANTS})  # fmt: skip


def a_grant_to_an_engine_named_role_that_no_unknown_attachment_can_name(preview: bool):
    """The role's name is engine-assigned (auth-role-1a2b3c4): a value computed from no role cannot spell
    it, so the unknown attachment is not the role's and the grant by name is wider than the role's own
    (nothing) in both shapes. Deployed, the attachment names another role."""
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    name = "auth-role-1a2b3c4"
    role.inputs["name"] = role.outputs["name"] = name
    role.outputs["arn"] = b.computed(role_arn(name))
    b.attach(pool, role)
    bucket = b.bucket("files")
    b.hardening(bucket)
    mirror = doc(*with_principal(role_statements("files"), {"AWS": role_arn(name)}), tls_deny("files"))
    b.bucket_policy(bucket, role, mirror)
    _reach_through_an_attachment(b, "someone-else")
    facts = [(WIDE, "mandatory", "wider", "files-policy")]
    if preview:
        facts.append((UNVERIFIED, "advisory", "document-unattached", "attach"))
    return b, expect(*facts, grants={(WIDE, "files-policy"): MIRROR_GRANTS})


ROWS: list[Callable[[bool], tuple[StackBuilder, Expect]]] = [
    a_public_bucket_the_role_has_nothing_to_do_with,
    naming_the_role_with_an_object_action_on_the_bucket_arn,
    naming_the_role_with_a_non_s3_action,
    naming_the_role_with_a_grant_the_bucket_denies,
    naming_a_session_of_the_role_with_a_statement_that_grants_nothing,
    naming_the_role_by_principal_arn_with_a_statement_that_grants_nothing,
    a_grant_by_arn_on_a_public_bucket,
    a_grant_to_a_session_of_the_role_on_a_public_bucket,
    a_grant_by_principal_arn_on_a_public_bucket,
    a_grant_a_deny_only_trims_keeps_the_bucket_in_scope,
    a_grant_to_everyone_on_the_bucket_the_role_reaches,
    a_statement_that_grants_nothing_beside_the_role_on_the_bucket_it_reaches,
    a_computed_policy_that_turns_out_to_grant_nothing,
    a_computed_policy_that_turns_out_to_grant_the_role,
    a_mirror_while_the_role_policy_attachment_is_unknown,
    a_grant_to_an_engine_named_role_that_no_unknown_attachment_can_name,
]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("row", ROWS, ids=[r.__name__ for r in ROWS])
def test_widening_scope(check, row, preview):
    b, e = row(preview)
    if preview and trust_is_computed(b):
        e = e.with_facts(TRUST_NOTE)
    assert_verdict(check(b.capture()), e)


def test_a_grant_to_a_role_of_the_same_name_in_another_account_does_not_pull_a_bucket_in(check):
    """Deployed, the role's ARN is known: arn:aws:iam::<another account>:role/auth-role is someone else, so
    its grant on 'site' is not a grant to the Cognito role, and the grant to everyone stays out of scope
    (at a first preview the account is not known yet, and the name alone may be the role)."""
    other = {"AWS": "arn:aws:iam::999999999999:role/auth-role"}
    b, _ = with_site(False, EVERYONE_READS_SITE, allow(other, "s3:PutObject", f"{SITE}/uploads/*"))
    assert_verdict(check(b.capture()), expect())
