"""Every rule gives the same verdict on the classic, the native and the mixed versions of one
configuration, in both shapes (issue 12).

``programs/same_config`` registers one configuration whose parts (identity, role, bucket, bucket policy)
each come from pulumi_aws or pulumi_aws_native, by config, with one optional mistake. Each row of
``EXPECTED`` is one mistake: the findings every version must give (rule, level, kind, culprit's logical
name, gap codes), the same in all five columns of ``VERSIONS``. At a first preview every version also
says that the role's trust (built from the identity pool's id) is not known yet (``AT_PREVIEW``).
The rules run in-process on what the SDK would hand the pack (``inproc.check``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from native_runs import run_native

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "policypack"))  # the in-process harness
from inproc import Findings, check

pytest.importorskip("pulumi_aws_native")

C, N = "classic", "native"
#: column -> the provider of (identity, role, bucket, bucket policy)
VERSIONS = {
    "classic": (C, C, C, C),
    "native": (N, N, N, N),
    "native bucket + classic bucket policy": (C, C, N, C),
    "classic role + native bucket": (C, C, N, N),
    "native role + classic attachment": (C, N, C, C),
}
M, A = "mandatory", "advisory"
TRUST_UNKNOWN = ("unverified-at-preview", A, "trust-unknown", "authenticated", ())
Verdict = tuple[str, str, str, str, tuple[str, ...]]  # rule, level, kind, culprit name, gap codes

#: mistake -> the findings in both shapes (besides AT_PREVIEW's), identical in every column
EXPECTED: dict[str, set[Verdict]] = {
    "none": set(),
    "no-bucket-policy": {
        ("granting-bucket-policy", M, "no-bucket-policy", "files", ()),
        ("bucket-hardening", A, "missing", "files", ("tls-deny",)),
    },
    "widened-grant": {  # the bucket grants users/*: a real crossing write and read (issue 14)
        ("no-widening", M, "wider", "files-policy", ()),
        ("identity-isolation", M, "crossing-write", "files-policy", ()),
        ("per-identity-scope", A, "crossing-read", "files-policy", ()),
    },
    "no-aud": {("cognito-role-trust", M, "unsafe-trust", "authenticated", ("no-aud",))},
    "guests": {("identity-pool-settings", A, "settings", "identities", ("guests",))},
    "no-hardening": {("bucket-hardening", A, "missing", "files", ("public-access-block",))},
    "shared-folder": {("per-identity-scope", A, "shared", "authenticated-files", ())},
    "malformed-document": {
        ("readable-documents", M, "malformed", "authenticated-files", ()),
        ("no-widening", M, "wider", "files-policy", ()),  # the bucket grants more than the role's (none)
    },
    "aws-managed": {
        ("granting-bucket-policy", M, "not-granted", "files-policy", ()),
        ("per-identity-scope", A, "crossing-read", "authenticated", ()),
    },
    "managed-policy-roles": {("granting-bucket-policy", M, "not-granted", "files-policy", ())},
    "arn-document": set(),
    # an attached role that trusts a service (a static trust, known at preview): not a Cognito role
    "unassumable-trust": {("unassumable-role", A, "unassumable", "identities-roles", ())},
}
#: mistake -> what only a first preview adds (values not known yet)
AT_PREVIEW: dict[str, set[Verdict]] = {
    "no-aud": set(),  # the trust is static: known at preview
    "unassumable-trust": set(),
    "arn-document": {
        TRUST_UNKNOWN,
        ("unverified-at-preview", A, "role-document-unknown", "files-policy", ()),
    },
}


def verdicts(found: Findings) -> set[Verdict]:
    """Findings as provider-neutral facts: the culprit by logical name (URNs carry the type)."""
    return {
        (f.rule, f.level, f.kind, f.resource.rsplit("::", 1)[-1], tuple(sorted(g.code for g in f.gaps)))
        for f in found.findings
    }


def judged(mistake: str, shape: str, version: str) -> set[Verdict]:
    identity, role, bucket, policy = VERSIONS[version]
    capture = run_native(
        "same_config", shape, mistake=mistake, identity=identity, role=role, bucket=bucket, policy=policy
    )
    return verdicts(check(capture))


@pytest.mark.parametrize("shape", ["preview", "deployed"])
@pytest.mark.parametrize("mistake", sorted(EXPECTED))
def test_classic_native_and_mixed_versions_get_the_same_verdicts(mistake: str, shape: str) -> None:
    expected = set(EXPECTED[mistake])
    if shape == "preview":
        expected |= AT_PREVIEW.get(mistake, {TRUST_UNKNOWN})
    columns = {version: judged(mistake, shape, version) for version in VERSIONS}
    assert columns == {version: expected for version in VERSIONS}


def test_every_rule_has_a_row_that_fires_it() -> None:
    from cognito_s3_guard.rules import REGISTRY

    fired = {v[0] for row in [*EXPECTED.values(), *AT_PREVIEW.values()] for v in row}
    assert fired == {r.id for r in REGISTRY}
