"""The resource graph: Cognito roles, the routes by which they reach buckets, and bucket policies.

Input is any sequence of resources that have ``urn``, ``resource_type``, ``name``, ``props`` and
``property_dependencies`` (``pulumi_policy.PolicyResource``, or :class:`Node` in tests). Values are read
only where they are known: reading goes through :func:`read`, which turns the SDK's
``UnknownValueError`` into the unknown sentinel, so nothing here ever lets it escape. Relations come
from ``property_dependencies`` (URNs) first, and from known names and ARNs second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .documents import (
    ABSENT,
    AWS_MANAGED,
    COGNITO_PRINCIPAL,
    UNKNOWN_DOCUMENT,
    UNKNOWN_STRING,
    WEB_IDENTITY_ACTION,
    Document,
    aws_managed_name,
    is_unknown,
    parse_document,
)

try:  # the SDK's exception, so that a proxied value can be read without letting it escape
    from pulumi_policy.proxy import UnknownValueError
except ImportError:  # pragma: no cover - the pack always has pulumi_policy

    class UnknownValueError(Exception):  # type: ignore[no-redef]
        pass


ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ROLE_POLICIES_EXCLUSIVE = "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"
ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
IDENTITY_POOL = "aws:cognito/identityPool:IdentityPool"
ROLE_ATTACHMENT = "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
ENCRYPTION_TYPES = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
RELEVANT_TYPES = frozenset(
    {
        ROLE, ROLE_POLICY, POLICY, ROLE_POLICY_ATTACHMENT, POLICY_ATTACHMENT, ROLE_POLICIES_EXCLUSIVE,
        ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, *BUCKET_TYPES, BUCKET_POLICY, IDENTITY_POOL, ROLE_ATTACHMENT,
        PUBLIC_ACCESS_BLOCK, OWNERSHIP_CONTROLS, *ENCRYPTION_TYPES,
    }
)  # fmt: skip

_MISSING = object()


# --- reading values ------------------------------------------------------------------------------


def plain(value: Any, depth: int = 0) -> Any:
    """A proxied (or plain) value as plain dicts/lists, with unknowns as the sentinel string."""
    if depth > 64:
        return UNKNOWN_STRING  # absurd nesting: treat as unreadable rather than recurse for ever
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        for k in list(value):
            try:
                v = value[k]
            except UnknownValueError:
                v = UNKNOWN_STRING
            out[k] = plain(v, depth + 1)
        return out
    if isinstance(value, Sequence):
        items: list[Any] = []
        for i in range(len(value)):
            try:
                v = value[i]
            except UnknownValueError:
                v = UNKNOWN_STRING
            items.append(plain(v, depth + 1))
        return items
    return str(value)  # assets, archives and the like: nothing a policy here needs


def read(props: Any, key: str, default: Any = None) -> Any:
    """``props[key]`` as a plain value; the unknown sentinel if unknown; ``default`` if absent."""
    try:
        return plain(props[key])
    except UnknownValueError:
        return UNKNOWN_STRING
    except (KeyError, IndexError, TypeError):
        return default
    except Exception:  # a broken mapping must not take the pack down
        return default


def known_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value and not is_unknown(value) else None


# --- nodes ---------------------------------------------------------------------------------------


@dataclass
class Node:
    """A resource as the graph sees it. ``props`` may be the SDK's unknown-checking proxy."""

    urn: str
    resource_type: str
    name: str
    props: Any = field(default_factory=dict)
    property_dependencies: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        if type(self.props) is dict:  # a snapshot: already plain
            return self.props.get(key, default)
        return read(self.props, key, default)

    def deps(self, key: str) -> tuple[str, ...]:
        try:
            items = self.property_dependencies.get(key) or ()
            return tuple(d if isinstance(d, str) else str(getattr(d, "urn", "")) for d in items)
        except Exception:
            return ()


# The properties each resource type is read for; nothing else is ever read (or deserialized twice).
KEYS: dict[str, tuple[str, ...]] = {
    ROLE: ("name", "path", "arn", "id", "assumeRolePolicy", "inlinePolicies", "managedPolicyArns"),
    ROLE_POLICY: ("role", "policy"),
    POLICY: ("name", "arn", "policy"),
    ROLE_POLICY_ATTACHMENT: ("role", "policyArn"),
    POLICY_ATTACHMENT: ("roles", "policyArn"),
    ROLE_POLICIES_EXCLUSIVE: ("roleName", "policyNames"),
    ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: ("roleName", "policyArns"),
    **{t: ("bucket", "arn", "id", "policy", "serverSideEncryptionConfiguration") for t in BUCKET_TYPES},
    BUCKET_POLICY: ("bucket", "policy"),
    IDENTITY_POOL: ("id",),
    ROLE_ATTACHMENT: ("identityPoolId", "roles", "roleMappings"),
    PUBLIC_ACCESS_BLOCK: (
        "bucket",
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ),
    OWNERSHIP_CONTROLS: ("bucket", "rule"),
    **{t: ("bucket",) for t in ENCRYPTION_TYPES},
}


