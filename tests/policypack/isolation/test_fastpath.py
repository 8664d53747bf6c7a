"""The usual shape is decided without a solver (so it is never "undecided"), and only the usual shape:
every Allow that reaches the bucket's objects names ``<literal>${sub}...``, every listing has a positive
``s3:prefix`` condition of that form, and the literal heads cannot overlap. Anything else goes to the
witness search and the solver. Rows are (statements, taken by the fast path?)."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import check, decide
from cognito_s3_guard.isolation.fastpath import crossing_free, fast_isolated
from cognito_s3_guard.isolation.model import LIST

from .helpers import ARN, SUB, TIMEOUT_MS, problem


def objects(*resources: str, action: Any = "s3:PutObject", effect: str = "Allow") -> dict[str, Any]:
    return {"Effect": effect, "Action": action, "Resource": list(resources)}


def listing(operator: str, *prefixes: str) -> dict[str, Any]:
    cond = {operator: {"s3:prefix": list(prefixes)}}
    return {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN, "Condition": cond}


OWN = objects(f"{ARN}/users/{SUB}/*", action=["s3:GetObject", "s3:PutObject"])
OWN_LIST = listing("StringLike", f"users/{SUB}/", f"users/{SUB}/*")

ROWS: dict[str, tuple[list[dict[str, Any]], bool]] = {
    "the own folder and its listing": ([OWN, OWN_LIST], True),
    "the own folder listed with StringEquals": ([OWN, listing("StringEquals", f"users/{SUB}/")], True),
    "two folders whose heads differ inside both": ([OWN, objects(f"{ARN}/media/{SUB}/*")], True),
    "the same head twice": ([OWN, objects(f"{ARN}/users/{SUB}/docs/*")], True),
    "a Deny beside the usual shape (it can only subtract)": ([OWN, objects(f"{ARN}/*", effect="Deny")], True),
    "a statement on another bucket": ([OWN, objects("arn:aws:s3:::other/*")], True),
    "a statement on another service": ([OWN, {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}], True),
    "a bucket-level action other than listing": (
        [OWN, {"Effect": "Allow", "Action": "s3:GetBucketLocation", "Resource": ARN}],
        True,
    ),
    "a head that is a prefix of another (users/ and users/a/)": (
        [OWN, objects(f"{ARN}/users/a/{SUB}/*")],
        False,
    ),
    "a star before the variable": ([objects(f"{ARN}/users/*{SUB}/*")], False),
    "a ? before the variable": ([objects(f"{ARN}/users/?{SUB}/*")], False),
    "another variable before the identity's": ([objects(f"{ARN}/${{aws:username}}/{SUB}/*")], False),
    "an escape before the variable is a literal": ([objects(f"{ARN}/users/${{*}}/{SUB}/*")], True),
    "a folder without the variable": ([OWN, objects(f"{ARN}/public/*")], False),
    "every bucket's objects": ([OWN, objects("*")], False),
    "an Allow with NotResource": (
        [OWN, {"Effect": "Allow", "Action": "s3:PutObject", "NotResource": ARN}],
        False,
    ),
    "a listing without a condition": (
        [OWN, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN}],
        False,
    ),
    "a listing of every bucket (*) without a condition": (
        [OWN, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}],
        False,
    ),
    "a listing with StringLikeIfExists": ([OWN, listing("StringLikeIfExists", f"users/{SUB}/*")], False),
    "a listing with a negated condition": ([OWN, listing("StringNotLike", f"users/{SUB}/*")], False),
    "a listing of a prefix without the variable": (
        [OWN, listing("StringLike", f"users/{SUB}/*", "public/*")],
        False,
    ),
    "a listing whose head overlaps the folder's": ([OWN, listing("StringLike", f"users/a/{SUB}/*")], False),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_the_fast_path_takes_the_usual_shape_and_nothing_else(name: str) -> None:
    stmts, fast = ROWS[name]
    assert fast_isolated(problem(*stmts)) is fast


def test_a_shape_the_fast_path_takes_is_judged_isolated_without_the_solver() -> None:
    result = check(problem(*ROWS["two folders whose heads differ inside both"][0]), TIMEOUT_MS)
    verdicts = (result.write, result.read, result.shared)
    assert {(v.kind, v.via) for v in verdicts} == {("isolated", "fast-path")}


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


@pytest.mark.parametrize("other", ["arn:aws:s3:::archive", "arn:aws:s3:::zeta"])
def test_a_listing_of_another_bucket_leaves_reading_crossing_free(other: str) -> None:
    """A listing the same for every identity on ANOTHER bucket (no prefix condition) lists none of this
    bucket's keys, so reading stays crossing-free on the fast path -- whether that bucket's ARN sorts
    before this one's (``archive`` < ``files``) or after it (``zeta``)."""
    elsewhere = {"Effect": "Allow", "Action": LIST, "Resource": other}
    assert crossing_free(problem(OWN, OWN_LIST, elsewhere), "read") is True


@pytest.mark.parametrize(("folder", "free"), [("users/??/*", True), ("users/?/*", False)])
def test_an_escaped_wildcard_in_the_own_folder_is_one_literal_character(folder: str, free: bool) -> None:
    """``users/${*}/${sub}/*`` puts every identity's area under the one-character folder ``*``: a write on
    ``users/?/*`` reaches it (not crossing-free), a write on ``users/??/*`` cannot (its third character is
    ``/``, where every area has an id's first letter). The solver agrees with the fast path."""
    own = objects(f"{ARN}/users/${{*}}/{SUB}/*", action=["s3:GetObject", "s3:PutObject"])
    p = problem(own, objects(f"{ARN}/{folder}"))
    assert crossing_free(p, "write") is free
    want = "isolated" if free else "crossing-write"
    assert decide(p, "write", TIMEOUT_MS, witness=not free)[0].kind == want


@pytest.mark.parametrize(("folder", "free"), [("users/?/*", True), ("users/??/*", True), ("users/u*", False)])
def test_with_the_region_unknown_an_id_is_still_at_least_forty_characters(folder: str, free: bool) -> None:
    """With no fixed region an id is ``<region>:<uuid>`` with a region like ``a-1``: it starts with a
    letter and its next 39 characters are letters, digits, ``:`` or ``-``. So a folder of one or two
    characters (``/`` at the id's second or third place) lies in no area; ``users/u*`` may."""
    p = problem(OWN, objects(f"{ARN}/{folder}"), region=None)
    assert crossing_free(p, "write") is free
    want = "isolated" if free else "crossing-write"
    assert decide(p, "write", TIMEOUT_MS, witness=not free)[0].kind == want
