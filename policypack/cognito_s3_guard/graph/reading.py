"""Reading values only where they are known, and the resource snapshot the graph is built from.

Reading goes through :func:`read`, which turns the SDK's ``UnknownValueError`` into the unknown
sentinel, so nothing here ever lets it escape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..documents import UNKNOWN_STRING, is_unknown

try:  # the SDK's exception, so that a proxied value can be read without letting it escape
    from pulumi_policy.proxy import UnknownValueError
except ImportError:  # pragma: no cover - the pack always has pulumi_policy

    class UnknownValueError(Exception):  # type: ignore[no-redef]
        pass


MISSING = object()


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


def role_path(value: Any) -> str | None:
    """A role's ``path``: IAM's default ``/`` when not set, None when not known yet (a computed path)."""
    return "/" if value is None else known_str(value)


def as_list(value: Any) -> list[Any]:
    """A list property as a list: a single value (or an unknown standing for the list) as one item."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def dep_urns(items: Any) -> tuple[str, ...]:
    """Property dependencies as URNs (the SDK hands resources, tests hand strings)."""
    return tuple([d if type(d) is str else str(getattr(d, "urn", "")) for d in items])


@dataclass
class Node:
    """A resource as the graph sees it. ``props`` may be the SDK's unknown-checking proxy."""

    urn: str
    resource_type: str
    name: str
    props: Any = field(default_factory=dict)
    # property -> URNs (or resources with a ``urn``); a tuple holds URNs already (as snapshots keep them)
    property_dependencies: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        props = self.props
        if type(props) is dict:  # a snapshot: already plain
            return props.get(key, default)
        return read(props, key, default)

    def deps(self, key: str) -> tuple[str, ...]:
        try:
            items = self.property_dependencies.get(key)
            if type(items) is tuple:  # a snapshot's: URNs already
                return items
            return dep_urns(items) if items else ()
        except Exception:
            return ()


def snapshot(resource: Any, keys: tuple[str, ...] | None) -> Node | None:
    """A plain snapshot of an SDK PolicyResource (or anything shaped like one): only ``keys`` of its
    properties and dependencies, unknowns as the sentinel; no properties when ``keys`` is None. None if
    it is not usable."""
    try:
        urn = resource.urn
        rtype = resource.resource_type
        name = resource.name
    except Exception:
        return None
    if not isinstance(urn, str) or not isinstance(rtype, str):
        return None
    if keys is None:
        return Node(urn, rtype, str(name))
    props = getattr(resource, "props", None)
    values = {}
    for k in keys:
        v = read(props, k, MISSING)
        if v is not MISSING:
            values[k] = v
    deps: dict[str, tuple[str, ...]] = {}
    raw = getattr(resource, "property_dependencies", None)
    if isinstance(raw, Mapping):
        for k in keys:
            try:
                items = raw.get(k)
                if items:
                    deps[k] = dep_urns(items)
            except Exception:
                continue
    return Node(urn, rtype, str(name), values, deps)
