"""The advisory rules (per-identity-scope, bucket-hardening, identity-pool-settings), readable-documents,
and the config options a rule reads (exemptions, sharedPrefixes, allowGuests): checked in-process.
Levels, config refusal and the policies' metadata are proven through the protocol (test_protocol.py)."""

from __future__ import annotations

import pytest
from cognito_s3_guard.findings import Gap
from inproc import grants
from pack_builder import BPA, StackBuilder, doc, full_pattern, role_statements

from offline.model import UNKNOWN

SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
ROLE_PRINCIPAL = {"AWS": "arn:aws:iam::123456789012:role/auth-role"}


def no_bucket_policy(preview: bool = True) -> StackBuilder:
    b = StackBuilder(preview=preview)
    full_pattern(b, with_bucket_policy=False)
    return b


@SHAPES
@pytest.mark.parametrize(
    "exemption",
    ["files", "urn:pulumi:test::files::aws:s3/bucket:Bucket::files", "granting-bucket-policy:auth-role"],
)
def test_exemptions_by_name_urn_or_rule(check, preview, exemption):
    v = check(no_bucket_policy(preview).capture(), {"cognito-bucket-access": {"exemptions": [exemption]}})
    assert v.rule("granting-bucket-policy") == []


@SHAPES
def test_a_rule_scoped_exemption_leaves_other_rules(check, preview):
    v = check(
        no_bucket_policy(preview).capture(), {"cognito-bucket-access": {"exemptions": ["no-widening:files"]}}
    )
    assert len(v.rule("granting-bucket-policy")) == 1


