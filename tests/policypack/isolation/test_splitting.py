"""An Allow that mixes per-identity and shared parts is judged as its parts, so that a shared prefix is
nobody's area: its resources, or the values of one positive ``s3:prefix`` condition, are a disjunction,
so splitting them is exact. A Deny, a negated condition, or several mixed conditions stay whole (still
sound). Rows are (statement, its parts as (resources, s3:prefix values)). A bucket policy's copy of a role
statement is the same statement, and so has the same parts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from cognito_s3_guard.documents import parse_document
from cognito_s3_guard.isolating import pieces, split, without
from cognito_s3_guard.isolation import Origin, Tagged

from .helpers import ARN, SUB, problem

OWN_R, PUBLIC_R = f"{ARN}/users/{SUB}/*", f"{ARN}/public/*"
OWN_P, PUBLIC_P = f"users/{SUB}/*", "public/*"


def listing(operator: str, *values: str, **more: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN,
            "Condition": {operator: {"s3:prefix": list(values)}, **more}}  # fmt: skip


Parts = list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]
ROWS: dict[str, tuple[dict[str, Any], Parts]] = {
    "own and shared resources: two parts": (
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [OWN_R, PUBLIC_R]},
        [((OWN_R,), ()), ((PUBLIC_R,), ())],
    ),
    "own resources only: whole": (
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [OWN_R, f"{ARN}/media/{SUB}/*"]},
        [((OWN_R, f"{ARN}/media/{SUB}/*"), ())],
    ),
    "shared resources only: whole": (
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [PUBLIC_R, f"{ARN}/docs/*"]},
        [((PUBLIC_R, f"{ARN}/docs/*"), ())],
    ),
    "a Deny on own and shared resources: whole": (
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": [OWN_R, PUBLIC_R]},
        [((OWN_R, PUBLIC_R), ())],
    ),
    "a StringLike listing of own and shared prefixes: two parts": (
        listing("StringLike", OWN_P, PUBLIC_P), [((ARN,), ((OWN_P,),)), ((ARN,), ((PUBLIC_P,),))],
    ),
    "a StringEquals listing of own and shared prefixes: two parts": (
        listing("StringEquals", OWN_P, PUBLIC_P), [((ARN,), ((OWN_P,),)), ((ARN,), ((PUBLIC_P,),))],
    ),
    "a StringNotLike listing (a conjunction): whole": (
        listing("StringNotLike", OWN_P, PUBLIC_P), [((ARN,), ((OWN_P, PUBLIC_P),))],
    ),
    "a StringLikeIfExists listing: whole": (
        listing("StringLikeIfExists", OWN_P, PUBLIC_P), [((ARN,), ((OWN_P, PUBLIC_P),))],
    ),
    "two mixed conditions: whole": (
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN,
         "Condition": {"StringLike": {"s3:prefix": [OWN_P, PUBLIC_P]},
                       "StringEquals": {"s3:prefix": [OWN_P, PUBLIC_P]}}},
        [((ARN,), ((OWN_P, PUBLIC_P), (OWN_P, PUBLIC_P)))],
    ),
    "mixed resources and a mixed condition: four parts": (
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [f"{ARN}/{OWN_P}", ARN],
         "Condition": {"StringLike": {"s3:prefix": [OWN_P, PUBLIC_P]}}},
        [((f"{ARN}/{OWN_P}",), ((OWN_P,),)), ((f"{ARN}/{OWN_P}",), ((PUBLIC_P,),)),
         ((ARN,), ((OWN_P,),)), ((ARN,), ((PUBLIC_P,),))],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ROWS))
def test_a_mixed_allow_is_judged_as_its_parts(name: str) -> None:
    raw, want = ROWS[name]
    [stmt] = parse_document({"Version": "2012-10-17", "Statement": [raw]}).statements
    pieces = split(stmt)
    assert [(p.resources, tuple(c.values for c in p.conditions)) for p in pieces] == want
    for p in pieces:  # only the split fields differ
        assert (p.effect, p.actions, p.sid) == (stmt.effect, stmt.actions, stmt.sid)
        assert [(c.operator, c.key) for c in p.conditions] == [(c.operator, c.key) for c in stmt.conditions]


PUT = "s3:PutObject"
OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}


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
