"""Properties a verdict must keep (issue 15): each generated stack is judged twice, before and after a
change that must not matter (or must matter in one direction), and the two verdicts are compared as sets
of (rule, level, resource, role, bucket) facts, URNs mapped back when the change renamed them.

The stacks: an identity pool, its authenticated role (pinned trust; unknown at a first preview), one or
two hardened buckets, the role's statements in an inline RolePolicy and optionally a managed Policy, and
per bucket an optional bucket policy mixing grants to the role, to everyone, to another role, and a TLS
Deny. Runs in-process (``inproc.check``); CI budget in ``fuzzing.budget``; ``make fuzz`` runs longer.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from fuzzing import budget
from hypothesis import assume, given, note
from hypothesis import strategies as st
from inproc import check
from pack_builder import (
    ACCOUNT,
    BUCKET_POLICY,
    POLICY,
    ROLE_POLICY,
    RPA,
    SUB,
    StackBuilder,
    doc,
    role_arn,
    tls_deny,
)

from offline.model import ResourceRecord, StackCapture

GBP = "granting-bucket-policy"
MANDATORY = "mandatory"
ROLE = {"AWS": role_arn("auth-role")}
ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:Get*", "s3:*",
           "s3:GetObjectVersion", "s3:PutObjectAcl", "s3:List*"]  # fmt: skip
PREFIX = {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}}
DOCUMENTS = {
    ROLE_POLICY: "policy",
    POLICY: "policy",
    BUCKET_POLICY: "policy",
    "aws:iam/role:Role": "assumeRolePolicy",
}
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/notes"  # not S3: reaches no bucket
OTHERS = [ROLE, "*", {"AWS": role_arn("admin")}, {"AWS": [role_arn("admin"), role_arn("auth-role")]}]


def resources_of(bucket: str) -> list[str]:
    arn = f"arn:aws:s3:::{bucket}"
    return [arn, f"{arn}/*", f"{arn}/users/{SUB}/*", f"{arn}/users/*", f"{arn}/public/*"]


@st.composite
def statements(draw: st.DrawFn, buckets: tuple[str, ...], deny: bool = False) -> dict[str, Any]:
    effect = "Deny" if deny and draw(st.integers(0, 4)) == 0 else "Allow"
    s: dict[str, Any] = {
        "Effect": effect,
        "Action": draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3, unique=True)),
        "Resource": draw(st.lists(st.sampled_from([r for b in buckets for r in resources_of(b)] + [TABLE]),
                                  min_size=1, max_size=2, unique=True)),
    }  # fmt: skip
    if draw(st.integers(0, 3)) == 0:
        s["Condition"] = PREFIX
    return s


@dataclass(frozen=True)
class Spec:
    """A generated stack, as data: the role's documents and each bucket's policy statements (None: none)."""

    preview: bool
    inline: tuple[dict[str, Any], ...]
    managed: tuple[dict[str, Any], ...]  # empty: no managed Policy
    policies: tuple[tuple[str, tuple[dict[str, Any], ...] | None], ...]  # (bucket, statements)

    @property
    def role_statements(self) -> tuple[dict[str, Any], ...]:
        return self.inline + self.managed

    def with_policy(self, bucket: str, stmts: tuple[dict[str, Any], ...] | None) -> Spec:
        return replace(self, policies=tuple((b, stmts if b == bucket else s) for b, s in self.policies))


@st.composite
def specs(draw: st.DrawFn, deny: bool = True, policy: bool = False) -> Spec:
    """``policy``: the first bucket has a bucket policy."""
    buckets = ("files", "archive")[: draw(st.integers(1, 2))]
    role_side = st.lists(statements(buckets, deny), min_size=1, max_size=3).map(tuple)
    inline = draw(role_side)
    managed = draw(st.one_of(st.just(()), role_side))
    policies = []
    for b in buckets:
        own = st.lists(statements((b,), deny).map(lambda s: {**s, "Principal": ROLE}), max_size=3)
        other = st.lists(statements((b,)).flatmap(_principal), max_size=1)
        some = st.tuples(own, other, st.booleans())
        stmts = draw(some if policy and b == buckets[0] else st.one_of(st.none(), some))
        policies.append((b, None if stmts is None else _bucket_statements(b, *stmts)))
    return Spec(draw(st.booleans()), inline, managed, tuple(policies))


def _principal(s: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(OTHERS).map(lambda p: {**s, "Principal": p})


def _bucket_statements(bucket: str, own: list, other: list, tls: bool) -> tuple[dict[str, Any], ...]:
    stmts = [*own, *other, *([tls_deny(bucket)] if tls else [])]
    return tuple(stmts) if stmts else (tls_deny(bucket),)


def build(spec: Spec) -> list[ResourceRecord]:
    b = StackBuilder(preview=spec.preview)
    pool = b.pool()
    role = b.role("auth-role", pool=pool)
    b.attach(pool, role)
    buckets = {name: b.bucket(name) for name, _ in spec.policies}
    for bucket in buckets.values():
        b.hardening(bucket)
    ties = [x.urn for x in buckets.values()]
    b.add(ROLE_POLICY, "access", {"role": role.name, "name": "access", "policy": doc(*spec.inline)},
          computed={"id": "auth-role:access"}, deps={"role": [role.urn], "policy": ties})  # fmt: skip
    if spec.managed:
        arn = f"arn:aws:iam::{ACCOUNT}:policy/managed"
        policy = b.add(POLICY, "managed", {"name": "managed", "policy": doc(*spec.managed)},
                       computed={"arn": arn}, deps={"policy": ties})  # fmt: skip
        b.add(RPA, "attach-managed", {"role": role.name, "policyArn": b.computed(arn)},
              deps={"role": [role.urn], "policyArn": [policy.urn]})  # fmt: skip
    for name, stmts in spec.policies:
        if stmts is not None:
            b.bucket_policy(buckets[name], role, doc(*stmts), name=f"{name}-policy")
    return b.resources


Fact = tuple[str, str, str, str, str]
# per-identity-scope (advisory) asks a solver with a time limit: its verdict may read "undecided" on a
# loaded machine, and it has its own properties (tests/policypack/isolation). Off here: deterministic, fast.
WITHOUT_SOLVER = {"cognito-s3-advisories": {"rules": {"per-identity-scope": "disabled"}}}


def verdict(records: list[ResourceRecord], preview: bool, back: Callable[[str], str] = str) -> set[Fact]:
    v = check(StackCapture("files", "test", preview, records), WITHOUT_SOLVER)
    return {(f.rule, f.level, back(f.resource), back(f.role), back(f.bucket)) for f in v.findings}


def judged(spec: Spec) -> set[Fact]:
    note(f"judged {spec!r}")
    return verdict(build(spec), spec.preview)


# --- changes that must not matter -------------------------------------------------------------------


def renamed(records: list[ResourceRecord]) -> tuple[list[ResourceRecord], dict[str, str]]:
    """Every logical name and URN changed (physical names, in the properties, untouched)."""
    new = {r.urn: r.urn.rsplit("::", 1)[0] + f"::renamed-{i}-{r.name[::-1]}" for i, r in enumerate(records)}
    out = [
        replace(r, urn=new[r.urn], name=new[r.urn].rsplit("::", 1)[1], parent=new.get(r.parent, r.parent),
                dependencies=[new.get(u, u) for u in r.dependencies],
                property_dependencies={k: [new.get(u, u) for u in us]
                                       for k, us in r.property_dependencies.items()})
        for r in records
    ]  # fmt: skip
    return out, {v: k for k, v in new.items()}


def rewrite_documents(
    records: list[ResourceRecord], f: Callable[[dict[str, Any]], Any]
) -> list[ResourceRecord]:
    """Each known document (a JSON string) replaced by ``f`` of its object; unknowns untouched."""
    out = []
    for r in records:
        key = DOCUMENTS.get(r.type)
        value = r.outputs.get(key) if key else None
        if not isinstance(value, str) or not value.startswith("{"):
            out.append(r)
            continue
        new = f(json.loads(value))
        out.append(replace(r, inputs={**r.inputs, key: new}, outputs={**r.outputs, key: new}))
    return out


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    s = document["Statement"]
    return [s] if isinstance(s, dict) else list(s)


def reshaped(rnd: random.Random, document: dict[str, Any], as_object: bool) -> Any:
    """Statement order, list order, one-item lists as scalars, action case; as an object or a string."""
    stmts = [_reshape_statement(rnd, s) for s in _statements(document)]
    rnd.shuffle(stmts)
    out = {**document, "Statement": stmts[0] if len(stmts) == 1 and rnd.random() < 0.5 else stmts}
    return out if as_object else json.dumps(out)


def _reshape_statement(rnd: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    out = dict(s)
    for key in ("Action", "NotAction", "Resource", "NotResource"):
        if key not in out:
            continue
        items = [out[key]] if isinstance(out[key], str) else list(out[key])
        if key.endswith("Action"):
            items = [rnd.choice([a.upper(), a.lower(), a.swapcase(), a]) for a in items]
        rnd.shuffle(items)
        out[key] = items[0] if len(items) == 1 and rnd.random() < 0.5 else items
    if isinstance(out.get("Principal"), dict):
        out["Principal"] = {k: _shuffled(rnd, v) for k, v in out["Principal"].items()}
    if "Condition" in out:
        out["Condition"] = {
            op: {k: _shuffled(rnd, v) for k, v in kv.items()} for op, kv in out["Condition"].items()
        }
    return out


def _shuffled(rnd: random.Random, value: Any) -> Any:
    if not isinstance(value, list):
        return [value] if rnd.random() < 0.5 else value
    items = list(value)
    rnd.shuffle(items)
    return items[0] if len(items) == 1 and rnd.random() < 0.5 else items


def split(rnd: random.Random, document: dict[str, Any]) -> str:
    """Each statement with several actions or resources split into two that allow (or deny) the same."""
    out = []
    for s in _statements(document):
        key = rnd.choice(["Action", "Resource"])
        items = [s[key]] if isinstance(s.get(key), str) else list(s.get(key) or [])
        if len(items) < 2:
            out.append(s)
            continue
        cut = rnd.randint(1, len(items) - 1)
        out += [{**s, key: items[:cut]}, {**s, key: items[cut:]}]
    return json.dumps({**document, "Statement": out})


def merged(document: dict[str, Any]) -> str:
    """Statements alike but for their actions merged into one that allows (or denies) their union."""
    groups: dict[str, dict[str, Any]] = {}
    for s in _statements(document):
        actions = [s["Action"]] if isinstance(s.get("Action"), str) else s.get("Action")
        if not isinstance(actions, list):
            groups[json.dumps(s, sort_keys=True)] = s
            continue
        key = json.dumps({k: v for k, v in s.items() if k != "Action"}, sort_keys=True)
        if key in groups:
            groups[key] = {**groups[key], "Action": list(dict.fromkeys([*groups[key]["Action"], *actions]))}
        else:
            groups[key] = {**s, "Action": list(actions)}
    return json.dumps({**document, "Statement": list(groups.values())})


# --- the properties ------------------------------------------------------------------------------


@budget(60)
@given(specs())
def test_renaming_logical_names_and_urns_changes_no_verdict(spec):
    records = build(spec)
    again, back = renamed(records)
    assert verdict(again, spec.preview, lambda u: back.get(u, u)) == verdict(records, spec.preview)


@budget(40)
@given(specs(), st.randoms(use_true_random=False), st.booleans())
def test_equivalent_document_forms_change_no_verdict(spec, rnd, as_object):
    records = build(spec)
    again = rewrite_documents(records, lambda d: reshaped(rnd, d, as_object))
    assert verdict(again, spec.preview) == verdict(records, spec.preview)


@budget(30)
@given(specs(), st.randoms(use_true_random=False))
def test_splitting_or_merging_statements_changes_no_verdict(spec, rnd):
    records = build(spec)
    before = verdict(records, spec.preview)
    assert verdict(rewrite_documents(records, lambda d: split(rnd, d)), spec.preview) == before
    assert verdict(rewrite_documents(records, merged), spec.preview) == before


@st.composite
def reaching(draw: st.DrawFn, spec: Spec) -> tuple[Spec, str]:
    """The spec with an unconditional Allow of object actions inside one of its buckets (and no Deny on
    the role's side), and that bucket: the role certainly reaches it."""
    bucket = draw(st.sampled_from([b for b, _ in spec.policies]))
    stmt = {"Effect": "Allow", "Resource": draw(st.sampled_from(resources_of(bucket)[1:])),
            "Action": draw(st.sampled_from(["s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*"]))}  # fmt: skip
    return replace(spec, inline=(stmt, *spec.inline)), bucket


@budget(60)
@given(specs(deny=False).flatmap(reaching))
def test_removing_every_bucket_policy_from_a_reached_bucket_is_a_mandatory_granting_finding(case):
    spec, bucket = case
    bare = spec.with_policy(bucket, None)
    urn = StackBuilder().urn("aws:s3/bucket:Bucket", bucket)
    found = [f for f in judged(bare) if f[0] == GBP and f[4] == urn]
    assert [(level, resource) for _, level, resource, _, _ in found] == [(MANDATORY, urn)]


def _granting(facts: set[Fact]) -> set[tuple[str, str, str, str]]:
    return {(rule, level, role, bucket) for rule, level, _, role, bucket in facts if rule == GBP}


@budget(45)
@given(specs(policy=True), st.data())
def test_removing_an_allow_from_a_bucket_policy_never_removes_a_granting_finding(spec, data):
    with_policy = [(b, s) for b, s in spec.policies if s and sum(x["Effect"] == "Allow" for x in s) >= 1]
    assume(with_policy)
    bucket, stmts = data.draw(st.sampled_from(with_policy))
    allows = [i for i, s in enumerate(stmts) if s["Effect"] == "Allow"]
    i = data.draw(st.sampled_from(allows))
    rest = stmts[:i] + stmts[i + 1 :] or (tls_deny(bucket),)
    assert _granting(judged(spec)) <= _granting(judged(spec.with_policy(bucket, rest)))


@budget(70)
@given(specs(deny=False, policy=True).flatmap(reaching), st.data())
def test_granting_the_role_one_of_its_own_statements_adds_no_mandatory_finding(case, data):
    """On a bucket the role reaches (see the strict xfail below for one it does not)."""
    spec, bucket = case
    stmts = dict(spec.policies)[bucket]
    assume(stmts is not None)
    copy = {**data.draw(st.sampled_from(spec.role_statements)), "Principal": ROLE}
    before = {f for f in judged(spec) if f[1] == MANDATORY}
    after = {f for f in judged(spec.with_policy(bucket, (*stmts, copy))) if f[1] == MANDATORY}
    assert after <= before


def test_naming_the_role_with_a_statement_that_grants_nothing_adds_no_mandatory_finding():
    own = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::files"]}
    everyone = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": ["arn:aws:s3:::files/*"],
    }
    spec = Spec(False, (own,), (), (("files", (everyone,)),))
    named = spec.with_policy("files", (everyone, {**own, "Principal": ROLE}))
    # verdict(build(...)), not judged(): judged() notes the spec for hypothesis, outside a test it raises
    before = {f for f in verdict(build(spec), spec.preview) if f[1] == MANDATORY}
    after = {f for f in verdict(build(named), named.preview) if f[1] == MANDATORY}
    assert after <= before
