"""Pack metadata, typed config (levels, exemptions, disabled rules, shared prefixes), the advisory
policies, and malformed documents."""

from __future__ import annotations

import pytest
from pack_builder import BPA, SUB, StackBuilder, doc, full_pattern, role_statements

from offline.analyzer import AnalyzerError, PolicyPackClient

pytestmark = pytest.mark.protocol
ROLE_PRINCIPAL = {"AWS": "arn:aws:iam::123456789012:role/auth-role"}


def test_analyzer_info_names_policies_levels_types_and_schemas(pack: PolicyPackClient):
    info = pack.get_info()
    assert info.name == "cognito-s3-guard"
    got = {p.name: (p.policy_type, p.enforcement_level) for p in info.policies}
    assert got == {
        "cognito-bucket-access": ("stack", "mandatory"),
        "cognito-s3-advisories": ("stack", "advisory"),
        "identity-pool-settings": ("resource", "advisory"),
    }
    access = info.policy("cognito-bucket-access")
    assert access.config_schema["disabledRules"]["items"]["enum"] == [
        "granting-bucket-policy", "no-widening", "cognito-role-trust", "readable-documents",
    ]  # fmt: skip
    assert access.config_schema["exemptions"]["items"] == {"type": "string", "minLength": 1}
    assert "never wider" in access.description and access.remediation_steps
    advisories = info.policy("cognito-s3-advisories")
    assert advisories.config_schema["sharedPrefixes"]["items"]["pattern"] == "^[^*?$]+/$"
    assert info.policy("identity-pool-settings").config_schema["allowGuests"]["default"] is False


def no_bucket_policy(preview: bool = True) -> StackBuilder:
    b = StackBuilder(preview=preview)
    full_pattern(b, with_bucket_policy=False)
    return b


def test_enforcement_level_is_configurable(judge):
    v = judge(no_bucket_policy().capture(), {"cognito-bucket-access": "advisory"})
    [d] = v.rule("granting-bucket-policy")
    assert d.level == "advisory"
    v = judge(no_bucket_policy().capture(), {"cognito-bucket-access": {"enforcementLevel": "disabled"}})
    assert v.rule("granting-bucket-policy") == []


@pytest.mark.parametrize(
    "exemption",
    ["files", "urn:pulumi:test::files::aws:s3/bucket:Bucket::files", "granting-bucket-policy:auth-role"],
)
def test_exemptions_by_name_urn_or_rule(judge, exemption):
    v = judge(no_bucket_policy().capture(), {"cognito-bucket-access": {"exemptions": [exemption]}})
    assert v.rule("granting-bucket-policy") == []


def test_a_rule_scoped_exemption_leaves_other_rules(judge):
    v = judge(no_bucket_policy().capture(), {"cognito-bucket-access": {"exemptions": ["no-widening:files"]}})
    assert len(v.rule("granting-bucket-policy")) == 1


def test_disabled_rules(judge):
    v = judge(
        no_bucket_policy().capture(), {"cognito-bucket-access": {"disabledRules": ["granting-bucket-policy"]}}
    )
    assert v.rule("granting-bucket-policy") == []


def test_one_mandatory_rule_can_be_made_advisory_while_the_others_stay_mandatory(judge):
    b = no_bucket_policy()
    capture = b.capture()
    config = {
        "cognito-bucket-access": {"disabledRules": ["granting-bucket-policy"]},
        "cognito-s3-advisories": {"adviseRules": ["granting-bucket-policy"]},
    }
    [d] = judge(capture, config).rule("granting-bucket-policy")
    assert (d.level, d.policy) == ("advisory", "cognito-s3-advisories")
    # Without the matching disabledRules entry the rule is reported at both levels, never lost.
    both = judge(capture, {"cognito-s3-advisories": {"adviseRules": ["granting-bucket-policy"]}})
    assert sorted(d.level for d in both.rule("granting-bucket-policy")) == ["advisory", "mandatory"]


def test_advise_rules_accepts_only_the_mandatory_policys_rules(pack):
    schema = pack.get_info().policy("cognito-s3-advisories").config_schema["adviseRules"]
    assert schema["items"]["enum"] == [
        "granting-bucket-policy", "no-widening", "cognito-role-trust", "readable-documents",
    ]  # fmt: skip


def test_unknown_policy_in_config_is_rejected_naming_key_and_allowed(pack):
    with pytest.raises(AnalyzerError) as err:
        pack.configure({"granting-bucket-policy": "mandatory"})
    assert "'granting-bucket-policy'" in str(err.value) and "'cognito-bucket-access'" in str(err.value)
    with pytest.raises(AnalyzerError, match="enforcement level 'blocking' is not one of"):
        pack.configure({"cognito-bucket-access": "blocking"})


