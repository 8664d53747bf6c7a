"""Decide the isolation properties for one role and one bucket.

Order: the fast path (the usual shape, no solver); the cache (the normalised statement set); then per
property the fast path for that property alone (write, read: ``crossing_free``), a witness search over
requests built from the statements' own parts, judged by the oracle alone; then z3 (``encode``), whose
"unsat" is the only source of an "isolated" verdict off the fast paths. A model is concretised and
replayed through the oracle before it is reported; a timeout or a model that does not replay is
"undecided", never a pass. ``Result.timings_ms`` holds the solver's time per property (0 when a fast path
or a witness decided it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import z3

from . import encode as E
from .fastpath import crossing_free, fast_isolated
from .model import (
    LIST,
    OBJECT_ACTIONS,
    READ_ACTIONS,
    WRITE_ACTIONS,
    Counterexample,
    Kind,
    Problem,
    Result,
    Tagged,
    Verdict,
    action_groups,
    is_read,
    uses_identity,
)
from .oracle import allowing, in_area, statement_matches, under_shared
from .witness import candidates
from .words import positive_words

DEFAULT_TIMEOUT_MS = 4000
PINNED_MS = 500  # the first try of each part, with both ids pinned
HEX = "0123456789abcdef"


@dataclass
class Vars:
    ids: E.Ids
    req: E.Request

    @classmethod
    def fresh(cls, region: str | None) -> Vars:
        reg = z3.StringVal(region) if region is not None else z3.String("region")
        ids = E.Ids(reg, z3.String("ua"), z3.String("ub"))
        return cls(ids, E.Request(z3.String("key"), z3.String("prefix"), z3.Bool("has_prefix")))


def _listings(problem: Problem, a: z3.SeqRef, v: Vars, only: list[int] | None = None) -> list[z3.BoolRef]:
    """A lists the key: without a prefix, or with one the key starts with (two separate cases)."""
    listed = E.effective(problem, a, LIST, v.req, only)
    under = v.req.key == z3.Concat(v.req.prefix, z3.String("list_rest"))  # z3 is far faster than PrefixOf
    return [z3.And(listed, z3.Not(v.req.has_prefix)), z3.And(listed, v.req.has_prefix, under)]


def _shared_key(problem: Problem, text: z3.SeqRef) -> z3.BoolRef:
    return z3.Or(*[z3.InRe(text, z3.Concat(z3.Re(s), E.ALL)) for s in problem.shared_prefixes])


# Each property is a disjunction; its disjuncts are solved one by one (z3 decides small ones far more
# predictably than their disjunction): satisfiable when one is, unsatisfiable when all are.


def write_parts(problem: Problem, v: Vars) -> list[z3.BoolRef]:
    a, b = v.ids.identity("a"), v.ids.identity("b")
    obj = E.Request(v.req.key, v.req.prefix, z3.BoolVal(False))
    inside = E.area(problem, b, v.req.key, "b")
    acts = action_groups(problem, WRITE_ACTIONS)
    return [z3.And(inside, E.effective(problem, a, act, obj)) for act in acts]


def read_parts(problem: Problem, v: Vars) -> list[z3.BoolRef]:
    a, b = v.ids.identity("a"), v.ids.identity("b")
    obj = E.Request(v.req.key, v.req.prefix, z3.BoolVal(False))
    reach = [E.effective(problem, a, act, obj) for act in action_groups(problem, READ_ACTIONS)]
    inside = z3.And(E.area(problem, b, v.req.key, "b"), z3.Not(_shared_key(problem, v.req.key)))
    return [z3.And(inside, r) for r in [*reach, *_listings(problem, a, v)]]


def shared_parts(problem: Problem, v: Vars) -> list[z3.BoolRef]:
    """A reaches a key outside its own (object) area through a statement that is the same for every
    identity."""
    a, obj = v.ids.identity("a"), E.Request(v.req.key, v.req.prefix, z3.BoolVal(False))
    only = [i for i, t in enumerate(problem.statements) if not uses_identity(t.stmt)]
    exempt = _shared_key(problem, v.req.key)
    reach = []
    for act in action_groups(problem, OBJECT_ACTIONS):
        got = E.effective(problem, a, act, obj, only)
        reach.append(z3.And(got, z3.Not(exempt)) if is_read(act) else got)
    not_exempt = z3.Not(z3.And(v.req.has_prefix, _shared_key(problem, v.req.prefix)))
    reach += [z3.And(lst, not_exempt) for lst in _listings(problem, a, v, only)]
    outside = z3.Not(E.area(problem, a, v.req.key, "a", lists=False))
    return [z3.And(outside, r) for r in reach]


@dataclass(frozen=True)
class Model:
    region: str
    ua: str
    ub: str
    key: str
    prefix: str | None


Parts = Callable[[Problem, Vars], list[z3.BoolRef]]


def solve(problem: Problem, parts: Parts, timeout_ms: int) -> tuple[str, Model | None, float]:
    """("sat" | "unsat" | "unknown", the model, milliseconds) of a property's disjunction, part by part.
    Each part is first tried with both ids pinned to fixed abstract values (ground regular expressions:
    models come fast); that "sat" is a genuine model. When that runs out of time, once more with the
    patterns as word equations (``words``; equisatisfiable): z3 found the model of a Deny NotResource
    with a star before the variable that way in 0.1 s, against 10 s on the regexes. Only the query with
    both ids free proves "unsat" (word equations there when the ids are exact: see ``_solve_once``).
    Every query has its own limit (``timeout_ms``; the pinned ones at most ``PINNED_MS``)."""
    absn = E.abstraction(problem)
    n, f = absn.length, absn.fresh
    pinned = None if absn.exact else (f[0] * n, f[0] * (n - 1) + f[1])
    short = min(timeout_ms, PINNED_MS)
    start, verdict = time.perf_counter(), "unsat"
    for i in range(len(parts(problem, Vars.fresh(problem.region)))):
        tries = [(pinned, short, False), (pinned, short, True)] if pinned else []
        tries.append((None, timeout_ms, absn.exact))
        answer = ""
        for pin, limit, words in tries:
            if words and pin is not None and answer != "unknown":
                continue  # the pinned regexes decided it: no second pinned try
            answer, model = _solve_once(problem, parts, i, absn, limit, pin, words)
            if answer == "sat":
                return (answer, model, (time.perf_counter() - start) * 1000)
        if answer == "unknown":
            verdict = "unknown"
    return (verdict, None, (time.perf_counter() - start) * 1000)


def _solve_once(problem: Problem, parts: Parts, index: int, absn: E.Abstraction, timeout_ms: int,
                pinned: tuple[str, str] | None, words: bool = False) -> tuple[str, Model | None]:  # fmt: skip
    v = Vars.fresh(problem.region)
    s = z3.Solver()
    s.set("timeout", timeout_ms)
    if pinned is not None:  # the pinned values satisfy the id constraints; only the region's are left
        v = Vars(E.Ids(v.ids.region, z3.StringVal(pinned[0]), z3.StringVal(pinned[1])), v.req)
    s.add(*E.id_constraints(v.ids, absn, problem.region))
    formula = parts(problem, v)[index]
    # Word equations (``words``) where z3 is slow on symbolic regexes: a 36-character exact id, and a
    # second pinned try. Not first: on the brute-force property z3 took half the time on the regexes.
    s.add(positive_words(formula) if words else formula)
    answer = s.check()
    if answer != z3.sat:
        return ("unsat" if answer == z3.unsat else "unknown", None)
    m = s.model()

    def text(t: z3.SeqRef) -> str:
        return _unescape(m.eval(t, model_completion=True).as_string())

    has = z3.is_true(m.eval(v.req.has_prefix, model_completion=True))
    model = Model(text(v.ids.region), text(v.ids.ua), text(v.ids.ub), text(v.req.key),
                  text(v.req.prefix) if has else None)  # fmt: skip
    return ("sat", _concretise(model, absn))


_Z3_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}")


def _unescape(text: str) -> str:
    """z3 prints characters outside printable ASCII as ``\\u{..}``."""
    return _Z3_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _uuid(abstract: str, filler: str) -> str:
    digits = "".join(c if c in HEX else filler for c in abstract).ljust(32, filler)[:32]
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _concretise(m: Model, absn: E.Abstraction) -> Model:
    if absn.exact:
        return m
    filler = absn.fresh[0]
    ua, ub = _uuid(m.ua, filler), _uuid(m.ub, filler)
    if ua == ub:
        ub = ub[:-1] + absn.fresh[1]
    old_a, old_b = f"{m.region}:{m.ua}", f"{m.region}:{m.ub}"
    new = {old_a: f"{m.region}:{ua}", old_b: f"{m.region}:{ub}"}
    rx = re.compile("|".join(re.escape(o) for o in sorted(new, key=len, reverse=True)))

    def sub(s: str) -> str:
        return rx.sub(lambda x: new[x.group(0)], s)

    return Model(m.region, ua, ub, sub(m.key), None if m.prefix is None else sub(m.prefix))


# --- replay through the oracle ---------------------------------------------------------------------


def _ids(m: Model) -> tuple[str, str]:
    return f"{m.region}:{m.ua}", f"{m.region}:{m.ub}"


def _cx(problem: Problem, m: Model, action: str, prefix: str | None, index: int) -> Counterexample:
    a, b = _ids(m)
    return Counterexample(a, b, action, m.key, prefix, problem.statements[index].origin)


def _index(problem: Problem, tagged: Tagged) -> int:
    """Its place by equality: the oracle's cache may hand back the statement of an earlier, equal problem."""
    return problem.statements.index(tagged)