def shared_read_stack(preview: bool = False) -> StackBuilder:
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    shared = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::files/public/*"}
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, doc(*role_statements("files"), shared))
    b.bucket_policy(t.bucket, t.role, doc(*[{**s, "Principal": ROLE_PRINCIPAL}
                                             for s in [*role_statements("files"), shared]]))  # fmt: skip
    return b


@SHAPES
def test_per_identity_scope_reports_shared_folders_unless_configured(check, preview):
    v = check(shared_read_stack(preview).capture())
    [d] = v.rule("per-identity-scope")
    assert d.level == "advisory" and grants(d) == {("s3:GetObject", "arn:aws:s3:::files/public/*", None)}
    assert v.mandatory == []
    v = check(
        shared_read_stack(preview).capture(), {"cognito-s3-advisories": {"sharedPrefixes": ["public/"]}}
    )
    assert v.rule("per-identity-scope") == []


@SHAPES
def test_per_identity_scope_flags_a_listing_without_the_identity_prefix(check, preview):
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    b.resources.remove(t.role_policy)
    lst = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::files"}
    b.role_policy(t.role, t.bucket, doc(role_statements("files")[0], lst))
    v = check(b.capture())
    [d] = v.rule("per-identity-scope")
    assert grants(d) == {("s3:ListBucket", "arn:aws:s3:::files", None)}


@SHAPES
def test_bucket_hardening_lists_what_is_missing(check, preview):
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    b.resources[:] = [r for r in b.resources if r.type != BPA]
    v = check(b.capture())
    [d] = v.rule("bucket-hardening")
    assert d.level == "advisory" and d.urn == t.bucket.urn
    assert [g.code for g in d.gaps] == ["public-access-block"]


@SHAPES
def test_bucket_hardening_all_missing(check, preview):
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.bucket("files")
    b.role_policy(role, bucket)
    b.bucket_policy(bucket, role, doc(*[{**s, "Principal": ROLE_PRINCIPAL}
                                        for s in role_statements("files")]))  # fmt: skip
    v = check(b.capture())
    [d] = v.rule("bucket-hardening")
    assert [g.code for g in d.gaps] == ["public-access-block", "tls-deny", "encryption", "ownership-enforced"]


@SHAPES
@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, None),
        ({"allowClassicFlow": True}, Gap("classic-flow")),
        ({"allowUnauthenticatedIdentities": True}, Gap("guests")),
        ({"cognitoIdentityProviders": [{"clientId": "c1", "serverSideTokenCheck": False}]},
         Gap("token-check-off", "c1")),
    ],
    ids=["compliance", "classic-flow", "guests", "token-check"],
)  # fmt: skip
def test_identity_pool_settings(check, preview, overrides, expected):
    b = StackBuilder(preview=preview)
    pool = b.pool("pool", **overrides)
    v = check(b.capture())
    found = v.rule("identity-pool-settings")
    if expected is None:
        assert found == []
    else:
        [d] = found
        assert d.level == "advisory" and d.urn == pool.urn and d.gaps == (expected,)


@SHAPES
def test_identity_pool_guests_allowed_by_config(check, preview):
    b = StackBuilder(preview=preview)
    b.pool("pool", allowUnauthenticatedIdentities=True)
    v = check(b.capture(), {"identity-pool-settings": {"allowGuests": True}})
    assert v.rule("identity-pool-settings") == []


@SHAPES
@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("{not json", "not valid JSON"),
        (
            '{"Statement": [{"Effect": "Allow", "Resource": "*"}]}',
            "Statement[0] has neither Action nor NotAction",
        ),
        (
            '{"Statement": [{"Effect": "Maybe", "Action": "s3:*"}]}',
            'Statement[0].Effect must be "Allow" or "Deny"',
        ),
        (
            '{"Statement": [{"Effect": "Allow", "Action": 7, "Resource": "*"}]}',
            "Statement[0].Action must be a string",
        ),
        ("[1, 2]", "a policy document must be a JSON object"),
    ],
    ids=["json", "no-action", "effect", "action-type", "not-object"],
)
def test_malformed_document_names_its_resource(check, preview, document, problem):
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    b.resources.remove(t.role_policy)
    rp = b.role_policy(t.role, t.bucket, document)
    v = check(b.capture())
    [d] = v.rule("readable-documents")
    assert d.level == "mandatory" and d.urn == rp.urn
    assert d.what == "policy document of RolePolicy 'files-access'" and problem in d.problems[0]


CLIENT = "cognito-idp.us-east-1.amazonaws.com/us-east-1_x"


def provider(client_id, check) -> dict:
    return {"clientId": client_id, "providerName": CLIENT, "serverSideTokenCheck": check}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"allowClassicFlow": UNKNOWN}, (Gap("unknown", "allowClassicFlow"),)),
        ({"allowUnauthenticatedIdentities": UNKNOWN}, (Gap("unknown", "allowUnauthenticatedIdentities"),)),
        ({"cognitoIdentityProviders": UNKNOWN}, (Gap("unknown", "cognitoIdentityProviders"),)),
        ({"cognitoIdentityProviders": [provider("c1", UNKNOWN)]}, (Gap("token-check-unknown", "c1"),)),
        ({"cognitoIdentityProviders": [provider(UNKNOWN, False)]}, (Gap("token-check-off", "0"),)),
        ({"cognitoIdentityProviders": [provider("c1", True), provider(UNKNOWN, UNKNOWN)]},
         (Gap("token-check-unknown", "1"),)),
        ({"allowClassicFlow": UNKNOWN, "allowUnauthenticatedIdentities": True,
          "cognitoIdentityProviders": [provider("c1", False), provider("c2", True), provider("c3", None)]},
         (Gap("unknown", "allowClassicFlow"), Gap("guests"), Gap("token-check-off", "c1"),
          Gap("token-check-off", "c3"))),
    ],
    ids=["classic-flow", "guests", "providers", "token-check", "client-id", "second-provider", "all"],
)  # fmt: skip
def test_identity_pool_settings_not_known_at_preview_are_named_not_passed(check, overrides, expected):
    """A first preview: a setting computed from another resource is unknown. It is named as not known yet
    (never passed as off); a provider whose client id is unknown is named by its position."""
    b = StackBuilder(preview=True)
    pool = b.pool("pool", **overrides)
    [d] = check(b.capture()).rule("identity-pool-settings")
    assert (d.level, d.kind, d.urn, d.gaps) == ("advisory", "settings", pool.urn, expected)


@SHAPES
def test_identity_pool_settings_skip_a_provider_entry_that_is_not_an_object(check, preview):
    """Only provider objects are judged, and a provider keeps its position in the list."""
    b = StackBuilder(preview=preview)
    b.pool("pool", cognitoIdentityProviders=["not-a-provider", provider(b.computed("c2"), False)])
    [d] = check(b.capture()).rule("identity-pool-settings")
    assert d.gaps == ((Gap("token-check-off", "1"),) if preview else (Gap("token-check-off", "c2"),))


@SHAPES
def test_bucket_hardening_reports_each_bucket_once_however_many_roles_reach_it(check, preview):
    """Two Cognito roles reach one unhardened bucket, the second also another: one finding per bucket,
    named with the first role that reaches it."""
    b = StackBuilder(preview=preview)
    pool = b.pool()
    first, second = b.role("auth-role", pool=pool), b.role("guest-role", pool=pool)
    b.attach(pool, first, second)
    files, other = b.bucket("files"), b.bucket("other")
    b.role_policy(first, files)
    b.role_policy(second, files, name="guest-files")
    b.role_policy(second, other, name="guest-other")
    found = check(b.capture()).rule("bucket-hardening")
    assert sorted((d.urn, d.bucket, d.role) for d in found) == [
        (files.urn, files.urn, first.urn), (other.urn, other.urn, second.urn)
    ]
