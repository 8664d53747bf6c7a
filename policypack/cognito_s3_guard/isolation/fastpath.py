"""The usual shape, decided without a solver.

Every Allow that reaches an object of the bucket has resources ``<bucket ARN>/<lit>${sub}<rest>``, with
no wildcard or variable in ``<lit>``; every Allow of ``s3:ListBucket`` on the bucket has a positive
``s3:prefix`` condition (StringLike/StringEquals, no IfExists, no set quantifier) whose values are
``<lit>${sub}<rest>`` too; no Deny applies (a Deny that can only subtract is ignored: the verdict without it
is "isolated" already, and removing a Deny only widens access); the literal heads are pairwise equal or
differ at a position inside both. Then every key that A reaches starts with ``<lit>A`` and every key of
B's area starts with ``<lit'>B``: ids of one pool have one length and A != B, so no key starts with both.
Isolated for both properties, and nothing is shared. ``tests/.../test_fastpath_sound.py`` proves the
shapes it accepts with the solver.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..documents import SUB_VARIABLE, Statement, bucket_arn, intersects, tokens
from .model import LIST, OBJECT_ACTIONS, PREFIX_KEY, Problem, allows_action


@lru_cache(maxsize=4096)
def _head(text: str) -> str | None:
    """The literal text before the identity variable; None when something wild comes first."""
    if SUB_VARIABLE not in text:
        return None
    head = text.split(SUB_VARIABLE, 1)[0]
    if not any(c in head for c in "*?$"):  # nothing wild, no variable, no escape: literal as it stands
        return head
    return head if all(t not in ("*", "?") and not t.startswith("${") for t in tokens(head)) else None


def _object_heads(stmt: Statement, bucket: str) -> list[str] | None:
    objects = bucket_arn(bucket) + "/"
    heads: list[str] = []
    for p in stmt.resources or ():
        inside = p.startswith(objects)  # then it surely intersects <bucket ARN>/* (cheaper than asking)
        if not inside and not intersects(p, objects + "*"):
            continue
        h = _head(p[len(objects):]) if inside else None
        if h is None:
            return None
        heads.append(h)
    return heads


def _list_heads(stmt: Statement, bucket: str) -> list[str] | None:
    barn = bucket_arn(bucket)
    if not any(p == barn or intersects(p, barn) for p in stmt.resources or ()):
        return []
    heads: list[str] = []
    for c in stmt.conditions:
        if c.key == PREFIX_KEY and c.operator in ("StringLike", "StringEquals"):
            for v in c.values:
                h = _head(v)
                if h is None:
                    return None
                heads.append(h)
    return heads or None


@lru_cache(maxsize=4096)
def _any_object_action(actions: tuple[str, ...] | None, not_actions: tuple[str, ...] | None) -> bool:
    stmt = Statement("Allow", actions=actions, not_actions=not_actions)
    return any(allows_action(stmt, a) for a in OBJECT_ACTIONS)


def _statement_heads(stmt: Statement, bucket: str) -> list[str] | None:
    if stmt.effect == "Deny":
        return []
    if stmt.resources is None:
        return None
    heads: list[str] = []
    if _any_object_action(stmt.actions, stmt.not_actions):
        got = _object_heads(stmt, bucket)
        if got is None:
            return None
        heads += got
    if allows_action(stmt, LIST):
        got = _list_heads(stmt, bucket)
        if got is None:
            return None
        heads += got
    return heads


def _apart(heads: set[str]) -> bool:
    return all(a == b or not (a.startswith(b) or b.startswith(a)) for a in heads for b in heads)


def fast_isolated(problem: Problem) -> bool:
    """True when the statement set has the usual shape (then both properties hold, nothing shared)."""
    return usual_shape((t.stmt for t in problem.statements), problem.bucket)


def usual_shape(statements: Iterable[Statement], bucket: str) -> bool:
    """``fast_isolated`` on bare statements (a caller may ask before it tags them)."""
    heads: set[str] = set()
    for stmt in statements:
        got = _statement_heads(stmt, bucket)
        if got is None:
            return False
        heads.update(got)
    return _apart(heads)