def to_node(resource: Any) -> Node | None:
    """A plain snapshot of an SDK PolicyResource (or anything shaped like one): only the properties
    and dependencies that the rules read, unknowns as the sentinel. None if it is not usable."""
    try:
        urn = resource.urn
        rtype = resource.resource_type
        name = resource.name
    except Exception:
        return None
    if not isinstance(urn, str) or not isinstance(rtype, str):
        return None
    keys = KEYS.get(rtype)
    if keys is None:
        return Node(urn, rtype, str(name))
    props = getattr(resource, "props", None)
    snapshot = {}
    for k in keys:
        v = read(props, k, _MISSING)
        if v is not _MISSING:
            snapshot[k] = v
    deps: dict[str, tuple[str, ...]] = {}
    raw = getattr(resource, "property_dependencies", None)
    if isinstance(raw, Mapping):
        for k in keys:
            try:
                items = raw.get(k)
                if items:
                    deps[k] = tuple(d if isinstance(d, str) else str(getattr(d, "urn", "")) for d in items)
            except Exception:
                continue
    return Node(urn, rtype, str(name), snapshot, deps)


# --- the model -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One identity- or resource-policy document and where it comes from."""

    route: str  # how it is attached, for messages
    urn: str  # the resource that carries the document
    doc: Document
    deps: tuple[str, ...] = ()  # URNs the document depends on
    external: str = ""  # an ARN whose document is not in the program


@dataclass
class Role:
    node: Node
    physical_name: str | None
    path: str
    arn: str | None
    trust: Document
    trust_deps: tuple[str, ...]
    sources: list[Source] = field(default_factory=list)
    cognito_reasons: list[str] = field(default_factory=list)
    pools: list[tuple[str, str | None]] = field(default_factory=list)  # (attachment urn, pool id)

    @property
    def label(self) -> str:
        return f"role '{self.node.name}'" + (
            f" ({self.physical_name})" if self.physical_name and self.physical_name != self.node.name else ""
        )

    @property
    def path_name(self) -> str | None:
        if not self.physical_name:
            return None
        return (self.path.strip("/") + "/" + self.physical_name).lstrip("/")


@dataclass
class Bucket:
    node: Node
    physical_name: str | None
    arn: str | None
    policies: list[Source] = field(default_factory=list)
    public_access_blocks: list[Node] = field(default_factory=list)
    ownership: list[Node] = field(default_factory=list)
    encryption: list[Node] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"bucket '{self.node.name}'" + (
            f" ({self.physical_name})" if self.physical_name and self.physical_name != self.node.name else ""
        )


@dataclass
class Graph:
    roles: dict[str, Role]
    buckets: dict[str, Bucket]
    pools: dict[str, Node]
    malformed: list[tuple[Node, str, str]]  # (resource, property, problem)
    nodes: dict[str, Node]

    def bucket_by_name(self, name: str) -> Bucket | None:
        return self._bucket_names.get(name)

    def __post_init__(self) -> None:
        self._bucket_names = {b.physical_name: b for b in self.buckets.values() if b.physical_name}


class _Index:
    """Lookups by URN, known name and known ARN."""

    def __init__(self) -> None:
        self.by_urn: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        self.by_arn: dict[str, Any] = {}

    def add(self, urn: str, item: Any, names: Iterable[str | None], arns: Iterable[str | None]) -> None:
        self.by_urn[urn] = item
        for n in names:
            if n:
                self.by_name.setdefault(n, item)
        for a in arns:
            if a:
                self.by_arn.setdefault(a, item)

    def resolve(self, value: Any, deps: Iterable[str]) -> list[Any]:
        """What a reference points at: dependency URNs first, then a known name or ARN."""
        found = [self.by_urn[d] for d in deps if d in self.by_urn]
        if found:
            return _unique(found)
        v = known_str(value)
        if v is None:
            return []
        hit = self.by_arn.get(v) or self.by_name.get(v)
        if hit is None and ":role/" in v:
            hit = self.by_name.get(v.rsplit("/", 1)[-1])
        return [hit] if hit is not None else []


def _unique(items: list[Any]) -> list[Any]:
    seen: set[int] = set()
    out = []
    for i in items:
        if id(i) not in seen:
            seen.add(id(i))
            out.append(i)
    return out


