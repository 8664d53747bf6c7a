"""The resolved graph the rules read: roles with every document that reaches them, buckets with every
bucket policy and hardening setting, and the identity pools."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..documents import Document
from .facts import BucketSetting
from .reading import Node


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
    path: str | None  # None: not known yet (a computed path)
    arn: str | None
    trust: Document
    trust_deps: tuple[str, ...]
    sources: list[Source] = field(default_factory=list)
    cognito_reasons: list[str] = field(default_factory=list)
    pools: list[tuple[str, str | None]] = field(default_factory=list)  # (attachment urn, pool id)
    groups: list[Node] = field(default_factory=list)  # user-pool groups whose members get this role

    @property
    def label(self) -> str:
        return f"role '{self.node.name}'" + (
            f" ({self.physical_name})" if self.physical_name and self.physical_name != self.node.name else ""
        )

    @property
    def path_name(self) -> str | None:
        if not self.physical_name:
            return None
        # A path not known yet counts as the default here (principal matching; see principals.py).
        return ((self.path or "/").strip("/") + "/" + self.physical_name).lstrip("/")


@dataclass
class Bucket:
    node: Node
    physical_name: str | None
    arn: str | None
    policies: list[Source] = field(default_factory=list)
    public_access_blocks: list[Node] = field(default_factory=list)
    ownership: list[Node] = field(default_factory=list)
    encryption: list[Node] = field(default_factory=list)
    settings: list[BucketSetting] = field(default_factory=list)  # the same settings, typed

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
    groups: dict[str, Node] = field(default_factory=dict)  # user-pool groups
    unresolved: list[tuple[Node, str]] = field(default_factory=list)  # refs not known yet, to no resource
    # role attachments' roles (or role mappings) not known yet and depending on no role of the program
    unknown_roles: list[tuple[Node, str]] = field(default_factory=list)

    def bucket_by_name(self, name: str) -> Bucket | None:
        return self._bucket_names.get(name)

    def __post_init__(self) -> None:
        self._bucket_names = {b.physical_name: b for b in self.buckets.values() if b.physical_name}
