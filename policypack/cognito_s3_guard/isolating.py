"""From the graph to the isolation core's input: one ``Problem`` per (Cognito role, bucket).

The statements are those that apply to the role in both layers, Denies included: every statement of the
role's own known documents that can touch an object or a listing, and every statement of the bucket's
known policies whose principal may include the role (an Allow: it names the role or includes it, as
no-widening reads it; a Deny: it names the role or ``*``, so that only Denies that surely apply subtract).
Unknown documents are left out: what they allow is unverified-at-preview's business. Each statement is
tagged with where it comes from (a resource label, its Sid or index, the resource's URN).

An Allow that mixes per-identity and shared parts (Amplify's ``GetObject`` on ``[media/${sub}/*,
public/*]``, or an ``s3:prefix`` list with ``public/`` beside ``private/${sub}/``) is split into its
per-identity part and its shared part, both tagged with the statement's origin. The split is exact (an
Allow's resources, and the values of a positive ``StringLike``/``StringEquals`` condition, are each a
disjunction), and it makes the shared prefix nobody's *area*: it is shared, as issue 14 wants
(``public/`` keeps today's advisory; writing one's own ``protected/<A>/`` is no crossing write because
``protected/*`` is listable by everyone).

The region is the identity pool's, read from a known pool id (``<region>:<uuid>``) that attaches the
role or that its trust's ``aud`` condition names; with none, or several regions, it is unknown and the
core lets it be any region.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache

from .documents import AUD_KEY, SUB_VARIABLE, Condition, Statement
from .graph import Role, Source
from .isolation import Origin, Problem, Result, Tagged, Verdict
from .isolation.fastpath import usual_shape
from .isolation.model import LIST, OBJECT_ACTIONS, PREFIX_KEY, allows_action
from .reach import BucketSide

POOL_ID = re.compile(r"([a-z]{2}(?:-[a-z]+)+-\d+):.+")
_TYPE_TOKEN = re.compile(r"aws:[A-Za-z0-9]+/[A-Za-z0-9]+:")


def pool_region(role: Role) -> str | None:
    """The region of the role's identity pool, when the known pool ids agree on one."""
    ids = [pid for _, pid in role.pools if pid]
    if role.trust.known:
        for s in role.trust.statements:
            ids += [v for _, values in s.condition_values(AUD_KEY) for v in values]
    regions = {m.group(1) for m in (POOL_ID.fullmatch(i) for i in ids) if m}
    return regions.pop() if len(regions) == 1 else None


def _touches_objects(stmt: Statement) -> bool:
    return _touches(stmt.actions, stmt.not_actions)


@lru_cache(maxsize=4096)
def _touches(actions: tuple[str, ...] | None, not_actions: tuple[str, ...] | None) -> bool:
    stmt = Statement("Allow", actions=actions, not_actions=not_actions)
    return allows_action(stmt, LIST) or any(allows_action(stmt, a) for a in OBJECT_ACTIONS)


def _label(src: Source, role: Role) -> str:
    return _TYPE_TOKEN.sub("", src.route).replace("of the role", f"of {role.label}")


def _parts(values: tuple[str, ...]) -> list[tuple[str, ...]]:
    own = tuple(v for v in values if SUB_VARIABLE in v)
    rest = tuple(v for v in values if SUB_VARIABLE not in v)
    return [own, rest] if own and rest else [values]


def _split_condition(stmt: Statement) -> list[Statement]:
    mixed = [
        i
        for i, c in enumerate(stmt.conditions)
        if c.key == PREFIX_KEY and c.operator in ("StringLike", "StringEquals") and len(_parts(c.values)) == 2
    ]
    if len(mixed) != 1:  # none, or several conditions to split at once: leave it whole (still sound)
        return [stmt]
    i = mixed[0]
    c = stmt.conditions[i]
    return [replace(stmt, conditions=(*stmt.conditions[:i], Condition(c.operator, c.key, part),
                                      *stmt.conditions[i + 1:])) for part in _parts(c.values)]  # fmt: skip


