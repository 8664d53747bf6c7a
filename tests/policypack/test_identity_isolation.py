"""identity-isolation (mandatory, cross-identity write) and per-identity-scope (advisory, cross-identity
read, shared grants, undecided) wired into the registry: a table of named cases per property, in both
shapes (a first preview and deployed), in-process. Each reported counterexample is data on the Finding
and is replayed through the isolation core's concrete evaluator (the oracle) on the problem the rule
judged: A may do it, and the key lies in B's area."""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
from typing import Any

import pytest
from cognito_s3_guard.analysis import analyze
from cognito_s3_guard.findings import Finding
from cognito_s3_guard.isolation.model import LIST, READ_ACTIONS
from cognito_s3_guard.rules.identity_isolation import crossing_finding
from inproc import sdk_resources
from isolation.helpers import assert_replays
from pack_builder import (
    ACCOUNT,
    ATTACH,
    POOL,
    ROLE,
    StackBuilder,
    doc,
    full_pattern,
    role_statements,
    tls_deny,
    trust,
)

SHAPES = pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
ISOLATION, SCOPE = "identity-isolation", "per-identity-scope"
SUB = "${cognito-identity.amazonaws.com:sub}"
ARN = "arn:aws:s3:::files"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/auth-role"
ANY_ID = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
US_ID = re.compile(r"us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
       "Resource": f"{ARN}/users/{SUB}/*"}  # fmt: skip
OWN_LIST = role_statements("files")[1]
check_mod = importlib.import_module("cognito_s3_guard.isolation.check")  # the module, not check()


def stack(statements: list[dict[str, Any]], preview: bool) -> StackBuilder:
    """The full pattern with the role's statements replaced, mirrored in the bucket policy for the role's
    ARN (so granting-bucket-policy and no-widening hold), plus the TLS Deny."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    b.resources.remove(t.role_policy)
    b.role_policy(t.role, t.bucket, doc(*statements), name="authenticated-files")
    mirrored = [{**s, "Principal": {"AWS": ROLE_ARN}} for s in statements]
    b.bucket_policy(t.bucket, t.role, doc(*mirrored, tls_deny("files")), name="files-policy")
    return b


def judged(b: StackBuilder, config: dict[str, Any] | None = None):
    """The findings (in-process) and the analysis whose problems the rules judged."""
    from inproc import check

    capture = b.capture()
    return check(capture, config), analyze(sdk_resources(capture.resources))


def problem_of(analysis, f: Finding, shared: tuple[str, ...] = ()):
    role = analysis.graph.roles[f.role]
    bucket = analysis.graph.buckets[f.bucket]
    got = analysis.isolation(role, bucket, shared)
    assert got is not None
    return got[0]


def replays(analysis, f: Finding, shared: tuple[str, ...] = (), ids: re.Pattern[str] = ANY_ID) -> None:
    """The counterexample is concrete, valid and allowed by the oracle; inside B's area unless shared."""
    cx = f.counterexample
    assert cx is not None and cx.origin is not None and cx.origin.urn == f.resource
    assert ids.fullmatch(cx.identity_a) and ids.fullmatch(cx.identity_b) and cx.identity_a != cx.identity_b
    assert_replays(problem_of(analysis, f, shared), cx, shared=f.kind == "shared")


