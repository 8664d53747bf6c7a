"""Adapters for the classic ``aws:`` provider (pulumi-aws 7): one small function per resource type.

Each reads a few properties of one resource (as the engine hands them: unknown at a first preview where
the provider computes them) and its property dependencies, and says what the resource is and what it
refers to. Nothing here resolves a reference: :mod:`.link` does, dependencies first.
The registration order is the order in which edges are resolved (and so the order of routes).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..documents import UNKNOWN_STRING, is_unknown
from .facts import (
    BucketDocument,
    BucketFact,
    BucketSetting,
    DocField,
    Fact,
    InlineDoc,
    ManagedAttachment,
    PolicyFact,
    PoolFact,
    Ref,
    RoleAttachmentFact,
    RoleDocument,
    RoleFact,
    RoleRoute,
    UserGroupFact,
)
from .reading import Node, as_list, known_str, role_path
from .registry import adapter
from .tokens import (
    BUCKET_POLICY,
    BUCKET_TYPES,
    ENCRYPTION_TYPES,
    IDENTITY_POOL,
    OWNERSHIP_CONTROLS,
    POLICY,
    POLICY_ATTACHMENT,
    PUBLIC_ACCESS_BLOCK,
    ROLE,
    ROLE_ATTACHMENT,
    ROLE_POLICIES_EXCLUSIVE,
    ROLE_POLICY,
    ROLE_POLICY_ATTACHMENT,
    ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    USER_GROUP,
)

PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def one(node: Node, key: str) -> Ref:
    """A property that names one resource."""
    return Ref((node.get(key),), node.deps(key))


def each(node: Node, key: str) -> tuple[Ref, ...]:
    """A list property whose every value names one resource; all share the list's dependencies."""
    deps = node.deps(key)
    return tuple(Ref((v,), deps) for v in as_list(node.get(key)))


# --- IAM -----------------------------------------------------------------------------------------


def inline_policies(node: Node, key: str, name_key: str, doc_key: str) -> tuple[InlineDoc, ...]:
    """A role's inline policies (``[{name, policy}]``); a computed entry (or list) stays one unknown."""
    deps = node.deps(key)
    out: list[InlineDoc] = []
    for i, item in enumerate(as_list(node.get(key))):
        if is_unknown(item):  # the list (or one entry) is computed: inferred from its dependencies
            out.append(InlineDoc(None, DocField(node, key, UNKNOWN_STRING, deps)))
        elif isinstance(item, Mapping):
            label = known_str(item.get(name_key)) or str(i)
            out.append(InlineDoc(label, DocField(node, f"{key}[{i}].{doc_key}", item.get(doc_key), deps)))
    return tuple(out)


@adapter(ROLE, keys=("name", "path", "arn", "id", "assumeRolePolicy", "inlinePolicies", "managedPolicyArns"))
def role(node: Node) -> tuple[Fact, ...]:
    trust = DocField(node, "assumeRolePolicy", node.get("assumeRolePolicy"), node.deps("assumeRolePolicy"))
    fact = RoleFact(
        node,
        name=known_str(node.get("name")),
        path=role_path(node.get("path")),
        arn=known_str(node.get("arn")),
        trust=trust,
        inline=inline_policies(node, "inlinePolicies", "name", "policy"),
        aliases=(known_str(node.get("id")),),
    )
    own = ManagedAttachment(node, (Ref((), (node.urn,)),), each(node, "managedPolicyArns"), own=True)
    return (fact, own)


@adapter(POLICY, keys=("name", "arn", "policy"))
def policy(node: Node) -> tuple[Fact, ...]:
    doc = DocField(node, "policy", node.get("policy"), node.deps("policy"))
    return (PolicyFact(node, known_str(node.get("name")), known_str(node.get("arn")), doc),)


@adapter(ROLE_POLICY, keys=("role", "policy"))
def role_policy(node: Node) -> tuple[Fact, ...]:
    doc = DocField(node, "policy", node.get("policy"), node.deps("policy"))
    return (RoleDocument(node, one(node, "role"), doc),)


@adapter(ROLE_POLICY_ATTACHMENT, keys=("role", "policyArn"))
def role_policy_attachment(node: Node) -> tuple[Fact, ...]:
    return (ManagedAttachment(node, (one(node, "role"),), (one(node, "policyArn"),)),)


@adapter(ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, keys=("roleName", "policyArns"))
def role_policy_attachments_exclusive(node: Node) -> tuple[Fact, ...]:
    return (ManagedAttachment(node, (one(node, "roleName"),), each(node, "policyArns")),)


