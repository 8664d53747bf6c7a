"""Identity patterns as word equations where that is exact: an equisatisfiable rewriting of a formula.

``encode`` matches a pattern holding the identity variable as a regular expression with a symbolic part,
``InRe(key, "users/" ++ Re(id) ++ "/" ++ Full)``. z3 decides those slowly: with an exact-format uuid and a
``?`` elsewhere one query took seconds (a stack with ``users/?/*`` beside ``users/${sub}/*`` took 20 s).
The same atom as a word equation, ``key == "users/" ++ id ++ "/" ++ x`` (``x`` fresh, constrained by the
ground rest of the pattern), is decided in milliseconds.

The rewriting: ``InRe(t, R0 ++ Re(s1) ++ R1 ++ ... ++ Re(sk) ++ Rk)``, with every ``Ri`` ground, holds iff
some strings ``x0 .. xk`` with ``xi`` in ``Ri`` give ``t == x0 ++ s1 ++ x1 ++ ... ++ sk ++ xk``. An atom in
positive position (under And, Or, the consequent of Implies, the branches of If, and an even number of
Not) is replaced by that equation over fresh constants (Skolem constants of the existential): the
formula and its rewriting are equisatisfiable, every model of the rewriting is a model of the formula,
and "unsat" means the same for both. Atoms in negative or mixed position (a condition of If, a Deny that
applies) are left as they are; when any identity atom stands there, the formula is left whole (z3
relates two atoms of one kind better than a regex to a word equation). A ground atom with a literal
head, ``InRe(t, "users/" ++ R)``, becomes ``t == "users/" ++ x`` with ``x`` in ``R`` (same argument).
``check`` rewrites the queries with an exact-format id only; with a short abstract id, or pinned ids (an
id that folds to a literal), z3 does better on the regexes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import z3

_COUNTER = itertools.count()

Part = tuple[str, z3.ExprRef]  # ("lit", ground string) | ("sym", string term) | ("re", ground regex)


def _flatten(rx: z3.ReRef) -> list[z3.ReRef]:
    if z3.is_app_of(rx, z3.Z3_OP_RE_CONCAT):
        return [part for child in rx.children() for part in _flatten(child)]
    return [rx]


def _classify(rx: z3.ReRef) -> list[Part]:
    """The parts of a concatenation; a ``Re(s)`` whose ``s`` folds to a literal (a pinned id) is one."""
    out: list[Part] = []
    for p in _flatten(rx):
        if not z3.is_app_of(p, z3.Z3_OP_SEQ_TO_RE):
            out.append(("re", p))
            continue
        s = p.arg(0) if z3.is_string_value(p.arg(0)) else z3.simplify(p.arg(0))
        out.append(("lit", s) if z3.is_string_value(s) else ("sym", p.arg(0)))
    return out


def _concat(terms: list[z3.SeqRef]) -> list[z3.SeqRef]:
    return [] if not terms else [terms[0] if len(terms) == 1 else z3.Concat(*terms)]


def _run_terms(run: list[Part], side: list[z3.BoolRef]) -> list[z3.SeqRef]:
    """Terms for a ground run: its literal head, a fresh string for the rest up to its literal tail
    (constrained to that part of the run unless it is ``Full``), the literal tail."""
    head = 0
    while head < len(run) and run[head][0] == "lit":
        head += 1
    tail = len(run)
    while tail > head and run[tail - 1][0] == "lit":
        tail -= 1
    middle = [z3.Re(v) if k == "lit" else v for k, v in run[head:tail]]
    terms = _concat([v for _, v in run[:head]])
    if middle:
        x = z3.String(f"word_{next(_COUNTER)}")
        rx = middle[0] if len(middle) == 1 else z3.Concat(*middle)
        if not z3.is_app_of(rx, z3.Z3_OP_RE_FULL_SET):
            side.append(z3.InRe(x, rx))
        terms.append(x)
    return terms + _concat([v for _, v in run[tail:]])


def _as_words(atom: z3.BoolRef) -> z3.BoolRef:
    parts = _classify(atom.arg(1))
    if all(k != "sym" for k, _ in parts) and (len(parts) < 2 or parts[0][0] != "lit"):
        return atom
    terms: list[z3.SeqRef] = []
    side: list[z3.BoolRef] = []
    run: list[Part] = []
    for kind, value in parts:
        if kind != "sym":
            run.append((kind, value))
            continue
        terms += [*_run_terms(run, side), value]
        run = []
    terms += _run_terms(run, side)
    if not terms:
        terms = [z3.StringVal("")]
    whole = terms[0] if len(terms) == 1 else z3.Concat(*terms)
    return z3.And(atom.arg(0) == whole, *side)


def _atoms(f: z3.BoolRef, positive: bool) -> Iterator[tuple[z3.BoolRef, bool]]:
    """The membership atoms of ``f`` and whether each stands in positive position (mixed: negative)."""
    if z3.is_and(f) or z3.is_or(f):
        for c in f.children():
            yield from _atoms(c, positive)
    elif z3.is_not(f):
        yield from _atoms(f.arg(0), not positive)
    elif z3.is_implies(f):
        yield from _atoms(f.arg(0), not positive)
        yield from _atoms(f.arg(1), positive)
    elif z3.is_app_of(f, z3.Z3_OP_ITE) and z3.is_bool(f):
        yield from _atoms(f.arg(0), False)
        yield from _atoms(f.arg(1), positive)
        yield from _atoms(f.arg(2), positive)
    elif z3.is_app_of(f, z3.Z3_OP_SEQ_IN_RE):
        yield f, positive


def _rewrite(f: z3.BoolRef, positive: bool) -> z3.BoolRef:
    if z3.is_and(f):
        return z3.And(*[_rewrite(c, positive) for c in f.children()])
    if z3.is_or(f):
        return z3.Or(*[_rewrite(c, positive) for c in f.children()])
    if z3.is_not(f):
        return z3.Not(_rewrite(f.arg(0), not positive))
    if z3.is_implies(f):
        return z3.Implies(_rewrite(f.arg(0), not positive), _rewrite(f.arg(1), positive))
    if z3.is_app_of(f, z3.Z3_OP_ITE) and z3.is_bool(f):
        return z3.If(f.arg(0), _rewrite(f.arg(1), positive), _rewrite(f.arg(2), positive))
    if positive and z3.is_app_of(f, z3.Z3_OP_SEQ_IN_RE):
        return _as_words(f)
    return f


def _has_symbolic(atom: z3.BoolRef) -> bool:
    return any(k == "sym" for k, _ in _classify(atom.arg(1)))


def positive_words(f: z3.BoolRef) -> z3.BoolRef:
    """``f`` with its positive membership atoms as word equations, or ``f`` itself when an identity atom
    stands in negative position (a Deny on the Allow's own pattern took z3 seconds more rewritten)."""
    if any(not pos and _has_symbolic(a) for a, pos in _atoms(f, True)):
        return f
    return _rewrite(f, True)
