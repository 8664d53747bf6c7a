"""What every rule module declares, the config a check receives, and the analysis context that holds
the work shared by rules (each role's reach, each bucket's side for a role): computed once per analysis."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..bounds import Closure, engine_assigned, urn_label
from ..findings import Finding, Gap
from ..graph import Bucket, Graph, Node, Role
from ..isolating import Raw, bucket_raw, judge, pool_region, role_raw
from ..isolation import Problem, Result
from ..isolation import check as isolation_check
from ..principals import RoleLookup, web_identity_assumable
from ..reach import BucketSide, Grant, Reach, bucket_side, covered, role_reach

SECURITY_HUB = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
# Each solver query's limit. Amplify Gen 1's default layout (long literals: the ids are modelled exactly)
# proves its write property in 0.5-0.9 s on a quiet machine, and 4x that on a loaded one; the core's
# default 4 s left it "undecided" under load. The usual shape never reaches the solver.
ISOLATION_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class RuleConfig:
    """The rule's home policy's settings, already validated."""

    exemptions: tuple[str, ...] = ()
    shared_prefixes: tuple[str, ...] = ()
    allow_guests: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    policy: str  # the home policy: its config sets this rule's level, exemptions and options
    level: str  # default level
    title: str  # one line
    description: str  # why it matters, citing the AWS documentation it rests on
    remediation: str  # the general fix (a finding carries the fix made specific to it)
    references: tuple[str, ...]  # Security Hub control ids and documentation
    check: Callable[
        ..., list[Finding]
    ]  # stack rules: (Analysis, RuleConfig); resource rules: (Node, RuleConfig)
    scope: str = "stack"  # "stack": judged on the graph; "resource": on one resource's inputs

    def __post_init__(self) -> None:
        # The general fix is listed as a sentence; a rule may give it as its findings' fix reads (lower case).
        object.__setattr__(self, "remediation", self.remediation[:1].upper() + self.remediation[1:])


@dataclass
class Analysis:
    """One stack's graph plus the shared computation, memoised on first use (one analysis per request)."""

    graph: Graph
    closure: Closure = field(default_factory=lambda: Closure(()))  # every resource's dependencies
    _reach: dict[str, Reach] = field(default_factory=dict)
    _sides: dict[tuple[str, str], BucketSide] = field(default_factory=dict)
    _missing: dict[tuple[str, str], tuple[Grant, ...]] = field(default_factory=dict)
    _cognito: list[Role] | None = None
    _named: list[tuple[Role, Bucket]] | None = None
    _trust_bounds: dict[str, Gap | None] = field(default_factory=dict)
    _role_side: dict[str, Raw] = field(default_factory=dict)
    _isolation: dict[tuple[str, str, tuple[str, ...]], tuple[Problem, Result] | None] = field(
        default_factory=dict
    )

    @property
    def cognito_roles(self) -> list[Role]:
        """The roles the mandatory rules judge: Cognito roles that a Cognito web identity may assume."""
        if self._cognito is None:
            self._cognito = [
                r for r in self.graph.roles.values() if r.cognito_reasons and web_identity_assumable(r.trust)
            ]
        return self._cognito

    @property
    def unassumable_roles(self) -> list[Role]:
        """Roles an identity pool (or a user-pool group) hands out that no Cognito identity can assume."""
        return [
            r for r in self.graph.roles.values()
            if r.cognito_reasons and (r.pools or r.groups) and not web_identity_assumable(r.trust)
        ]  # fmt: skip

    def engine_named(self, role: Role) -> bool:
        """The role's name is engine-assigned and its ARN not known yet (see :mod:`..bounds`)."""
        return role.arn is None and engine_assigned(role.node.name, role.physical_name)

    def trust_bound(self, role: Role) -> Gap | None:
        """At preview: an unknown trust computed from none of the identity pools that attach the role
        cannot hold any of their ids in aud (pool ids are AWS-assigned). The gap names what the trust
        is computed from and the pools. None when that is not established."""
        urn = role.node.urn
        if urn not in self._trust_bounds:
            self._trust_bounds[urn] = self._trust_bound(role)
        return self._trust_bounds[urn]

    def _trust_bound(self, role: Role) -> Gap | None:
        if role.trust.state != "unknown" or not role.pools:
            return None
        pools: list[str] = []
        for attachment, _ in role.pools:
            node = self.graph.nodes.get(attachment)
            own = [d for d in node.deps("identityPoolId") if d in self.graph.pools] if node else []
            if not own:
                return None  # a pool outside the program: its id may be spelled out in the trust
            pools.extend(own)
        pools = sorted(set(pools))
        if any(self.closure.reaches(role.trust_deps, p) for p in pools):
            return None
        deps = tuple(urn_label(d) for d in sorted(role.trust_deps))
        return Gap("aud-not-from-pool", values=deps, others=tuple(urn_label(p) for p in pools))

    def reach(self, role: Role) -> Reach:
        urn = role.node.urn
        if urn not in self._reach:
            self._reach[urn] = role_reach(role, self.graph)
        return self._reach[urn]

    def side(self, bucket: Bucket, role: Role) -> BucketSide:
        key = (bucket.node.urn, role.node.urn)
        if key not in self._sides:
            side = bucket_side(bucket, role)
            if side.other_unknown and self.engine_named(role):
                side.unnamable = [
                    s for s in side.other_unknown if not self.closure.reaches(s.deps, role.node.urn)
                ]
            self._sides[key] = side
        return self._sides[key]

    def missing(self, bucket: Bucket, role: Role) -> tuple[Grant, ...]:
        """What the role reaches on the bucket that the grants naming it there do not cover."""
        key = (bucket.node.urn, role.node.urn)
        if key not in self._missing:
            side = self.side(bucket, role)
            grants = self.reach(role).grants.get(bucket.node.urn, [])
            self._missing[key] = tuple(g for g in grants if not covered(g, side.grants))
        return self._missing[key]

    def pairs(self) -> Iterable[tuple[Role, Bucket, Reach]]:
        """Every (Cognito role, bucket of this program it reaches), in a stable order."""
        for role in self.cognito_roles:
            reach = self.reach(role)
            for burn in reach.buckets():
                yield role, self.graph.buckets[burn], reach

    def isolation_pairs(self) -> list[tuple[Role, Bucket]]:
        """Every (Cognito role, bucket) whose isolation is judged: the buckets the role reaches, and those
        whose policy names it although its own policies reach nothing there."""
        pairs = {(r.node.urn, b.node.urn): (r, b) for r, b, _ in self.pairs()}
        for r, b in self.named_but_not_reaching():
            pairs.setdefault((r.node.urn, b.node.urn), (r, b))
        return list(pairs.values())

    def isolation(
        self, role: Role, bucket: Bucket, shared: tuple[str, ...] = ()
    ) -> tuple[Problem, Result] | None:
        """The role's problem on the bucket and its three verdicts (None: the bucket's name is not known).
        Once per analysis; across analyses the core's cache solves each normalised statement set once."""
        key = (role.node.urn, bucket.node.urn, shared)
        if key not in self._isolation:
            if role.node.urn not in self._role_side:
                self._role_side[role.node.urn] = role_raw(role)
            name = bucket.physical_name
            raw = self._role_side[role.node.urn] + bucket_raw(self.side(bucket, role)) if name else ()
            self._isolation[key] = None if not name else judge(
                raw, name, role, pool_region(role), shared, lambda p: isolation_check(p, ISOLATION_TIMEOUT_MS)
            )
        return self._isolation[key]

    def unsure(self, role: Role) -> bool:
        """The role has a document whose reach is not known yet, or a document whose role is not known yet
        (computed from no role of the program: ``graph.unresolved``) may be the role's."""
        return bool(self.reach(role).unverifiable) or any(
            self.may_be_attached(role, node.deps(key)) for node, key in self.graph.unresolved
        )

    def may_be_attached(self, role: Role, deps: tuple[str, ...]) -> bool:
        """A role reference not known yet, computed from ``deps``, may name the role: unless the role's name
        is engine-assigned and none of ``deps`` depends on the role (see :mod:`..bounds`)."""
        return not self.engine_named(role) or self.closure.reaches(deps, role.node.urn)

    def named_but_not_reaching(self) -> list[tuple[Role, Bucket]]:
        """Cognito roles that a bucket's policy grants something by name (the role's ARN, its session ARN,
        or "*" with aws:PrincipalArn), or that a bucket policy not known yet depends on, although their
        own policies reach nothing there. A statement that names the role but grants nothing (no S3
        action that applies to the resources it names, or all of it denied) does not put the bucket in
        the role's scope: the bucket's grants to everyone stay out of it, as without that statement."""
        if self._named is None:
            lookup = RoleLookup(self.cognito_roles)
            self._named = [
                (role, bucket)
                for bucket in self.graph.buckets.values()
                for role in lookup.named_by(bucket)
                if bucket.node.urn not in self.reach(role).grants
                and bucket.node.urn not in self.reach(role).inferred
                and self.granted_by_name(bucket, role)
            ]
        return self._named

    def granted_by_name(self, bucket: Bucket, role: Role) -> bool:
        """The bucket's known statements that name the role grant it something, or a bucket document not
        known yet depends on the role (it may)."""
        side = self.side(bucket, role)
        return bool(side.named or side.naming_unknown)


def subjects(*nodes: Node | None) -> tuple[str, ...]:
    out: list[str] = []
    for n in nodes:
        if n is not None:
            out.extend([n.urn, n.name])
    return tuple(out)


def role_fields(role: Role) -> dict[str, Any]:
    return {"role": role.node.urn, "role_label": role.label}


def bucket_fields(bucket: Bucket) -> dict[str, Any]:
    return {"bucket": bucket.node.urn, "bucket_label": bucket.label}
