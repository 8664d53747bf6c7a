"""The pack end to end, through the analyzer protocol as the CLI starts it: metadata and config schemas
from the registry, the message format, a level per rule (every direction), and config refusal.
The rules' verdicts themselves are checked in-process (the other test files)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cognito_s3_guard.rules import REGISTRY, rules_of
from pack_builder import ACCOUNT, StackBuilder, doc, full_pattern, pool_id_of, trust

from offline.analyzer import AnalyzerError, PolicyPackClient

pytestmark = pytest.mark.protocol
ACCESS, ADVISORIES, POOLS = "cognito-bucket-access", "cognito-s3-advisories", "identity-pool-settings"
LEVELS = ["mandatory", "advisory", "disabled"]


def test_analyzer_info_comes_from_the_registry(pack: PolicyPackClient):
    info = pack.get_info()
    assert info.name == "cognito-s3-guard"
    got = {p.name: (p.policy_type, p.enforcement_level) for p in info.policies}
    assert got == {ACCESS: ("stack", "mandatory"), ADVISORIES: ("stack", "advisory"),
                   POOLS: ("resource", "advisory")}  # fmt: skip
    for policy in (ACCESS, ADVISORIES):
        schema = info.policy(policy).config_schema["rules"]
        assert schema["additionalProperties"] is False
        assert {k: v["enum"] for k, v in schema["properties"].items()} == {
            r.id: LEVELS for r in rules_of(policy)
        }
        assert {k: v["default"] for k, v in schema["properties"].items()} == {
            r.id: r.level for r in rules_of(policy)
        }
    access = info.policy(ACCESS)
    assert set(access.config_schema) == {"rules", "exemptions"}
    assert access.config_schema["exemptions"]["items"] == {"type": "string", "minLength": 1}
    assert all(r.remediation in access.remediation_steps for r in rules_of(ACCESS))
    advisories = info.policy(ADVISORIES)
    assert set(advisories.config_schema) == {"rules", "exemptions", "sharedPrefixes"}
    assert advisories.config_schema["sharedPrefixes"]["items"]["pattern"] == "^[^*?$]+/$"
    assert set(info.policy(POOLS).config_schema) == {"exemptions", "allowGuests"}
    assert {r.policy for r in REGISTRY} == {ACCESS, ADVISORIES, POOLS}


def test_pack_version_is_0_2_0_since_the_config_changed():
    """disabledRules/adviseRules were dropped: the version says the config contract changed."""
    yaml = (Path(__file__).resolve().parents[2] / "policypack" / "PulumiPolicy.yaml").read_text()
    assert "\nversion: 0.2.0\n" in yaml


def no_bucket_policy(preview: bool = False, aud: bool = True) -> StackBuilder:
    """Deployed: granting-bucket-policy (mandatory) and bucket-hardening (advisory, no TLS Deny);
    without aud, cognito-role-trust (mandatory) too."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    if not aud:
        b.resources.remove(t.role)
        b.role("auth-role", trust_doc=trust(pool_id_of(t.pool), aud=False))
        b.resources.insert(1, b.resources.pop())
    return b


def levels(v, rule: str) -> list[tuple[str, str]]:
    return sorted((d.level, d.policy) for d in v.rule(rule))


def test_a_finding_is_tagged_with_its_rule_and_carries_its_fix(judge):
    [d] = judge(no_bucket_policy().capture()).rule("granting-bucket-policy")
    assert (d.level, d.policy) == ("mandatory", ACCESS) and d.urn.endswith("aws:s3/bucket:Bucket::files")
    description, first, fix = d.message.split("\n")
    assert description == d.description
    assert first.startswith("[granting-bucket-policy] Cognito role 'auth-role' reaches bucket 'files'")
    assert fix.startswith("Fix: add an aws:s3/bucketPolicy:BucketPolicy for bucket 'files'")


def test_defaults(judge):
    v = judge(no_bucket_policy(aud=False).capture())
    assert levels(v, "granting-bucket-policy") == [("mandatory", ACCESS)]
    assert levels(v, "cognito-role-trust") == [("mandatory", ACCESS)]
    assert levels(v, "bucket-hardening") == [("advisory", ADVISORIES)]


