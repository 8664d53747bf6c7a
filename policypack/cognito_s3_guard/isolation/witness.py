"""Cheap witness search before the solver: concrete requests built from the statements' own parts.

Crossings usually show on keys made of the patterns themselves (``users/<B>/<A>/x`` for
``users/*${sub}/*``). Each candidate is judged by the oracle alone, so a witness found here is as good as
one from the solver; when none is found the solver decides (a proof of "isolated" always comes from it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents import SUB_VARIABLE, bucket_arn, tokens
from .model import SUB_KEY

MAX_KEYS = 200
UUID_A = "0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"
UUID_B = "1b1b1b1b-1b1b-4b1b-8b1b-1b1b1b1b1b1b"
DEFAULT_REGION = "us-east-1"  # the identities' region when the problem fixes none
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d+"
NAMED_ID = re.compile(rf"({_REGION}):({_UUID})")  # an identity id: <region>:<uuid>
SPELLED_REGION = re.compile(rf"(?<![a-z0-9-])({_REGION}):")  # a region before an identity id's ':'


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


def named_ids(problem: object, region: str | None) -> list[tuple[str, str]]:
    """(region, uuid) of the identities that a condition on the identity key names literally (an
    administrator's identity id, say), in the pool's region when it is known."""
    out: dict[tuple[str, str], None] = {}
    for t in problem.statements:  # type: ignore[attr-defined]
        for c in t.stmt.conditions:
            if c.key != SUB_KEY:
                continue
            for v in c.values:
                m = NAMED_ID.fullmatch(v)
                if m and region in (None, m.group(1)):
                    out.setdefault((m.group(1), m.group(2)))
    return list(out)


def spelled_regions(problem: object) -> list[str]:
    """The regions the statements' parts spell before a ``:`` (``users/eu-west-1:*``), in order: the
    folders of identities of those regions, which a problem with no fixed region must try too."""
    return list(dict.fromkeys(m.group(1) for text in _texts(problem) for m in SPELLED_REGION.finditer(text)))


def candidates(problem: object, region: str | None, lists: bool) -> Iterator[Candidate]:
    """Keys from the statements' parts (and, when ``lists``, list prefixes: none, empty, or a part), for
    two fixed identities of the problem's region (with none fixed: of us-east-1, then of each region the
    parts spell), then for each identity a condition names beside one of them."""
    regions = [region] if region else list(dict.fromkeys([DEFAULT_REGION, *spelled_regions(problem)]))
    pairs = [(r, UUID_A, UUID_B) for r in regions]
    for r, u in named_ids(problem, region):
        pairs += [(r, u, UUID_B if u != UUID_B else UUID_A), (r, UUID_A if u != UUID_A else UUID_B, u)]
    for r, ua, ub in pairs:
        yield from _keyed(problem, r, ua, ub, lists)


def _keyed(problem: object, reg: str, ua: str, ub: str, lists: bool) -> Iterator[Candidate]:
    a, b = f"{reg}:{ua}", f"{reg}:{ub}"
    parts: dict[str, None] = {}
    for text in _texts(problem):
        for k in itertools.islice(_instances(text, a, b), MAX_KEYS):
            parts.setdefault(k)
    keys = list(itertools.islice(dict.fromkeys([*parts, *(k + "x" for k in parts)]), MAX_KEYS))
    prefixes = [None, "", *parts] if lists else [None]
    for k in keys:
        for p in prefixes:
            if p is None or k.startswith(p):
                yield Candidate(reg, ua, ub, k, p)