def replay_write(problem: Problem, m: Model) -> Counterexample | None:
    a, b = _ids(m)
    if not in_area(problem, b, m.key):
        return None
    for act in action_groups(problem, WRITE_ACTIONS):
        t = allowing(problem, a, act, m.key, None)
        if t is not None:
            return _cx(problem, m, act, None, _index(problem, t))
    return None


def replay_read(problem: Problem, m: Model) -> Counterexample | None:
    a, b = _ids(m)
    if not in_area(problem, b, m.key) or under_shared(problem, m.key):
        return None
    for act in action_groups(problem, READ_ACTIONS):
        t = allowing(problem, a, act, m.key, None)
        if t is not None:
            return _cx(problem, m, act, None, _index(problem, t))
    if m.prefix is None or m.key.startswith(m.prefix):
        t = allowing(problem, a, LIST, None, m.prefix)
        if t is not None:
            return _cx(problem, m, LIST, m.prefix, _index(problem, t))
    return None


def _shared_via(problem: Problem, a: str, act: str, key: str | None, prefix: str | None) -> int | None:
    if allowing(problem, a, act, key, prefix) is None:
        return None
    for i, t in enumerate(problem.statements):
        s = t.stmt
        if s.effect == "Allow" and not uses_identity(s) and statement_matches(
            s, a, act, key, prefix, problem.bucket, "allow"
        ):
            return i
    return None