def _doc(node: Node, key: str, malformed: list[tuple[Node, str, str]]) -> Document:
    doc = parse_document(node.get(key))
    if doc.state == "malformed":
        malformed.append((node, key, doc.problem))
    return doc


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def build_graph(resources: Iterable[Any]) -> Graph:
    """Roles with every attached document, buckets with every bucket policy, and the pools."""
    nodes: dict[str, Node] = {}
    for r in resources:
        n = r if isinstance(r, Node) else to_node(r)
        if n is not None and n.resource_type in RELEVANT_TYPES:
            nodes[n.urn] = n
    by_type: dict[str, list[Node]] = {}
    for n in nodes.values():
        by_type.setdefault(n.resource_type, []).append(n)
    malformed: list[tuple[Node, str, str]] = []
    documents: dict[str, Document] = {}

    def policy_source(route: str, n: Node) -> Source:
        """``n``'s ``policy`` document as a Source. Each document is parsed (and, if malformed, recorded)
        once, however many roles or buckets it is attached to."""
        if n.urn not in documents:
            documents[n.urn] = _doc(n, "policy", malformed)
        return Source(route, n.urn, documents[n.urn], n.deps("policy"))

    roles = _Index()
    for n in by_type.get(ROLE, []):
        name = known_str(n.get("name"))
        path = known_str(n.get("path")) or "/"
        arn = known_str(n.get("arn"))
        role = Role(n, name, path, arn, _doc(n, "assumeRolePolicy", malformed), n.deps("assumeRolePolicy"))
        roles.add(n.urn, role, [name, known_str(n.get("id"))], [arn])
        for i, item in enumerate(_as_list(n.get("inlinePolicies"))):
            if is_unknown(item):  # the list (or one entry) is computed: infer from its dependencies
                role.sources.append(
                    Source("inline policies of the role", n.urn, UNKNOWN_DOCUMENT, n.deps("inlinePolicies"))
                )
                continue
            if not isinstance(item, Mapping):
                continue
            label = known_str(item.get("name")) or str(i)
            doc = parse_document(item.get("policy"))
            if doc.state == "malformed":
                malformed.append((n, f"inlinePolicies[{i}].policy", doc.problem))
            role.sources.append(
                Source(f"inline policy '{label}' of the role", n.urn, doc, n.deps("inlinePolicies"))
            )

    policies = _Index()
    for n in by_type.get(POLICY, []):
        policies.add(n.urn, n, [known_str(n.get("name"))], [known_str(n.get("arn"))])

    def attach_managed(role: Role, arn_value: Any, deps: tuple[str, ...], via: Node | None) -> None:
        route = (
            f"managed policy attached by {via.resource_type.split(':')[-1]} '{via.name}'"
            if via
            else ("managedPolicyArns of the role")
        )
        arn = known_str(arn_value)
        aws_name = aws_managed_name(arn) if arn else None
        if aws_name is not None:
            doc = AWS_MANAGED.get(aws_name)
            role.sources.append(
                Source(
                    f"AWS-managed policy {aws_name} ({route})",
                    via.urn if via else role.node.urn,
                    doc or UNKNOWN_DOCUMENT,
                    (),
                    external="" if doc else arn or "",
                )
            )
            return
        targets = policies.resolve(arn_value, deps)
        if targets:
            for p in targets:
                role.sources.append(policy_source(f"aws:iam/policy:Policy '{p.name}' ({route})", p))
        elif arn:
            role.sources.append(
                Source(
                    f"policy {arn} ({route})",
                    via.urn if via else role.node.urn,
                    UNKNOWN_DOCUMENT,
                    (),
                    external=arn,
                )
            )
        elif arn_value is not None:
            role.sources.append(
                Source(
                    f"a managed policy whose ARN is not known yet ({route})",
                    via.urn if via else role.node.urn,
                    UNKNOWN_DOCUMENT,
                    deps,
                )
            )

    for role in list(roles.by_urn.values()):
        for arn_value in _as_list(role.node.get("managedPolicyArns")):
            attach_managed(role, arn_value, role.node.deps("managedPolicyArns"), None)

    for n in by_type.get(ROLE_POLICY, []):
        for role in roles.resolve(n.get("role"), n.deps("role")):
            role.sources.append(policy_source(f"aws:iam/rolePolicy:RolePolicy '{n.name}'", n))
    for n in by_type.get(ROLE_POLICY_ATTACHMENT, []):
        for role in roles.resolve(n.get("role"), n.deps("role")):
            attach_managed(role, n.get("policyArn"), n.deps("policyArn"), n)
    for n in by_type.get(ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, []):
        for role in roles.resolve(n.get("roleName"), n.deps("roleName")):
            for arn_value in _as_list(n.get("policyArns")):
                attach_managed(role, arn_value, n.deps("policyArns"), n)
    for n in by_type.get(POLICY_ATTACHMENT, []):
        targets: list[Role] = []
        deps = n.deps("roles")
        targets.extend(r for r in (roles.by_urn.get(d) for d in deps) if r is not None)
        if not targets:
            for v in _as_list(n.get("roles")):
                targets.extend(roles.resolve(v, ()))
        for role in _unique(targets):
            attach_managed(role, n.get("policyArn"), n.deps("policyArn"), n)
    # RolePoliciesExclusive names inline policies that RolePolicy resources carry; it adds no document.

    buckets = _Index()
    for t in BUCKET_TYPES:
        for n in by_type.get(t, []):
            name = known_str(n.get("bucket"))
            arn = known_str(n.get("arn"))
            b = Bucket(n, name, arn)
            buckets.add(n.urn, b, [name, known_str(n.get("id"))], [arn])
            inline = n.get("policy")
            if inline not in (None, ""):
                b.policies.append(policy_source(f"inline policy of {t.split(':')[-1]} '{n.name}'", n))
            if n.get("serverSideEncryptionConfiguration") not in (None, {}, []):
                b.encryption.append(n)
    for n in by_type.get(BUCKET_POLICY, []):
        for b in buckets.resolve(n.get("bucket"), n.deps("bucket")):
            b.policies.append(policy_source(f"aws:s3/bucketPolicy:BucketPolicy '{n.name}'", n))
    for t, attr in ((PUBLIC_ACCESS_BLOCK, "public_access_blocks"), (OWNERSHIP_CONTROLS, "ownership")):
        for n in by_type.get(t, []):
            for b in buckets.resolve(n.get("bucket"), n.deps("bucket")):
                getattr(b, attr).append(n)
    for t in ENCRYPTION_TYPES:
        for n in by_type.get(t, []):
            for b in buckets.resolve(n.get("bucket"), n.deps("bucket")):
                b.encryption.append(n)

    pools = {n.urn: n for n in by_type.get(IDENTITY_POOL, [])}

    for n in by_type.get(ROLE_ATTACHMENT, []):
        pool_id = known_str(n.get("identityPoolId"))
        refs: list[tuple[Any, tuple[str, ...], str]] = []
        role_map = n.get("roles")
        if isinstance(role_map, Mapping):
            refs.extend((v, (), f"as its '{k}' role") for k, v in role_map.items())
        for d in n.deps("roles"):
            refs.append((None, (d,), "in its roles"))
        for mapping in _as_list(n.get("roleMappings")):
            if isinstance(mapping, Mapping):
                for rule in _as_list(mapping.get("mappingRules")):
                    if isinstance(rule, Mapping):
                        refs.append((rule.get("roleArn"), (), "in a role-mapping rule"))
        for d in n.deps("roleMappings"):
            refs.append((None, (d,), "in its role mappings"))
        for value, deps, how in refs:
            for role in roles.resolve(value, deps):
                reason = f"IdentityPoolRoleAttachment '{n.name}' attaches it"
                if not any(r.startswith(reason) for r in role.cognito_reasons):
                    role.cognito_reasons.append(f"{reason} {how}")
                if (n.urn, pool_id) not in role.pools:
                    role.pools.append((n.urn, pool_id))

    for role in roles.by_urn.values():
        pool_deps = [d for d in role.trust_deps if d in pools]
        if pool_deps:
            reason = "its trust policy depends on identity pool " + ", ".join(
                f"'{pools[d].name}'" for d in pool_deps
            )
            if reason not in role.cognito_reasons:
                role.cognito_reasons.append(reason)
        if role.trust.known and any(
            s.effect == "Allow" and s.principals and ("Federated", COGNITO_PRINCIPAL) in s.principals
            for s in role.trust.statements
        ):
            reason = f"its trust policy trusts {COGNITO_PRINCIPAL}"
            if reason not in role.cognito_reasons:
                role.cognito_reasons.insert(0, reason)
        elif role.trust.known and any(
            s.effect == "Allow"
            and any(kind == "*" or value == "*" for kind, value in s.principals or ())
            and s.allows_action(WEB_IDENTITY_ACTION)
            for s in role.trust.statements
        ):  # "*" includes the Cognito principal: judge the role as one
            role.cognito_reasons.insert(
                0, f'its trust policy lets any principal ("*"), {COGNITO_PRINCIPAL} included, assume it'
            )

    return Graph(
        roles={u: r for u, r in roles.by_urn.items()},
        buckets={u: b for u, b in buckets.by_urn.items()},
        pools=pools,
        malformed=malformed,
        nodes=nodes,
    )


__all__ = ["ABSENT", "Bucket", "Graph", "Node", "Role", "Source", "build_graph", "plain", "read"]
