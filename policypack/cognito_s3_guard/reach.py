"""Terms of the rules: what a role *reaches* on a bucket, and what a bucket policy *grants* a role.

A grant is one S3 action on one resource pattern inside one bucket, with the ``s3:prefix`` values that
limit a listing (or None when nothing limits it). Both layers are reduced to grants, so that
"covers" and "no wider than" are the same comparison read in the two directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .conditions import Operator
from .documents import (
    S3_ACTIONS,
    Statement,
    action_scope,
    bucket_arn,
    contains,
    expand_actions,
    intersects,
    s3_target,
)
from .graph import Bucket, Graph, Role, Source
from .principals import SESSION_PRINCIPAL, applies_to_role, names_role, role_name_from_arn

PREFIX_KEY = "s3:prefix"
# The name a bucket whose name the provider computes (``bucketPrefix``, or none: unknown at a first
# preview) is judged under: a literal that no pattern spells, so only a pattern that matches every bucket
# name matches it, and it does exactly as it matches the real name once known.
UNNAMED = "<name not known yet>"
_EVERY_BUCKET_RE = re.compile(r"arn:aws[a-z-]*:s3:::\*+(/.*)?", re.DOTALL)


@dataclass(frozen=True)
class Grant:
    action: str
    pattern: str
    prefixes: tuple[str, ...] | None  # values of an s3:prefix condition; None when unconditioned
    route: str = ""  # where it comes from, for messages
    urn: str = ""  # the resource that carries the statement


def covers(outer: Grant, inner: Grant) -> bool:
    """``outer`` allows at least everything ``inner`` allows."""
    if outer.action != inner.action or not contains(outer.pattern, inner.pattern):
        return False
    if outer.prefixes is None:
        return True
    if inner.prefixes is None:
        return False
    return all(any(contains(o, i) for o in outer.prefixes) for i in inner.prefixes)


def covered(grant: Grant, by: list[Grant]) -> bool:
    """Some grant of ``by`` covers ``grant``; a listing's prefixes may be covered by different grants."""
    if any(covers(o, grant) for o in by):
        return True
    if grant.prefixes is None or len(grant.prefixes) < 2:
        return False
    return all(any(covers(o, Grant(grant.action, grant.pattern, (p,))) for o in by) for p in grant.prefixes)


@lru_cache(maxsize=4096)
def _actions(actions: tuple[str, ...] | None, not_actions: tuple[str, ...] | None) -> tuple[str, ...]:
    if actions is not None:
        return tuple(sorted(expand_actions(actions)))
    if not_actions is not None:
        excluded = expand_actions(not_actions)
        return tuple(a for a in S3_ACTIONS if a not in excluded)
    return ()


def statement_actions(stmt: Statement) -> tuple[str, ...]:
    return _actions(stmt.actions, stmt.not_actions)


def _prefixes(stmt: Statement) -> tuple[str, ...] | None:
    """The s3:prefix values that limit a listing; None when nothing limits it. ``...IfExists`` and
    ``ForAllValues:`` operators are true when the request has no prefix (IAM User Guide, "Condition
    operators": ForAllValues "returns true if there are no context keys in the request"), so they limit
    nothing: a ListBucket without a prefix lists the whole bucket."""
    vals: list[str] = []
    found = False
    for c in stmt.conditions:
        if c.key == PREFIX_KEY and _limits_listing(c.op):
            found = True
            vals.extend(c.values)
    return tuple(vals) if found else None


def _limits_listing(op: Operator) -> bool:
    """A case-sensitive positive string match that fails when the request has no prefix."""
    return (
        op.matches_strings and op.base.family == "String" and not op.base.ignore_case
        and op.quantifier != "ForAllValues"
    )  # fmt: skip


def _bucket_level(stmt: Statement, name: str) -> str | None:
    """The bucket's ARN when an Allow's resources may match it; None when they cannot."""
    barn = bucket_arn(name)
    if stmt.resources is not None:
        return barn if any(intersects(p, barn) for p in stmt.resources) else None
    if stmt.not_resources is not None:
        return None if any(contains(p, barn) for p in stmt.not_resources) else barn
    return None


