"""A small concrete IAM evaluator for one request: the test oracle and the judge of every counterexample.

A request is (identity id, action, key, list prefix): an object action on ``arn:aws:s3:::<bucket>/<key>``,
or ``s3:ListBucket`` on the bucket ARN with an optional ``s3:prefix``. Evaluation follows IAM in one
account: allowed when some statement of either layer allows it and no statement of either layer denies it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..documents import SUB_VARIABLE, Condition, Statement, tokens
from .model import (
    LIST,
    OBJECT_ACTIONS,
    PREFIX_KEY,
    SUB_KEY,
    Mode,
    Problem,
    Tagged,
    action_groups,
    allows_action,
    read_operator,
    resource_of,
    statement_applies_in,
    unknown_condition_value,
    uses_identity,
)


@lru_cache(maxsize=65536)
def pattern_regex(pattern: str, identity: str, wide_vars: bool) -> re.Pattern[str] | None:
    """IAM ``*``/``?`` over the whole string (slashes included), the identity variable substituted.
    Another variable matches anything when ``wide_vars``; otherwise the pattern matches nothing (None)."""
    parts = []
    for t in tokens(pattern):
        if t == "*":
            parts.append(".*")
        elif t == "?":
            parts.append(".")
        elif t == SUB_VARIABLE:
            parts.append(re.escape(identity))
        elif t.startswith("${"):
            if not wide_vars:
                return None
            parts.append(".*")
        else:
            parts.append(re.escape(t[1:] if t.startswith("\\") and len(t) == 2 else t))
    return re.compile("".join(parts), re.DOTALL)


def matches(pattern: str, text: str, identity: str, mode: Mode) -> bool:
    rx = pattern_regex(pattern, identity, mode != "deny")
    return rx is not None and rx.fullmatch(text) is not None


def substitute(value: str, identity: str) -> str:
    return value.replace(SUB_VARIABLE, identity)


def _value_test(base: str, value: str, values: tuple[str, ...], identity: str, mode: Mode) -> bool:
    if base in ("StringLike", "StringNotLike"):
        hit = any(matches(v, value, identity, mode) for v in values)
    else:
        hit = any(substitute(v, identity) == value for v in values)
    return not hit if "Not" in base else hit


def condition_holds(cond: Condition, identity: str, prefix: str | None, is_list: bool, mode: Mode) -> bool:
    read = read_operator(cond)
    if read is None:
        return unknown_condition_value(mode)
    quant, base, if_exists = read
    value = identity if cond.key == SUB_KEY else (prefix if is_list else None)
    if base == "Null":
        want_absent = tuple(v.lower() for v in cond.values) == ("true",)
        return (value is None) == want_absent
    if value is None:
        if if_exists or quant == "ForAllValues":
            return True
        return quant == "" and "Not" in base
    return _value_test(base, value, cond.values, identity, mode)


def statement_matches(
    stmt: Statement, identity: str, action: str, key: str | None, prefix: str | None, bucket: str, mode: Mode
) -> bool:
    """The statement (read in ``mode``) matches the request; its effect is not looked at."""
    if not statement_applies_in(stmt, mode) or not allows_action(stmt, action):
        return False
    res = resource_of(bucket, None if action == LIST else key)
    if stmt.resources is not None:
        if not any(matches(p, res, identity, mode) for p in stmt.resources):
            return False
    elif stmt.not_resources is not None:
        # NotResource excludes what it matches: read the other way round (a Deny's exclusions narrow).
        other: Mode = "allow" if mode == "deny" else "deny"
        if any(matches(p, res, identity, other) for p in stmt.not_resources):
            return False
    else:
        return False
    return all(condition_holds(c, identity, prefix, action == LIST, mode) for c in stmt.conditions)


@lru_cache(maxsize=65536)
def allowing(
    problem: Problem, identity: str, action: str, key: str | None, prefix: str | None
) -> Tagged | None:
    """The first statement that allows the request, or None when it is not allowed (Deny wins)."""
    b = problem.bucket
    for t in problem.statements:
        if t.stmt.effect == "Deny" and statement_matches(t.stmt, identity, action, key, prefix, b, "deny"):
            return None
    for t in problem.statements:
        if t.stmt.effect == "Allow" and statement_matches(t.stmt, identity, action, key, prefix, b, "allow"):
            return t
    return None


def allowed(problem: Problem, identity: str, action: str, key: str | None, prefix: str | None) -> bool:
    return allowing(problem, identity, action, key, prefix) is not None


@lru_cache(maxsize=65536)
def in_area(problem: Problem, identity: str, key: str, lists: bool = True) -> bool:
    """The key lies in the identity's area: its instance of a per-identity statement admits the key (for
    s3:ListBucket: the key is under a prefix it may list; left out when not ``lists``)."""
    b = problem.bucket
    for t in problem.statements:
        s = t.stmt
        if not uses_identity(s):
            continue
        if s.effect == "Allow":
            groups = action_groups(problem, OBJECT_ACTIONS)
            if any(statement_matches(s, identity, a, key, None, b, "area") for a in groups):
                return True
            if lists and _lists_prefix_of(s, identity, key, b):
                return True
        elif s.not_resources is not None and any(allows_action(s, a) for a in OBJECT_ACTIONS):
            spared = any(matches(p, resource_of(b, key), identity, "area") for p in s.not_resources)
            groups = action_groups(problem, OBJECT_ACTIONS)
            if spared and any(allowed(problem, identity, a, key, None) for a in groups):
                return True
    return False


def _lists_prefix_of(stmt: Statement, identity: str, key: str, bucket: str) -> bool:
    candidates: list[str | None] = [None, *(key[:i] for i in range(len(key) + 1))]
    return any(statement_matches(stmt, identity, LIST, None, p, bucket, "area") for p in candidates)


def under_shared(problem: Problem, key: str) -> bool:
    return any(key.startswith(s) for s in problem.shared_prefixes)


__all__ = ["PREFIX_KEY", "allowed", "allowing", "condition_holds", "in_area", "matches", "under_shared"]
