"""The rule registry as users meet it: each policy lists, per rule, the general fix that the rule's
findings carry, as a sentence."""

from __future__ import annotations

from cognito_s3_guard.rules import BY_ID, REGISTRY
from pack_builder import REGION, StackBuilder, doc, trust

LAMBDA_TRUST = doc(
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
)


def test_every_rule_lists_its_general_fix_as_a_sentence():
    for rule in REGISTRY:
        assert rule.remediation[:1].isupper() and rule.remediation.endswith("."), rule.id


def test_a_rules_listed_fix_is_the_fix_its_findings_carry(check):
    """One deployed stack that breaks five rules whose findings carry the general fix: each finding's fix
    is the one its rule lists, but for the capital letter."""
    b = StackBuilder(preview=False)
    pool = b.pool("classic", allowClassicFlow=True)
    role = b.role("auth-role", trust_doc=trust(f"{REGION}:0000-classic", aud=False))
    b.attach(pool, role, b.role("lambda-role", trust_doc=LAMBDA_TRUST))
    bucket = b.bucket("files")
    b.role_policy(role, bucket)
    b.role_policy(role, bucket, "{not json", name="broken")
    found = {f.rule: f for f in check(b.capture()).findings}
    judged = ("cognito-role-trust", "readable-documents", "bucket-hardening", "identity-pool-settings",
              "unassumable-role")  # fmt: skip
    assert set(judged) <= set(found), found
    for rule in judged:
        fix, listed = found[rule].remediation, BY_ID[rule].remediation
        assert listed[:1] == fix[:1].upper() and listed[1:] == fix[1:], rule
