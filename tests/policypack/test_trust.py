"""cognito-role-trust: a Cognito role's trust pins the pool (aud) and the identity kind (amr).

Checked in-process on the graph. At a first preview our program's trust document is unknown (it needs
the identity-pool id) but depends on the pool: that is reported as an ADVISORY "could not be verified
yet" note (never silently skipped, never blocking a correct program); once known (deployed), every gap
is MANDATORY.
"""

from __future__ import annotations

import pytest
from cognito_s3_guard.findings import Gap
from pack_builder import REGION, StackBuilder, doc, full_pattern, pool_id_of, trust

# A trust document without the pool id in it is a constant, known at a first preview: so dropping aud
# from a program makes its trust known at preview, and these are caught there, not only after deploy.
SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])


def codes(finding) -> set[str]:
    """The codes of the trust gaps a finding lists, those inside a statement that trusts anyone too."""
    return {g.code for g in finding.gaps} | {i.code for g in finding.gaps for i in g.inner}


def with_trust(check, trust_doc: str, *, preview: bool = False, attach: bool = True):
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", trust_doc=trust_doc)
    if attach:
        b.attach(pool, role)
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    b.bucket_policy(bucket, role)
    return check(b.capture()), role


POOL_ID = f"{REGION}:0000-pool"


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
def test_compliance_known_trust(check, preview):
    v, _ = with_trust(check, trust(POOL_ID), preview=preview)
    assert v.findings == [], v


