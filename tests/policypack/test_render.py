"""Rendering: the only tests that look at text. Every finding renders as ``[<rule-id>] <facts>`` with
``Fix: <remediation>`` on a second line (the gate's --json contract), as specific as the facts allow."""

from __future__ import annotations

import pytest
from cognito_s3_guard.reach import INCLUDED_ROUTE, Grant
from cognito_s3_guard.render import grants_text, render
from inproc import check
from pack_builder import BPA, SUB, StackBuilder, doc, full_pattern, role_arn, role_statements, tls_deny

FILES = "arn:aws:s3:::files"
PER_USER = f"{FILES}/users/{SUB}/*"


def one(capture, rule: str, config=None) -> str:
    [f] = check(capture, config).rule(rule)
    return render(f)


def tenant(preview: bool = False, bucket_statements=None, with_bucket_policy: bool = False):
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=with_bucket_policy)
    if bucket_statements is not None:
        b.bucket_policy(t.bucket, t.role, doc(*bucket_statements))
    return b, t


def test_format_first_line_is_the_rule_then_the_fix():
    b, _ = tenant()
    for f in check(b.capture()).findings:
        lines = render(f).split("\n")
        assert lines[0].startswith(f"[{f.rule}] ") and len(lines) == (2 if f.remediation else 1)
        assert not f.remediation or lines[1] == f"Fix: {f.remediation}"


def test_granting_no_bucket_policy_names_role_bucket_grants_route_and_arn():
    b, _ = tenant()
    text = one(b.capture(), "granting-bucket-policy")
    assert text.startswith(
        f"[granting-bucket-policy] Cognito role 'auth-role' reaches bucket 'files' (s3:DeleteObject, "
        f"s3:GetObject, s3:PutObject on {PER_USER}; s3:ListBucket on {FILES} with s3:prefix "
        f"['users/{SUB}/', 'users/{SUB}/*']; via aws:iam/rolePolicy:RolePolicy 'files-access'), but the "
        "bucket has no bucket policy, so nothing on the bucket side grants the role.\n"
    )
    assert f'Principal is {{"AWS": "{role_arn("auth-role")}"}}' in text


def test_granting_missing_action():
    objects = {"Effect": "Allow", "Principal": {"AWS": role_arn("auth-role")},
               "Action": ["s3:GetObject", "s3:PutObject"], "Resource": PER_USER}  # fmt: skip
    b, _ = tenant(bucket_statements=[objects, tls_deny("files")])
    text = one(b.capture(), "granting-bucket-policy")
    assert "the bucket policy does not grant the role: s3:DeleteObject on " + PER_USER in text


