"""Edges: references of the typed nodes resolved into the graph, dependencies first, known names and ARNs
second. One function per kind of typed node; :mod:`.build` runs them in order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..documents import (
    AWS_MANAGED,
    UNKNOWN_DOCUMENT,
    Document,
    aws_managed_name,
    contains_unknown,
    is_unknown,
    parse_document,
)
from .facts import (
    BucketDocument,
    BucketFact,
    BucketSetting,
    DocField,
    ManagedAttachment,
    PolicyFact,
    PoolFact,
    Ref,
    RoleAttachmentFact,
    RoleDocument,
    RoleFact,
    UserGroupFact,
)
from .model import Bucket, Role, Source
from .reading import Node, known_str

T = TypeVar("T")


def unique(items: Iterable[T]) -> list[T]:
    """``items`` without repeats (by identity), in order."""
    if type(items) is list and len(items) < 2:
        return items
    seen: set[int] = set()
    out = []
    for i in items:
        if id(i) not in seen:
            seen.add(id(i))
            out.append(i)
    return out


class Index(Generic[T]):
    """Lookups by URN, known name and known ARN (the first item to claim a name or ARN keeps it)."""

    def __init__(self) -> None:
        self.by_urn: dict[str, T] = {}
        self.by_name: dict[str, T] = {}
        self.by_arn: dict[str, T] = {}

    def add(self, urn: str, item: T, names: Iterable[str | None], arns: Iterable[str | None]) -> None:
        self.by_urn[urn] = item
        for n in names:
            if n:
                self.by_name.setdefault(n, item)
        for a in arns:
            if a:
                self.by_arn.setdefault(a, item)

    def lookup(self, value: Any) -> T | None:
        """The item a known name or ARN names; None if unknown or absent."""
        v = known_str(value)
        if v is None:
            return None
        return self.by_arn.get(v) or self.by_name.get(v)

    def resolve(self, ref: Ref) -> list[T]:
        """What a reference points at: its dependency URNs when any is indexed, else its known values."""
        found = [self.by_urn[d] for d in ref.deps if d in self.by_urn]
        if found:
            return unique(found)
        return unique([hit for hit in map(self.lookup, ref.values) if hit is not None])


ACCOUNT_ID = re.compile(r"\d{12}")


def may_be_role_arn(role: Role, arn: str) -> bool:
    """A role ARN (``arn:<partition>:iam::<account>:role<path><name>``) whose name is the role's may be
    its ARN: unless the role's path is known and differs, or both accounts are known and differ."""
    head, _, path_name = arn.partition(":role/")
    if role.path is not None and path_name != role.path_name:
        return False
    fields = head.split(":")
    account = fields[4] if len(fields) == 5 else ""
    own = role.arn.split(":")[4] if role.arn and role.arn.count(":") >= 5 else ""
    return not (ACCOUNT_ID.fullmatch(account) and ACCOUNT_ID.fullmatch(own) and account != own)


class RoleIndex(Index[Role]):
    """Roles: a role ARN not indexed (its account not known yet, say) names the role of its name, if the
    path and account it spells do not rule that role out (see :func:`may_be_role_arn`)."""

    def lookup(self, value: Any) -> Role | None:
        hit = super().lookup(value)
        v = known_str(value)
        if hit is None and v is not None and ":role/" in v:
            named = self.by_name.get(v.rsplit("/", 1)[-1])
            hit = named if named is not None and may_be_role_arn(named, v) else None
        return hit


@dataclass
class Linker:
    """What edge resolution builds up: the indexes, and each document parsed once."""

    roles: Index[Role] = field(default_factory=RoleIndex)
    policies: Index[PolicyFact] = field(default_factory=Index)
    buckets: Index[Bucket] = field(default_factory=Index)
    pools: dict[str, Node] = field(default_factory=dict)
    groups: dict[str, Node] = field(default_factory=dict)
    malformed: list[tuple[Node, str, str]] = field(default_factory=list)
    unresolved: list[tuple[Node, str]] = field(default_factory=list)  # (resource, property) not known yet
    unknown_roles: list[tuple[Node, str]] = field(default_factory=list)  # (role attachment, property)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)

    def parse(self, doc: DocField) -> Document:
        """The document, parsed (and, if malformed, recorded) once however often it is attached."""
        key = (doc.node.urn, doc.key)
        if key not in self.documents:
            parsed = parse_document(doc.value)
            if parsed.state == "malformed":
                self.malformed.append((doc.node, doc.key, parsed.problem))
            self.documents[key] = parsed
        return self.documents[key]

    def source(self, route: str, doc: DocField) -> Source:
        return Source(route, doc.node.urn, self.parse(doc), doc.deps)


def short(node: Node) -> str:
    """``aws:iam/role:Role`` -> ``Role``."""
    return node.resource_type.split(":")[-1]


# --- nodes that other resources refer to ---------------------------------------------------------


def add_role(ln: Linker, f: RoleFact) -> None:
    role = Role(f.node, f.name, f.path, f.arn, ln.parse(f.trust), f.trust.deps)
    ln.roles.add(f.node.urn, role, [f.name, *f.aliases], [f.arn])
    for item in f.inline:
        route = (
            "inline policies of the role"
            if item.label is None
            else f"inline policy '{item.label}' of the role"
        )
        role.sources.append(ln.source(route, item.doc))


def add_policy(ln: Linker, f: PolicyFact) -> None:
    ln.policies.add(f.node.urn, f, [f.name], [f.arn])