@SHAPES
def test_noncompliance_1_no_aud(check, preview):
    v, role = with_trust(check, trust(POOL_ID, aud=False), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and d.urn == role.urn
    assert codes(d) == {"no-aud"}  # amr is there: not reported


@SHAPES
def test_noncompliance_2_no_amr(check, preview):
    v, _ = with_trust(check, trust(POOL_ID, amr=False), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert codes(d) == {"no-amr"}


@SHAPES
def test_noncompliance_3_wrong_action_makes_the_role_unassumable_an_advisory(check, preview):
    """Issue 10: sts:AssumeRole is never what a web identity calls, so no identity can assume the role:
    it is not a Cognito role for the mandatory rules; the attachment that hands it out draws one advisory."""
    v, _ = with_trust(check, trust(POOL_ID, action="sts:AssumeRole"), preview=preview)
    assert v.rule("cognito-role-trust") == [] and v.mandatory == []
    [d] = v.rule("unassumable-role")
    assert d.level == "advisory" and d.urn.endswith("IdentityPoolRoleAttachment::roles")
    assert d.role.endswith("::auth-role") or d.role_label.startswith("role '")


def test_noncompliance_4_aud_is_another_pool(check):
    v, _ = with_trust(check, trust(f"{REGION}:other-pool"))
    [d] = v.rule("cognito-role-trust")
    assert d.gaps == (Gap("aud-not-pool", "", (f"{REGION}:other-pool",), (POOL_ID,)),)


@SHAPES
def test_noncompliance_5_aud_wildcard(check, preview):
    v, _ = with_trust(check, trust("*"), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert codes(d) == {"no-aud"}


@SHAPES
def test_noncompliance_6_attached_role_that_does_not_trust_cognito(check, preview):
    lambda_trust = doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    )
    v, _ = with_trust(check, lambda_trust, preview=preview)
    assert v.rule("cognito-role-trust") == [] and v.mandatory == []  # issue 10: no identity can assume it
    [d] = v.rule("unassumable-role")
    assert any("IdentityPoolRoleAttachment 'roles' attaches it" in r for r in d.routes)


def test_unknown_trust_at_preview_is_an_advisory_note_naming_the_pool(check):
    b = StackBuilder(preview=True)
    t = full_pattern(b)
    v = check(b.capture())
    assert v.mandatory == []
    [d] = v.rule("unverified-at-preview")
    assert d.level == "advisory" and d.urn == t.role.urn and d.kind == "trust-unknown"
    assert d.role == t.role.urn and d.problems == ("IdentityPool 'pool'",)


def test_the_same_program_deployed_is_checked_for_real(check):
    """Deployed, the trust is known: a missing aud now blocks (what the preview note promised)."""
    b = StackBuilder(preview=False)
    t = full_pattern(b)
    b.resources.remove(t.role)
    role = b.role("auth-role", trust_doc=trust(pool_id_of(t.pool), aud=False))
    b.resources.insert(1, b.resources.pop())
    v = check(b.capture())
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and d.urn == role.urn


def test_a_trust_that_depends_on_a_pool_makes_a_cognito_role_deployed_too(check):
    """Same verdict after deployment: the dependency on the pool still says what the role is for."""
    b = StackBuilder(preview=False)
    pool = b.pool()
    lambda_trust = doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    )
    b.role("auth-role", trust_doc=lambda_trust, deps={"assumeRolePolicy": [pool.urn]})
    v = check(b.capture())
    # Issue 10: a role no Cognito identity can assume is no Cognito role for the mandatory rules, and
    # nothing hands it out, so nothing is reported.
    assert v.rule("cognito-role-trust") == [] and v.rule("unassumable-role") == []


# --- adversarial trust shapes ------------------------------------------------------------------------
FED = {"Federated": "cognito-identity.amazonaws.com"}
AUD = "cognito-identity.amazonaws.com:aud"
AMR = "cognito-identity.amazonaws.com:amr"
PINNED = {"StringEquals": {AUD: POOL_ID}, "ForAnyValue:StringLike": {AMR: "authenticated"}}


def statement(**overrides):
    return {"Effect": "Allow", "Principal": FED, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": PINNED, **overrides}  # fmt: skip


@SHAPES
@pytest.mark.parametrize(
    "action",
    [{"Action": "sts:*"}, {"Action": "*"}, {"Action": ["sts:AssumeRoleWith*"]},
     {"NotAction": "sts:AssumeRole"}],
    ids=["sts-star", "star", "assume-role-with-star", "not-action"],
)  # fmt: skip
def test_noncompliance_7_action_wildcards_and_not_action_allow_more(check, preview, action):
    stmt = {k: v for k, v in statement().items() if k != "Action"} | action
    v, _ = with_trust(check, doc(stmt), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and codes(d) == {
        "not-action" if "NotAction" in action else "action-too-wide"
    }


@SHAPES
@pytest.mark.parametrize(
    "action",
    [["sts:AssumeRoleWithWebIdentity", "sts:TagSession"], "STS:AssumeRoleWithWebIdentity"],
    ids=["with-tag-session", "case"],
)
def test_compliance_tag_session_for_principal_tags(check, preview, action):
    """Attributes for access control (principal tags) need sts:TagSession beside the web-identity action
    (Cognito Developer Guide, "Using attributes for access control")."""
    v, _ = with_trust(check, doc(statement(Action=action)), preview=preview)
    assert v.findings == [], v


@SHAPES
@pytest.mark.parametrize(
    "extra",
    [
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/admin", "*"]},
         "Action": "sts:AssumeRole"},
    ],
    ids=["anyone-web-identity", "any-aws-principal", "star-among-named-principals"],
)
def test_noncompliance_8_a_second_statement_trusts_everyone(check, preview, extra):
    """A pinned Cognito statement does not make the role safe when another statement trusts anyone."""
    v, _ = with_trust(check, doc(statement(), extra), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and codes(d) >= {"anyone-statement", "no-aud", "no-amr"}


@SHAPES
def test_noncompliance_9_amr_both_kinds_pins_no_kind(check, preview):
    cond = {**PINNED, "ForAnyValue:StringLike": {AMR: ["authenticated", "unauthenticated"]}}
    v, _ = with_trust(check, doc(statement(Condition=cond)), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert codes(d) == {"no-amr"}


def test_noncompliance_10_aud_also_admits_another_pool(check):
    cond = {**PINNED, "StringEquals": {AUD: [POOL_ID, f"{REGION}:someone-elses-pool"]}}
    v, _ = with_trust(check, doc(statement(Condition=cond)))
    [d] = v.rule("cognito-role-trust")
    assert d.gaps == (Gap("aud-extra", "", (f"{REGION}:someone-elses-pool",)),)


@SHAPES
def test_noncompliance_11_a_role_that_any_web_identity_may_assume_is_a_cognito_role(check, preview):
    """Principal "*" with sts:AssumeRoleWithWebIdentity trusts cognito-identity.amazonaws.com among
    everyone else: the role is judged as a Cognito role (reach and trust), not skipped."""
    b = StackBuilder(preview=preview)
    anyone = doc({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": PINNED})  # fmt: skip
    role = b.role("auth-role", trust_doc=anyone)
    bucket = b.bucket("files")
    b.hardening(bucket)
    b.role_policy(role, bucket)
    v = check(b.capture())
    [t] = v.rule("cognito-role-trust")
    assert t.level == "mandatory" and t.urn == role.urn and codes(t) == {"anyone-instead-of-cognito"}
    [g] = v.rule("granting-bucket-policy")
    assert g.level == "mandatory" and g.urn == bucket.urn


@SHAPES
def test_noncompliance_12_amr_kinds_split_over_two_statements_pin_no_kind(check, preview):
    """One statement for authenticated, another for unauthenticated: together they admit guests too."""
    guests = {**PINNED, "ForAnyValue:StringLike": {AMR: "unauthenticated"}}
    v, _ = with_trust(check, doc(statement(), statement(Condition=guests)), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.level == "mandatory" and codes(d) == {"both-kinds-split"}


@SHAPES
def test_noncompliance_13_a_handed_out_role_without_a_trust_policy(check, preview):
    """An identity pool hands out a role with no trust policy at all: nothing pins it to the pool, so it
    is judged as a Cognito role (mandatory), with the one gap that says so."""
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role")
    b.attach(pool, role)
    v = check(b.capture())
    [d] = v.rule("cognito-role-trust")
    assert (d.level, d.kind, d.urn, d.role) == ("mandatory", "unsafe-trust", role.urn, role.urn)
    assert d.gaps == (Gap("no-trust-policy"),)
    assert v.rule("unassumable-role") == []


@SHAPES
@pytest.mark.parametrize(
    "stmts",
    [
        [statement(Condition={"StringEquals": {AUD: POOL_ID},
                              "ForAnyValue:StringEquals": {AMR: "authenticated"}})],
        [statement(Condition={"StringEqualsIgnoreCase": {AUD: POOL_ID},
                              "ForAnyValue:StringLike": {AMR: "authenticated"}})],
        [statement(Condition={"ForAnyValue:StringEquals": {AUD: POOL_ID},
                              "ForAnyValue:StringLike": {AMR: "authenticated"}})],
        [statement(Action="sts:AssumeRoleWithWebIdentit?")],
        [statement(Action=["sts:AssumeRoleWithWebIdentity", "sts:TagSess*"])],
        [statement(), {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity",
                       "Condition": PINNED}],
    ],
    ids=["amr-string-equals", "aud-ignore-case", "aud-for-any-value", "action-question-mark",
         "tag-session-wildcard", "anyone-pinned-the-same-way"],
)  # fmt: skip
def test_compliance_equivalent_spellings_of_the_pinned_trust(check, preview, stmts):
    """The pins hold under any operator that compares exactly (StringEquals for amr, the IgnoreCase form
    for aud), and a wildcard action is judged by the STS actions it matches. A second statement that
    trusts anyone but is pinned the same way adds nothing."""
    v, _ = with_trust(check, doc(*stmts), preview=preview)
    assert v.findings == [], v


@SHAPES
def test_noncompliance_14_an_aud_with_a_single_character_wildcard_pins_no_pool(check, preview):
    cond = {**PINNED, "StringEquals": {AUD: f"{REGION}:0000-poo?"}}
    v, _ = with_trust(check, doc(statement(Condition=cond)), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.gaps == (Gap("no-aud"),)


@SHAPES
def test_noncompliance_15_each_gap_names_the_sid_of_its_statement(check, preview):
    """Two Cognito statements, each with its own gap: each gap carries its statement's Sid, in order."""
    no_aud = statement(Sid="NoAud", Condition={"ForAnyValue:StringLike": {AMR: "authenticated"}})
    no_amr = statement(Sid="NoAmr", Condition={"StringEquals": {AUD: POOL_ID}})
    v, _ = with_trust(check, doc(no_aud, no_amr), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.gaps == (Gap("no-aud", "NoAud"), Gap("no-amr", "NoAmr"))


@SHAPES
def test_a_trust_computed_from_the_pool_of_a_role_no_pool_attaches_is_noted_at_preview(check, preview):
    """No identity pool attaches the role, so no pool's id can be compared with what the trust holds: at
    preview its unknown trust is noted (not blocked), and deployed, the known trust is judged (pinned)."""
    b = StackBuilder(preview=preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)  # the trust is computed from the pool id: unknown at preview
    v = check(b.capture())
    assert v.rule("cognito-role-trust") == []
    assert [(f.kind, f.urn) for f in v.findings] == ([("trust-unknown", role.urn)] if preview else [])


@SHAPES
def test_a_trust_computed_from_one_of_two_attaching_pools_can_pin_that_pool(check, preview):
    """Two pools attach the role and its trust is computed from one of them: it can hold that pool's id,
    so at preview it is noted, not blocked; deployed, naming one attaching pool is no gap."""
    b = StackBuilder(preview=preview)
    pool, other = b.pool(), b.pool("other")
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    b.attach(other, role, name="other-roles")
    v = check(b.capture())
    assert v.rule("cognito-role-trust") == []
    assert [(f.kind, f.urn) for f in v.findings] == ([("trust-unknown", role.urn)] if preview else [])



@SHAPES
def test_noncompliance_16_a_wildcard_among_the_aud_values_pins_no_pool(check, preview):
    cond = {**PINNED, "StringEquals": {AUD: [POOL_ID, f"{REGION}:*"]}}
    v, _ = with_trust(check, doc(statement(Condition=cond)), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert d.gaps == (Gap("no-aud"),)


@SHAPES
def test_noncompliance_17_anyone_instead_of_cognito_beside_an_ordinary_statement(check, preview):
    """The role trusts anyone for the web-identity call and a service for another: the finding says it
    trusts anyone instead of Cognito, whatever else the trust allows."""
    anyone = statement(Principal="*")
    service = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
               "Action": "sts:AssumeRole"}  # fmt: skip
    v, role = with_trust(check, doc(service, anyone), preview=preview)
    [d] = v.rule("cognito-role-trust")
    assert (d.urn, d.gaps) == (role.urn, (Gap("anyone-instead-of-cognito"),))
