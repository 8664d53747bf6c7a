"""Verdict rows: what a table test expects of the pack's findings, and the one check they share.

A row builds a stack and states the whole verdict as facts, one a finding: (rule, level, kind, the
culprit's logical name). Per (rule, culprit) it may also state the finding's exact grants, gap codes, gap
values, or (for an unverified-at-preview note) its ``what`` and ``problems``. ``assert_findings`` checks
that the findings are exactly those facts, none doubled, and each stated detail exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cognito_s3_guard.findings import Finding
from inproc import grants
from pack_builder import OBJECT_ACTIONS, SUB, StackBuilder

from offline.model import UNKNOWN

GBP, WIDE, TRUST, READABLE, UNVERIFIED, HARDENING = (
    "granting-bucket-policy", "no-widening", "cognito-role-trust", "readable-documents",
    "unverified-at-preview", "bucket-hardening",
)  # fmt: skip
# At a first preview the pattern's trust document needs the pool id: that advisory note is expected.
TRUST_NOTE = (UNVERIFIED, "advisory", "trust-unknown", "auth-role")
# What full_pattern's role reaches on its bucket 'files': the grants its bucket policy must mirror.
FILES = "arn:aws:s3:::files"
PER_USER = f"{FILES}/users/{SUB}/*"
PREFIXES = (f"users/{SUB}/", f"users/{SUB}/*")
LIST_GRANT = ("s3:ListBucket", FILES, PREFIXES)
ROLE_GRANTS = frozenset({(a, PER_USER, None) for a in OBJECT_ACTIONS} | {LIST_GRANT})
# per-identity-scope (advisory) is the solver's, judged by tests/policypack/isolation: not these rows'.
NOT_HERE = frozenset({"per-identity-scope"})
# Both rules that ask the isolation solver off: a row must take milliseconds.
WITHOUT_SOLVER = {
    "cognito-bucket-access": {"rules": {"identity-isolation": "disabled"}},
    "cognito-s3-advisories": {"rules": {"per-identity-scope": "disabled"}},
}

Fact = tuple[str, str, str, str]
Key = tuple[str, str]  # (rule, culprit's logical name)


@dataclass(frozen=True)
class Expect:
    """A verdict: its findings as facts; grants, gap codes, gap values and notes by (rule, culprit)."""

    facts: frozenset[Fact]
    grants: dict[Key, frozenset[Any]] = field(default_factory=dict)
    gaps: dict[Key, frozenset[str]] = field(default_factory=dict)
    values: dict[Key, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    notes: dict[Key, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # what, problems

    def with_facts(self, *facts: Fact) -> Expect:
        return replace(self, facts=self.facts | frozenset(facts))


def expect(*facts: Fact, grants=None, gaps=None, values=None, notes=None) -> Expect:
    def frozen(d: dict[Key, Iterable[Any]] | None) -> dict[Key, frozenset[Any]]:
        return {k: frozenset(v) for k, v in (d or {}).items()}

    return Expect(frozenset(facts), frozen(grants), frozen(gaps), frozen(values), dict(notes or {}))


def trust_is_computed(b: StackBuilder) -> bool:
    """Whether a role's trust document is unknown in ``b`` (then a preview expects ``TRUST_NOTE``)."""
    return any(r.outputs.get("assumeRolePolicy") == UNKNOWN for r in b.resources)


def culprit(f: Finding) -> str:
    return f.resource.rsplit("::", 1)[-1]


def facts_of(findings: Iterable[Finding]) -> set[Fact]:
    return {(f.rule, f.level, f.kind, culprit(f)) for f in findings}


def assert_findings(found: Sequence[Finding], e: Expect) -> None:
    got = facts_of(found)
    assert got == set(e.facts), found
    assert len(found) == len(got), found  # one finding per fact, none doubled
    by = {(f.rule, culprit(f)): f for f in found}
    for key, want in e.grants.items():
        assert grants(by[key]) == set(want), (key, found)
    for key, want in e.gaps.items():
        assert {g.code for g in by[key].gaps} == set(want), (key, found)
    for key, want in e.values.items():
        assert {g.values for g in by[key].gaps} == set(want), (key, found)
    for key, (what, problems) in e.notes.items():
        assert (by[key].what, by[key].problems) == (what, problems), (key, found)


def assert_verdict(v: Any, e: Expect) -> None:
    """``v``'s findings, the solver's advisory aside, are exactly ``e``."""
    assert_findings([f for f in v.findings if f.rule not in NOT_HERE], e)
