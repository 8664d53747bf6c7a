"""unverified-at-preview: what cognito-bucket-access could not verify yet because a value is not known
(a first preview), or because a document or bucket lies outside the program: named, never skipped."""

from __future__ import annotations

from ..bounds import urn_label
from ..findings import ADVISORY, Finding
from ..graph import Bucket, Graph, Role
from ..reach import Reach
from .base import Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects

ID = "unverified-at-preview"
EXTERNAL_FIX = "grant S3 access to Cognito roles with policies defined in the program."


def _f(kind: str, resource: str, role: Role, subj: tuple[str, ...], fix: str = "", **facts) -> Finding:
    return Finding(ID, ADVISORY, kind, resource, fix, subjects=subj, **role_fields(role), **facts)


def _dep_names(graph: Graph, deps: tuple[str, ...]) -> tuple[str, ...]:
    """What a document is computed from: every resource it depends on (of any type), named with its type."""
    return tuple(urn_label(d) for d in deps)


def _role_level(ctx: Analysis, role: Role) -> list[Finding]:
    graph, reach = ctx.graph, ctx.reach(role)
    out: list[Finding] = []
    own = subjects(role.node)
    if role.trust.state == "unknown" and ctx.trust_bound(role) is None:
        deps = _dep_names(graph, role.trust_deps)
        out.append(
            _f("trust-unknown", role.node.urn, role, own, routes=tuple(role.cognito_reasons), problems=deps)
        )
    for src in reach.unverifiable:
        subj = subjects(role.node, graph.nodes.get(src.urn))
        if src.external:
            out.append(_f("document-external", src.urn, role, subj, EXTERNAL_FIX, routes=(src.route,)))
        else:
            deps = _dep_names(graph, src.deps)
            out.append(_f("document-unknown", src.urn, role, subj, routes=(src.route,), problems=deps))
    for name, src in reach.external.items():
        subj = subjects(role.node, graph.nodes.get(src.urn))
        out.append(_f("bucket-external", src.urn, role, subj, routes=(src.route,), what=name))
    for burn, srcs in reach.unnamed.items():  # statements that may or may not match the bucket's name
        bucket, routes = graph.buckets[burn], tuple(dict.fromkeys(s.route for s in srcs))
        subj = subjects(role.node, bucket.node)
        out.append(_f("bucket-name-unknown", burn, role, subj, routes=routes, **bucket_fields(bucket)))
    return out


def _pair(ctx: Analysis, role: Role, bucket: Bucket, reach: Reach) -> list[Finding]:
    if not bucket.policies:
        return []
    grants = reach.grants.get(bucket.node.urn, [])
    inferred = reach.inferred.get(bucket.node.urn, [])
    side = ctx.side(bucket, role)
    unknown_bucket = side.open_unknown
    subj = subjects(role.node, bucket.node)
    out: list[Finding] = []
    if inferred and (side.grants or unknown_bucket):
        docs = tuple(dict.fromkeys(s.route for s in inferred))
        culprit = min(s.urn for s in bucket.policies)
        out.append(_f("role-document-unknown", culprit, role, subj, routes=docs, **bucket_fields(bucket)))
    missing = ctx.missing(bucket, role)
    if grants and unknown_bucket and (missing or not side.grants):
        kind = "bucket-document-unknown-naming" if side.naming_unknown else "bucket-document-unknown"
        if {id(s) for s in unknown_bucket} <= {id(s) for s in side.unjudged}:
            kind = "bucket-policy-name-unknown"  # known documents, of a bucket whose name is not known yet
        docs = tuple(dict.fromkeys(s.route for s in unknown_bucket))
        out.append(_f(kind, min(s.urn for s in unknown_bucket), role, subj, grants=missing or tuple(grants),
                      routes=docs, **bucket_fields(bucket)))  # fmt: skip
    return out


def _named_not_reaching(ctx: Analysis) -> list[Finding]:
    """Cognito roles that a bucket policy names (or, not known yet, depends on) although their own
    policies reach nothing there: whether the grant widens them is known only once all is known."""
    out: list[Finding] = []
    for role, bucket in ctx.named_but_not_reaching():
        side, subj = ctx.side(bucket, role), subjects(role.node, bucket.node)
        if side.applying and ctx.unsure(role):
            out.append(_f("grant-role-unknown", min(g.urn for g in side.applying), role, subj,
                          grants=tuple(side.applying), **bucket_fields(bucket)))  # fmt: skip
        elif side.naming_unknown:
            docs = tuple(dict.fromkeys(s.route for s in side.naming_unknown))
            out.append(_f("bucket-document-unknown-unreaching", min(s.urn for s in side.naming_unknown), role,
                          subj, routes=docs, **bucket_fields(bucket)))  # fmt: skip
    return out


def _unattached(ctx: Analysis) -> list[Finding]:
    """Documents whose role is not known yet and depends on no role of the program (a computed name):
    which role they attach to, and so what it reaches, is known only once the name is."""
    if not (ctx.graph.pools or ctx.cognito_roles):
        return []
    return [
        Finding(ID, ADVISORY, "document-unattached", node.urn, subjects=subjects(node),
                routes=(f"{node.resource_type} '{node.name}'",), what=key,
                problems=_dep_names(ctx.graph, node.deps(key)))
        for node, key in sorted(ctx.graph.unresolved, key=lambda u: u[0].urn)
    ]  # fmt: skip


def _unknown_roles(ctx: Analysis) -> list[Finding]:
    """Role attachments whose roles are not known yet and depend on no role of the program: which roles
    the pool's identities get (and so which roles are Cognito roles, their trust and what they reach) is
    known only once the values are. An attachment is a Cognito resource by itself: no other one needed."""
    return [
        Finding(ID, ADVISORY, "roles-unknown", node.urn, subjects=subjects(node),
                routes=(f"{node.resource_type} '{node.name}'",), what=key,
                problems=_dep_names(ctx.graph, node.deps(key)))
        for node, key in sorted(ctx.graph.unknown_roles, key=lambda u: (u[0].urn, u[1]))
    ]  # fmt: skip


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role in ctx.cognito_roles:
        out.extend(_role_level(ctx, role))
    for role, bucket, reach in ctx.pairs():
        out.extend(_pair(ctx, role, bucket, reach))
    return out + _named_not_reaching(ctx) + _unattached(ctx) + _unknown_roles(ctx)


RULE = Rule(
    id=ID,
    policy="cognito-s3-advisories",
    level=ADVISORY,
    title="Names exactly what could not be verified at preview (or outside the program), and why.",
    description=(
        "On a first preview every provider-computed value (ARNs, ids, documents built from them) is "
        'unknown, and the SDK would silently skip a policy that reads one (Pulumi docs, "Policy as '
        'code: unknown values during preview"). Instead of blocking a correct program or passing '
        "blind, each verdict that hangs on an unknown value, or on a document or bucket outside the "
        "program, is named here with the rule that checks it once it is known."
    ),
    remediation="Nothing at preview; the named rule checks the value once it is known (pulumi up).",
    references=("https://www.pulumi.com/docs/iac/using-pulumi/crossguard/core-concepts/",),
    check=check,
)
