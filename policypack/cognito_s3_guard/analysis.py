"""One analysis per AnalyzeStack request: the graph and the work rules share, memoised on the request's
content, so the second stack policy of a request reuses what the first one built."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from .bounds import Closure
from .graph import RELEVANT_TYPES, Node, build_graph, to_node
from .rules import Analysis

T = TypeVar("T")

_memo_lock = threading.Lock()
_memo: list[tuple[tuple[object, ...], Analysis]] = []


def _fingerprint(nodes: Sequence[Node]) -> tuple[object, ...]:
    """Everything the analysis reads: each relevant resource's URN, values and dependencies."""
    return tuple((n.urn, n.resource_type, repr(n.props), repr(n.property_dependencies)) for n in nodes)


def nodes_of(resources: Iterable[object]) -> list[Node]:
    nodes: list[Node] = []
    for r in resources:  # to_node reads each relevant resource's few properties once, as plain values
        if isinstance(r, Node):
            nodes.append(r)
        elif getattr(r, "resource_type", None) in RELEVANT_TYPES:
            n = to_node(r)
            if n is not None:
                nodes.append(n)
    return nodes


def analyze(resources: Iterable[object]) -> Analysis:
    """The stack's analysis context. The SDK hands each stack policy its own copy of the resources; the
    second policy of one AnalyzeStack request gets the first one's context (same content, same key)."""
    resources = resources if isinstance(resources, list | tuple) else list(resources)
    nodes = nodes_of(resources)
    key = _fingerprint(nodes)
    closure = Closure(resources)  # every resource's dependencies, read only if a bound is judged
    with _memo_lock:
        if _memo and _memo[0][0] == key:
            hit = _memo[0][1]
            # The key covers the relevant resources only; a bound judged on the dependencies of the
            # others holds for this request only if those are the same.
            if not hit.closure.built or hit.closure.edges() == closure.edges():
                return hit
    analysis = Analysis(build_graph(nodes), closure)
    with _memo_lock:
        _memo[:] = [(key, analysis)]
    return analysis


def with_stack_frozen(fn: Callable[[], T]) -> T:
    """Run ``fn`` with every object that exists already (the SDK's deserialized copy of the whole stack
    among them) moved out of the collector's sight, and put back afterwards. Collections still run, but
    only over what the analysis allocates, instead of rescanning the stack each time."""
    gc.freeze()
    try:
        return fn()
    finally:
        gc.unfreeze()