WRITES = {
    "star before the variable (users/*${sub}/*)": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/*{SUB}/*"},
    ],
    "PutObject on users/* beside the per-user statements": [
        OWN, OWN_LIST,
        {"Sid": "Wide", "Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"},
    ],
    "DeleteObject on users/* beside the per-user statements": [
        OWN, OWN_LIST, {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"{ARN}/users/*"},
    ],
}  # fmt: skip


@SHAPES
@pytest.mark.parametrize("case", list(WRITES))
def test_a_crossing_write_blocks_with_a_counterexample_that_replays(preview, case):
    v, analysis = judged(stack(WRITES[case], preview))
    [f] = v.rule(ISOLATION)
    assert f.level == "mandatory" and f.kind == "crossing-write" and v.mandatory == [f]
    cx = f.counterexample
    assert cx is not None and cx.action in ("s3:PutObject", "s3:DeleteObject")  # named plainly
    assert f.resource.endswith(("RolePolicy::authenticated-files", "BucketPolicy::files-policy"))
    replays(analysis, f, ids=ANY_ID if preview else US_ID)  # deployed: the pool id gives the region
    assert f.counterexample.identity_b in f.counterexample.key


def test_the_sid_or_index_and_the_resource_label_are_data():
    v, _ = judged(stack(WRITES["PutObject on users/* beside the per-user statements"], False))
    [f] = v.rule(ISOLATION)
    origin = f.counterexample.origin
    assert (origin.sid, origin.index) == ("Wide", 2)
    assert origin.label in ("RolePolicy 'authenticated-files'", "BucketPolicy 'files-policy'")


@SHAPES
def test_a_crossing_write_is_not_reported_again_as_a_read_of_the_same_statement(preview):
    both = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/*"}
    v, _ = judged(stack([OWN, OWN_LIST, both], preview))
    assert len(v.rule(ISOLATION)) == 1 and v.rule(SCOPE) == []


@SHAPES
def test_another_statement_still_draws_its_read_advisory_beside_a_crossing_write(preview):
    put = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}
    get = {"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/users/*"}
    v, _ = judged(stack([OWN, OWN_LIST, put, get], preview))
    [w] = v.rule(ISOLATION)
    [r] = v.rule(SCOPE)
    assert w.counterexample.origin.index == 2 and r.counterexample.origin.sid == "ReadAll"
    assert r.kind == "crossing-read" and r.level == "advisory"


READS = {
    "GetObject on users/*": [OWN, OWN_LIST, {"Effect": "Allow", "Action": "s3:GetObject",
                                             "Resource": f"{ARN}/users/*"}],
    "ListBucket without a prefix condition": [OWN, {"Effect": "Allow", "Action": "s3:ListBucket",
                                                    "Resource": ARN}],
}  # fmt: skip


@SHAPES
@pytest.mark.parametrize("case", list(READS))
def test_a_crossing_read_is_advised_with_a_counterexample_that_replays(preview, case):
    v, analysis = judged(stack(READS[case], preview))
    assert v.rule(ISOLATION) == [] and v.mandatory == []
    [f] = v.rule(SCOPE)
    assert f.level == "advisory" and f.kind == "crossing-read"
    assert f.counterexample.action in (*READ_ACTIONS, LIST)
    replays(analysis, f)


@SHAPES
def test_a_shared_prefix_keeps_todays_advisory_unless_declared(preview):
    public = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}
    v, analysis = judged(stack([OWN, OWN_LIST, public], preview))
    [f] = v.rule(SCOPE)
    assert f.kind == "shared" and f.counterexample.key.startswith("public/") and v.mandatory == []
    assert {(g.action, g.pattern) for g in f.grants} == {("s3:GetObject", f"{ARN}/public/*")}
    replays(analysis, f)
    v, _ = judged(
        stack([OWN, OWN_LIST, public], preview), {"cognito-s3-advisories": {"sharedPrefixes": ["public/"]}}
    )
    assert v.rule(SCOPE) == []


@SHAPES
def test_a_list_statement_with_shared_and_own_prefixes_makes_no_area_of_the_shared_ones(preview):
    """Amplify's listing: public/ and protected/ for everyone beside private/${sub}/: the shared values
    are nobody's area, so an identity writing its own protected/<A>/ folder crosses nothing."""
    lst = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": ARN,
        "Condition": {
            "StringLike": {"s3:prefix": ["public/", "public/*", f"private/{SUB}/", f"private/{SUB}/*"]}
        },
    }
    own = {
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:DeleteObject"],
        "Resource": f"{ARN}/private/{SUB}/*",
    }
    v, _ = judged(stack([own, lst], preview))
    assert v.rule(ISOLATION) == [] and v.mandatory == []


@SHAPES
def test_a_wide_allow_cut_back_by_deny_notresource_draws_nothing(preview):
    """Issue 14's false alarm: a wide Allow on users/* cut back to the own folder by a Deny with
    NotResource users/${sub}/* is isolated."""
    wide = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/*"}
    cut = {"Effect": "Deny", "Action": "s3:*", "NotResource": [f"{ARN}/users/{SUB}/*", ARN]}
    v, _ = judged(stack([wide, cut, OWN_LIST], preview))
    assert v.rule(SCOPE) == [] and v.rule(ISOLATION) == [] and v.mandatory == []


@SHAPES
def test_the_full_pattern_is_isolated(preview):
    b = StackBuilder(preview=preview)
    full_pattern(b)
    v, _ = judged(b)
    assert v.rule(ISOLATION) == [] and v.rule(SCOPE) == []


@SHAPES
def test_an_undecided_question_is_an_advisory_naming_role_and_bucket(preview, monkeypatch):
    """The solver running out of time (simulated: every query answers "unknown") is never a pass."""
    monkeypatch.setattr(check_mod, "solve", lambda problem, parts, timeout_ms: ("unknown", None, 1.0))
    monkeypatch.setattr(check_mod, "_CACHE", {})
    wide = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/*"}
    cut = {"Effect": "Deny", "Action": "s3:*", "NotResource": [f"{ARN}/users/{SUB}/*", ARN]}
    v, _ = judged(stack([wide, cut, OWN_LIST], preview))
    [f] = [d for d in v.rule(SCOPE) if d.kind == "undecided"]
    assert f.level == "advisory" and set(f.problems) == {"write", "read", "shared"}
    assert f.role.endswith("::auth-role") and f.bucket.endswith("::files") and f.resource == f.role
    assert v.rule(ISOLATION) == []


def test_the_message_names_the_counterexample_and_a_fix():
    from cognito_s3_guard.render import render

    v, _ = judged(stack(WRITES["PutObject on users/* beside the per-user statements"], False))
    [f] = v.rule(ISOLATION)
    cx = f.counterexample
    first, fix = render(f).split("\n")
    assert first.startswith("[identity-isolation] Cognito role 'auth-role' does not keep identities apart")
    assert (
        f"identity {cx.identity_a} can {cx.action} {cx.key}, inside the area of identity {cx.identity_b}"
        in first
    )
    assert "through statement 'Wide' of " in first and fix.startswith("Fix: ")


@SHAPES
def test_a_shared_finding_lists_only_the_grants_outside_the_declared_shared_prefixes(preview):
    """With sharedPrefixes ["public/"], reads and listings wholly under public/ are declared shared and
    leave the finding's grants; a write there, and a listing that also names another prefix, stay. A
    bucket-level action other than listing is about the bucket, not a user's folder: never listed."""
    public_get = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}
    public_put = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/public/*"}
    list_public = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN,
                   "Condition": {"StringLike": {"s3:prefix": ["public/", "public/*"]}}}  # fmt: skip
    list_mixed = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN,
                  "Condition": {"StringLike": {"s3:prefix": ["public/*", "protected/*"]}}}  # fmt: skip
    location = {"Effect": "Allow", "Action": "s3:GetBucketLocation", "Resource": ARN}
    statements = [OWN, OWN_LIST, public_get, public_put, list_public, list_mixed, location]
    v, _ = judged(stack(statements, preview), {"cognito-s3-advisories": {"sharedPrefixes": ["public/"]}})
    [f] = v.rule(SCOPE)
    assert f.kind == "shared" and f.counterexample.action == "s3:PutObject" and v.rule(ISOLATION) == []
    assert {(g.action, g.pattern, g.prefixes) for g in f.grants} == {
        ("s3:PutObject", f"{ARN}/public/*", None),
        ("s3:ListBucket", ARN, ("public/*", "protected/*")),
    }


@SHAPES
def test_a_bucket_whose_name_is_computed_is_judged_once_the_name_is_known(preview):
    """Every identity may write and read every key ("*"), on a bucket whose name the provider computes: at a
    first preview the isolation rules cannot name the bucket's keys and report nothing (the bucket is
    unverified-at-preview's); deployed, the crossing write blocks and the read is advised."""
    put = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}
    get = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    b = stack([OWN, OWN_LIST, put, get], preview)
    [bucket] = [r for r in b.resources if r.name == "files" and r.type.startswith("aws:s3/bucket:")]
    bucket.inputs["bucket"] = bucket.outputs["bucket"] = b.computed("files")
    v, _ = judged(b)
    want = (
        set()
        if preview
        else {(ISOLATION, "mandatory", "crossing-write"), (SCOPE, "advisory", "crossing-read")}
    )
    assert {(f.rule, f.level, f.kind) for f in v.rule(ISOLATION) + v.rule(SCOPE)} == want


def in_pools(b: StackBuilder, *pool_ids: str) -> StackBuilder:
    """The deployed stack with its identity pool's id, and the role's trust naming ``pool_ids`` (aud)."""
    for r in b.resources:
        if r.type == POOL:
            r.outputs["id"] = pool_ids[0]
        elif r.type == ATTACH:
            r.inputs["identityPoolId"] = r.outputs["identityPoolId"] = pool_ids[0]
        elif r.type == ROLE:
            aud = trust(pool_ids[0]).replace(json.dumps(pool_ids[0]), json.dumps(list(pool_ids)))
            r.inputs["assumeRolePolicy"] = r.outputs["assumeRolePolicy"] = aud
    return b


ONE_REGIONS_FOLDERS = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/us-east-1:*"}


@pytest.mark.parametrize(
    ("pool_ids", "crossing"),
    [
        (("us-east-1:0000-pool",), True),
        (("eu-west-1:0000-pool",), False),
        (("eu-west-1:0000-pool", "us-east-1:0000-other"), True),  # two regions: the region is unknown
        (("eu-west-1:0000-pool", "eu-west-1:0000-other"), False),
    ],
)
def test_a_write_on_one_regions_identity_folders_crosses_only_in_a_pool_of_that_region(pool_ids, crossing):
    """Identity ids are <pool region>:<uuid>: writes on users/us-east-1:* reach other identities' folders
    only when the role's pool (from its attachment and its trust's aud) may be in us-east-1."""
    v, analysis = judged(in_pools(stack([OWN, OWN_LIST, ONE_REGIONS_FOLDERS], False), *pool_ids))
    assert [(f.level, f.kind) for f in v.rule(ISOLATION)] == (
        [("mandatory", "crossing-write")] if crossing else []
    )
    for f in v.rule(ISOLATION):
        replays(analysis, f, ids=US_ID)


def test_a_write_on_one_regions_identity_folders_crosses_at_a_first_preview():
    """At a first preview the pool id is unknown, so its region may be us-east-1: a crossing write."""
    v, _ = judged(stack([OWN, OWN_LIST, ONE_REGIONS_FOLDERS], True))
    assert [(f.level, f.kind) for f in v.rule(ISOLATION)] == [("mandatory", "crossing-write")]


@SHAPES
def test_a_statement_on_the_own_folder_and_a_shared_prefix_makes_no_area_of_the_shared_one(preview):
    """Amplify's shape: one statement on [users/${sub}/*, public/*]. public/ is the same for everyone,
    so nobody's area: writing there is the shared advisory, not a crossing write into B's area."""
    mixed = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": [f"{ARN}/users/{SUB}/*", f"{ARN}/public/*"]}  # fmt: skip
    v, analysis = judged(stack([mixed, OWN_LIST], preview))
    assert v.rule(ISOLATION) == [] and v.mandatory == []
    [f] = v.rule(SCOPE)
    assert f.kind == "shared" and f.counterexample.key.startswith("public/")
    replays(analysis, f)


@SHAPES
@pytest.mark.parametrize("order", [("a-wide", "b-wide"), ("b-wide", "a-wide")])
def test_the_culprit_does_not_depend_on_the_order_the_program_registers_its_policies(preview, order):
    """Two RolePolicies that each let every identity write users/*: the finding names the same one
    (by URN, then document, then index), whichever the program registered first."""
    b = stack([OWN, OWN_LIST], preview)
    role = next(r for r in b.resources if r.type == ROLE)
    bucket = next(r for r in b.resources if r.name == "files" and r.type.startswith("aws:s3/bucket:"))
    for name in order:
        wide = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}
        b.role_policy(role, bucket, doc(wide), name=name)
    v, _ = judged(b)
    [f] = v.rule(ISOLATION)
    assert f.resource.endswith("RolePolicy::a-wide") and f.counterexample.origin.urn == f.resource


@SHAPES
def test_another_statement_still_draws_its_shared_advisory_beside_a_crossing_write(preview):
    """The write on users/* is identity-isolation's; its being the same for everyone is not reported again,
    but the public/ read of another statement still is."""
    put = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{ARN}/users/*"}
    public = {"Sid": "Public", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/public/*"}
    v, analysis = judged(stack([OWN, OWN_LIST, put, public], preview))
    [w] = v.rule(ISOLATION)
    [s] = v.rule(SCOPE)
    assert w.counterexample.origin.index == 2 and s.counterexample.origin.sid == "Public"
    assert s.kind == "shared" and s.level == "advisory" and s.counterexample.key.startswith("public/")
    replays(analysis, s)


@SHAPES
def test_a_crossing_write_by_another_write_action_names_that_action(preview):
    """Tagging another identity's objects changes them: a crossing write, named by the action that does it
    (s3:PutObject and s3:DeleteObject are named first only when they are allowed too)."""
    tagging = {"Effect": "Allow", "Action": "s3:PutObjectTagging", "Resource": f"{ARN}/users/*"}
    v, analysis = judged(stack([OWN, OWN_LIST, tagging], preview))
    [f] = v.rule(ISOLATION)
    assert f.kind == "crossing-write" and f.counterexample.action == "s3:PutObjectTagging"
    assert f.counterexample.origin.index == 2
    replays(analysis, f)


@SHAPES
@pytest.mark.parametrize(
    ("exemption", "exempt"),
    [
        ("identity-isolation:authenticated-files", True),  # the RolePolicy that holds the statement
        ("urn:pulumi:test::files::aws:iam/rolePolicy:RolePolicy::authenticated-files", True),
        ("identity-isolation:auth-role", True),
        ("identity-isolation:files", True),
        ("files-bpa", False),  # a resource the crossing does not involve
        ("per-identity-scope:authenticated-files", False),  # another rule
    ],
)
def test_a_crossing_write_is_exempted_by_its_role_bucket_or_statement_resource(preview, exemption, exempt):
    """By URN or logical name, as every other rule's findings: the resource that holds the statement (the
    finding's resource), the role and the bucket; not another resource, not under another rule's id."""
    v, _ = judged(
        stack(WRITES["PutObject on users/* beside the per-user statements"], preview),
        {"cognito-bucket-access": {"exemptions": [exemption]}},
    )
    want = [] if exempt else [(ISOLATION, "crossing-write")]
    assert [(f.rule, f.kind) for f in v.rule(ISOLATION)] == want


@SHAPES
def test_a_read_of_another_statement_is_advised_as_a_crossing_read_beside_a_crossing_write(preview):
    """GetObject on users/* (statement 0) lets A read B's folder; users/*${sub}/* (statement 1) lets A
    write there. Each is reported once, by its own rule, with its own statement."""
    get = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/users/*"}
    star = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": f"{ARN}/users/*{SUB}/*"}  # fmt: skip
    v, analysis = judged(stack([get, star], preview))
    [w] = v.rule(ISOLATION)
    [r] = v.rule(SCOPE)
    assert (w.kind, w.counterexample.origin.index) == ("crossing-write", 1)
    assert (r.kind, r.counterexample.origin.index) == ("crossing-read", 0)
    replays(analysis, r)


ROLE_POLICY_URN = "urn:pulumi:test::files::aws:iam/rolePolicy:RolePolicy::authenticated-files"
ROLE_URN = "urn:pulumi:test::files::aws:iam/role:Role::auth-role"
VIA_ROLE_POLICY = ("RolePolicy 'authenticated-files'",)


@SHAPES
def test_a_crossing_write_is_reported_on_and_routed_through_the_resource_of_its_statement(preview):
    """The finding's resource is the RolePolicy that holds the crossing statement (users/*), and its one
    route is that resource's label, as the counterexample's origin names it."""
    v, _ = judged(stack(WRITES["PutObject on users/* beside the per-user statements"], preview))
    [f] = v.rule(ISOLATION)
    assert f.resource == ROLE_POLICY_URN
    assert f.routes == VIA_ROLE_POLICY
    assert f.counterexample is not None and f.counterexample.origin is not None
    assert (f.counterexample.origin.urn, f.counterexample.origin.label) == (f.resource, f.routes[0])


@pytest.mark.parametrize(
    ("origin_urn", "no_origin", "resource", "routes"),
    [
        (ROLE_POLICY_URN, False, ROLE_POLICY_URN, VIA_ROLE_POLICY),
        ("", False, ROLE_URN, VIA_ROLE_POLICY),
        ("", True, ROLE_URN, ()),
    ],
    ids=["statement's resource known", "statement's resource not known", "no statement"],
)
def test_a_crossing_without_the_resource_of_its_statement_is_reported_on_the_role(
    origin_urn, no_origin, resource, routes
):
    """crossing_finding, which both isolation rules report through: on the resource that holds the
    statement when the origin names it (``Origin.urn`` is "when known"), else on the role; its route is
    the origin's label, and none without an origin. The resource is among the finding's subjects (what
    exemptions match)."""
    v, analysis = judged(stack(WRITES["PutObject on users/* beside the per-user statements"], False))
    [f] = v.rule(ISOLATION)
    cx = f.counterexample
    assert cx is not None and cx.origin is not None
    cx = dataclasses.replace(cx, origin=None if no_origin else dataclasses.replace(cx.origin, urn=origin_urn))
    role, bucket = analysis.graph.roles[f.role], analysis.graph.buckets[f.bucket]
    got = crossing_finding(ISOLATION, "mandatory", "crossing-write", cx, role, bucket, "fix")
    assert (got.resource, got.routes, got.counterexample) == (resource, routes, cx)
    assert (got.role, got.bucket) == (f.role, f.bucket) and resource in got.subjects
