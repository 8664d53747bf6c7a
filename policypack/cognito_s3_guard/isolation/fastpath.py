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
from .model import (
    LIST,
    OBJECT_ACTIONS,
    PREFIX_KEY,
    READ_ACTIONS,
    UUID_CHARS,
    WRITE_ACTIONS,
    Problem,
    allows_action,
    uses_identity,
)


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


# --- one property at a time: per-identity statements in the usual shape, the others elsewhere ----------


Head = tuple[str | None, ...]  # the characters every matching key starts with (None: any one character)


def _pattern_head(text: str) -> Head:
    """The characters of a pattern before its first ``*`` or variable, ``?`` as None (escapes resolved)."""
    head: list[str | None] = []
    for t in tokens(text):
        if t == "*" or t.startswith("${"):
            break
        if t == "?":
            head.append(None)
        else:
            head += list(t[1:] if t.startswith("\\") and len(t) == 2 else t)
    return tuple(head)


def _id_chars(j: int, region: str | None) -> str | None:
    """The characters an identity id (``<region>:<uuid>``) can hold at offset ``j``; None: any (past its
    end). An unknown region is ``[a-z]+(-[a-z]+)*-[0-9]+``, so an id is at least 40 characters long."""
    if region is not None:
        if j < len(region):
            return region[j]
        return ":" if j == len(region) else UUID_CHARS if j <= len(region) + 36 else None
    lower = "abcdefghijklmnopqrstuvwxyz"
    return lower if j == 0 else lower + "0123456789:-" if j < 40 else None


def _clear_of(head: Head, own: str, region: str | None) -> bool:
    """No key starts both with ``head`` and with ``own`` followed by an identity id: some character of the
    head differs from the one at its place (``own``'s, or any the id can hold there)."""
    for i, c in enumerate(head):
        if c is None:
            continue
        if i < len(own):
            if c != own[i]:
                return True
            continue
        chars = _id_chars(i - len(own), region)
        if chars is not None and c not in chars:
            return True
    return False


def _other_heads(stmt: Statement, bucket: str, actions: tuple[str, ...], lists: bool) -> list[Head] | None:
    """The heads of every key a statement the same for every identity lets one reach with ``actions``
    (and listing, when ``lists``); None when some key has none (a pattern outside ``<bucket ARN>/``, a
    listing with no positive prefix condition)."""
    if stmt.effect == "Deny":
        return []
    if stmt.resources is None:
        return None
    heads: list[Head] = []
    if any(allows_action(stmt, a) for a in actions):
        objects = bucket_arn(bucket) + "/"
        for p in stmt.resources:
            if p.startswith(objects):
                heads.append(_pattern_head(p[len(objects):]))
            elif intersects(p, objects + "*"):
                return None
    if lists and allows_action(stmt, LIST):
        barn = bucket_arn(bucket)
        if any(p == barn or intersects(p, barn) for p in stmt.resources):
            values = [v for c in stmt.conditions if c.key == PREFIX_KEY and c.operator in
                      ("StringLike", "StringEquals") for v in c.values]  # fmt: skip
            if not values:
                return None
            heads += [_pattern_head(v) for v in values]
    return heads


def _own_heads(problem: Problem) -> set[str] | None:
    """The heads of the per-identity statements (every identity's area), when all are in the usual shape;
    None otherwise, or when a per-identity Deny with NotResource widens an area."""
    heads: set[str] = set()
    for t in problem.statements:
        s = t.stmt
        if not uses_identity(s):
            continue
        if s.effect == "Deny" and s.not_resources is not None:
            return None
        got = _statement_heads(s, problem.bucket)
        if got is None:
            return None
        heads.update(got)
    return heads if _apart(heads) else None


def crossing_free(problem: Problem, prop: str) -> bool:
    """No identity writes (``prop`` "write") or reads or lists (``prop`` "read") inside another's area.
    The per-identity statements are in the usual shape (see above: A's keys start with ``<lit>A``, B's area
    with ``<lit'>B``); every key that a statement the same for every identity reaches starts with a literal
    head that no key of an area can start with (``_clear_of``: ``public/`` or ``users/?/`` against
    ``users/<id>``), so it lies in no area."""
    heads = _own_heads(problem)
    if heads is None:
        return False
    own = {"".join(c for c in _pattern_head(h) if c is not None) for h in heads}  # escapes resolved
    actions = WRITE_ACTIONS if prop == "write" else READ_ACTIONS
    for t in problem.statements:
        if uses_identity(t.stmt):
            continue
        got = _other_heads(t.stmt, problem.bucket, actions, lists=prop == "read")
        if got is None or not all(_clear_of(h, o, problem.region) for h in got for o in own):
            return False
    return True
