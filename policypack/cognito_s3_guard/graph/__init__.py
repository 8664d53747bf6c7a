"""The resource graph: Cognito roles, the routes by which they reach buckets, and bucket policies.

Input is any sequence of resources that have ``urn``, ``resource_type``, ``name``, ``props`` and
``property_dependencies`` (``pulumi_policy.PolicyResource``, or :class:`Node` in tests). Values are read
only where they are known (:mod:`.reading`). Building the graph is three steps:

1. ``registry``/``aws``: one adapter per resource type turns a resource into typed nodes (``facts``): a
   role, a policy, an attachment, a bucket, a bucket policy, a bucket setting, an identity pool, a role
   attachment, a user-pool group. Each adapter declares the few properties it reads (``KEYS``).
2. ``link``: references are resolved into edges, from ``property_dependencies`` (URNs) first and from
   known names and ARNs second.
3. ``build``: runs the two, phase by phase, into the :class:`Graph` the rules read (``model``).

Another provider is more adapters registered in the same table: ``aws_native`` for pulumi-aws-native.
"""

from __future__ import annotations

from ..documents import ABSENT
from . import aws, aws_native  # noqa: F401  (register the classic adapters, then the aws-native ones)
from .build import build_graph
from .facts import Fact, Ref
from .model import Bucket, Graph, Role, Source
from .reading import Node, UnknownValueError, known_str, plain, read
from .registry import ADAPTERS, adapt, to_node
from .tokens import (
    BUCKET_POLICY,
    BUCKET_TYPES,
    ENCRYPTION_TYPES,
    IDENTITY_POOL,
    IDENTITY_POOL_TYPES,
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

# The properties each resource type is read for; nothing else is ever read (or deserialized twice).
KEYS: dict[str, tuple[str, ...]] = {t: a.keys for t, a in ADAPTERS.items()}
RELEVANT_TYPES = frozenset(ADAPTERS)

__all__ = [
    "ABSENT",
    "ADAPTERS",
    "BUCKET_POLICY",
    "BUCKET_TYPES",
    "ENCRYPTION_TYPES",
    "IDENTITY_POOL",
    "IDENTITY_POOL_TYPES",
    "KEYS",
    "OWNERSHIP_CONTROLS",
    "POLICY",
    "POLICY_ATTACHMENT",
    "PUBLIC_ACCESS_BLOCK",
    "RELEVANT_TYPES",
    "ROLE",
    "ROLE_ATTACHMENT",
    "ROLE_POLICIES_EXCLUSIVE",
    "ROLE_POLICY",
    "ROLE_POLICY_ATTACHMENT",
    "ROLE_POLICY_ATTACHMENTS_EXCLUSIVE",
    "USER_GROUP",
    "Bucket",
    "Fact",
    "Graph",
    "Node",
    "Ref",
    "Role",
    "Source",
    "UnknownValueError",
    "adapt",
    "build_graph",
    "known_str",
    "plain",
    "read",
    "to_node",
]
