"""Adapters for the ``aws-native:`` provider (pulumi-aws-native, Cloud Control shapes): one per type.

They make the same typed nodes (:mod:`.facts`) as the classic adapters (:mod:`.aws`), so every rule sees
one graph whichever provider made a resource, and :mod:`.link` relates resources across providers by
property dependencies first and known names/ARNs second. Property and output names are the installed
SDK's (checked by ``tests/native/test_native_sdk_names.py``); nothing here imports the SDK.

What differs from classic: documents are objects (JSON text is read too); a role's inline policies are
``policies: [{policyName, policyDocument}]``; a bucket's hardening is inline
(``publicAccessBlockConfiguration``, ``bucketEncryption``, ``ownershipControls``); a ManagedPolicy
names the roles it is attached to (``roles``: role NAMES), besides being named by a role's
``managedPolicyArns`` (its ``policyArn`` output); an identity pool's id is the output ``awsId``; role
mappings are a map of ``{rulesConfiguration: {rules: [{roleArn}]}}``. Provider-made names (``bucketName``,
``roleName``, ``managedPolicyName``, ``groupName``) are known at a first preview; ARNs and ids are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .aws import PUBLIC_ACCESS_FLAGS, each, inline_policies, one
from .facts import (
    BucketDocument,
    BucketFact,
    BucketSetting,
    DocField,
    Fact,
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
    NATIVE_BUCKET,
    NATIVE_BUCKET_POLICY,
    NATIVE_IDENTITY_POOL,
    NATIVE_MANAGED_POLICY,
    NATIVE_ROLE,
    NATIVE_ROLE_ATTACHMENT,
    NATIVE_ROLE_POLICY,
    NATIVE_USER_GROUP,
)


def doc_field(node: Node, key: str) -> DocField:
    """A document property (an object, or JSON text) with its dependencies."""
    return DocField(node, key, node.get(key), node.deps(key))


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


# --- IAM -----------------------------------------------------------------------------------------


@adapter(
    NATIVE_ROLE,
    keys=("roleName", "path", "arn", "assumeRolePolicyDocument", "policies", "managedPolicyArns"),
)
def role(node: Node) -> tuple[Fact, ...]:
    fact = RoleFact(
        node,
        name=known_str(node.get("roleName")),
        path=role_path(node.get("path")),
        arn=known_str(node.get("arn")),
        trust=doc_field(node, "assumeRolePolicyDocument"),
        inline=inline_policies(node, "policies", "policyName", "policyDocument"),
    )
    own = ManagedAttachment(node, (Ref((), (node.urn,)),), each(node, "managedPolicyArns"), own=True)
    return (fact, own)


@adapter(NATIVE_MANAGED_POLICY, keys=("managedPolicyName", "policyArn", "policyDocument", "roles"))
def managed_policy(node: Node) -> tuple[Fact, ...]:
    """A customer-managed policy; its ``roles`` (role names) attach it: a route of its own."""
    name, arn = known_str(node.get("managedPolicyName")), known_str(node.get("policyArn"))
    facts: list[Fact] = [PolicyFact(node, name, arn, doc_field(node, "policyDocument"))]
    if node.get("roles") is not None or node.deps("roles"):
        roles = Ref(tuple(as_list(node.get("roles"))), node.deps("roles"))
        facts.append(ManagedAttachment(node, (roles,), (Ref((), (node.urn,)),)))
    return tuple(facts)


@adapter(NATIVE_ROLE_POLICY, keys=("roleName", "policyDocument"))
def role_policy(node: Node) -> tuple[Fact, ...]:
    return (RoleDocument(node, one(node, "roleName"), doc_field(node, "policyDocument")),)


# --- S3 ------------------------------------------------------------------------------------------


def inline_settings(node: Node, itself: Ref) -> list[Fact]:
    """The bucket's own hardening: public-access block, default encryption, object ownership."""
    out: list[Fact] = []
    block = node.get("publicAccessBlockConfiguration")
    if block is not None:
        flags = {f: mapping(block).get(f) for f in PUBLIC_ACCESS_FLAGS}
        out.append(BucketSetting(node, "public_access_blocks", itself, flags))
    if node.get("bucketEncryption") not in (None, {}, []):
        out.append(BucketSetting(node, "encryption", itself))
    controls = node.get("ownershipControls")
    if controls is not None:
        rules = [r for r in as_list(mapping(controls).get("rules")) if isinstance(r, Mapping)]
        ownership = rules[0].get("objectOwnership") if rules else None
        out.append(BucketSetting(node, "ownership", itself, {"objectOwnership": ownership}))
    return out


@adapter(
    NATIVE_BUCKET,
    keys=("bucketName", "arn", "publicAccessBlockConfiguration", "bucketEncryption", "ownershipControls"),
)
def bucket(node: Node) -> tuple[Fact, ...]:
    name, arn = known_str(node.get("bucketName")), known_str(node.get("arn"))
    return (BucketFact(node, name, arn), *inline_settings(node, Ref((), (node.urn,))))


@adapter(NATIVE_BUCKET_POLICY, keys=("bucket", "policyDocument"))
def bucket_policy(node: Node) -> tuple[Fact, ...]:
    return (BucketDocument(node, one(node, "bucket"), doc_field(node, "policyDocument")),)


# --- Cognito -------------------------------------------------------------------------------------


@adapter(NATIVE_IDENTITY_POOL, keys=("awsId",))
def identity_pool(node: Node) -> tuple[Fact, ...]:
    return (PoolFact(node, known_str(node.get("awsId"))),)


def attachment_routes(node: Node) -> tuple[RoleRoute, ...]:
    """Every way a native role attachment names a role: its ``roles`` map, then the rules of its
    role mappings (``{provider: {rulesConfiguration: {rules: [{roleArn}]}}}``)."""
    routes = [RoleRoute(Ref((v,)), f"as its '{k}' role") for k, v in mapping(node.get("roles")).items()]
    routes.extend(RoleRoute(Ref((), (d,)), "in its roles") for d in node.deps("roles"))
    for role_mapping in mapping(node.get("roleMappings")).values():
        rules = mapping(mapping(role_mapping).get("rulesConfiguration")).get("rules")
        for rule in as_list(rules):
            if isinstance(rule, Mapping):
                routes.append(RoleRoute(Ref((rule.get("roleArn"),)), "in a role-mapping rule"))
    routes.extend(RoleRoute(Ref((), (d,)), "in its role mappings") for d in node.deps("roleMappings"))
    return tuple(routes)


@adapter(NATIVE_ROLE_ATTACHMENT, keys=("identityPoolId", "roles", "roleMappings"))
def role_attachment(node: Node) -> tuple[Fact, ...]:
    pool = one(node, "identityPoolId")
    return (RoleAttachmentFact(node, known_str(node.get("identityPoolId")), pool, attachment_routes(node)),)


@adapter(NATIVE_USER_GROUP, keys=("groupName", "userPoolId", "roleArn"))
def user_group(node: Node) -> tuple[Fact, ...]:
    return (UserGroupFact(node, known_str(node.get("groupName")), one(node, "roleArn")),)
