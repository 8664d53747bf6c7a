"""What an unknown value cannot hold, judged from what it is computed from (a first preview).

The engine computes a resource's inputs only from literals of the program and from the outputs of the
resources they depend on; ``propertyDependencies`` names those resources, and each resource's outputs
are in turn computed from its own ``dependencies``. So an identifier that exists only as the output of
resource R (an engine-assigned name, an AWS-assigned id) can appear in an unknown value only if R is in
the transitive closure of the value's dependencies. That is the bound, and the only one used:

- **An engine-assigned role name.** When a program gives a role no name, the engine assigns
  ``<logical name>-<7 random hex>`` at Check; the program never sees it except through the role's
  outputs. A known name of exactly that shape is taken as engine-assigned. (A program could write such a
  name literally; then its document could spell it without depending on the role. That is the one
  assumption, and it is why any other name, literal or computed, never bounds: a literal name can be
  spelled out, and a computed one may be computed again the same way.)
- **An identity pool's id** is always assigned by AWS at creation.

Nothing else is inferred: a value that may hold the identifier (the closure reaches its resource, or
the identifier is not one of the two above) stays "not known yet".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .graph.reading import dep_urns

_AUTONAME_SUFFIX = re.compile(r"-[0-9a-f]{7}")


def engine_assigned(logical_name: str, physical_name: str | None) -> bool:
    """``physical_name`` has the engine's autoname shape for ``logical_name``."""
    if not physical_name or not physical_name.startswith(logical_name):
        return False
    return _AUTONAME_SUFFIX.fullmatch(physical_name, len(logical_name)) is not None


def urn_label(urn: str) -> str:
    """``urn:pulumi:s::p::aws:cognito/userPool:UserPool::users`` -> ``UserPool 'users'``."""
    head, _, name = urn.rpartition("::")
    rtype = head.rsplit("::", 1)[-1].rsplit("$", 1)[-1]
    return f"{rtype.rsplit(':', 1)[-1]} '{name}'" if rtype else f"'{name}'"


def _edges_of(resource: Any) -> tuple[str, ...] | None:
    """Every URN a resource's inputs (and so its outputs) may be computed from; None if they cannot be
    read."""
    out: list[str] = []
    try:
        out.extend(dep_urns(getattr(resource, "dependencies", None) or ()))
        pdeps = getattr(resource, "property_dependencies", None)
        if isinstance(pdeps, Mapping):
            for items in pdeps.values():
                out.extend(dep_urns(items or ()))
    except Exception:
        return None
    return tuple(dict.fromkeys(out))


class Closure:
    """Transitive dependencies over every resource of the request, built on first use only."""

    def __init__(self, resources: Iterable[Any]) -> None:
        self._resources = resources
        self._edges: dict[str, tuple[str, ...]] | None = None

    @property
    def built(self) -> bool:
        return self._edges is not None

    def edges(self) -> dict[str, tuple[str, ...]]:
        if self._edges is None:
            edges: dict[str, tuple[str, ...]] = {}
            for r in self._resources:
                urn = getattr(r, "urn", None)
                found = _edges_of(r) if isinstance(urn, str) else None
                if found is not None:  # one whose dependencies cannot be read cannot be followed
                    edges[urn] = found
            self._edges = edges
        return self._edges

    def reaches(self, deps: Iterable[str], target: str) -> bool:
        """``target`` is one of ``deps`` or something they depend on, transitively. A dependency that is
        not a resource of the request, or whose own dependencies cannot be read, cannot be followed: then
        it may reach anything (True)."""
        todo = list(deps)
        if target in todo:
            return True  # the common case (a correct program): no need to read the whole stack
        edges = self.edges()
        seen = set(todo)
        while todo:
            urn = todo.pop()
            if urn == target:
                return True
            if urn not in edges:
                return True
            for d in edges[urn]:
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return False


__all__ = ["Closure", "engine_assigned", "urn_label"]
