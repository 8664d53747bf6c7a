"""Plain-data input and output of the isolation check (issue 14), and the shared reading of statements.

One *problem* is one Cognito role and one bucket: the statements that apply to the role (its identity
policies' and the bucket policy's, each tagged with where it came from), the identity pool's region (or
None: unknown) and the configured shared prefixes. Requests are concrete or symbolic; both readers
(``oracle`` and ``encode``) take their facts about statements from the helpers here, so that they cannot
disagree on what a statement says.

Assumptions, stated once: a policy variable other than the identity variable has an unknown value, so it
matches anything in an Allow (and in B's area) and makes a Deny inapplicable; a condition on a key other
than ``s3:prefix`` and ``cognito-identity.amazonaws.com:sub``, or with an operator not modelled here, is
true for an Allow and false for a Deny. Both err towards access, so an "isolated" verdict stays sound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ..actions import S3_OBJECT_ACTIONS, S3_OBJECT_READ_ACTIONS, S3_OBJECT_WRITE_ACTIONS
from ..documents import SUB_VARIABLE, Condition, Statement, action_matches, bucket_arn, tokens

LIST = "s3:ListBucket"
PREFIX_KEY = "s3:prefix"
SUB_KEY = "cognito-identity.amazonaws.com:sub"
WRITE_ACTIONS: tuple[str, ...] = S3_OBJECT_WRITE_ACTIONS
READ_ACTIONS: tuple[str, ...] = S3_OBJECT_READ_ACTIONS
OBJECT_ACTIONS: tuple[str, ...] = S3_OBJECT_ACTIONS
STRING_OPS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
UUID_CHARS = "0123456789abcdef-"

Kind = Literal["isolated", "crossing-write", "crossing-read", "shared", "undecided"]
Mode = Literal["allow", "deny", "area"]  # how unknowns are read: towards access in every mode


@dataclass(frozen=True)
class Origin:
    """Where a statement comes from, for messages: a resource label and the statement's Sid or index."""

    label: str
    index: int
    sid: str = ""
    urn: str = ""  # the resource that carries the statement (the pack's culprit), when known


@dataclass(frozen=True)
class Tagged:
    stmt: Statement
    origin: Origin


@dataclass(frozen=True)
class Problem:
    bucket: str
    statements: tuple[Tagged, ...]
    region: str | None = None
    shared_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Counterexample:
    identity_a: str  # the identity that reaches in
    identity_b: str  # the identity whose area is reached
    action: str
    key: str  # a key inside B's area
    prefix: str | None = None  # the list prefix, for s3:ListBucket (None: listed without a prefix)
    origin: Origin | None = None  # the statement that allows it


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    counterexample: Counterexample | None = None
    reason: str = ""
    via: str = "solver"  # "fast-path", "witness" (oracle-judged candidate), "solver" or "cache"


@dataclass(frozen=True)
class Result:
    write: Verdict  # identity-isolation (mandatory)
    read: Verdict  # per-identity-scope, proved (advisory)
    shared: Verdict  # per-identity-scope, a prefix every identity reaches (advisory)
    timings_ms: tuple[float, ...] = field(default=(), compare=False)


# --- reading statements ----------------------------------------------------------------------------


def uses_identity(stmt: Statement) -> bool:
    """A per-identity statement: the identity variable in its resources or conditions."""
    texts = [*(stmt.resources or ()), *(stmt.not_resources or ())]
    texts += [v for c in stmt.conditions for v in c.values]
    return any(SUB_VARIABLE in t for t in texts) or any(c.key == SUB_KEY for c in stmt.conditions)


@lru_cache(maxsize=65536)
def _allows(actions: tuple[str, ...] | None, not_actions: tuple[str, ...] | None, action: str) -> bool:
    if actions is not None:
        return any(action_matches(p, action) for p in actions)
    if not_actions is not None:
        return not any(action_matches(p, action) for p in not_actions)
    return False


def allows_action(stmt: Statement, action: str) -> bool:
    return _allows(stmt.actions, stmt.not_actions, action)


def action_groups(problem: Problem, actions: tuple[str, ...]) -> tuple[str, ...]:
    """One representative per set of actions that every statement treats alike (first in table order)."""
    return _groups(tuple(t.stmt for t in problem.statements), actions)


@lru_cache(maxsize=4096)
def _groups(stmts: tuple[Statement, ...], actions: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[tuple[bool, ...], str] = {}
    for a in actions:
        seen.setdefault(tuple(allows_action(s, a) for s in stmts), a)
    return tuple(seen.values())


def other_variables(text: str) -> bool:
    """The text holds a policy variable other than the identity variable (escapes are literals)."""
    return any(t.startswith("${") and t != SUB_VARIABLE for t in tokens(text))


def resource_of(bucket: str, key: str | None) -> str:
    return bucket_arn(bucket) if key is None else f"{bucket_arn(bucket)}/{key}"


def read_operator(cond: Condition) -> tuple[str, str, bool] | None:
    """(set quantifier, base operator, IfExists) of a modelled condition; None when not modelled."""
    op = cond.operator
    quant = ""
    if ":" in op:
        quant, op = op.split(":", 1)
        if quant not in ("ForAnyValue", "ForAllValues"):
            return None
    if cond.key not in (PREFIX_KEY, SUB_KEY):  # another key's value (or absence) is not known here
        return None
    if_exists = op.endswith("IfExists")
    base = op[: -len("IfExists")] if if_exists else op
    if base == "Null" and not if_exists and not quant:
        return ("", "Null", False)
    if base in STRING_OPS:
        return (quant, base, if_exists)
    return None


def statement_applies_in(stmt: Statement, mode: Mode) -> bool:
    """A Deny with another variable anywhere never applies (its value is unknown): the safe side."""
    if mode != "deny":
        return True
    texts = [*(stmt.resources or ()), *(stmt.not_resources or ())]
    texts += [v for c in stmt.conditions for v in c.values]
    return not any(other_variables(t) for t in texts)


def unknown_condition_value(mode: Mode) -> bool:
    return mode != "deny"


def is_read(action: str) -> bool:
    return action in READ_ACTIONS or action == LIST
