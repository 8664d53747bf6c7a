"""The common crossings are found by the witness search, from requests built of the statements' own
parts and judged by the oracle alone, without the solver (so a preview that holds one takes milliseconds,
and its counterexample is as concrete as a solver's). Rows are (statements, property, region)."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import decide
from cognito_s3_guard.isolation.model import LIST
from cognito_s3_guard.isolation.witness import candidates, spelled_regions

from .helpers import ARN, SUB, assert_replays, problem

OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}


def allow(action: str, resource: str, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    stmt: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": resource}
    return {**stmt, "Condition": condition} if condition else stmt


ROWS: dict[str, tuple[list[dict[str, Any]], str, str | None]] = {
    "a star before the variable": ([allow("s3:PutObject", f"{ARN}/users/*{SUB}/*")], "write", "us-east-1"),
    "writes on users/*": ([OWN, allow("s3:PutObject", f"{ARN}/users/*")], "write", "us-east-1"),
    "writes on every bucket (*)": ([OWN, allow("s3:PutObject", "*")], "write", "us-east-1"),
    "writes on every bucket's objects (arn:aws:s3:::*)": (
        [OWN, allow("s3:PutObject", "arn:aws:s3:::*")],
        "write",
        "us-east-1",
    ),
    "writes on users/* in a pool of unknown region": (
        [OWN, allow("s3:PutObject", f"{ARN}/users/*")],
        "write",
        None,
    ),
    "writes on users/eu-west-1:* in a pool of unknown region (the region the pattern spells)": (
        [OWN, allow("s3:PutObject", f"{ARN}/users/eu-west-1:*")],
        "write",
        None,
    ),
    "writes on users/eu-west-1:* in an eu-west-1 pool": (
        [OWN, allow("s3:PutObject", f"{ARN}/users/eu-west-1:*")],
        "write",
        "eu-west-1",
    ),
    "reads on */${sub}/* (any folder above the own)": (
        [allow("s3:GetObject", f"{ARN}/*/{SUB}/*")],
        "read",
        "us-east-1",
    ),
    "reads on users/*": ([OWN, allow("s3:GetObject", f"{ARN}/users/*")], "read", "us-east-1"),
    "a listing without a condition": ([OWN, allow(LIST, ARN)], "read", "us-east-1"),
    "a listing of users/*": (
        [OWN, allow(LIST, ARN, {"StringLike": {"s3:prefix": "users/*"}})],
        "read",
        "us-east-1",
    ),
    "a read under public/ for everyone": (
        [OWN, allow("s3:GetObject", f"{ARN}/public/*")],
        "shared",
        "us-east-1",
    ),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_a_common_crossing_is_found_without_the_solver(name: str) -> None:
    stmts, prop, region = ROWS[name]
    p = problem(*stmts, region=region)
    verdict, solver_ms = decide(p, prop, 1)  # the solver gets 1 ms: only the witness search can decide
    cx = verdict.counterexample
    assert verdict.via == "witness" and solver_ms == 0.0 and cx is not None
    assert verdict.kind == {"write": "crossing-write", "read": "crossing-read", "shared": "shared"}[prop]
    assert_replays(p, cx, shared=prop == "shared")


REGION_ROWS: dict[str, tuple[list[dict[str, Any]], list[str]]] = {
    "none spelled": ([OWN], []),
    "a folder pattern": ([OWN, allow("s3:PutObject", f"{ARN}/users/eu-west-1:*")], ["eu-west-1"]),
    "two, in order, each once": (
        [allow("s3:PutObject", [f"{ARN}/users/ap-south-1:*", f"{ARN}/u/eu-west-1:*", f"{ARN}/ap-south-1:x"])],
        ["ap-south-1", "eu-west-1"],
    ),
    "a condition value": (
        [allow(LIST, ARN, {"StringLike": {"s3:prefix": "users/us-gov-west-1:*"}})],
        ["us-gov-west-1"],
    ),
    "not a region: glued to a longer word, or no ':' after it": (
        [allow("s3:PutObject", [f"{ARN}/xeu-west-1:*", f"{ARN}/eu-west-1/x", f"{ARN}/eu-west:*"])],
        [],
    ),
    "another bucket's pattern is no part of this bucket's keys": (
        [allow("s3:PutObject", "arn:aws:s3:::other/users/eu-west-1:*")],
        [],
    ),
}


@pytest.mark.parametrize("name", list(REGION_ROWS))
def test_the_regions_a_problem_spells_are_those_before_an_identity_ids_colon(name: str) -> None:
    stmts, want = REGION_ROWS[name]
    assert spelled_regions(problem(*stmts, region=None)) == want


@pytest.mark.parametrize(
    ("region", "want"),
    [(None, {"us-east-1", "eu-west-1"}), ("eu-west-1", {"eu-west-1"}), ("us-west-2", {"us-west-2"})],
    ids=["no fixed region: us-east-1, then the spelled one", "fixed: the spelled one", "fixed: another"],
)
def test_the_witness_tries_identities_of_the_fixed_region_only_or_else_of_every_spelled_one(
    region: str | None, want: set[str]
) -> None:
    """A pool's identities are all of its region; with no region fixed (a first preview, or pools of two
    regions) any region may hold them, so the identities of each region the statements spell are tried."""
    p = problem(OWN, allow("s3:PutObject", f"{ARN}/users/eu-west-1:*"), region=region)
    assert {c.region for c in candidates(p, region, lists=False)} == want

