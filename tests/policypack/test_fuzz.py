"""The pack never raises, whatever the graph: hypothesis over random graphs and documents, with unknowns
and secrets. In-process through the SDK's own deserialization and unknown-checking proxy (many examples),
and through the real protocol (fewer examples, same strategies)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cognito_s3_guard.analysis import analyze
from cognito_s3_guard.config import PolicyConfig
from cognito_s3_guard.documents import parse_document
from cognito_s3_guard.graph import KEYS, Node
from cognito_s3_guard.graph import tokens as T
from cognito_s3_guard.policies import findings_of
from cognito_s3_guard.render import render
from cognito_s3_guard.rules import REGISTRY
from fuzzing import budget
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from pack_builder import StackBuilder, full_pattern

from offline.model import UNKNOWN, ResourceRecord, StackCapture, secret

SUB = "${cognito-identity.amazonaws.com:sub}"
NAMES = ["files", "auth-role", "pool", "other", "files-access"]
TYPES = [*KEYS, "aws:cognito/userPool:UserPool", "aws:s3/bucketVersioning:BucketVersioning"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=6),
    st.sampled_from(NAMES),
    st.just(UNKNOWN),
)
junk = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
    max_leaves=8,
)
actions = st.sampled_from(
    ["s3:*", "s3:GetObject", "S3:getobject", "s3:List*", "*", "iam:*", "s3:Put*", "s3:?etObject",
     "sts:AssumeRoleWithWebIdentity", "s3:ListBucket"]
)  # fmt: skip
resources = st.sampled_from(
    ["*", "arn:aws:s3:::files", "arn:aws:s3:::files/*", f"arn:aws:s3:::files/users/{SUB}/*", "arn:aws:s3:::*",
     "arn:aws:s3:::fil?s/*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::other/x", UNKNOWN, "a${b",
     "${*}*"]
)  # fmt: skip
principals = st.one_of(
    st.just("*"),
    st.fixed_dictionaries({"AWS": st.sampled_from(
        ["*", "arn:aws:iam::123456789012:role/auth-role", "123456789012",
         "arn:aws:iam::1:role/x/auth-role"])}),
    st.fixed_dictionaries({"Federated": st.just("cognito-identity.amazonaws.com")}),
    junk,
)  # fmt: skip


def str_or_list(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(s, st.lists(s, max_size=3), junk)


conditions = st.dictionaries(
    st.sampled_from(["StringLike", "Bool", "StringEquals", "ForAnyValue:StringLike", "ArnLike", "x"]),
    st.dictionaries(
        st.sampled_from(["s3:prefix", "aws:SecureTransport", "cognito-identity.amazonaws.com:aud",
                         "cognito-identity.amazonaws.com:amr", "aws:PrincipalArn"]),
        str_or_list(st.one_of(st.text(max_size=8), resources, st.booleans())),
        max_size=2,
    ),
    max_size=2,
)  # fmt: skip
statements = st.fixed_dictionaries(
    {"Effect": st.sampled_from(["Allow", "Deny", "allow", None])},
    optional={"Action": str_or_list(actions), "NotAction": str_or_list(actions),
              "Resource": str_or_list(resources),
              "NotResource": str_or_list(resources), "Principal": principals, "Condition": conditions | junk,
              "Sid": scalars},
)  # fmt: skip
policy_objects = st.fixed_dictionaries(
    {"Statement": st.one_of(statements, st.lists(statements, max_size=4), junk)}
)
documents = st.one_of(
    policy_objects.map(json.dumps),
    policy_objects,
    st.just(UNKNOWN),
    st.text(max_size=12),
    junk,
    junk.map(json.dumps),
)
values = st.one_of(documents, junk, st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=2))


def maybe_secret(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(s, s.map(secret))


@st.composite
def graphs(draw: st.DrawFn, max_resources: int = 10) -> list[ResourceRecord]:
    n = draw(st.integers(0, max_resources))
    records: list[ResourceRecord] = []
    for i in range(n):
        rtype = draw(st.sampled_from(TYPES))
        name = f"{draw(st.sampled_from(NAMES))}-{i}" if draw(st.booleans()) else draw(st.sampled_from(NAMES))
        keys = KEYS.get(rtype, ("name",))
        props = {k: draw(maybe_secret(values)) for k in keys if draw(st.booleans())}
        urn = f"urn:pulumi:test::files::{rtype}::{name}"
        records.append(ResourceRecord(urn=urn, type=rtype, name=name, inputs=props, outputs=props))
    urns = [r.urn for r in records] + ["urn:pulumi:test::files::aws:x/y:Z::gone"]
    for r in records:
        keys = list(KEYS.get(r.type, ("name",)))
        r.property_dependencies = draw(
            st.dictionaries(st.sampled_from(keys), st.lists(st.sampled_from(urns), max_size=3), max_size=2)
        )
        r.dependencies = sorted({u for us in r.property_dependencies.values() for u in us})
    return records


@st.composite
def mutated_patterns(draw: st.DrawFn) -> list[ResourceRecord]:
    """Two tenants of the correct pattern, then random damage: values replaced (documents, junk, unknowns,
    secrets), resources dropped, dependencies rewired. Reaches the deep paths a random graph rarely does."""
    b = StackBuilder(preview=draw(st.booleans()))
    full_pattern(b)
    full_pattern(b, "t2-")
    records = [r for r in b.resources if draw(st.integers(0, 9)) > 0]
    urns = [r.urn for r in records]
    for r in records:
        for k in list(r.outputs):
            choice = draw(st.integers(0, 9))
            if choice == 0:
                r.outputs[k] = draw(maybe_secret(values))
            elif choice == 1:
                r.outputs[k] = UNKNOWN
            elif choice == 2:
                r.outputs[k] = secret(r.outputs[k])
        if draw(st.integers(0, 4)) == 0 and urns:
            r.property_dependencies = {
                k: draw(st.lists(st.sampled_from(urns), max_size=2)) for k in r.outputs
            }
    return records


class _SdkResource:
    """What the SDK hands a stack policy: deserialized, proxied props; dependencies as resources."""

    def __init__(self, record: ResourceRecord) -> None:
        from pulumi_policy.deserialize import deserialize_properties
        from pulumi_policy.proxy import unknown_checking_proxy

        self.urn, self.resource_type, self.name = record.urn, record.type, record.name
        self.props = unknown_checking_proxy(deserialize_properties(record.outputs))
        self.property_dependencies = {
            k: [Node(u, "", "") for u in v] for k, v in record.property_dependencies.items()
        }


RULES = {r.id for r in REGISTRY}
ROLE_TYPES = (T.ROLE, T.NATIVE_ROLE)
BUCKET_TYPES = (*T.BUCKET_TYPES, T.NATIVE_BUCKET)


def all_findings(resources):
    """Every stack rule's findings at the default levels, as the two stack policies compute them."""
    analysis = analyze(resources)
    return [f for policy in ("cognito-bucket-access", "cognito-s3-advisories")
            for f in findings_of(policy, analysis, PolicyConfig(REGISTRY_LEVELS))]  # fmt: skip


