"""The typed nodes that adapters make from one resource, before any edge is resolved.

A fact says what one resource *is* (a role, a policy, a bucket, an identity pool ...) or what it
*attaches* (a document to a role, a policy to roles, a setting to a bucket, roles to a pool). References to
other resources are :class:`Ref` values: what the property holds (names or ARNs, possibly unknown at a
first preview) and the URNs it depends on. :mod:`.link` resolves them, dependencies first.

Typed nodes are plain slotted dataclasses (made once per resource, never changed afterwards; not frozen,
because a frozen dataclass costs several times more to make, and a stack has thousands).

Documents stay unparsed here (:class:`DocField`): a document is parsed once, when it is attached, so a
resource's document is judged only where it matters and never twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .reading import Node


@dataclass(slots=True)
class Ref:
    """A property that refers to resources: the values it holds and the URNs it depends on.
    ``Ref((), (urn,))`` refers to one resource by URN (a resource's inline part refers to itself)."""

    values: tuple[Any, ...] = ()
    deps: tuple[str, ...] = ()


@dataclass(slots=True)
class DocField:
    """A policy document as a resource holds it: a JSON string, an object, or unknown."""

    node: Node
    key: str  # where it is, for messages: "policy", "inlinePolicies[0].policy"
    value: Any
    deps: tuple[str, ...] = ()


@dataclass(slots=True)
class InlineDoc:
    """One inline policy of a role. ``label`` is None when the entry (or the whole list) is computed."""

    label: str | None
    doc: DocField


@dataclass(slots=True)
class RoleFact:
    node: Node
    name: str | None  # the physical name, when known
    path: str | None  # None: not known yet
    arn: str | None
    trust: DocField
    inline: tuple[InlineDoc, ...] = ()
    aliases: tuple[str | None, ...] = ()  # further names references may use (the id)


@dataclass(slots=True)
class PolicyFact:
    """A customer-managed policy: a document that attachments and ``managedPolicyArns`` refer to."""

    node: Node
    name: str | None
    arn: str | None
    doc: DocField


@dataclass(slots=True)
class ManagedAttachment:
    """Managed policies attached to roles. Each policy Ref holds one ARN (or none, then its deps decide);
    ``own`` is a role's own ``managedPolicyArns`` (the route is the role itself)."""

    node: Node
    roles: tuple[Ref, ...]
    policies: tuple[Ref, ...]
    own: bool = False


@dataclass(slots=True)
class RoleDocument:
    """A document attached to one role by a resource of its own (an inline RolePolicy)."""

    node: Node
    role: Ref
    doc: DocField


@dataclass(slots=True)
class BucketFact:
    node: Node
    name: str | None
    arn: str | None
    aliases: tuple[str | None, ...] = ()


@dataclass(slots=True)
class BucketDocument:
    """A bucket policy: a document attached to a bucket. ``inline``: the bucket's own (legacy) ``policy``,
    whose ``bucket`` Ref is the bucket's own URN."""

    node: Node
    bucket: Ref
    doc: DocField
    inline: bool = False


SettingKind = Literal["public_access_blocks", "ownership", "encryption"]


@dataclass(slots=True)
class BucketSetting:
    """A hardening setting of a bucket: a public-access block (``values`` holds its four flags), object
    ownership (``objectOwnership``) or a default-encryption configuration. A setting made inline in the
    bucket itself refers to the bucket's own URN."""

    node: Node
    kind: SettingKind
    bucket: Ref
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PoolFact:
    """A Cognito identity pool; ``pool_id`` is AWS-assigned, so unknown at a first preview."""

    node: Node
    pool_id: str | None


@dataclass(slots=True)
class RoleRoute:
    """One way a role attachment hands a role to a pool's identities; ``how`` says which, for messages."""

    ref: Ref
    how: str


@dataclass(slots=True)
class RoleAttachmentFact:
    node: Node
    pool_id: str | None
    pool: Ref
    roles: tuple[RoleRoute, ...]


@dataclass(slots=True)
class UserGroupFact:
    """A Cognito user-pool group and the role its members get (through a token-based role mapping)."""

    node: Node
    name: str | None
    role: Ref


Fact = (
    RoleFact | PolicyFact | ManagedAttachment | RoleDocument | BucketFact | BucketDocument | BucketSetting
    | PoolFact | RoleAttachmentFact | UserGroupFact
)  # fmt: skip