def _statement_object_patterns(stmt: Statement, name: str) -> list[str]:
    """The object patterns inside bucket ``name`` that an Allow's resources may match: one inside the
    bucket as written, any other that may match its objects (``*``, ``arn:aws:s3:::f*``) as all of them."""
    barn = bucket_arn(name)
    objects = barn + "/*"
    if stmt.resources is None:
        spared = stmt.not_resources is None or any(contains(p, objects) for p in stmt.not_resources)
        return [] if spared else [objects]
    out = []
    for p in stmt.resources:
        if p.startswith(barn + "/"):
            out.append(p)
        elif intersects(p, objects):
            out.append(objects)
    return out


def _deny_patterns(stmt: Statement, name: str) -> tuple[str | None, list[str]]:
    """The bucket-level and object-level patterns inside bucket ``name`` that a Deny *certainly* covers.

    An Allow's patterns are widened to what they may match (reach and grants err on the wide side); a
    Deny's must be narrowed to what it surely matches, or it would subtract more than it denies: Deny on
    ``arn:aws:s3:::*/private/*``, or with a NotResource that spares ``users/${sub}/*``, leaves the rest
    of the bucket allowed."""
    barn = bucket_arn(name)
    objects = barn + "/*"
    if stmt.resources is not None:
        bucket_level = barn if any(contains(p, barn) for p in stmt.resources) else None
        out: list[str] = []
        for p in stmt.resources:
            if contains(p, objects):
                out.append(objects)
            elif p.startswith(barn + "/"):
                out.append(p)
        return bucket_level, out
    if stmt.not_resources is not None:
        bucket_level = None if any(intersects(p, barn) for p in stmt.not_resources) else barn
        spared = any(intersects(p, objects) for p in stmt.not_resources)
        return bucket_level, [] if spared else [objects]
    return None, []


def statement_grants(stmt: Statement, name: str, route: str, urn: str) -> list[Grant]:
    """The grants an Allow (or the denials a Deny) statement makes inside bucket ``name``."""
    actions = statement_actions(stmt)
    if not actions:
        return []
    if stmt.effect == "Deny":
        bucket_level, objects = _deny_patterns(stmt, name)
    else:
        bucket_level = _bucket_level(stmt, name)
        objects = _statement_object_patterns(stmt, name)
    prefixes = _prefixes(stmt)
    out: list[Grant] = []
    for a in actions:
        if action_scope(a) == "object":
            out.extend(Grant(a, p, None, route, urn) for p in objects)
        elif bucket_level is not None:
            out.append(Grant(a, bucket_level, prefixes if a == "s3:ListBucket" else None, route, urn))
    return out


def statement_buckets(stmt: Statement, graph: Graph) -> list[Bucket]:
    """The buckets of the program whose ARN or objects a statement's resources can match."""
    if stmt.resources is None:
        return list(graph.buckets.values()) if stmt.not_resources is not None else []
    found: dict[str, Bucket] = {}
    scan_all = False
    for p in stmt.resources:
        target = s3_target(p)
        if target is None:
            continue
        kind, name = target
        if kind == "bucket" and name is not None:
            b = graph.bucket_by_name(name)
            if b is not None:
                found[b.node.urn] = b
        else:
            scan_all = True
    if scan_all:
        for b in graph.buckets.values():
            if (
                b.physical_name
                and b.node.urn not in found
                and any(
                    intersects(p, bucket_arn(b.physical_name))
                    or intersects(p, bucket_arn(b.physical_name) + "/*")
                    for p in stmt.resources
                )
            ):
                found[b.node.urn] = b
    return list(found.values())


def subtract_denies(grants: list[Grant], denies: list[Grant]) -> list[Grant]:
    """Explicit, unconditional Denies win: drop grants that a Deny fully covers."""
    if not denies:
        return grants
    return [
        g for g in grants if not any(d.action == g.action and contains(d.pattern, g.pattern) for d in denies)
    ]


def matches_every_bucket(pattern: str) -> bool:
    """The pattern matches a bucket (or its objects) whatever the bucket's name: ``*``, ``arn:aws:s3:::*``,
    ``arn:aws:s3:::*/users/*`` (its bucket part is only ``*``)."""
    return _EVERY_BUCKET_RE.fullmatch(pattern) is not None or contains(pattern, "arn:aws:s3:::*")