@adapter(POLICY_ATTACHMENT, keys=("roles", "policyArn"))
def policy_attachment(node: Node) -> tuple[Fact, ...]:
    roles = Ref(tuple(as_list(node.get("roles"))), node.deps("roles"))
    return (ManagedAttachment(node, (roles,), (one(node, "policyArn"),)),)


@adapter(ROLE_POLICIES_EXCLUSIVE, keys=("roleName", "policyNames"))
def role_policies_exclusive(node: Node) -> tuple[Fact, ...]:
    return ()  # it names inline policies that RolePolicy resources carry; it adds no document


# --- S3 ------------------------------------------------------------------------------------------


@adapter(*BUCKET_TYPES, keys=("bucket", "arn", "id", "policy", "serverSideEncryptionConfiguration"))
def bucket(node: Node) -> tuple[Fact, ...]:
    itself = Ref((), (node.urn,))
    facts: list[Fact] = [
        BucketFact(
            node, known_str(node.get("bucket")), known_str(node.get("arn")), (known_str(node.get("id")),)
        )
    ]
    inline = node.get("policy")
    if inline not in (None, ""):  # the legacy inline bucket policy
        facts.append(
            BucketDocument(node, itself, DocField(node, "policy", inline, node.deps("policy")), True)
        )
    if node.get("serverSideEncryptionConfiguration") not in (None, {}, []):
        facts.append(BucketSetting(node, "encryption", itself))
    return tuple(facts)


@adapter(BUCKET_POLICY, keys=("bucket", "policy"))
def bucket_policy(node: Node) -> tuple[Fact, ...]:
    doc = DocField(node, "policy", node.get("policy"), node.deps("policy"))
    return (BucketDocument(node, one(node, "bucket"), doc),)


@adapter(PUBLIC_ACCESS_BLOCK, keys=("bucket", *PUBLIC_ACCESS_FLAGS))
def public_access_block(node: Node) -> tuple[Fact, ...]:
    flags = {f: node.get(f) for f in PUBLIC_ACCESS_FLAGS}
    return (BucketSetting(node, "public_access_blocks", one(node, "bucket"), flags),)


@adapter(OWNERSHIP_CONTROLS, keys=("bucket", "rule"))
def ownership_controls(node: Node) -> tuple[Fact, ...]:
    rule = node.get("rule")
    ownership = rule.get("objectOwnership") if isinstance(rule, Mapping) else None
    return (BucketSetting(node, "ownership", one(node, "bucket"), {"objectOwnership": ownership}),)


@adapter(*ENCRYPTION_TYPES, keys=("bucket",))
def encryption(node: Node) -> tuple[Fact, ...]:
    return (BucketSetting(node, "encryption", one(node, "bucket")),)


# --- Cognito -------------------------------------------------------------------------------------


@adapter(IDENTITY_POOL, keys=("id",))
def identity_pool(node: Node) -> tuple[Fact, ...]:
    return (PoolFact(node, known_str(node.get("id"))),)


def attachment_routes(node: Node) -> tuple[RoleRoute, ...]:
    """Every way a role attachment names a role: its ``roles`` map, then its role-mapping rules."""
    routes: list[RoleRoute] = []
    role_map = node.get("roles")
    if isinstance(role_map, Mapping):
        routes.extend(RoleRoute(Ref((v,)), f"as its '{k}' role") for k, v in role_map.items())
    routes.extend(RoleRoute(Ref((), (d,)), "in its roles") for d in node.deps("roles"))
    for mapping in as_list(node.get("roleMappings")):
        if isinstance(mapping, Mapping):
            for rule in as_list(mapping.get("mappingRules")):
                if isinstance(rule, Mapping):
                    routes.append(RoleRoute(Ref((rule.get("roleArn"),)), "in a role-mapping rule"))
    routes.extend(RoleRoute(Ref((), (d,)), "in its role mappings") for d in node.deps("roleMappings"))
    return tuple(routes)


@adapter(ROLE_ATTACHMENT, keys=("identityPoolId", "roles", "roleMappings"))
def role_attachment(node: Node) -> tuple[Fact, ...]:
    pool = one(node, "identityPoolId")
    return (RoleAttachmentFact(node, known_str(node.get("identityPoolId")), pool, attachment_routes(node)),)


@adapter(USER_GROUP, keys=("name", "userPoolId", "roleArn"))
def user_group(node: Node) -> tuple[Fact, ...]:
    return (UserGroupFact(node, known_str(node.get("name")), one(node, "roleArn")),)