@pytest.mark.parametrize(
    ("config", "granting", "trust_", "hardening"),
    [
        ({ACCESS: {"rules": {"granting-bucket-policy": "advisory"}}},
         [("advisory", ADVISORIES)], [("mandatory", ACCESS)], [("advisory", ADVISORIES)]),
        ({ACCESS: {"rules": {"granting-bucket-policy": "disabled"}}},
         [], [("mandatory", ACCESS)], [("advisory", ADVISORIES)]),
        ({ADVISORIES: {"rules": {"bucket-hardening": "mandatory"}}},
         [("mandatory", ACCESS)], [("mandatory", ACCESS)], [("mandatory", ACCESS)]),
        ({ADVISORIES: {"rules": {"bucket-hardening": "disabled"}}},
         [("mandatory", ACCESS)], [("mandatory", ACCESS)], []),
        ({ACCESS: {"rules": {"granting-bucket-policy": "advisory", "cognito-role-trust": "mandatory"}},
          ADVISORIES: {"rules": {"bucket-hardening": "mandatory"}}},
         [("advisory", ADVISORIES)], [("mandatory", ACCESS)], [("mandatory", ACCESS)]),
        # A whole policy disabled: its own rules are off, and so are rules moved to its level.
        ({ADVISORIES: "disabled"}, [("mandatory", ACCESS)], [("mandatory", ACCESS)], []),
        ({ADVISORIES: "disabled", ACCESS: {"rules": {"granting-bucket-policy": "advisory"}}},
         [], [("mandatory", ACCESS)], []),
        ({ACCESS: "disabled"}, [], [], [("advisory", ADVISORIES)]),
        ({ACCESS: "disabled", ADVISORIES: {"rules": {"bucket-hardening": "mandatory"}}}, [], [], []),
        # A policy's own level still applies to what it reports.
        ({ACCESS: "advisory"}, [("advisory", ACCESS)], [("advisory", ACCESS)], [("advisory", ADVISORIES)]),
    ],
    ids=["mandatory-to-advisory", "mandatory-to-disabled", "advisory-to-mandatory", "advisory-to-disabled",
         "both-ways", "advisories-disabled", "moved-to-a-disabled-policy", "access-disabled",
         "moved-from-a-disabled-policy", "policy-level"],
)  # fmt: skip
def test_a_level_per_rule(judge, config, granting, trust_, hardening):
    v = judge(no_bucket_policy(aud=False).capture(), config)
    assert levels(v, "granting-bucket-policy") == granting, v
    assert levels(v, "cognito-role-trust") == trust_, v
    assert levels(v, "bucket-hardening") == hardening, v


def test_one_request_never_routes_through_another(judge):
    """The same stack judged twice with different policies running: nothing of the first request's
    config or reporters leaks into the second."""
    capture = no_bucket_policy(aud=False).capture()
    judge(capture, {ADVISORIES: "disabled", ACCESS: {"rules": {"cognito-role-trust": "advisory"}}})
    v = judge(capture, {ACCESS: "disabled"})
    assert v.rule("cognito-role-trust") == [] and levels(v, "bucket-hardening") == [("advisory", ADVISORIES)]
    v = judge(capture)
    assert levels(v, "cognito-role-trust") == [("mandatory", ACCESS)]


def test_exemptions_through_the_protocol(judge):
    v = judge(no_bucket_policy().capture(), {ACCESS: {"exemptions": ["granting-bucket-policy:files"]}})
    assert v.rule("granting-bucket-policy") == [] and len(v.rule("bucket-hardening")) == 1


def config_problems(v) -> list[Any]:
    return v.rule("invalid-config")


