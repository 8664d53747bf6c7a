"""The region of the identity ids the isolation rules consider: a Cognito identity id is
``<pool region>:<uuid>``, and a role that identity pools of two regions hand out serves identities of both.
So the isolation problem is judged with no fixed region (any region), never with one of the two, and a
write on either region's identity folders reaches other identities' folders. In-process, both shapes."""

from __future__ import annotations

import importlib
import json

import pytest
from cognito_s3_guard.analysis import analyze
from cognito_s3_guard.findings import Finding
from cognito_s3_guard.rules import base as rules_base
from inproc import check, sdk_resources
from pack_builder import StackBuilder, doc, full_pattern, trust

from offline.model import StackCapture

check_mod = importlib.import_module("cognito_s3_guard.isolation.check")  # the module, not check()
ISOLATION = "identity-isolation"
US, EU = "us-east-1:0000-pool", "eu-west-1:0000-other"


def two_region_stack(preview: bool, folders_of: str) -> StackBuilder:
    """The full pattern, plus a second identity pool in another region that attaches the same role (the
    trust's aud names both pools), plus a role policy writing on ``users/<folders_of>:*``."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b)
    other = b.pool("other-pool")
    second = b.attach(other, t.role, name="other-roles")
    if not preview:  # deployed: the ids are known, one pool per region
        t.pool.outputs["id"], other.outputs["id"] = US, EU
        t.attachment.inputs["identityPoolId"] = t.attachment.outputs["identityPoolId"] = US
        second.inputs["identityPoolId"] = second.outputs["identityPoolId"] = EU
        both = trust(US).replace(json.dumps(US), json.dumps([US, EU]))
        t.role.inputs["assumeRolePolicy"] = t.role.outputs["assumeRolePolicy"] = both
    write = {
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::files/users/{folders_of}:*",
    }
    b.role_policy(t.role, t.bucket, doc(write), name="region-writes")
    return b


SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])


def crossing_writes(capture: StackCapture) -> list[Finding]:
    """identity-isolation's findings, each asserted to be the role policy's crossing write on the bucket,
    and the problem they come from asserted to have no fixed region."""
    found = check(capture).rule(ISOLATION)
    for f in found:
        assert (f.level, f.kind, f.resource.rsplit("::", 1)[-1]) == (
            "mandatory",
            "crossing-write",
            "region-writes",
        )
    analysis = analyze(sdk_resources(capture.resources))
    for role in analysis.cognito_roles:
        for bucket in analysis.graph.buckets.values():
            judged = analysis.isolation(role, bucket)
            assert judged is not None and judged[0].region is None
    return found


@SHAPES
def test_a_role_of_pools_in_two_regions_is_judged_for_identities_of_any_region(preview: bool) -> None:
    """The pools' regions disagree (deployed) or are not known (preview): the problem has no fixed region,
    so a write on us-east-1 identity folders crosses, with two us-east-1 identities as the witness."""
    found = crossing_writes(two_region_stack(preview, "us-east-1").capture())
    assert len(found) == 1 and found[0].counterexample is not None
    cx = found[0].counterexample
    assert cx.action == "s3:PutObject"
    assert cx.identity_a.startswith("us-east-1:") and cx.identity_b.startswith("us-east-1:")


@SHAPES
def test_a_write_on_the_other_pool_regions_identity_folders_crosses_too(
    preview: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same write on eu-west-1 identity folders (the second pool's region) crosses as well, found at
    once by the witness search (it tries the regions the statements spell), not left to the solver: with
    the solver's timeout cut to 50 ms it is still a mandatory crossing write, with two eu-west-1
    identities as the witness (before, us-east-1 identities only were tried: 'undecided', advisory)."""
    monkeypatch.setattr(rules_base, "ISOLATION_TIMEOUT_MS", 50)
    monkeypatch.setattr(check_mod, "_CACHE", {})  # no 50 ms verdict outlives this test
    found = crossing_writes(two_region_stack(preview, "eu-west-1").capture())
    assert len(found) == 1 and found[0].counterexample is not None
    cx = found[0].counterexample
    assert cx.action == "s3:PutObject"
    assert cx.identity_a.startswith("eu-west-1:") and cx.identity_b.startswith("eu-west-1:")