def test_no_widening_names_the_principal_that_includes_the_role():
    wide = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{FILES}/*"}
    stmts = [{**s, "Principal": {"AWS": role_arn("auth-role")}} for s in role_statements("files")]
    b, _ = tenant(bucket_statements=[*stmts, wide, tls_deny("files")])
    text = one(b.capture(), "no-widening")
    assert (
        f"more than the role's own policies allow: s3:GetObject on {FILES}/* (through {INCLUDED_ROUTE})"
        in text
    )
    assert "\nFix: grant exactly the role's own statements" in text


def test_trust_unverified_and_hardening_and_pool_texts():
    b, _ = tenant(preview=True, with_bucket_policy=True)
    b.resources[:] = [r for r in b.resources if r.type != BPA]
    b.pool("other", allowClassicFlow=True)
    v = check(b.capture())
    [note] = v.rule("unverified-at-preview")
    assert render(note) == (
        "[unverified-at-preview] Could not be verified yet: the trust policy of Cognito role 'auth-role' "
        f"({'; '.join(note.routes)}) is computed from IdentityPool 'pool' and is not known at preview. The "
        "cognito-role-trust rule checks it once it is known: sts:AssumeRoleWithWebIdentity by "
        "cognito-identity.amazonaws.com with a StringEquals cognito-identity.amazonaws.com:aud condition "
        "(the pool id) and a ForAnyValue:StringLike cognito-identity.amazonaws.com:amr condition."
    )
    [hardening] = v.rule("bucket-hardening")
    assert render(hardening).split("\n")[0] == (
        "[bucket-hardening] Bucket 'files' holds files that Cognito role 'auth-role' reaches, but it lacks: "
        "a BucketPublicAccessBlock with all four settings true."
    )
    [pool] = v.rule("identity-pool-settings")
    assert render(pool).startswith("[identity-pool-settings] Identity pool 'other': allowClassicFlow is true")


def test_malformed_document_text():
    b, t = tenant(preview=True, with_bucket_policy=True)
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, "{not json")
    text = one(b.capture(), "readable-documents")
    assert text.startswith(
        "[readable-documents] The policy document of RolePolicy 'files-access' cannot be read: "
    )
    assert "\nFix: make it a JSON policy document" in text


@pytest.mark.parametrize("n", [1, 8, 9, 12])
def test_grants_text_groups_by_resource_and_caps_actions(n):
    gs = [Grant(f"s3:Action{i:02d}", f"{FILES}/*", None) for i in range(n)]
    text = grants_text([*gs, Grant("s3:ListBucket", FILES, ("a/",))])
    assert text.endswith(f"on {FILES}/*; s3:ListBucket on {FILES} with s3:prefix ['a/']")
    assert ("more actions" in text) == (n > 8)
    # the cut says exactly how many actions it leaves out of the list
    assert (f"s3:Action07 and {n - 8} more actions on {FILES}/*" in text) == (n > 8), text


# --- issue 10: every template states the facts of its finding, and only those ----------------------

from cognito_s3_guard.findings import Finding, Gap  # noqa: E402
from cognito_s3_guard.isolation import Counterexample, Origin  # noqa: E402

ROLE_L, BUCKET_L = "role 'r-facts' (r-facts-1a2b3c4)", "bucket 'b-facts' (b-facts-9f8e7d6)"
ROUTE = "aws:iam/rolePolicy:RolePolicy 'route-facts'"
GRANT = Grant("s3:GetObject", "arn:aws:s3:::b-facts/users/x/*", None, ROUTE, "urn:x")
DEPS = ("UserPool 'dep-facts'",)
CANNOT = Gap("cannot-name", "aws:s3/bucketPolicy:BucketPolicy 'bp-facts'", DEPS, ("r-facts-1a2b3c4",))


A_ID = "us-east-1:0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"
B_ID = "us-east-1:1b1b1b1b-1b1b-4b1b-8b1b-1b1b1b1b1b1b"
CX = Counterexample(A_ID, B_ID, "s3:PutObject", f"users/{B_ID}/x", None,
                    Origin("RolePolicy 'route-facts'", 2, "", "urn:x"))  # fmt: skip
CX_FACTS = (A_ID, "s3:PutObject", CX.key, f"inside the area of identity {B_ID}",
            "through statement 2 of RolePolicy 'route-facts'")  # fmt: skip


def _f(rule: str, kind: str, **kw) -> Finding:
    base = {"role_label": ROLE_L, "bucket_label": BUCKET_L, "routes": (ROUTE,)}
    return Finding(rule, "mandatory", kind, "urn:x", **{**base, **kw})


# (finding, the facts its text must state)
FACT_TABLE = [
    (_f("granting-bucket-policy", "no-bucket-policy", grants=(GRANT,)),
     (ROLE_L, BUCKET_L, ROUTE, GRANT.pattern)),
    (_f("granting-bucket-policy", "not-named", gaps=(CANNOT,)),
     (ROLE_L, BUCKET_L, ROUTE, "BucketPolicy 'bp-facts'", DEPS[0], "'r-facts-1a2b3c4'", "cannot name")),
    (_f("granting-bucket-policy", "not-granted", grants=(GRANT,)), (ROLE_L, BUCKET_L, ROUTE, GRANT.pattern)),
    (_f("granting-bucket-policy", "public-grant", grants=(GRANT,),
        gaps=(Gap("public", values=(f"s3:GetObject on {GRANT.pattern}",)),)),
     (ROLE_L, BUCKET_L, ROUTE, GRANT.pattern, "Block Public Access", "aws:PrincipalArn", '"*"')),
    (_f("no-widening", "wider", grants=(GRANT,)), (ROLE_L, BUCKET_L, GRANT.pattern)),
    (_f("cognito-role-trust", "unsafe-trust", gaps=(Gap("aud-not-from-pool", values=DEPS,
                                                        others=("IdentityPool 'pool-facts'",)),)),
     (ROLE_L, ROUTE, f"its aud is computed from {DEPS[0]}, not from IdentityPool 'pool-facts'")),
    (_f("unverified-at-preview", "trust-unknown", problems=DEPS), (ROLE_L, ROUTE, DEPS[0])),
    (_f("unverified-at-preview", "document-unknown", problems=DEPS), (ROLE_L, ROUTE, DEPS[0])),
    (_f("unverified-at-preview", "document-external"), (ROLE_L, ROUTE)),
    (_f("unverified-at-preview", "bucket-external", what="ext-facts"), (ROLE_L, ROUTE, "'ext-facts'")),
    (_f("unverified-at-preview", "role-document-unknown"), (ROLE_L, BUCKET_L, ROUTE)),
    (_f("unverified-at-preview", "bucket-document-unknown", grants=(GRANT,)),
     (ROLE_L, BUCKET_L, ROUTE, GRANT.pattern)),
    (_f("unverified-at-preview", "bucket-document-unknown-naming", grants=(GRANT,)),
     (ROLE_L, BUCKET_L, ROUTE, GRANT.pattern, "depends on the role")),
    (_f("unverified-at-preview", "bucket-document-unknown-unreaching"),
     (ROLE_L, BUCKET_L, ROUTE, "whose own policies reach nothing", "(no-widening)")),
    (_f("unverified-at-preview", "document-unattached", what="role", problems=DEPS),
     (ROUTE, DEPS[0], "role")),
    (_f("unverified-at-preview", "roles-unknown", what="roles", problems=DEPS),
     (f"the roles of {ROUTE} are computed from {DEPS[0]}, depend on no role of this program",)),
    (_f("unverified-at-preview", "grant-role-unknown", grants=(GRANT,)), (ROLE_L, BUCKET_L, GRANT.pattern)),
    (_f("unassumable-role", "unassumable"), ("Role 'r-facts'", ROUTE, "no identity can assume it")),
    (_f("identity-isolation", "crossing-write", counterexample=CX), (ROLE_L, BUCKET_L, *CX_FACTS)),
    (_f("per-identity-scope", "crossing-read", counterexample=CX), (ROLE_L, BUCKET_L, *CX_FACTS)),
    (_f("per-identity-scope", "shared", grants=(GRANT,), counterexample=CX),
     (ROLE_L, BUCKET_L, GRANT.pattern, CX.identity_a, CX.key, "outside its own area")),
    (_f("per-identity-scope", "undecided", problems=("write",), what="the solver ran out of its 10000 ms"),
     (ROLE_L, BUCKET_L, "write", "10000 ms")),
    (_f("bucket-hardening", "lacks", gaps=(Gap("tls-deny"),)), (ROLE_L, "Bucket 'b-facts'", "TLS only")),
]  # fmt: skip


@pytest.mark.parametrize(("finding", "facts"), FACT_TABLE, ids=[f"{f.rule}:{f.kind}" for f, _ in FACT_TABLE])
def test_every_template_states_its_findings_facts(finding, facts):
    text = render(finding)
    for fact in facts:
        assert fact in text, (fact, text)


def test_a_public_grant_is_not_called_a_missing_grant():
    text = render(FACT_TABLE[3][0])
    assert "does not grant" not in text and "public grant" in text


def test_a_bucket_policy_that_does_not_name_the_role_is_not_called_a_missing_grant():
    """not-named: the role's route depends on the bucket and no statement names the role, so the text says
    that, and does not list grants the bucket policy lacks (the finding carries none)."""
    [f] = [f for f, _ in FACT_TABLE if f.kind == "not-named"]
    text = render(f)
    assert "no statement of the bucket's policies names the role as principal" in text, text
    assert "does not grant the role" not in text, text


def test_no_widening_does_not_call_guests_signed_in():
    assert "signed-in" not in render(FACT_TABLE[4][0])


def test_a_bucket_document_naming_a_role_that_reaches_nothing_claims_no_missing_grant():
    """The role's own policies reach nothing on the bucket: only widening is open, so the note says so and
    does not speak of the role's grants (it has none there) or of granting-bucket-policy."""
    [f] = [f for f, _ in FACT_TABLE if f.kind == "bucket-document-unknown-unreaching"]
    text = render(f)
    assert "granting-bucket-policy" not in text and " grants Cognito " not in text


SID_GAP = Gap("no-aud", "PinPool")
ANON_GAP = Gap("no-amr")
ANYONE = Gap("anyone-statement", "", ("1", "Principal *"), inner=(Gap("no-aud"), Gap("no-amr")))
ANYONE_SID = Gap("anyone-statement", "Open", ("2", "NotPrincipal"), inner=(Gap("no-amr"),))
TRUST_TABLE = [
    (SID_GAP, "statement 'PinPool': no \"StringEquals\""),
    (ANON_GAP, "the statement that trusts cognito-identity.amazonaws.com: no \"ForAnyValue:StringLike\""),
    (ANYONE, "Statement[1] trusts any principal (Principal *), so anyone can assume the role: no "),
    (ANYONE_SID, "statement 'Open' trusts any principal (NotPrincipal), so anyone can assume the role: no "),
]


@pytest.mark.parametrize(("gap", "text"), TRUST_TABLE, ids=["sid", "no-sid", "anyone", "anyone-sid"])
def test_a_trust_gap_names_the_statement_it_is_in(gap, text):
    """A statement's gap names the statement by Sid (else as the one that trusts Cognito); a statement
    that trusts anyone is named by Sid or index and lists its own gaps without naming a statement again."""
    rendered = render(_f("cognito-role-trust", "unsafe-trust", gaps=(gap,)))
    assert text in rendered, rendered
    if gap.inner:
        assert rendered.count("statement") == (1 if gap.where else 0), rendered


def test_trust_gaps_are_rendered_in_order_each_once():
    rendered = render(_f("cognito-role-trust", "unsafe-trust", gaps=(SID_GAP, ANON_GAP)))
    assert rendered.index("'PinPool'") < rendered.index("the statement that trusts")
    assert rendered.count("no \"StringEquals\"") == 1 and rendered.count("no \"ForAnyValue") == 1


LIST_CX = Counterexample(A_ID, B_ID, "s3:ListBucket", f"users/{B_ID}/x", f"users/{B_ID}/", None)


@pytest.mark.parametrize(
    ("cx", "facts"),
    [
        (LIST_CX,
         f"identity {A_ID} can s3:ListBucket with prefix 'users/{B_ID}/' (listing key users/{B_ID}/x)"),
        (Counterexample(A_ID, B_ID, "s3:ListBucket", f"users/{B_ID}/x"),
         f"identity {A_ID} can s3:ListBucket without a prefix (listing key users/{B_ID}/x), inside the area"),
    ],
    ids=["prefix", "no-prefix"],
)  # fmt: skip
def test_a_listing_counterexample_names_its_prefix_and_the_key_it_lists(cx, facts):
    text = render(_f("per-identity-scope", "crossing-read", counterexample=cx))
    assert facts in text, text
    assert "through statement" not in text  # no origin: no statement is named


INCLUDED = Grant("s3:GetObject", "arn:aws:s3:::b-facts/*", None, INCLUDED_ROUTE, "urn:x")
NAMED = Grant("s3:PutObject", "arn:aws:s3:::b-facts/public/*", None, ROUTE, "urn:x")


def test_a_widening_names_which_grants_come_through_a_principal_that_includes_the_role():
    """Only the grants that reach the role through a wider principal are named as such; when all do, the
    list is not repeated; when none do, no principal is mentioned."""
    mixed = render(_f("no-widening", "wider", grants=(NAMED, INCLUDED)))
    assert f"({grants_text([INCLUDED])} through {INCLUDED_ROUTE})" in mixed
    only = render(_f("no-widening", "wider", grants=(INCLUDED,)))
    assert f"{grants_text([INCLUDED])} (through {INCLUDED_ROUTE})." in only
    assert INCLUDED_ROUTE not in render(_f("no-widening", "wider", grants=(NAMED,)))


def test_long_lists_are_cut_after_six_and_say_how_many_more():
    routes = tuple(f"RolePolicy 'p{i}'" for i in range(8))
    text = render(_f("granting-bucket-policy", "not-granted", routes=(*routes, routes[0]), grants=(GRANT,)))
    assert "RolePolicy 'p5'; and 2 more)" in text and "'p6'" not in text
    six = render(_f("granting-bucket-policy", "not-granted", routes=routes[:6], grants=(GRANT,)))
    assert "RolePolicy 'p5')" in six and "more" not in six


NO_DEPS = Gap("aud-not-from-pool", others=("IdentityPool 'p'",))
NO_NAME = Gap("cannot-name", "BucketPolicy 'bp'", (), ("r-1",))
STAND_INS = [
    (_f("unverified-at-preview", "trust-unknown"), ("is computed from computed values",)),
    (_f("unverified-at-preview", "document-unknown"), ("depends on computed values",)),
    (_f("unverified-at-preview", "document-unattached", what="role"), ("is computed from computed values",)),
    (_f("unverified-at-preview", "roles-unknown", what="roles"),
     (f"the roles of {ROUTE} are computed, depend",)),
    (_f("cognito-role-trust", "unsafe-trust", gaps=(NO_DEPS,)),
     ("computed only from nothing of this program, not from IdentityPool 'p'",
      "its aud is computed from literals, not from IdentityPool 'p'")),
    (_f("granting-bucket-policy", "not-named", gaps=(NO_NAME,)),
     ("computed only from nothing of this program, not from role",)),
    (_f("granting-bucket-policy", "no-bucket-policy"), ("(access through a document not known yet; via",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("finding", "facts"),
    STAND_INS,
    ids=["trust-unknown", "document-unknown", "document-unattached", "roles-unknown", "aud-from-literals",
         "cannot-name", "no-grants-known"],
)  # fmt: skip
def test_a_note_without_its_facts_says_what_stands_in_for_them(finding, facts):
    text = render(finding)
    for fact in facts:
        assert fact in text, (fact, text)


POOL_GAP_TABLE = [
    (Gap("unknown", "allowClassicFlow"), "allowClassicFlow is not known at preview"),
    (Gap("classic-flow"), "allowClassicFlow is true: set it to false"),
    (Gap("guests"), "allowUnauthenticatedIdentities is true"),
    (Gap("token-check-unknown", "c1"), "serverSideTokenCheck of provider c1 is not known at preview"),
    (Gap("token-check-off", "c2"), "provider c2 has serverSideTokenCheck off"),
]


def test_every_identity_pool_gap_is_stated_in_order():
    f = Finding("identity-pool-settings", "advisory", "settings", "urn:x", what="Identity pool 'p'",
                gaps=tuple(g for g, _ in POOL_GAP_TABLE))  # fmt: skip
    text = render(f)
    assert text.startswith("[identity-pool-settings] Identity pool 'p': " + POOL_GAP_TABLE[0][1])
    positions = [text.index(fact) for _, fact in POOL_GAP_TABLE]
    assert positions == sorted(positions) and text.endswith(".")


def test_bucket_hardening_lists_every_missing_setting_in_order():
    codes = ("public-access-block", "tls-deny", "encryption", "ownership-enforced")
    text = render(_f("bucket-hardening", "missing", gaps=tuple(Gap(c) for c in codes)))
    facts = ("BucketPublicAccessBlock", "aws:SecureTransport", "default-encryption", "BucketOwnerEnforced")
    positions = [text.index(fact) for fact in facts]
    assert text.startswith("[bucket-hardening] Bucket 'b-facts'") and positions == sorted(positions)


def test_only_a_bucket_document_that_depends_on_the_role_is_said_to():
    plain = render(_f("unverified-at-preview", "bucket-document-unknown", grants=(GRANT,)))
    naming = render(_f("unverified-at-preview", "bucket-document-unknown-naming", grants=(GRANT,)))
    assert "depends on the role" not in plain and "(it depends on the role)" in naming


def test_a_statement_with_a_sid_is_named_by_it_in_a_counterexample():
    cx = Counterexample(A_ID, B_ID, "s3:PutObject", f"users/{B_ID}/x", None,
                        Origin("BucketPolicy 'bp'", 3, "UsersWrite", "urn:x"))  # fmt: skip
    text = render(_f("identity-isolation", "crossing-write", counterexample=cx))
    assert "through statement 'UsersWrite' of BucketPolicy 'bp'" in text and "statement 3" not in text


def test_a_public_grant_beside_a_document_that_cannot_name_the_role_lists_only_the_public_grants():
    """A public-grant finding also carries the cannot-name gaps of the bucket's unknown documents (before
    its "public" gap): the principals' grants it states are the public gap's, not what such a document is
    computed from."""
    public = Gap("public", values=(f"s3:GetObject on {GRANT.pattern}",))
    text = render(_f("granting-bucket-policy", "public-grant", grants=(GRANT,), gaps=(CANNOT, public)))
    assert f"grants s3:GetObject on {GRANT.pattern} to every principal" in text
    assert DEPS[0] not in text
