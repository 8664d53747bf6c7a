"""The adapter table: one small function per resource type token, and the properties it reads.

An adapter turns one resource (:class:`Node`: type, properties, property dependencies) into typed nodes
(:mod:`.facts`). It reads only the properties its entry declares; :func:`to_node` snapshots exactly
those, once. Support for a provider is its adapters (``aws`` for classic types, ``aws_native`` for
aws-native).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .facts import Fact
from .reading import Node, snapshot


@dataclass(frozen=True)
class Adapter:
    keys: tuple[str, ...]  # the properties read (and deserialized): nothing else ever is
    adapt: Callable[[Node], tuple[Fact, ...]]


ADAPTERS: dict[str, Adapter] = {}  # type token -> adapter; the order is the order edges are resolved in


def adapter(*types: str, keys: tuple[str, ...]) -> Callable[[Callable[[Node], tuple[Fact, ...]]], Any]:
    """Register the decorated function as the adapter of ``types``."""

    def register(fn: Callable[[Node], tuple[Fact, ...]]) -> Callable[[Node], tuple[Fact, ...]]:
        for t in types:
            if t in ADAPTERS:
                raise ValueError(f"two adapters for {t}")
            ADAPTERS[t] = Adapter(keys, fn)
        return fn

    return register


def to_node(resource: Any) -> Node | None:
    """A plain snapshot of an SDK PolicyResource (or anything shaped like one): only the properties
    and dependencies that the adapters read, unknowns as the sentinel. None if it is not usable."""
    try:
        rtype = resource.resource_type
    except Exception:
        return None
    entry = ADAPTERS.get(rtype) if isinstance(rtype, str) else None
    return snapshot(resource, entry.keys if entry else None)


def adapt(node: Node) -> tuple[Fact, ...]:
    """The typed nodes of one resource; none for a type without an adapter."""
    entry = ADAPTERS.get(node.resource_type)
    return entry.adapt(node) if entry else ()