def add_bucket(ln: Linker, f: BucketFact) -> None:
    ln.buckets.add(f.node.urn, Bucket(f.node, f.name, f.arn), [f.name, *f.aliases], [f.arn])


def add_pool(ln: Linker, f: PoolFact) -> None:
    ln.pools[f.node.urn] = f.node


# --- edges ---------------------------------------------------------------------------------------


# The property by which a resource attaches a document or a policy to roles (one per resource type).
ROLE_KEYS = ("role", "roleName", "roles")


def role_key(node: Node) -> str:
    """Which of :data:`ROLE_KEYS` the resource uses, for messages and for its dependencies."""
    return next((k for k in ROLE_KEYS if node.get(k) is not None or node.deps(k)), "role")


def link_managed(ln: Linker, f: ManagedAttachment) -> None:
    """Managed policies to the roles they are attached to."""
    via = None if f.own else f.node
    roles = unique(r for ref in f.roles for r in ln.roles.resolve(ref))
    for role in roles:
        for ref in f.policies:
            attach_policy(ln, role, ref, via)
    if not roles and any(is_unknown(v) for ref in f.roles for v in ref.values):
        ln.unresolved.append((f.node, role_key(f.node)))  # a computed role name that depends on no role


def attach_policy(ln: Linker, role: Role, ref: Ref, via: Node | None) -> None:
    """One managed policy: AWS-managed (the pack knows a few), a Policy of the program, an ARN from
    outside the program, or an ARN not known yet (then its dependencies may still find the Policy)."""
    route = (
        f"managed policy attached by {short(via)} '{via.name}'" if via else "managedPolicyArns of the role"
    )
    urn = via.urn if via else role.node.urn
    value = ref.values[0] if ref.values else None
    arn = known_str(value)
    aws_name = aws_managed_name(arn) if arn else None
    if aws_name is not None:
        doc = AWS_MANAGED.get(aws_name)
        external = "" if doc else arn or ""
        role.sources.append(
            Source(f"AWS-managed policy {aws_name} ({route})", urn, doc or UNKNOWN_DOCUMENT, (), external)
        )
        return
    targets = ln.policies.resolve(ref)
    for p in targets:
        role.sources.append(ln.source(f"{p.node.resource_type} '{p.node.name}' ({route})", p.doc))
    if targets:
        return
    if arn:
        role.sources.append(Source(f"policy {arn} ({route})", urn, UNKNOWN_DOCUMENT, (), external=arn))
    elif value is not None:
        route = f"a managed policy whose ARN is not known yet ({route})"
        role.sources.append(Source(route, urn, UNKNOWN_DOCUMENT, ref.deps))


def link_role_document(ln: Linker, f: RoleDocument) -> None:
    roles = ln.roles.resolve(f.role)
    for role in roles:
        role.sources.append(ln.source(f"{f.node.resource_type} '{f.node.name}'", f.doc))
    if not roles and any(is_unknown(v) for v in f.role.values):
        ln.unresolved.append((f.node, role_key(f.node)))  # a computed role name that depends on no role


def link_bucket_document(ln: Linker, f: BucketDocument) -> None:
    route = f"inline policy of {short(f.node)} '{f.node.name}'" if f.inline else None
    for b in ln.buckets.resolve(f.bucket):
        b.policies.append(ln.source(route or f"{f.node.resource_type} '{f.node.name}'", f.doc))


def link_setting(ln: Linker, f: BucketSetting) -> None:
    for b in ln.buckets.resolve(f.bucket):
        getattr(b, f.kind).append(f.node)
        b.settings.append(f)


# Where a role attachment (classic and native alike) names the roles it hands out, and the keys inside
# them that hold no role (a role mapping's identity provider, a rule's claim and match).
ROLE_ATTACHMENT_KEYS = ("roles", "roleMappings")
NOT_A_ROLE = frozenset({"identityProvider", "ambiguousRoleResolution", "type", "claim", "matchType", "value"})


def unknown_role_inside(value: Any) -> bool:
    """Some part of ``value`` that may hold a role (anything but :data:`NOT_A_ROLE`) is not known yet."""
    if isinstance(value, Mapping):
        return any(unknown_role_inside(v) for k, v in value.items() if k not in NOT_A_ROLE)
    if isinstance(value, list):
        return any(unknown_role_inside(v) for v in value)
    return contains_unknown(value)


def link_role_attachment(ln: Linker, f: RoleAttachmentFact) -> None:
    """The roles an identity pool hands out: each is a Cognito role, for the reason given."""
    reason = f"{short(f.node)} '{f.node.name}' attaches it"
    for route in f.roles:
        for role in ln.roles.resolve(route.ref):
            if not any(r.startswith(reason) for r in role.cognito_reasons):
                role.cognito_reasons.append(f"{reason} {route.how}")
            if (f.node.urn, f.pool_id) not in role.pools:
                role.pools.append((f.node.urn, f.pool_id))
    for key in ROLE_ATTACHMENT_KEYS:  # a computed role that depends on no role here: not known which
        if unknown_role_inside(f.node.get(key)) and not any(d in ln.roles.by_urn for d in f.node.deps(key)):
            ln.unknown_roles.append((f.node, key))


def link_user_group(ln: Linker, f: UserGroupFact) -> None:
    """A user-pool group's role (recorded on the role; which rules count it is theirs to say)."""
    ln.groups[f.node.urn] = f.node
    for role in ln.roles.resolve(f.role):
        if f.node not in role.groups:
            role.groups.append(f.node)
