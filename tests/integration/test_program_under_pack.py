"""The real stack program, judged by the real policy pack at a first preview (and deployed).

The correct program must be clean with no preview skips; each deliberately broken variant must be
caught at preview by a MANDATORY violation that names the culprit. Variants are made the way a
developer would make them: by changing what the program's own code renders (monkeypatching the
component functions the program calls), except "bucket policy removed", which drops that one leaf
resource from the captured stack: nothing depends on a bucket policy, so the rest of the graph is what
a program without one would register.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import components.identity
import components.storage
from offline.analyzer import PolicyPackClient, launch, preview_skips
from offline.mockrun import run_program
from offline.model import Diagnostic, StackCapture

ROOT = Path(__file__).resolve().parents[2]
SUB = "${cognito-identity.amazonaws.com:sub}"

pytestmark = pytest.mark.protocol


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackClient]:
    with launch(ROOT / "policypack", project="cognito-user-files", stack="test") as client:
        yield client


def judge(pack: PolicyPackClient, capture: StackCapture) -> list[Diagnostic]:
    diagnostics = pack.judge(capture)
    assert preview_skips(diagnostics) == [], f"a policy gave up at preview: {diagnostics}"
    return diagnostics


def tagged(diagnostics: list[Diagnostic], rule: str) -> list[Diagnostic]:
    return [d for d in diagnostics if f"[{rule}]" in d.message]


def mandatory(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.mandatory]


def urn_of(capture: StackCapture, type_token: str) -> str:
    return capture.one(type_token).urn


@pytest.mark.parametrize("preview", [True, False], ids=["first-preview", "deployed"])
def test_compliance_the_test_stack_is_clean(pack: PolicyPackClient, preview: bool) -> None:
    capture = run_program(ROOT, "test", preview=preview)
    diagnostics = judge(pack, capture)
    assert mandatory(diagnostics) == []
    if preview:
        # The one thing a first preview cannot know is the trust policy (it needs the identity-pool id):
        # it is named as unverified, not skipped and not blocked.
        unverified = tagged(diagnostics, "unverified-at-preview")
        assert [d.urn for d in unverified] == [urn_of(capture, "aws:iam/role:Role")]
        assert [d for d in diagnostics if d not in unverified] == []
    else:
        assert diagnostics == []


def test_prod_stacks_shared_public_prefix_is_advised_until_declared_shared(pack: PolicyPackClient) -> None:
    """Pulumi.prod.yaml gives every user read access to public/*: no mandatory finding, one advisory
    naming that prefix, and none once the prefix is declared a deliberate shared read-only prefix."""
    capture = run_program(ROOT, "prod", preview=False)
    diagnostics = judge(pack, capture)
    assert mandatory(diagnostics) == []
    advised = tagged(diagnostics, "per-identity-scope")
    assert [d.urn for d in advised] == [urn_of(capture, "aws:iam/rolePolicy:RolePolicy")]
    assert "/public/*" in advised[0].message
    assert diagnostics == advised

    declared = pack.judge(capture, {"cognito-s3-advisories": {"sharedPrefixes": ["public/"]}})
    assert declared == []


def without_bucket_policy(capture: StackCapture) -> StackCapture:
    gone = urn_of(capture, "aws:s3/bucketPolicy:BucketPolicy")
    capture.resources = [r for r in capture.resources if r.urn != gone]
    for r in capture.resources:
        r.dependencies = [d for d in r.dependencies if d != gone]
    return capture


def test_noncompliance_1_bucket_policy_removed_is_blocked_at_preview(pack: PolicyPackClient) -> None:
    capture = without_bucket_policy(run_program(ROOT, "test", preview=True))
    found = tagged(mandatory(judge(pack, capture)), "granting-bucket-policy")
    assert found, "a bucket reached by a Cognito role with no bucket policy must be blocked"
    bucket = capture.one("aws:s3/bucket:Bucket")
    assert any(bucket.name in d.message and "user-files-authenticated" in d.message for d in found)


def test_noncompliance_2_widened_grant_is_blocked_at_preview(
    pack: PolicyPackClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The field report's fix: the bucket grants the role users/* instead of users/${sub}/*."""
    render = components.storage.bucket_policy_document

    def widened(*args: Any, **kwargs: Any) -> dict[str, Any]:
        text = json.dumps(render(*args, **kwargs)).replace(f"users/{SUB}/", "users/")
        return json.loads(text)

    monkeypatch.setattr(components.storage, "bucket_policy_document", widened)
    capture = run_program(ROOT, "test", preview=True)
    policy = capture.one("aws:s3/bucketPolicy:BucketPolicy")
    assert f"users/{SUB}" not in policy.inputs["policy"]  # the variant really is widened
    found = tagged(mandatory(judge(pack, capture)), "no-widening")
    assert {d.urn for d in found} == {policy.urn}


def test_noncompliance_3_trust_without_aud_is_blocked_at_preview(
    pack: PolicyPackClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A developer who drops the aud condition no longer needs the pool id: the document is known."""
    trust = components.identity.trust_policy

    def no_aud(identity_pool_id: str, amr: str) -> dict[str, Any]:
        doc = trust(identity_pool_id, amr)
        del doc["Statement"][0]["Condition"]["StringEquals"]
        return doc

    def role_without_aud(self, name, amr, opts):  # same signature as Identity._role
        return components.identity.aws.iam.Role(
            f"{name}-{'authenticated' if amr == 'authenticated' else 'guest'}",
            path=components.identity.ROLE_PATH,
            assume_role_policy=json.dumps(no_aud("unused", amr)),
            opts=opts,
        )

    monkeypatch.setattr(components.identity.Identity, "_role", role_without_aud)
    capture = run_program(ROOT, "test", preview=True)
    role = capture.one("aws:iam/role:Role")
    assert "aud" not in role.inputs["assumeRolePolicy"]
    found = tagged(mandatory(judge(pack, capture)), "cognito-role-trust")
    assert {d.urn for d in found} == {role.urn}
    assert "aud" in found[0].message


def test_noncompliance_4_trust_without_aud_still_tied_to_the_pool_is_blocked_once_known(
    pack: PolicyPackClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the document still waits on the pool id, preview can only name it unverified; the deployed
    shape (what `pulumi up` judges) blocks it."""
    trust = components.identity.trust_policy

    def no_aud(identity_pool_id: str, amr: str) -> dict[str, Any]:
        doc = trust(identity_pool_id, amr)
        doc["Statement"][0]["Condition"]["StringEquals"] = {"aws:RequestedRegion": identity_pool_id}
        return doc

    monkeypatch.setattr(components.identity, "trust_policy", no_aud)
    preview = run_program(ROOT, "test", preview=True)
    role_urn = urn_of(preview, "aws:iam/role:Role")
    seen = judge(pack, preview)
    assert [d.urn for d in tagged(seen, "unverified-at-preview")] == [role_urn]
    assert mandatory(seen) == []

    deployed = run_program(ROOT, "test", preview=False)
    found = tagged(mandatory(judge(pack, deployed)), "cognito-role-trust")
    assert {d.urn for d in found} == {role_urn}