@pytest.mark.parametrize(
    ("config", "names"),
    [
        ({"rules": {"granting-bucket-policy": "Disabled"}}, ["'rules.granting-bucket-policy'", "'disabled'"]),
        ({"rules": {"granting-bucket-polcy": "advisory"}}, ["'granting-bucket-polcy'", "'no-widening'"]),
        ({"rules": {"bucket-hardening": "advisory"}}, ["'bucket-hardening'", f"'{ADVISORIES}'"]),
        ({"rules": ["granting-bucket-policy"]}, ["'rules'", "rule id -> level"]),
        ({"exemption": ["files"]}, ["'exemption'", "'exemptions'"]),
        ({"exemptions": "files"}, ["'exemptions'", "list"]),
        ({"disabledRules": ["granting-bucket-policy"]}, ["'disabledRules'", '"disabled"', "0.2.0"]),
        ({"adviseRules": ["granting-bucket-policy"]}, ["'adviseRules'", '"advisory"', "0.2.0"]),
    ],
    ids=["level", "unknown-rule", "rule-of-another-policy", "rules-type", "unknown-key", "wrong-type",
         "dropped-disabledRules", "dropped-adviseRules"],
)  # fmt: skip
def test_a_bad_config_is_refused_and_never_weakens_the_mandatory_policy(judge, config, names):
    v = judge(no_bucket_policy().capture(), {ACCESS: config})
    [d] = config_problems(v)
    assert (d.level, d.policy) == ("mandatory", ACCESS)
    assert all(n in d.message for n in names), d.message
    assert levels(v, "granting-bucket-policy") == [("mandatory", ACCESS)]  # the default still applies


def test_a_bad_config_of_the_advisory_policies_is_reported_too(judge):
    v = judge(
        no_bucket_policy().capture(),
        {ADVISORIES: {"sharedPrefixes": ["public/*"]}, POOLS: {"allowGuests": 1}},
    )
    assert sorted(d.policy for d in config_problems(v)) == [ADVISORIES, POOLS]
    assert v.mandatory == [d for d in v.diagnostics if "[granting-bucket-policy]" in d.message]


def test_unknown_policy_in_config_is_rejected_naming_key_and_allowed(pack):
    with pytest.raises(AnalyzerError) as err:
        pack.configure({"granting-bucket-policy": "mandatory"})
    assert "'granting-bucket-policy'" in str(err.value) and "'cognito-bucket-access'" in str(err.value)
    with pytest.raises(AnalyzerError, match="enforcement level 'blocking' is not one of"):
        pack.configure({"cognito-bucket-access": "blocking"})


def test_identity_pool_settings_through_the_protocol(judge):
    b = StackBuilder(preview=True)
    pool = b.pool("pool", allowClassicFlow=True)
    [d] = judge(b.capture()).rule("identity-pool-settings")
    assert (d.level, d.policy, d.urn) == ("advisory", POOLS, pool.urn)
    assert "\n[identity-pool-settings] Identity pool 'pool': allowClassicFlow is true" in d.message
    assert judge(b.capture(), {POOLS: {"exemptions": ["pool"]}}).rule("identity-pool-settings") == []


def test_identity_isolation_blocks_through_the_protocol(judge):
    """users/*${sub}/* mirrored in both layers: the mandatory policy reports identity-isolation, tagged,
    with the counterexample's two identities and a fix; nothing else is mandatory."""
    sub, arn = "${cognito-identity.amazonaws.com:sub}", "arn:aws:s3:::files"
    wild = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": f"{arn}/users/*{sub}/*"}  # fmt: skip
    b = StackBuilder(preview=False)
    t = full_pattern(b, with_bucket_policy=False)
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, doc(wild))
    principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/auth-role"}
    b.bucket_policy(t.bucket, t.role, doc({**wild, "Principal": principal}))
    v = judge(b.capture())
    [d] = v.rule("identity-isolation")
    assert (d.level, d.policy) == ("mandatory", ACCESS) and v.mandatory == [d]
    assert d.urn.endswith("aws:iam/rolePolicy:RolePolicy::files-access")
    _, first, fix = d.message.split("\n")
    ids = re.findall(r"identity (us-east-1:[0-9a-f-]{36})", first)
    assert len(ids) == 2 and ids[0] != ids[1] and f"/{ids[1]}/" not in f"users/{ids[0]}/"
    assert "through statement 0 of RolePolicy 'files-access'" in first and fix.startswith("Fix: ")