def unnamed_part(stmt: Statement) -> tuple[Statement | None, bool]:
    """For a bucket whose name is not known yet: the part of the statement that applies to it whatever
    its name (its Resource patterns that match every bucket name; None when there is none), and whether
    the rest may apply to it (a pattern such as ``team-*``, or a NotResource that spares some S3 names).
    A literal bucket name is another bucket (of the program, or outside it: reported as such)."""
    if stmt.resources is not None:
        every = tuple(p for p in stmt.resources if matches_every_bucket(p))
        maybe = any(s3_target(p) == ("any", None) and not matches_every_bucket(p) for p in stmt.resources)
        return (replace(stmt, resources=every) if every else None), maybe
    if stmt.not_resources is None:
        return None, False
    if all(s3_target(p) is None for p in stmt.not_resources):
        return stmt, False  # it spares nothing of S3
    spared_by_every = replace(
        stmt, not_resources=tuple(p for p in stmt.not_resources if matches_every_bucket(p))
    )
    return None, bool(statement_grants(spared_by_every, UNNAMED, "", ""))


@dataclass
class Reach:
    """What one role's own policies allow on each bucket."""

    grants: dict[str, list[Grant]] = field(default_factory=dict)  # bucket urn -> grants
    inferred: dict[str, list[Source]] = field(default_factory=dict)  # bucket urn -> unknown docs
    unverifiable: list[Source] = field(default_factory=list)  # unknown docs not tied to a bucket
    external: dict[str, Source] = field(default_factory=dict)  # bucket names outside the program -> source
    # buckets whose name is not known yet -> known documents that may or may not reach them (by the name)
    unnamed: dict[str, list[Source]] = field(default_factory=dict)

    def buckets(self) -> list[str]:
        return list(dict.fromkeys([*self.grants, *self.inferred]))


def role_reach(role: Role, graph: Graph) -> Reach:
    reach = Reach()
    denies: dict[str, list[Grant]] = {}
    for src in role.sources:
        if src.doc.state == "unknown":
            tied = [d for d in src.deps if d in graph.buckets]
            for d in tied:
                reach.inferred.setdefault(d, []).append(src)
            if not tied:
                reach.unverifiable.append(src)
            continue
        if not src.doc.known:
            continue
        for stmt in src.doc.statements:
            if stmt.effect == "Deny" and stmt.conditions:
                continue
            if stmt.effect == "Allow" and stmt.resources is not None and statement_actions(stmt):
                for p in stmt.resources:
                    target = s3_target(p)
                    if (
                        target
                        and target[0] == "bucket"
                        and target[1]
                        and graph.bucket_by_name(target[1]) is None
                    ):
                        reach.external.setdefault(target[1], src)
            for b in statement_buckets(stmt, graph):
                if not b.physical_name:
                    continue
                gs = statement_grants(stmt, b.physical_name, src.route, src.urn)
                if stmt.effect == "Allow":
                    if gs:
                        reach.grants.setdefault(b.node.urn, []).extend(gs)
                else:
                    denies.setdefault(b.node.urn, []).extend(gs)
    for urn, ds in denies.items():
        if urn in reach.grants:
            reach.grants[urn] = subtract_denies(reach.grants[urn], ds)
            if not reach.grants[urn]:
                del reach.grants[urn]
    _reach_unnamed(reach, role, graph)
    return reach


def _reach_unnamed(reach: Reach, role: Role, graph: Graph) -> None:
    """What the role reaches on each bucket whose name is not known yet: for certain what its patterns
    that match every bucket name grant (as once the name is known), unless a Deny may take it back; a
    statement that may or may not match the name leaves the bucket unverified, never reached."""
    unnamed = [b.node.urn for b in graph.buckets.values() if not b.physical_name]
    if not unnamed:
        return
    allows: list[Grant] = []
    denies: list[Grant] = []
    sources: dict[str, list[Source]] = {"Allow": [], "may Allow": [], "may Deny": []}
    for src in role.sources:
        for stmt in src.doc.statements if src.doc.known else ():
            if (stmt.effect == "Deny" and stmt.conditions) or not statement_actions(stmt):
                continue
            certain, maybe = unnamed_part(stmt)
            if certain is not None:
                gs = statement_grants(certain, UNNAMED, src.route, src.urn)
                (allows if stmt.effect == "Allow" else denies).extend(gs)
                if gs and stmt.effect == "Allow":
                    sources["Allow"].append(src)
            if maybe:
                sources["may " + stmt.effect].append(src)
    grants = subtract_denies(allows, denies)
    unsure = sources["may Allow"]
    if grants and sources["may Deny"]:  # a Deny that may match the name may take the grants back
        unsure = sources["Allow"] + unsure + sources["may Deny"]
        grants = []
    for urn in unnamed:
        if grants:
            reach.grants.setdefault(urn, []).extend(grants)
        if unsure:
            reach.unnamed[urn] = list({id(s): s for s in unsure}.values())