def shared_read_stack() -> StackBuilder:
    b = StackBuilder(preview=False)
    t = full_pattern(b, with_bucket_policy=False)
    shared = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::files/public/*"}
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, doc(*role_statements("files"), shared))
    b.bucket_policy(t.bucket, t.role, doc(*[{**s, "Principal": ROLE_PRINCIPAL}
                                             for s in [*role_statements("files"), shared]]))  # fmt: skip
    return b


def test_per_identity_scope_reports_shared_folders_unless_configured(judge):
    v = judge(shared_read_stack().capture())
    [d] = v.rule("per-identity-scope")
    assert d.level == "advisory" and "s3:GetObject on arn:aws:s3:::files/public/*" in d.message
    assert v.mandatory == []
    v = judge(shared_read_stack().capture(), {"cognito-s3-advisories": {"sharedPrefixes": ["public/"]}})
    assert v.rule("per-identity-scope") == []


def test_per_identity_scope_flags_a_listing_without_the_identity_prefix(judge):
    b = StackBuilder(preview=False)
    t = full_pattern(b, with_bucket_policy=False)
    b.resources.remove(t.role_policy)
    lst = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::files"}
    b.role_policy(t.role, t.bucket, doc(role_statements("files")[0], lst))
    v = judge(b.capture())
    [d] = v.rule("per-identity-scope")
    assert "s3:ListBucket on arn:aws:s3:::files." in d.message


def test_bucket_hardening_lists_what_is_missing(judge):
    b = StackBuilder(preview=True)
    t = full_pattern(b)
    b.resources[:] = [r for r in b.resources if r.type != BPA]
    v = judge(b.capture())
    [d] = v.rule("bucket-hardening")
    assert d.level == "advisory" and d.urn == t.bucket.urn
    assert d.message.endswith("lacks: a BucketPublicAccessBlock with all four settings true.")


def test_bucket_hardening_all_missing(judge):
    b = StackBuilder(preview=False)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    bucket = b.bucket("files")
    b.role_policy(role, bucket)
    b.bucket_policy(bucket, role, doc(*[{**s, "Principal": ROLE_PRINCIPAL}
                                        for s in role_statements("files")]))  # fmt: skip
    v = judge(b.capture())
    [d] = v.rule("bucket-hardening")
    for missing in (
        "BucketPublicAccessBlock",
        "aws:SecureTransport",
        "default-encryption",
        "BucketOwnerEnforced",
    ):
        assert missing in d.message


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, None),
        ({"allowClassicFlow": True}, "allowClassicFlow is true"),
        ({"allowUnauthenticatedIdentities": True}, "allowUnauthenticatedIdentities is true"),
        ({"cognitoIdentityProviders": [{"clientId": "c1", "serverSideTokenCheck": False}]},
         "provider c1 has serverSideTokenCheck off"),
    ],
    ids=["compliance", "classic-flow", "guests", "token-check"],
)  # fmt: skip
def test_identity_pool_settings(judge, overrides, expected):
    b = StackBuilder(preview=True)
    pool = b.pool("pool", **overrides)
    v = judge(b.capture())
    found = [d for d in v.diagnostics if d.policy == "identity-pool-settings"]
    if expected is None:
        assert found == []
    else:
        [d] = found
        assert d.level == "advisory" and d.urn == pool.urn and expected in d.message


def test_identity_pool_guests_allowed_by_config(judge):
    b = StackBuilder(preview=True)
    b.pool("pool", allowUnauthenticatedIdentities=True)
    v = judge(b.capture(), {"identity-pool-settings": {"allowGuests": True}})
    assert [d for d in v.diagnostics if d.policy == "identity-pool-settings"] == []


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
def test_malformed_document_names_its_resource(judge, document, problem):
    b = StackBuilder(preview=True)
    t = full_pattern(b)
    b.resources.remove(t.role_policy)
    rp = b.role_policy(t.role, t.bucket, document)
    v = judge(b.capture())
    [d] = v.rule("readable-documents")
    assert d.mandatory and d.urn == rp.urn
    assert (
        "The policy document of RolePolicy 'files-access' cannot be read" in d.message
        and problem in d.message
    )


def test_sub_variable_constant_matches_the_builder():
    assert SUB == "${cognito-identity.amazonaws.com:sub}"
