"""The identity-id abstraction that keeps the solver fast and sound (see ``encode``): an abstract uuid is
made of the uuid characters the literals use plus two fresh ones, and is 2 + twice the total length of the
literals' runs of uuid characters long (the bucket's own ARN is no literal of a key); a ``?`` (not the
escaped ``${?}``), ids of 36 characters or more, or fewer than two fresh characters make the ids exact.
Rows are (resources, (alphabet, length, fresh))."""

from __future__ import annotations

import pytest
from cognito_s3_guard.isolation.encode import EXACT_LEN, abstraction

from .helpers import ARN, SUB, problem

EXACT = ("", EXACT_LEN, "")
ROWS: dict[str, tuple[list[str], tuple[str, int, str]]] = {
    "users/${sub}/*: one run, 'e' of users": ([f"{ARN}/users/{SUB}/*"], ("e01", 4, "01")),
    "every resource's runs add up (e; ed, a)": (
        [f"{ARN}/users/{SUB}/*", f"{ARN}/media/{SUB}/*"],
        ("ade01", 2 + 2 * (1 + 3), "01"),
    ),
    "a run of several uuid characters": ([f"{ARN}/b0-1/{SUB}/*"], ("-01b23", 2 + 2 * 4, "23")),
    "a ? makes the ids exact": ([f"{ARN}/users/?{SUB}/*"], EXACT),
    "an escaped ${?} is a literal, not a wildcard": ([f"{ARN}/users/${{?}}/{SUB}/*"], ("e01", 4, "01")),
    "runs that reach 36 characters make the ids exact": ([f"{ARN}/deadbeefdeadbeef0/{SUB}/*"], EXACT),
    "fewer than two fresh characters make the ids exact": ([f"{ARN}/0123456789abcde/{SUB}/*"], EXACT),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_the_ids_are_abstracted_by_the_literals_they_meet(name: str) -> None:
    resources, (alphabet, length, fresh) = ROWS[name]
    got = abstraction(problem({"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}))
    assert (got.alphabet, got.length, got.fresh, got.exact) == (alphabet, length, fresh, length >= EXACT_LEN)