def split(stmt: Statement) -> list[Statement]:
    """An Allow as its per-identity and its shared parts (exact: each part is a disjunct)."""
    if stmt.effect != "Allow":
        return [stmt]
    parts = _parts(stmt.resources) if stmt.resources else []
    pieces = [replace(stmt, resources=p) for p in parts] if len(parts) == 2 else [stmt]
    return [q for p in pieces for q in _split_condition(p)]


Raw = tuple[tuple[Source, int, Statement], ...]  # a statement, its document and its index there


def role_raw(role: Role) -> Raw:
    """The statements of the role's known documents that can touch an object or a listing."""
    return _ordered((src, i, s) for src in role.sources if src.doc.known
                    for i, s in enumerate(src.doc.statements) if _touches_objects(s))  # fmt: skip


def _ordered(raw: Iterable[tuple[Source, int, Statement]]) -> Raw:
    """By resource, document and index: the counterexample's statement (the culprit) must not depend on
    the order in which the program registered its resources."""
    return tuple(sorted(raw, key=lambda x: (x[0].urn, x[0].route, x[1])))


def bucket_raw(side: BucketSide) -> Raw:
    """The statements of the bucket's known policies that apply to the role (``reach.bucket_side`` read
    the principals already) and can touch an object or a listing."""
    return _ordered(x for x in side.statements if _touches_objects(x[2]))


FAST = Verdict("isolated", via="fast-path")
ISOLATED = Result(FAST, FAST, FAST)


def judge(raw: Raw, bucket: str, role: Role, region: str | None, shared: tuple[str, ...],
          solve: Callable[[Problem], Result]) -> tuple[Problem, Result]:  # fmt: skip
    """The problem and its verdicts. The usual shape is recognised on the bare statements, before they
    are tagged, split and deduplicated (most stacks: one cheap pass per role and bucket)."""
    if usual_shape((s for _, _, s in raw), bucket):
        return Problem(bucket, (), region, shared), ISOLATED
    labels: dict[str, str] = {}
    tagged: list[Tagged] = []
    for src, i, s in raw:
        label = labels.setdefault(src.route, _label(src, role))
        tagged += [Tagged(piece, Origin(label, i, s.sid, src.urn)) for piece in split(s)]
    problem = Problem(bucket, _distinct(tuple(tagged)), region, shared)
    return problem, solve(problem)


def _distinct(stmts: tuple[Tagged, ...]) -> tuple[Tagged, ...]:
    """One copy of each statement: a bucket policy that mirrors the role's statements for the role adds
    the same grants again (its principal is already judged), and the solver's formula stays half as big.
    The first copy (the role's own policy) keeps its origin."""
    seen: set[Statement] = set()
    out: list[Tagged] = []
    for t in stmts:
        bare = _bare(t.stmt)
        if bare not in seen:
            seen.add(bare)
            out.append(t if bare is t.stmt else Tagged(bare, t.origin))
    return tuple(out)


def _bare(stmt: Statement) -> Statement:
    """A statement without its principal: the same grant in the role's policy and the bucket policy."""
    if stmt.principals is None and stmt.not_principals is None:
        return stmt
    return replace(stmt, principals=None, not_principals=None)


def pieces(problem: Problem, origin: Origin | None) -> tuple[Statement, ...]:
    """The statement an origin names, as the pieces it was split into, principal left out (so that a
    bucket policy's mirror of a role statement is the same statement); empty: no such origin."""
    return tuple(_bare(t.stmt) for t in problem.statements if t.origin == origin)


def without(problem: Problem, origin: Origin) -> Problem:
    """The problem less one statement, and less every copy of it in either layer: what else reaches."""
    by_origin: dict[Origin, list[Statement]] = {}
    for t in problem.statements:
        by_origin.setdefault(t.origin, []).append(_bare(t.stmt))
    gone = by_origin.get(origin, [])
    return replace(problem, statements=tuple(t for t in problem.statements if by_origin[t.origin] != gone))