REGISTRY_LEVELS = {r.id: r.level for r in REGISTRY}


def assert_well_formed(records: list[ResourceRecord]) -> None:
    """The stack is judged without raising, and each finding is well formed: a registered rule at its
    default level, tagged text, a culprit of the stack, a role that is a Role and a bucket that is a
    bucket of the stack. Registration order changes no (rule, level, role, bucket) fact."""
    findings = all_findings([_SdkResource(r) for r in records])
    types = {r.urn: r.type for r in records}
    for f in findings:
        assert f.rule in RULES and f.level == REGISTRY_LEVELS[f.rule], f
        assert render(f).startswith(f"[{f.rule}] "), f
        assert f.urn in types, f  # every finding names a resource of the stack
        assert not f.role or types.get(f.role) in ROLE_TYPES, f
        assert not f.bucket or types.get(f.bucket) in BUCKET_TYPES, f
    if unique(records):
        reversed_findings = all_findings([_SdkResource(r) for r in reversed(records)])
        assert facts(reversed_findings) == facts(findings)


def unique(records: list[ResourceRecord]) -> bool:
    """No URN twice, no physical name twice within a type: what any stack that can deploy holds (the
    generators may draw either twice; which of two buckets named alike a name means is then moot)."""
    seen = [(r.type, r.outputs.get(k)) for r in records for k in ("name", "bucket", "roleName", "bucketName")
            if isinstance(r.outputs.get(k), str)]  # fmt: skip
    return len({r.urn for r in records}) == len(records) and len(set(seen)) == len(seen)


def facts(findings) -> set[tuple[str, str, str, str]]:
    return {(f.rule, f.level, f.role, f.bucket) for f in findings}


@budget(100)
@given(graphs())
def test_analysis_never_raises_in_process(records):
    assert_well_formed(records)


@budget(60)
@given(mutated_patterns())
def test_analysis_never_raises_on_damaged_patterns(records):
    assert_well_formed(records)


@budget(150)
@given(documents)
def test_parse_document_never_raises_and_explains(value):
    d = parse_document(value)
    assert d.state in ("absent", "known", "unknown", "malformed")
    assert (d.state == "malformed") == bool(d.problem)


@budget(60)
@given(st.one_of(st.text(max_size=30), junk.map(json.dumps), policy_objects.map(json.dumps)))
def test_a_malformed_role_policy_draws_a_diagnostic_naming_it(document):
    b = StackBuilder(preview=True)
    t = full_pattern(b)
    b.resources.remove(t.role_policy)
    rp = b.role_policy(t.role, t.bucket, document)
    nodes = [_SdkResource(r) for r in b.resources]
    findings = all_findings(nodes)
    if parse_document(document).state == "malformed":
        assert any(f.rule == "readable-documents" and f.urn == rp.urn for f in findings)
    else:
        assert not any(f.rule == "readable-documents" for f in findings)


@pytest.mark.protocol
@budget(15, suppress=[HealthCheck.function_scoped_fixture])
@given(st.one_of(graphs(max_resources=8), mutated_patterns()), st.booleans())
def test_pack_never_raises_through_the_protocol(pack, records, preview):
    """No gRPC error, no SDK preview skip, no internal error: whatever the stack."""
    from offline.analyzer import preview_skips

    diagnostics = pack.judge(StackCapture("files", "test", preview, records))
    assert preview_skips(diagnostics) == []
    assert not any("[internal-error]" in d.message for d in diagnostics)
