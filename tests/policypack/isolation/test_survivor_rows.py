"""Rows for behaviours at the edges of the isolation core: a listing statement whose Resource pattern
reaches the bucket without naming it, a quantified negated condition on a key the request lacks, and a
bucket policy's copy (with NotPrincipal) of a role statement."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import z3
from cognito_s3_guard.isolating import pieces, without
from cognito_s3_guard.isolation import STATS, Origin, Tagged, check, decide
from cognito_s3_guard.isolation.fastpath import crossing_free
from cognito_s3_guard.isolation.model import LIST
from cognito_s3_guard.isolation.oracle import allowed
from cognito_s3_guard.isolation.words import positive_words

from .helpers import ARN, SUB, TIMEOUT_MS, problem

A = "us-east-1:0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"
PUT = "s3:PutObject"
OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
OWN_LIST = {"Effect": "Allow", "Action": LIST, "Resource": ARN,
            "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/*"]}}}  # fmt: skip


def test_a_listing_on_a_pattern_that_covers_the_bucket_arn_is_not_judged_crossing_free() -> None:
    """``arn:aws:s3:::file?`` is not the bucket's ARN but matches it: an unconditioned listing through it
    lets every identity list every key (another's area too), so the fast path must not call reading
    crossing-free; a listing through it limited to ``public/`` stays clear of every area."""
    def through(**more: Any) -> dict[str, Any]:
        return {"Effect": "Allow", "Action": LIST, "Resource": "arn:aws:s3:::file?", **more}

    public = through(Condition={"StringLike": {"s3:prefix": ["public/*"]}})
    assert crossing_free(problem(OWN, OWN_LIST), "read") is True
    assert crossing_free(problem(OWN, OWN_LIST, public), "read") is True
    assert crossing_free(problem(OWN, OWN_LIST, through()), "read") is False


def _put_if(operator: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": PUT, "Resource": f"{ARN}/*",
            "Condition": {operator: {"s3:prefix": ["private/*"]}}}  # fmt: skip


def test_a_for_any_value_negated_condition_on_an_absent_key_does_not_hold() -> None:
    """An object request carries no ``s3:prefix``: ForAnyValue over no values is false, negated or not,
    while the unquantified StringNotLike holds on a missing key."""
    p_any = problem(_put_if("ForAnyValue:StringNotLike"))
    assert allowed(p_any, A, PUT, "users/x", None) is False
    assert allowed(problem(_put_if("ForAnyValue:StringNotEquals")), A, PUT, "users/x", None) is False
    assert allowed(problem(_put_if("StringNotLike")), A, PUT, "users/x", None) is True


def test_a_bucket_policy_copy_with_not_principal_is_the_same_statement_as_the_roles() -> None:
    """A bucket policy that repeats the role's Deny for everyone but an admin (NotPrincipal) states the
    same grant: leaving the role's statement out removes the copy in the bucket policy too."""
    deny = {"Effect": "Deny", "Action": PUT, "Resource": f"{ARN}/public/*"}
    role = problem(OWN, deny)
    copy = {**deny, "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"}}
    bucket_stmt = problem(copy).statements[0].stmt
    assert bucket_stmt.not_principals is not None
    bucket_origin = Origin("BucketPolicy 'uploads-policy'", 0, None)
    both = replace(role, statements=(*role.statements, Tagged(bucket_stmt, bucket_origin)))
    role_origin = role.statements[1].origin
    assert pieces(both, bucket_origin) == pieces(both, role_origin)
    assert [t.origin for t in without(both, role_origin).statements] == [role.statements[0].origin]


KEY, ID = z3.String("key"), z3.String("id")
ANY = z3.Full(z3.ReSort(z3.StringSort()))
# name: the pattern ``users/<id>...`` as a regex over the identity (tried on KEYS with the id "abc")
WORD_ROWS: dict[str, z3.ReRef] = {
    "a folder after the identity": z3.Concat(z3.Re("users/"), z3.Re(ID), z3.Re("/"), ANY),
    "a star right after the identity": z3.Concat(z3.Re("users/"), z3.Re(ID), ANY, z3.Re("/x")),
    "a character class right after the identity": z3.Concat(
        z3.Re("users/"), z3.Re(ID), z3.Star(z3.Range("a", "z")), z3.Re("/x")
    ),
}
KEYS = ("users/abc/d", "user/abc/d", "users/abcd/x", "users/abc9/x", "users/ab/x")


def _sat(f: z3.BoolRef, key: str) -> z3.CheckSatResult:
    s = z3.Solver()
    s.add(f, ID == "abc", key == KEY)
    return s.check()


@pytest.mark.parametrize("name", list(WORD_ROWS))
def test_the_word_rewrite_of_an_exact_id_pattern_matches_the_same_keys(name: str) -> None:
    """For exact ids the solver reads a key pattern as a word equation; the rewrite must admit exactly
    the keys the pattern admits, a wildcard right after the identity included."""
    atom = z3.InRe(KEY, WORD_ROWS[name])
    rewritten = positive_words(atom)
    assert [_sat(rewritten, k) for k in KEYS] == [_sat(atom, k) for k in KEYS]


def test_a_repeated_check_is_answered_from_the_cache_and_counted_once() -> None:
    """tools/isolation_timings.py reports the cache's hit rate from STATS: each repeat of a solved
    problem is one cache hit, answered with via "cache"."""
    p = problem(OWN, {"Effect": "Allow", "Action": PUT, "Resource": f"{ARN}/counted-once/*"})
    check(p, TIMEOUT_MS)
    before = STATS["cache"]
    again = [check(p, TIMEOUT_MS) for _ in range(3)]
    assert STATS["cache"] == before + 3
    assert {r.write.via for r in again} == {"cache"}


def test_a_problem_rebuilt_equal_to_one_decided_before_is_decided_the_same() -> None:
    """The analyzer serves one preview after another in one process: the same statements, judged again as
    a new but equal problem, give the same crossing and culprit (not an internal error)."""
    stmts = [OWN, {"Effect": "Allow", "Action": PUT, "Resource": f"{ARN}/users/*/rebuilt"}]
    first, _ = decide(problem(*stmts), "write", TIMEOUT_MS)
    again, _ = decide(problem(*stmts), "write", TIMEOUT_MS)
    assert first.kind == again.kind == "crossing-write"
    assert first.counterexample is not None and again.counterexample is not None
    assert again.counterexample.origin == first.counterexample.origin
    assert again.counterexample.origin.index == 1