def replay_shared(problem: Problem, m: Model) -> Counterexample | None:
    a, _ = _ids(m)
    if in_area(problem, a, m.key, lists=False):
        return None
    for act in action_groups(problem, OBJECT_ACTIONS):
        if is_read(act) and under_shared(problem, m.key):
            continue
        i = _shared_via(problem, a, act, m.key, None)
        if i is not None:
            return _cx(problem, m, act, None, i)
    if (m.prefix is None or m.key.startswith(m.prefix)) and not (
        m.prefix is not None and under_shared(problem, m.prefix)
    ):
        i = _shared_via(problem, a, LIST, None, m.prefix)
        if i is not None:
            return _cx(problem, m, LIST, m.prefix, i)
    return None


# --- verdicts --------------------------------------------------------------------------------------

Property = tuple[Kind, Parts, Callable[[Problem, Model], Counterexample | None]]
PROPERTIES: dict[str, Property] = {
    "write": ("crossing-write", write_parts, replay_write),
    "read": ("crossing-read", read_parts, replay_read),
    "shared": ("shared", shared_parts, replay_shared),
}


def search(problem: Problem, prop: str) -> Verdict | None:
    """A witness among the candidates built from the statements' parts, judged by the oracle alone."""
    kind, _, replay = PROPERTIES[prop]
    for c in candidates(problem, problem.region, lists=prop != "write"):
        cx = replay(problem, Model(c.region, c.ua, c.ub, c.key, c.prefix))
        if cx is not None:
            return Verdict(kind, cx, via="witness")
    return None


