"""Public Cognito + S3 examples ported to Pulumi, and issue 10's mistakes with their twins, judged in both
shapes (a first preview and deployed) through the pack's real analyzer protocol.

Each folder beside this file is one small Pulumi program that cites its source in its header. The table
below holds the verdict the product SHOULD give, per shape: the exact set of findings as
(level, rule, culprit), where the culprit is the logical name of the resource the finding is reported on.
"No extra findings, no missing ones": advisories count as much as mandatory findings.

- A culprit given as a tuple means "one of these": a finding that spans several resources (all the role
  policies that carry a loose grant, say) may be reported on any of them.
- The rule ``ANY_RULE`` stands for a rule id the issue does not name yet (the unassumable-role advisory).
- ``optional`` findings may or may not be reported (for instance an unverified-at-preview advisory that an
  implementation may keep beside the mandatory finding that supersedes it).
- ``facts`` are words that the finding's message must contain, where the issue makes the message part of
  the behaviour (what a trust document depends on; the public-grant message).

Where today's pack does not give the intended verdict yet, the shape is marked
``xfail(strict=True)`` with the reason: the marker fails as soon as the behaviour lands, so whoever lands
it removes the marker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from offline.analyzer import AnalyzerInfo, PolicyPackClient, launch
from offline.mockrun import registered, run_program
from offline.model import Diagnostic

HERE = Path(__file__).resolve().parent
PACK_DIR = HERE.parents[1] / "policypack"

ANY_RULE = "*"
M, A = "mandatory", "advisory"
GRANTING, WIDENING, TRUST = "granting-bucket-policy", "no-widening", "cognito-role-trust"
UNVERIFIED, SCOPE, HARDENING = "unverified-at-preview", "per-identity-scope", "bucket-hardening"
POOL = "identity-pool-settings"  # a resource policy whose messages carry no [rule] tag: rule = policy name
ISOLATION = "identity-isolation"  # issue 14's new mandatory rule

Culprit = str | tuple[str, ...]
Finding = tuple[str, str, Culprit]


@dataclass(frozen=True)
class Shape:
    """The intended verdict for one shape of one case."""

    findings: frozenset[Finding]
    optional: frozenset[Finding] = frozenset()
    facts: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (rule, culprit) -> words
    xfail: str | None = None


def shape(*findings: Finding, optional=(), facts=None, xfail: str | None = None) -> Shape:
    return Shape(frozenset(findings), frozenset(optional), dict(facts or {}), xfail)


# Issue 10's reasons, shared by the cases they hold back.
BOUND_BUCKET = (
    "issue 10: an unknown bucket policy that does not depend on the autonamed Cognito role cannot name it, "
    "so granting-bucket-policy must block at preview; today it is only unverified-at-preview"
)
BOUND_TRUST = (
    "issue 10: an unknown trust that does not depend on the identity pool cannot hold its id in aud, so "
    "cognito-role-trust must block at preview and say what the aud is computed from; today it is only "
    "unverified-at-preview"
)
UNASSUMABLE = (
    "issue 10: a role that no Cognito identity can assume (trust allows only sts:AssumeRole) is not a "
    "Cognito role for the mandatory rules; it must draw one advisory, not cognito-role-trust"
)
PUBLIC_MESSAGE = (
    'issue 10: a Principal "*" grant must be reported as a public grant that S3 Block Public Access '
    "refuses, asking for the role by ARN or aws:PrincipalArn; today it says the policy does not grant "
    "the role"
)

CASES: dict[str, dict[str, Shape]] = {
    # --- public examples -----------------------------------------------------------------------------
    "iam_guide_cognito_folder": {
        "preview": shape(
            (A, UNVERIFIED, "authenticated"), (A, UNVERIFIED, "photos-policy"), (A, HARDENING, "photos")
        ),
        "deployed": shape((A, HARDENING, "photos")),
    },
    "amplify_gen1_storage": {
        "preview": shape(
            (M, GRANTING, "S3Bucket"),
            (A, POOL, "IdentityPool"),
            (A, UNVERIFIED, "AuthRole"),
            (A, UNVERIFIED, "UnauthRole"),
            (A, SCOPE, ("S3AuthPublicPolicy", "S3AuthUploadPolicy", "S3AuthReadPolicy")),
            (A, SCOPE, ("S3GuestPublicPolicy", "S3GuestReadPolicy")),
            (A, HARDENING, "S3Bucket"),
        ),
        "deployed": shape(
            (M, GRANTING, "S3Bucket"),
            (A, POOL, "IdentityPool"),
            (A, SCOPE, ("S3AuthPublicPolicy", "S3AuthUploadPolicy", "S3AuthReadPolicy")),
            (A, SCOPE, ("S3GuestPublicPolicy", "S3GuestReadPolicy")),
            (A, HARDENING, "S3Bucket"),
        ),
    },
    "amplify_gen1_storage_mirrored": {
        "preview": shape(
            (A, POOL, "IdentityPool"),
            (A, UNVERIFIED, "AuthRole"),
            (A, UNVERIFIED, "UnauthRole"),
            (A, UNVERIFIED, "S3BucketPolicy"),
            (A, SCOPE, ("S3AuthPublicPolicy", "S3AuthUploadPolicy", "S3AuthReadPolicy")),
            (A, SCOPE, ("S3GuestPublicPolicy", "S3GuestReadPolicy")),
            (A, HARDENING, "S3Bucket"),
        ),
        "deployed": shape(
            (A, POOL, "IdentityPool"),
            (A, SCOPE, ("S3AuthPublicPolicy", "S3AuthUploadPolicy", "S3AuthReadPolicy")),
            (A, SCOPE, ("S3GuestPublicPolicy", "S3GuestReadPolicy")),
            (A, HARDENING, "S3Bucket"),
        ),
    },
    "amplify_gen1_group_role": {
        "preview": shape(
            (M, GRANTING, "S3Bucket"),
            (A, UNVERIFIED, "AuthRole"),
            (A, UNVERIFIED, "AdminsGroupRole"),
            (A, UNVERIFIED, "AdminsGroupPolicy"),  # its role is a name not known at preview
            (A, HARDENING, "S3Bucket"),
        ),
        "deployed": shape(
            (M, GRANTING, "S3Bucket"),
            (A, SCOPE, "AdminsGroupPolicy"),
            (A, HARDENING, "S3Bucket"),
        ),
    },
    "amplify_gen2_define_storage": {
        "preview": shape(
            (M, GRANTING, "mediaBucket"),
            (A, POOL, "amplifyAuthIdentityPool"),
            (A, UNVERIFIED, "amplifyAuthauthenticatedUserRole"),
            (A, UNVERIFIED, "amplifyAuthunauthenticatedUserRole"),
            (A, HARDENING, "mediaBucket"),
        ),
        "deployed": shape(
            (M, GRANTING, "mediaBucket"),
            (A, POOL, "amplifyAuthIdentityPool"),
            (A, SCOPE, "storageAccess1"),
            (A, SCOPE, "storageAccess2"),
            (A, HARDENING, "mediaBucket"),
        ),
    },
    "sst_guide_private_folder": {
        "preview": shape(
            (A, POOL, "IdentityPool"),
            (A, UNVERIFIED, "CognitoDefaultAuthenticatedRole"),
            (A, UNVERIFIED, "UploadsPolicy"),
            (A, HARDENING, "Uploads"),
        ),
        "deployed": shape((A, POOL, "IdentityPool"), (A, HARDENING, "Uploads")),
    },
    "sst_guide_serverless_inline": {
        "preview": shape(
            (M, GRANTING, "AttachmentsBucket"),
            (A, POOL, "CognitoIdentityPool"),
            (A, UNVERIFIED, "CognitoAuthRole"),
            (A, HARDENING, "AttachmentsBucket"),
        ),
        "deployed": shape(
            (M, GRANTING, "AttachmentsBucket"),
            (A, POOL, "CognitoIdentityPool"),
            (A, HARDENING, "AttachmentsBucket"),
        ),
    },
    "velotio_photo_read": {
        "preview": shape(
            (A, UNVERIFIED, "Cognito_Auth_Role"), (A, UNVERIFIED, "photos-policy"), (A, HARDENING, "photos")
        ),
        "deployed": shape((A, HARDENING, "photos")),
    },
    "tonybolanyo_wild_prefix": {
        "preview": shape(
            (A, UNVERIFIED, "Cognito_Auth_Role"), (A, UNVERIFIED, "uploads-policy"), (A, HARDENING, "uploads")
        ),
        "deployed": shape(
            (M, ISOLATION, ("upload-policy", "uploads-policy")),
            (A, SCOPE, ("upload-policy", "uploads-policy")),
            (A, HARDENING, "uploads"),
        ),
    },
    "zelda_terraform": {
        "preview": shape(
            (M, GRANTING, "this"),
            (A, POOL, "identity_pool"),
            (A, UNVERIFIED, "authenticated_role"),
            (A, UNVERIFIED, "unauthenticated_role"),
            (A, HARDENING, "this"),
        ),
        "deployed": shape(
            (M, GRANTING, "this"),
            (A, POOL, "identity_pool"),
            (A, SCOPE, "authenticated_policy"),
            (A, SCOPE, "unauthenticated_policy"),
            (A, HARDENING, "this"),
        ),
    },
    "backspace_cognito_tutorial": {
        "preview": shape(
            (A, UNVERIFIED, "Cognito_Auth_Role"),
            (A, UNVERIFIED, "backspace-cognito-test-policy"),
            (A, HARDENING, "backspace-cognito-test"),
        ),
        "deployed": shape((A, HARDENING, "backspace-cognito-test")),
    },
    "terraform_signed_cookies": {
        "preview": shape(
            (A, POOL, "identity_pool"),
            (A, UNVERIFIED, "authenticated"),
            (A, UNVERIFIED, "unauthenticated"),
            (A, UNVERIFIED, "authenticated_access"),
        ),
        "deployed": shape((M, WIDENING, "authenticated_access"), (A, POOL, "identity_pool")),
    },
    "pulumi_registry_role_mapping": {
        "preview": shape((A, UNVERIFIED, "authenticatedRole")),
        "deployed": shape(),
    },
    # --- issue 10 (a): the bucket policy grants others, not the authenticated role --------------------
    "grants_others_not_auth_role": {
        "preview": shape(
            (M, GRANTING, "files-policy"),
            (A, UNVERIFIED, "files-policy"),  # the guest role's grant: its document depends on the guest role
            (A, POOL, "identities"),
            (A, UNVERIFIED, "authenticated"),
            (A, UNVERIFIED, "guest"),
            facts={(GRANTING, "files-policy"): ("'authenticated'",)},
        ),
        "deployed": shape((M, GRANTING, "files-policy"), (A, POOL, "identities"), (A, SCOPE, "guest-public")),
    },
    "grants_others_and_auth_role": {
        "preview": shape(
            (A, UNVERIFIED, "files-policy"),
            (A, POOL, "identities"),
            (A, UNVERIFIED, "authenticated"),
            (A, UNVERIFIED, "guest"),
        ),
        "deployed": shape((A, POOL, "identities"), (A, SCOPE, "guest-public")),
    },
    # --- issue 10 (b): the bucket policy forgets the user-pool group's role ----------------------------
    "forgets_group_role": {
        "preview": shape(
            (M, GRANTING, "files-policy"),
            (A, UNVERIFIED, "files-policy"),
            (A, POOL, "identities"),
            (A, UNVERIFIED, "authenticated"),
            (A, UNVERIFIED, "guest"),
            (A, UNVERIFIED, "editors"),
            facts={(GRANTING, "files-policy"): ("'editors'",)},
        ),
        "deployed": shape(
            (M, GRANTING, "files-policy"),
            (A, POOL, "identities"),
            (A, SCOPE, "guest-public"),
            (A, SCOPE, "editors-public"),
        ),
    },
    "mirrors_group_role": {
        "preview": shape(
            (A, UNVERIFIED, "files-policy"),
            (A, POOL, "identities"),
            (A, UNVERIFIED, "authenticated"),
            (A, UNVERIFIED, "guest"),
            (A, UNVERIFIED, "editors"),
        ),
        "deployed": shape(
            (A, POOL, "identities"),
            (A, SCOPE, "guest-public"),
            (A, SCOPE, "editors-public"),
        ),
    },
    # --- issue 10 (c): aud computed from the user pool's (or app client's) id ------------------------
    "trust_aud_from_user_pool": {
        "preview": shape(
            (M, TRUST, "authenticated"),
            (A, UNVERIFIED, "files-policy"),
            optional=[(A, UNVERIFIED, "authenticated")],
            facts={(TRUST, "authenticated"): ("UserPool 'users'", "IdentityPool 'identities'")},
        ),
        "deployed": shape((M, TRUST, "authenticated")),
    },
    "trust_aud_from_app_client": {
        "preview": shape(
            (M, TRUST, "authenticated"),
            (A, UNVERIFIED, "files-policy"),
            optional=[(A, UNVERIFIED, "authenticated")],
            facts={(TRUST, "authenticated"): ("UserPoolClient 'web'", "IdentityPool 'identities'")},
        ),
        "deployed": shape((M, TRUST, "authenticated")),
    },
    "trust_aud_from_identity_pool": {
        "preview": shape((A, UNVERIFIED, "authenticated"), (A, UNVERIFIED, "files-policy")),
        "deployed": shape(),
    },
    # --- issue 10 (d): the false alarm, and its assumable twin ----------------------------------------
    "unassumable_attached_role": {
        "preview": shape((A, ANY_RULE, ("roles", "legacy"))),
        "deployed": shape((A, ANY_RULE, ("roles", "legacy"))),
    },
    "assumable_unpinned_role": {
        "preview": shape((M, TRUST, "legacy")),
        "deployed": shape((M, TRUST, "legacy")),
    },
    # --- issue 10 (e): Principal "*" with exactly the role's statements -------------------------------
    "public_principal_mirror": {
        "preview": shape(
            (M, GRANTING, "files-policy"),
            (A, UNVERIFIED, "authenticated"),
            optional=[(A, UNVERIFIED, "files-policy")],
        ),
        "deployed": shape(
            (M, GRANTING, "files-policy"),
            facts={(GRANTING, "files-policy"): ("Block Public Access", "aws:PrincipalArn")},
        ),
    },
    "role_principal_mirror": {
        "preview": shape((A, UNVERIFIED, "authenticated"), (A, UNVERIFIED, "files-policy")),
        "deployed": shape(),
    },
}


# --- reading the pack's diagnostics ----------------------------------------------------------------


@dataclass(frozen=True)
class Observed:
    level: str
    rule: str
    culprit: str
    body: str  # the message after the policy description


def parse(d: Diagnostic, info: AnalyzerInfo) -> Observed:
    """Level, rule and culprit of one diagnostic, per the pack's message contract (COORDINATION.md):
    the SDK prepends the policy description and a newline, then ``[<rule-id>] <facts>``; a message with
    no tag belongs to the rule named like its policy."""
    description = info.policy(d.policy).description
    body = d.message[len(description) :].lstrip("\n") if d.message.startswith(description) else d.message
    first = body.splitlines()[0] if body else ""
    rule = first[1 : first.index("]")] if first.startswith("[") and "]" in first else d.policy
    culprit = d.urn.rsplit("::", 1)[-1] if d.urn else ""
    return Observed(d.level, rule, culprit, body)


def matches(expected: Finding, seen: Observed) -> bool:
    level, rule, culprit = expected
    names = culprit if isinstance(culprit, tuple) else (culprit,)
    return level == seen.level and rule in (ANY_RULE, seen.rule) and seen.culprit in names


def compare(want: Shape, seen: list[Observed]) -> list[str]:
    """Every expected finding is reported, nothing else is (optional ones aside), facts are stated."""
    problems = [
        f"missing {e}" for e in sorted(want.findings, key=str) if not any(matches(e, s) for s in seen)
    ]
    allowed = want.findings | want.optional
    problems += [
        f"unexpected {(s.level, s.rule, s.culprit)}: {s.body.splitlines()[0][:300]}"
        for s in seen
        if not any(matches(e, s) for e in allowed)
    ]
    for (rule, culprit), words in want.facts.items():
        bodies = [s.body for s in seen if s.rule == rule and s.culprit == culprit]
        for word in words:
            if bodies and not any(word in b for b in bodies):
                problems.append(f"the {rule} finding on {culprit} does not state {word!r}: {bodies[0][:400]}")
    return problems


# --- the tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackClient]:
    with launch(PACK_DIR, project="ported", stack="test", dry_run=True) as client:
        client.get_info()
        yield client


def _params() -> list[pytest.param]:
    out = []
    for case, shapes in CASES.items():
        for name in ("preview", "deployed"):
            want = shapes[name]
            marks = [pytest.mark.xfail(strict=True, reason=want.xfail)] if want.xfail else []
            out.append(pytest.param(case, name, id=f"{case}-{name}", marks=marks))
    return out


def test_every_case_folder_is_in_the_table() -> None:
    folders = {p.parent.name for p in HERE.glob("*/__main__.py")}
    assert folders == set(CASES)


def test_every_program_cites_its_source_and_names_resources_uniquely() -> None:
    for case in CASES:
        header = (HERE / case / "__main__.py").read_text().split('"""')[1]
        assert "Port:" in header or "Issue 10" in header, case
    for case in CASES:
        capture = run_program(HERE / case, "test", preview=False)
        names = [r.name for r in registered(capture)]
        assert len(names) == len(set(names)), f"{case}: culprits are told apart by logical name"


@pytest.mark.protocol
@pytest.mark.parametrize(("case", "shape_name"), _params())
def test_verdict(pack: PolicyPackClient, case: str, shape_name: str) -> None:
    want = CASES[case][shape_name]
    capture = run_program(HERE / case, "test", preview=shape_name == "preview")
    diagnostics = pack.judge(capture)
    assert not any(d.preview_skip for d in diagnostics), "a policy gave up at preview"
    assert not any("[internal-error]" in d.message for d in diagnostics), diagnostics
    assert pack.info is not None
    problems = compare(want, [parse(d, pack.info) for d in diagnostics])
    assert not problems, f"{case} ({shape_name}):\n  " + "\n  ".join(problems)
