"""The isolation properties as z3 string/regex formulas.

Identity ids. A Cognito identity id is ``<region>:<uuid>``; the region literal and the ``:`` are kept
(given, or a free string of region shape when unknown), so ``users/us-east-1:*`` still matches every
identity. The uuid part is abstracted to a string of length ``n`` over an alphabet ``S`` (``Abstraction``):

- ``S`` = the uuid characters (``0-9a-f-``) that occur in some literal of the statement set, plus two
  uuid characters that occur in none (fresh);
- ``n`` = 2 + twice the total length of the maximal runs of uuid characters in the literals, counted
  with multiplicity (every literal occurrence of every pattern, once for A's instance and once for B's).

Soundness (no abstract counterexample => no concrete one), when no pattern or condition value holds a
``?``: such patterns are ``l0 * l1 * ... * lm`` with the identity substituted into some ``li``, so
whether a string matches depends only on which literal words occur where, never on lengths. In a
concrete counterexample, a uuid matters only through (a) the literal words that a witnessing match
places over characters of that uuid (each a run of uuid characters of some literal, at most the total
run length in all) and (b) being different from the other uuid. Keep, in each uuid, the characters
that such witnessing occurrences use and replace the rest by one fresh character, then pad both uuids
with the fresh character to length ``n`` (the second fresh character keeps A != B when they would
collide). Positive atoms keep their witnesses; a negative atom (a Deny, a NotResource, a negated
operator) stays false because fresh characters occur in no literal, so no new occurrence of a literal
word can arise across them; equalities with literal condition values are covered by (a) since a full
literal value is itself a run. The same rewriting applied to the key and the list prefix maps the
concrete counterexample to an abstract one. With a ``?`` anywhere, or ``n`` >= 36, the uuid is exact
(``8-4-4-4-12`` lower-case hex), which is the concrete model itself.

The converse direction (abstract => concrete) is not needed for soundness: every abstract model is
concretised (fresh padding to 36 characters) and replayed through ``oracle``; a model that does not
replay is reported as undecided, never as a pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import z3

from ..documents import SUB_VARIABLE, Condition, Statement, bucket_arn, tokens
from .model import (
    LIST,
    OBJECT_ACTIONS,
    SUB_KEY,
    Mode,
    Problem,
    action_groups,
    allows_action,
    read_operator,
    statement_applies_in,
    unknown_condition_value,
    uses_identity,
)

EXACT_LEN = 36
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_RUN = re.compile(r"[0-9a-f-]+")


@dataclass(frozen=True)
class Abstraction:
    alphabet: str  # the uuid characters an abstract uuid is made of ("" in exact mode)
    length: int  # EXACT_LEN in exact mode
    fresh: str  # characters of the alphabet that occur in no literal

    @property
    def exact(self) -> bool:
        return self.length >= EXACT_LEN


def _texts(problem: Problem) -> list[str]:
    out: list[str] = []
    for t in problem.statements:
        s = t.stmt
        out += [*(s.resources or ()), *(s.not_resources or ()), *(v for c in s.conditions for v in c.values)]
    return out


def _literal_words(problem: Problem) -> list[str]:
    """Every literal word of every text, with multiplicity (each can witness one occurrence)."""
    arn = bucket_arn(problem.bucket)
    words: list[str] = []
    for text in _texts(problem):
        body = text[len(arn) :] if text.startswith(arn) else text
        word = ""
        for t in tokens(body):
            if t in ("*", "?") or t.startswith("${"):
                words.append(word)
                word = ""
            else:
                word += t[1:] if t.startswith("\\") and len(t) == 2 else t
        words.append(word)
    return words


def abstraction(problem: Problem) -> Abstraction:
    if any("?" in text.replace("${?}", "") for text in _texts(problem)):
        return Abstraction("", EXACT_LEN, "")
    runs = [r for w in _literal_words(problem) for r in _RUN.findall(w)]
    used = sorted({c for r in runs for c in r})
    fresh = "".join(c for c in "0123456789abcdef" if c not in used)[:2]
    # Each literal occurrence may witness once for identity A's instance and once for B's.
    length = 2 + 2 * sum(len(r) for r in runs)
    if length >= EXACT_LEN or len(fresh) < 2:
        return Abstraction("", EXACT_LEN, "")
    return Abstraction("".join(used) + fresh, length, fresh)


# --- terms -----------------------------------------------------------------------------------------

ALL = z3.Full(z3.ReSort(z3.StringSort()))
ANY = z3.AllChar(z3.ReSort(z3.StringSort()))


@dataclass
class Ids:
    region: z3.SeqRef
    ua: z3.SeqRef
    ub: z3.SeqRef

    def identity(self, which: str) -> z3.SeqRef:
        return z3.Concat(self.region, z3.StringVal(":"), self.ua if which == "a" else self.ub)


def id_constraints(ids: Ids, absn: Abstraction, region: str | None) -> list[z3.BoolRef]:
    # The explicit lengths matter: with them z3 sees at once that two ids differ inside a common head.
    n = absn.length
    out: list[z3.BoolRef] = [ids.ua != ids.ub, z3.Length(ids.ua) == n, z3.Length(ids.ub) == n]
    if absn.exact:
        h = z3.Union(z3.Range("0", "9"), z3.Range("a", "f"))
        dash = z3.Re("-")
        fmt = z3.Concat(z3.Loop(h, 8, 8), dash, z3.Loop(h, 4, 4), dash, z3.Loop(h, 4, 4), dash,
                        z3.Loop(h, 4, 4), dash, z3.Loop(h, 12, 12))  # fmt: skip
        out += [z3.InRe(ids.ua, fmt), z3.InRe(ids.ub, fmt)]
    else:
        sigma = z3.Union(*[z3.Re(c) for c in absn.alphabet])
        word = z3.Loop(sigma, absn.length, absn.length)
        out += [z3.InRe(ids.ua, word), z3.InRe(ids.ub, word)]
    if region is None:
        letters = z3.Range("a", "z")
        shape = z3.Concat(z3.Plus(letters), z3.Star(z3.Concat(z3.Re("-"), z3.Plus(letters))), z3.Re("-"),
                          z3.Plus(z3.Range("0", "9")))  # fmt: skip
        out.append(z3.InRe(ids.region, shape))
    return out


def regex(pattern: str, identity: z3.SeqRef, mode: Mode) -> z3.ReRef | None:
    """The pattern as a z3 regular expression over the whole string; None: matches nothing."""
    parts: list[z3.ReRef] = []
    lit = ""
    for t in tokens(pattern):
        if t in ("*", "?") or t.startswith("${"):
            if lit:
                parts.append(z3.Re(lit))
                lit = ""
            if t == "*":
                parts.append(ALL)
            elif t == "?":
                parts.append(ANY)
            elif t == SUB_VARIABLE:
                parts.append(z3.Re(identity))
            elif mode == "deny":
                return None
            else:
                parts.append(ALL)
        else:
            lit += t[1:] if t.startswith("\\") and len(t) == 2 else t
    if lit or not parts:
        parts.append(z3.Re(lit))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def member(text: z3.SeqRef, pattern: str, identity: z3.SeqRef, mode: Mode) -> z3.BoolRef:
    rx = regex(pattern, identity, mode)
    return z3.BoolVal(False) if rx is None else z3.InRe(text, rx)


def value_term(value: str, identity: z3.SeqRef) -> z3.SeqRef:
    pieces = value.split(SUB_VARIABLE)
    terms: list[z3.SeqRef] = []
    for i, piece in enumerate(pieces):
        if i:
            terms.append(identity)
        if piece:
            terms.append(z3.StringVal(piece))
    if not terms:
        return z3.StringVal("")
    return terms[0] if len(terms) == 1 else z3.Concat(*terms)


@dataclass
class Request:
    """A symbolic request: the key (object actions) or the prefix and whether it is present (list)."""

    key: z3.SeqRef
    prefix: z3.SeqRef
    has_prefix: z3.BoolRef


def condition(cond: Condition, identity: z3.SeqRef, req: Request, is_list: bool, mode: Mode) -> z3.BoolRef:
    read = read_operator(cond)
    if read is None:
        return z3.BoolVal(unknown_condition_value(mode))
    quant, base, if_exists = read
    if cond.key == SUB_KEY:
        present: z3.BoolRef = z3.BoolVal(True)
        value = identity
    elif is_list:
        present, value = req.has_prefix, req.prefix
    else:
        present, value = z3.BoolVal(False), req.prefix
    if base == "Null":
        want_absent = tuple(v.lower() for v in cond.values) == ("true",)
        return z3.Not(present) if want_absent else present
    if base in ("StringLike", "StringNotLike"):
        hit = z3.Or(*[member(value, v, identity, mode) for v in cond.values])
    else:
        hit = z3.Or(*[value == value_term(v, identity) for v in cond.values])
    test = z3.Not(hit) if "Not" in base else hit
    absent = bool(if_exists or quant == "ForAllValues" or (quant == "" and "Not" in base))
    return z3.If(present, test, z3.BoolVal(absent))


def resource(pattern: str, bucket: str, key: z3.SeqRef, is_list: bool, identity: z3.SeqRef, mode: Mode
             ) -> z3.BoolRef:  # fmt: skip
    """The request's resource matches: the bucket ARN (listing) or ``<bucket ARN>/<key>``. A pattern
    that starts with the literal ``<bucket ARN>/`` is matched against the key alone (same language)."""
    arn = bucket_arn(bucket)
    if is_list:
        return member(z3.StringVal(arn), pattern, identity, mode)
    head = arn + "/"
    if pattern.startswith(head) and not pattern.startswith(head + "{"):
        return member(key, pattern[len(head):], identity, mode)
    return member(z3.Concat(z3.StringVal(head), key), pattern, identity, mode)


def statement(stmt: Statement, identity: z3.SeqRef, action: str, req: Request, bucket: str, mode: Mode
              ) -> z3.BoolRef:  # fmt: skip
    """The statement (read in ``mode``) matches the symbolic request for one concrete action."""
    if not statement_applies_in(stmt, mode) or not allows_action(stmt, action):
        return z3.BoolVal(False)
    is_list = action == LIST
    if stmt.resources is not None:
        where = z3.Or(*[resource(p, bucket, req.key, is_list, identity, mode) for p in stmt.resources])
    elif stmt.not_resources is not None:
        other: Mode = "allow" if mode == "deny" else "deny"
        where = z3.Not(z3.Or(*[resource(p, bucket, req.key, is_list, identity, other)
                               for p in stmt.not_resources]))  # fmt: skip
    else:
        return z3.BoolVal(False)
    conds = [condition(c, identity, req, is_list, mode) for c in stmt.conditions]
    return z3.And(where, *conds)


def effective(problem: Problem, identity: z3.SeqRef, action: str, req: Request,
              only: Sequence[int] | None = None) -> z3.BoolRef:  # fmt: skip
    """IAM evaluation: some Allow (of the statements ``only``, default all) and no Deny."""
    b = problem.bucket
    allows, denies = [], []
    for i, t in enumerate(problem.statements):
        if t.stmt.effect == "Deny":
            denies.append(statement(t.stmt, identity, action, req, b, "deny"))
        elif only is None or i in only:
            allows.append(statement(t.stmt, identity, action, req, b, "allow"))
    return z3.And(z3.Or(*allows), z3.Not(z3.Or(*denies)))


def area(problem: Problem, identity: z3.SeqRef, key: z3.SeqRef, tag: str, lists: bool = True) -> z3.BoolRef:
    """The key lies in the identity's area (see ``oracle.in_area``). The listing part introduces
    existential prefixes, so a negated area must leave it out (``lists=False``)."""
    b = problem.bucket
    req = Request(key, z3.StringVal(""), z3.BoolVal(False))
    terms: list[z3.BoolRef] = []
    for i, t in enumerate(problem.statements):
        s = t.stmt
        if not uses_identity(s):
            continue
        if s.effect == "Allow":
            acts = [a for a in OBJECT_ACTIONS if allows_action(s, a)]
            if acts:
                terms.append(statement(s, identity, acts[0], req, b, "area"))
            if lists and allows_action(s, LIST):
                p, has = z3.String(f"{tag}_p{i}"), z3.Bool(f"{tag}_h{i}")
                listed = statement(s, identity, LIST, Request(key, p, has), b, "area")
                under = key == z3.Concat(p, z3.String(f"{tag}_r{i}"))
                terms.append(z3.And(listed, z3.Implies(has, under)))
        elif s.not_resources is not None and any(allows_action(s, a) for a in OBJECT_ACTIONS):
            spared = z3.Or(*[resource(p, b, key, False, identity, "area") for p in s.not_resources])
            groups = action_groups(problem, OBJECT_ACTIONS)
            reached = z3.Or(*[effective(problem, identity, a, req) for a in groups])
            terms.append(z3.And(spared, reached))
    return z3.Or(*terms) if terms else z3.BoolVal(False)
