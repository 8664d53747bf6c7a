"""The graph from resources: snapshot, adapt (one adapter per type), then resolve edges in phases."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..documents import COGNITO_PRINCIPAL, WEB_IDENTITY_ACTION
from . import link
from .facts import (
    BucketDocument,
    BucketFact,
    BucketSetting,
    Fact,
    ManagedAttachment,
    PolicyFact,
    PoolFact,
    RoleAttachmentFact,
    RoleDocument,
    RoleFact,
    UserGroupFact,
)
from .model import Graph, Role
from .reading import Node
from .registry import ADAPTERS, adapt, to_node

# Edge resolution, phase by phase: what a phase links to is complete before it runs. Within a phase,
# typed nodes keep the adapter table's type order, then the program's order.
PHASES: tuple[dict[type, Callable[[link.Linker, Any], None]], ...] = (
    {RoleFact: link.add_role, PolicyFact: link.add_policy},
    {ManagedAttachment: link.link_managed, RoleDocument: link.link_role_document},
    {BucketFact: link.add_bucket},
    {BucketDocument: link.link_bucket_document, BucketSetting: link.link_setting},
    {PoolFact: link.add_pool},
    {RoleAttachmentFact: link.link_role_attachment, UserGroupFact: link.link_user_group},
)
_PHASE_OF = {kind: i for i, phase in enumerate(PHASES) for kind in phase}


def relevant_nodes(resources: Iterable[Any]) -> dict[str, Node]:
    """The resources an adapter reads, by URN, as snapshots."""
    nodes: dict[str, Node] = {}
    for r in resources:
        n = r if isinstance(r, Node) else to_node(r)
        if n is not None and n.resource_type in ADAPTERS:
            nodes[n.urn] = n
    return nodes


def typed_nodes(nodes: Iterable[Node]) -> list[list[Fact]]:
    """Every resource's typed nodes, grouped by phase, in the adapter table's type order."""
    by_type: dict[str, list[Node]] = {}
    for n in nodes:
        by_type.setdefault(n.resource_type, []).append(n)
    phases: list[list[Fact]] = [[] for _ in PHASES]
    for rtype in ADAPTERS:
        for n in by_type.get(rtype, ()):
            for fact in adapt(n):
                phases[_PHASE_OF[type(fact)]].append(fact)
    return phases


def build_graph(resources: Iterable[Any]) -> Graph:
    """Roles with every attached document, buckets with every bucket policy, and the pools."""
    nodes = relevant_nodes(resources)
    ln = link.Linker()
    for phase, facts in zip(PHASES, typed_nodes(nodes.values()), strict=True):
        for fact in facts:
            phase[type(fact)](ln, fact)
    for role in ln.roles.by_urn.values():
        add_trust_reasons(role, ln.pools)
    return Graph(
        roles=dict(ln.roles.by_urn),
        buckets=dict(ln.buckets.by_urn),
        pools=ln.pools,
        malformed=ln.malformed,
        nodes=nodes,
        groups=ln.groups,
        unresolved=ln.unresolved,
        unknown_roles=ln.unknown_roles,
    )


def add_trust_reasons(role: Role, pools: dict[str, Node]) -> None:
    """Why a role is a Cognito role, from its trust policy: it depends on an identity pool, it trusts
    the Cognito principal, or it lets anyone ("*", the Cognito principal included) assume it."""
    pool_deps = [d for d in role.trust_deps if d in pools]
    if pool_deps:
        reason = "its trust policy depends on identity pool " + ", ".join(
            f"'{pools[d].name}'" for d in pool_deps
        )
        if reason not in role.cognito_reasons:
            role.cognito_reasons.append(reason)
    if not role.trust.known:
        return
    allows = [s for s in role.trust.statements if s.effect == "Allow"]
    if any(s.principals and ("Federated", COGNITO_PRINCIPAL) in s.principals for s in allows):
        reason = f"its trust policy trusts {COGNITO_PRINCIPAL}"
        if reason not in role.cognito_reasons:
            role.cognito_reasons.insert(0, reason)
    elif any(
        any(kind == "*" or value == "*" for kind, value in s.principals or ())
        and s.allows_action(WEB_IDENTITY_ACTION)
        for s in allows
    ):  # "*" includes the Cognito principal: judge the role as one
        role.cognito_reasons.insert(
            0, f'its trust policy lets any principal ("*"), {COGNITO_PRINCIPAL} included, assume it'
        )