def decide(problem: Problem, prop: str, timeout_ms: int, witness: bool = True) -> tuple[Verdict, float]:
    """The verdict of one property and the solver's time (0 when a witness was found without it)."""
    found = search(problem, prop) if witness else None
    if found is not None:
        return found, 0.0
    kind, formula, replay = PROPERTIES[prop]
    answer, model, ms = solve(problem, formula, timeout_ms)
    if answer == "unsat":
        return Verdict("isolated"), ms
    if answer == "unknown" or model is None:
        return Verdict("undecided", reason=f"the solver ran out of its {timeout_ms} ms"), ms
    cx = replay(problem, model)
    if cx is None:
        why = f"the solver's model did not replay through the concrete evaluator: {model}"
        return Verdict("undecided", reason=why), ms
    return Verdict(kind, cx), ms


_CACHE: dict[tuple[object, ...], tuple[Result, Problem]] = {}
STATS = {"fast": 0, "cache": 0, "solved": 0}


def cache_key(problem: Problem) -> tuple[object, ...]:
    """The normalised statement set: origins dropped, order and duplicates kept out of it."""
    stmts = tuple(sorted({t.stmt for t in problem.statements}, key=repr))
    return (problem.bucket, stmts, problem.region, tuple(sorted(set(problem.shared_prefixes))))


def _rebind(result: Result, was: Problem, now: Problem) -> Result:
    """A cached result with its statements' origins taken from the problem at hand."""
    by_stmt = {t.stmt: t.origin for t in now.statements}

    def fix(v: Verdict) -> Verdict:
        cx = v.counterexample
        if cx is None or cx.origin is None:
            return replace(v, via="cache")
        stmt = next(t.stmt for t in was.statements if t.origin == cx.origin)
        return replace(v, via="cache", counterexample=replace(cx, origin=by_stmt[stmt]))

    return Result(fix(result.write), fix(result.read), fix(result.shared), ())


def check(problem: Problem, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Result:
    """The three verdicts for one role and one bucket."""
    if fast_isolated(problem):
        STATS["fast"] += 1
        iso = Verdict("isolated", via="fast-path")
        return Result(iso, iso, iso)
    key = cache_key(problem)
    if key in _CACHE:
        STATS["cache"] += 1
        cached, was = _CACHE[key]
        return _rebind(cached, was, problem)
    STATS["solved"] += 1
    verdicts, times = [], []
    for prop in ("write", "read", "shared"):
        if prop != "shared" and crossing_free(problem, prop):
            verdict, ms = Verdict("isolated", via="fast-path"), 0.0
        else:
            verdict, ms = decide(problem, prop, timeout_ms)
        verdicts.append(verdict)
        times.append(ms)
    result = Result(*verdicts, timings_ms=tuple(times))
    _CACHE[key] = (result, problem)
    return result
