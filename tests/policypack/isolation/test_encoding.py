"""The solver's encoding reads every statement as the concrete evaluator does: on each row of the
oracle's table (a request with every value given), the formula of ``encode`` is satisfiable exactly when
the oracle allows the request, and the area formula holds exactly when the key lies in B's area. A
reading on which the two disagreed would let the solver prove "isolated" where a crossing exists, or
report models that do not replay."""

from __future__ import annotations

import pytest
import z3
from cognito_s3_guard.isolation import encode as E
from cognito_s3_guard.isolation.model import LIST
from cognito_s3_guard.isolation.oracle import allowed

from .helpers import problem
from .test_oracle import AREA_ROWS, LIST_ROWS, OBJECT_ROWS, PUT, A, B


def holds(formula: z3.BoolRef) -> bool:
    s = z3.Solver()
    s.set("timeout", 5000)
    s.add(formula)
    answer = s.check()
    assert answer != z3.unknown
    return answer == z3.sat


def request(key: str, prefix: str | None) -> E.Request:
    return E.Request(z3.StringVal(key), z3.StringVal(prefix or ""), z3.BoolVal(prefix is not None))


@pytest.mark.parametrize("name", [n for n, row in OBJECT_ROWS.items() if row[0]])
def test_the_encoding_allows_an_object_request_as_the_oracle_does(name: str) -> None:
    stmts, identity, key, want = OBJECT_ROWS[name]
    formula = E.effective(problem(*stmts), z3.StringVal(identity), PUT, request(key, None))
    assert holds(formula) is want


@pytest.mark.parametrize("name", list(LIST_ROWS))
def test_the_encoding_allows_a_listing_as_the_oracle_does(name: str) -> None:
    stmts, identity, prefix, want = LIST_ROWS[name]
    formula = E.effective(problem(*stmts), z3.StringVal(identity), LIST, request("", prefix))
    assert holds(formula) is want


@pytest.mark.parametrize("name", list(AREA_ROWS))
def test_the_encoding_places_a_key_in_an_area_as_the_oracle_does(name: str) -> None:
    stmts, key, want, want_without_lists = AREA_ROWS[name]
    p = problem(*stmts)
    assert holds(E.area(p, z3.StringVal(B), z3.StringVal(key), "b", lists=False)) is want_without_lists
    if want_without_lists or not want:  # a key in the area by a listing alone needs a search for the
        # prefix that z3 takes seconds over; the solver-alone cases of test_cases.py exercise that part
        assert holds(E.area(p, z3.StringVal(B), z3.StringVal(key), "b")) is want


# name: (a Resource pattern that does not start with ``<bucket ARN>/``, key, allowed?)
OUTSIDE_ROWS: dict[str, tuple[str, str, bool]] = {
    "every resource (*)": ("*", "users/x", True),
    "every bucket's objects (arn:aws:s3:::*)": ("arn:aws:s3:::*", "users/x", True),
    "a ? in the bucket name that matches ours": ("arn:aws:s3:::fil?s/users/*", "users/x", True),
    "a ? in the bucket name, a key it does not name": ("arn:aws:s3:::fil?s/users/*", "public/x", False),
    "another bucket's objects": ("arn:aws:s3:::other/*", "users/x", False),
    "the bucket itself, not its objects": ("arn:aws:s3:::files", "users/x", False),
}


@pytest.mark.parametrize("name", list(OUTSIDE_ROWS))
def test_the_encoding_matches_a_pattern_not_under_the_bucket_arn_on_the_whole_object_arn(name: str) -> None:
    """Only a pattern that starts with the literal ``<bucket ARN>/`` may be matched against the key
    alone; any other (``*``, a wildcard in the bucket name, another bucket) is matched against the
    request's whole object ARN, as the oracle does."""
    pattern, key, want = OUTSIDE_ROWS[name]
    p = problem({"Effect": "Allow", "Action": PUT, "Resource": pattern})
    assert allowed(p, A, PUT, key, None) is want
    assert holds(E.effective(p, z3.StringVal(A), PUT, request(key, None))) is want