# The route of a bucket grant whose principal includes the role without naming it (for messages).
INCLUDED_ROUTE = (
    'a statement whose principal includes the role without naming it ("*", NotPrincipal, its account or '
    "its session ARN)"
)


@dataclass
class BucketSide:
    """What a bucket's policies grant one role."""

    grants: list[Grant] = field(default_factory=list)  # statements that name the role (rule 1)
    # what statements naming the role or one of its sessions grant (after Denies): a bucket the role's own
    # policies do not reach is in no-widening's scope only when this is not empty
    named: list[Grant] = field(default_factory=list)
    applying: list[Grant] = field(default_factory=list)  # every statement that may apply to it (rule 2)
    naming_unknown: list[Source] = field(default_factory=list)  # unknown docs that depend on the role
    other_unknown: list[Source] = field(default_factory=list)  # unknown docs that may or may not name it
    # known docs of a bucket whose name is not known yet: what their patterns grant there hangs on the name
    unjudged: list[Source] = field(default_factory=list)
    # unknown docs that cannot name it (a subset of other_unknown; see bounds.py), filled by the analysis
    unnamable: list[Source] = field(default_factory=list)
    # every known statement that may apply to the role (an Allow as for ``applying``; a Deny that names
    # it or "*", conditioned or not), with its document and index: the isolation check's bucket layer
    statements: list[tuple[Source, int, Statement]] = field(default_factory=list)

    @property
    def open_unknown(self) -> list[Source]:
        """Unknown docs that may name the role: whether they grant it is not known yet."""
        if not self.unnamable:
            return self.naming_unknown + self.other_unknown + self.unjudged
        bound = {id(s) for s in self.unnamable}
        return self.naming_unknown + [s for s in self.other_unknown if id(s) not in bound] + self.unjudged


def names_session(stmt: Statement, role: Role) -> bool:
    """A principal of the statement is one of the role's sessions,
    ``arn:aws:sts::<acct>:assumed-role/<name>/<session>`` (its account, when known, or ``*``)."""
    parsed = role_name_from_arn(role.arn) if role.arn else None
    account = parsed[0] if parsed and parsed[0] != "*" else None
    for kind, value in stmt.principals or ():
        m = SESSION_PRINCIPAL.fullmatch(value) if kind == "AWS" else None
        if m and m.group(2) == role.physical_name and (account is None or m.group(1) in ("*", account)):
            return True
    return False


def bucket_side(bucket: Bucket, role: Role) -> BucketSide:
    side = BucketSide()
    denies: list[Grant] = []
    name = bucket.physical_name
    for src in bucket.policies:
        if src.doc.state == "unknown":
            (side.naming_unknown if role.node.urn in src.deps else side.other_unknown).append(src)
            continue
        if src.doc.known and not name:
            side.unjudged.append(src)
        if not src.doc.known or not name:
            continue
        for i, stmt in enumerate(src.doc.statements):
            if stmt.effect == "Allow" and names_role(stmt, role):
                gs = statement_grants(stmt, name, src.route, src.urn)
                side.grants.extend(gs)
                side.named.extend(gs)
                side.applying.extend(gs)
            elif stmt.effect == "Allow" and applies_to_role(stmt, role):
                gs = statement_grants(stmt, name, INCLUDED_ROUTE, src.urn)
                side.applying.extend(gs)
                if names_session(stmt, role):
                    side.named.extend(gs)
            elif stmt.effect == "Deny" and (
                any(k == "*" or v == "*" for k, v in stmt.principals or ()) or names_role(stmt, role)
            ):
                if not stmt.conditions:
                    denies.extend(statement_grants(stmt, name, src.route, src.urn))
            else:
                continue
            side.statements.append((src, i, stmt))
    side.grants = subtract_denies(side.grants, denies)
    side.named = subtract_denies(side.named, denies)
    side.applying = subtract_denies(side.applying, denies)
    return side


__all__ = [
    "INCLUDED_ROUTE",
    "BucketSide",
    "Grant",
    "Reach",
    "bucket_side",
    "covered",
    "covers",
    "names_session",
    "role_reach",
    "statement_actions",
    "statement_buckets",
    "statement_grants",
    "subtract_denies",
]
