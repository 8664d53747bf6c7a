"""The concrete evaluator (the oracle) that judges every counterexample follows IAM for one request in one
account: ``*`` and ``?`` over the whole string (slashes included), escapes as literals, the identity
variable substituted, another variable matching anything in an Allow and making a Deny inapplicable,
Deny over Allow in either order, NotResource, and ``s3:prefix`` on listings. And B's *area*: the keys
that B's instance of a per-identity statement admits, under a prefix B may list, or spared by a Deny
with NotResource. Rows are (statements, request, expected)."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation.model import LIST
from cognito_s3_guard.isolation.oracle import allowed, allowing, in_area

from .helpers import ARN, SUB, problem

A = "us-east-1:0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"
B = "us-east-1:1b1b1b1b-1b1b-4b1b-8b1b-1b1b1b1b1b1b"
PUT = "s3:PutObject"


def put_on(*resources: str, effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": PUT, "Resource": [f"{ARN}/{r}" for r in resources], **extra}


DENY_OUTSIDE_OWN = {"Effect": "Deny", "Action": PUT, "NotResource": f"{ARN}/users/{SUB}/*"}
USERNAME = "${aws:username}"


def listing(condition: dict[str, Any] | None = None, effect: str = "Allow") -> dict[str, Any]:
    stmt: dict[str, Any] = {"Effect": effect, "Action": LIST, "Resource": ARN}
    return {**stmt, "Condition": condition} if condition else stmt


# name: (statements, identity, key (objects) or prefix (listing: LIST, prefix), allowed?)
OBJECT_ROWS: dict[str, tuple[list[dict[str, Any]], str, str, bool]] = {
    "? matches one character": ([put_on("users/?/x")], A, "users/a/x", True),
    "? matches a slash too": ([put_on("users/?/x")], A, "users///x", True),
    "? matches no fewer than one character": ([put_on("users/?/x")], A, "users//x", False),
    "? matches no more than one character": ([put_on("users/?/x")], A, "users/ab/x", False),
    "* matches across slashes": ([put_on("users/*")], A, "users/a/b/c", True),
    "* matches nothing at all": ([put_on("users/*")], A, "users/", True),
    "a pattern matches the whole key, not a part": ([put_on("users/a")], A, "users/ab", False),
    "${*} is a literal star": ([put_on("users/${*}/x")], A, "users/*/x", True),
    "${*} matches no other text": ([put_on("users/${*}/x")], A, "users/a/x", False),
    "${?} is a literal question mark": ([put_on("users/${?}")], A, "users/?", True),
    "${?} matches no other character": ([put_on("users/${?}")], A, "users/a", False),
    "${$} is a literal dollar": ([put_on("users/${$}")], A, "users/$", True),
    "the identity variable is the requester's id": ([put_on(f"users/{SUB}/*")], A, f"users/{A}/x", True),
    "the identity variable is no other id": ([put_on(f"users/{SUB}/*")], A, f"users/{B}/x", False),
    "another variable in an Allow matches any value": (
        [put_on(f"users/{USERNAME}/*")],
        A,
        f"users/{B}/x",
        True,
    ),
    "a Deny with another variable never applies": (
        [put_on("users/*"), put_on(f"users/{USERNAME}/*", effect="Deny")],
        A,
        f"users/{B}/x",
        True,
    ),
    "a Deny wins over an Allow listed before it": (
        [put_on("users/*"), put_on("users/b/*", effect="Deny")],
        A,
        "users/b/x",
        False,
    ),
    "a Deny wins over an Allow listed after it": (
        [put_on("users/b/*", effect="Deny"), put_on("users/*")],
        A,
        "users/b/x",
        False,
    ),
    "a Deny elsewhere leaves the Allow": (
        [put_on("users/*"), put_on("users/b/*", effect="Deny")],
        A,
        "users/c",
        True,
    ),
    "an Allow with NotResource allows what it does not name": (
        [{"Effect": "Allow", "Action": PUT, "NotResource": f"{ARN}/private/*"}],
        A,
        "users/x",
        True,
    ),
    "an Allow with NotResource allows nothing it names": (
        [{"Effect": "Allow", "Action": PUT, "NotResource": f"{ARN}/private/*"}],
        A,
        "private/x",
        False,
    ),
    "a Deny with NotResource denies what it does not name": (
        [put_on("*"), DENY_OUTSIDE_OWN],
        A,
        f"users/{B}/x",
        False,
    ),
    "a Deny with NotResource spares what it names": (
        [put_on("*"), DENY_OUTSIDE_OWN],
        A,
        f"users/{A}/x",
        True,
    ),
    "a Deny with NotResource on another variable spares nothing for sure": (
        [put_on("*"), {"Effect": "Deny", "Action": PUT, "NotResource": f"{ARN}/users/{USERNAME}/*"}],
        A,
        "users/x/y",
        True,
    ),
    "a statement of another action allows nothing": (
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{ARN}/*"}],
        A,
        "users/x",
        False,
    ),
    "no statement allows nothing": ([], A, "users/x", False),
}

NO_PREFIX = None
LIST_ROWS: dict[str, tuple[list[dict[str, Any]], str, str | None, bool]] = {
    "a listing without a condition lists without a prefix": ([listing()], A, NO_PREFIX, True),
    "StringLike on s3:prefix needs a prefix": (
        [listing({"StringLike": {"s3:prefix": "public/*"}})],
        A,
        NO_PREFIX,
        False,
    ),
    "StringLike on s3:prefix admits a matching prefix": (
        [listing({"StringLike": {"s3:prefix": "public/*"}})],
        A,
        "public/a",
        True,
    ),
    "StringLike on s3:prefix admits no other prefix": (
        [listing({"StringLike": {"s3:prefix": "public/*"}})],
        A,
        "users/",
        False,
    ),
    "StringLikeIfExists admits a listing without a prefix": (
        [listing({"StringLikeIfExists": {"s3:prefix": "public/*"}})],
        A,
        NO_PREFIX,
        True,
    ),
    "StringLikeIfExists still checks a prefix that is there": (
        [listing({"StringLikeIfExists": {"s3:prefix": "public/*"}})],
        A,
        "users/",
        False,
    ),
    "StringEquals on s3:prefix admits the same text only": (
        [listing({"StringEquals": {"s3:prefix": "public/"}})],
        A,
        "public/a",
        False,
    ),
    "StringEquals substitutes the identity variable": (
        [listing({"StringEquals": {"s3:prefix": f"users/{SUB}/"}})],
        A,
        f"users/{A}/",
        True,
    ),
    "StringEquals with the identity variable admits no other id": (
        [listing({"StringEquals": {"s3:prefix": f"users/{SUB}/"}})],
        A,
        f"users/{B}/",
        False,
    ),
    "StringNotEquals admits every other prefix": (
        [listing({"StringNotEquals": {"s3:prefix": f"users/{SUB}/"}})],
        A,
        f"users/{B}/",
        True,
    ),
    "StringNotLike admits a listing without a prefix": (
        [listing({"StringNotLike": {"s3:prefix": "users/*"}})],
        A,
        NO_PREFIX,
        True,
    ),
    "ForAllValues admits a listing without a prefix": (
        [listing({"ForAllValues:StringLike": {"s3:prefix": "public/*"}})],
        A,
        NO_PREFIX,
        True,
    ),
    "ForAnyValue needs a prefix": (
        [listing({"ForAnyValue:StringLike": {"s3:prefix": "public/*"}})],
        A,
        NO_PREFIX,
        False,
    ),
    "ForAnyValue admits a matching prefix": (
        [listing({"ForAnyValue:StringLike": {"s3:prefix": "public/*"}})],
        A,
        "public/",
        True,
    ),
    "Null true admits only a listing without a prefix": (
        [listing({"Null": {"s3:prefix": "true"}})],
        A,
        "public/",
        False,
    ),
    "Null true admits a listing without a prefix": (
        [listing({"Null": {"s3:prefix": "true"}})],
        A,
        NO_PREFIX,
        True,
    ),
    "Null false needs a prefix": ([listing({"Null": {"s3:prefix": "false"}})], A, NO_PREFIX, False),
    "Null false admits any prefix": ([listing({"Null": {"s3:prefix": "false"}})], A, "users/", True),
    "Null on another key is not known: an Allow grants": (
        [listing({"Null": {"aws:sourceip": "true"}})],
        A,
        "users/",
        True,
    ),
    "Null on another key is not known: a Deny does not apply": (
        [listing(), listing({"Null": {"aws:sourceip": "true"}}, effect="Deny")],
        A,
        NO_PREFIX,
        True,
    ),
    "a Deny on s3:prefix removes the listing it matches": (
        [listing(), listing({"StringLike": {"s3:prefix": "users/*"}}, effect="Deny")],
        A,
        "users/b/",
        False,
    ),
    "a Deny on s3:prefix leaves a listing without a prefix": (
        [listing(), listing({"StringLike": {"s3:prefix": "users/*"}}, effect="Deny")],
        A,
        NO_PREFIX,
        True,
    ),
    "a condition on the identity key compares the requester's id": (
        [listing({"StringEquals": {"cognito-identity.amazonaws.com:sub": A}})],
        A,
        NO_PREFIX,
        True,
    ),
    "a condition on the identity key holds for no other id": (
        [listing({"StringEquals": {"cognito-identity.amazonaws.com:sub": B}})],
        A,
        NO_PREFIX,
        False,
    ),
    "a listing of objects is no listing of the bucket": (
        [{"Effect": "Allow", "Action": LIST, "Resource": f"{ARN}/*"}],
        A,
        NO_PREFIX,
        False,
    ),
}


@pytest.mark.parametrize("name", list(OBJECT_ROWS))
def test_the_oracle_judges_an_object_request_as_iam_does(name: str) -> None:
    stmts, identity, key, want = OBJECT_ROWS[name]
    assert allowed(problem(*stmts), identity, PUT, key, None) is want


@pytest.mark.parametrize("name", list(LIST_ROWS))
def test_the_oracle_judges_a_listing_as_iam_does(name: str) -> None:
    stmts, identity, prefix, want = LIST_ROWS[name]
    assert allowed(problem(*stmts), identity, LIST, None, prefix) is want


def test_the_allowing_statement_is_the_first_allow_that_matches() -> None:
    p = problem(put_on("public/*"), put_on("users/*"), put_on("*"))
    found = allowing(p, A, PUT, "users/x", None)
    assert found is not None and found.origin.index == 1


OWN_LIST = listing({"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}})
# name: (statements, key, in B's area?, in B's area leaving listings out?)
AREA_ROWS: dict[str, tuple[list[dict[str, Any]], str, bool, bool]] = {
    "B's own folder, by its object statement": ([put_on(f"users/{SUB}/*")], f"users/{B}/x", True, True),
    "A's folder is not B's": ([put_on(f"users/{SUB}/*")], f"users/{A}/x", False, False),
    "a key under a prefix B may list": ([OWN_LIST], f"users/{B}/x", True, False),
    "a key B may list by its whole name": (
        [listing({"StringEquals": {"s3:prefix": f"users/{SUB}/x"}})],
        f"users/{B}/x",
        True,
        False,
    ),
    "a key under no prefix B may list": ([OWN_LIST], f"users/{A}/x", False, False),
    "a statement the same for everyone makes no area": (
        [put_on("users/*"), listing()],
        f"users/{B}/x",
        False,
        False,
    ),
    "the folder a per-identity Deny with NotResource spares, where B may write": (
        [put_on("users/*"), DENY_OUTSIDE_OWN],
        f"users/{B}/x",
        True,
        True,
    ),
    "the folder such a Deny spares, where B may not write": (
        [DENY_OUTSIDE_OWN],
        f"users/{B}/x",
        False,
        False,
    ),
    "a per-identity Deny with Resource takes nothing from an area": (
        [put_on(f"users/{SUB}/*"), put_on(f"users/{SUB}/locked/*", effect="Deny")],
        f"users/{B}/locked/x",
        True,
        True,
    ),
    "a per-identity Deny with Resource makes no area": (
        [put_on(f"users/{SUB}/locked/*", effect="Deny")],
        f"users/{B}/locked/x",
        False,
        False,
    ),
    "a key such a Deny does not spare": (
        [put_on("users/*"), DENY_OUTSIDE_OWN],
        f"users/{A}/x",
        False,
        False,
    ),
}


@pytest.mark.parametrize("name", list(AREA_ROWS))
def test_the_area_of_an_identity_is_what_its_per_identity_statements_admit(name: str) -> None:
    stmts, key, want, want_without_lists = AREA_ROWS[name]
    p = problem(*stmts)
    assert in_area(p, B, key) is want
    assert in_area(p, B, key, lists=False) is want_without_lists
