"""Cheap witness search before the solver: concrete requests built from the statements' own parts.

Crossings usually show on keys made of the patterns themselves (``users/<B>/<A>/x`` for
``users/*${sub}/*``). Each candidate is judged by the oracle alone, so a witness found here is as good as
one from the solver; when none is found the solver decides (a proof of "isolated" always comes from it).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents import SUB_VARIABLE, bucket_arn, tokens

MAX_KEYS = 200
UUID_A = "0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"
UUID_B = "1b1b1b1b-1b1b-4b1b-8b1b-1b1b1b1b1b1b"


@dataclass(frozen=True)
class Candidate:
    region: str
    ua: str
    ub: str
    key: str
    prefix: str | None


def _texts(problem: object) -> list[str]:
    arn = bucket_arn(problem.bucket)  # type: ignore[attr-defined]
    out: list[str] = []
    for t in problem.statements:  # type: ignore[attr-defined]
        s = t.stmt
        for p in [*(s.resources or ()), *(s.not_resources or ())]:
            if p.startswith(arn + "/"):
                out.append(p[len(arn) + 1 :])
            elif p in ("*", "arn:aws:s3:::*"):
                out.append("*")
        out += [v for c in s.conditions for v in c.values]
    return out


def _instances(text: str, a: str, b: str) -> Iterator[str]:
    """The text with the variable as A or B and each wildcard as one of a few fillers."""
    fillers = ("", "x", f"{b}/", f"{a}/")
    toks = tokens(text)
    wild = [i for i, t in enumerate(toks) if t in ("*", "?") or t.startswith("${")]
    for who in (a, b):
        for fill in itertools.islice(itertools.product(fillers, repeat=len(wild)), 64):
            pick = dict(zip(wild, fill, strict=True))
            out = []
            for i, t in enumerate(toks):
                if t == SUB_VARIABLE:
                    out.append(who)
                elif i in pick:
                    out.append("x" if t == "?" else pick[i])
                else:
                    out.append(t[1:] if t.startswith("\\") and len(t) == 2 else t)
            yield "".join(out)


def candidates(problem: object, region: str | None, lists: bool) -> Iterator[Candidate]:
    """Keys from the statements' parts (and, when ``lists``, list prefixes: none, empty, or a part)."""
    reg = region or "us-east-1"
    a, b = f"{reg}:{UUID_A}", f"{reg}:{UUID_B}"
    parts: dict[str, None] = {}
    for text in _texts(problem):
        for k in itertools.islice(_instances(text, a, b), MAX_KEYS):
            parts.setdefault(k)
    keys = list(itertools.islice(dict.fromkeys([*parts, *(k + "x" for k in parts)]), MAX_KEYS))
    prefixes = [None, "", *parts] if lists else [None]
    for k in keys:
        for p in prefixes:
            if p is None or k.startswith(p):
                yield Candidate(reg, UUID_A, UUID_B, k, p)
