"""The identity-id abstraction that keeps the solver fast and sound (see ``encode``): an abstract uuid is
made of the uuid characters the literals use plus two fresh ones, and is 2 + twice the total length of the
literals' runs of uuid characters long (the bucket's own ARN is no literal of a key); a ``?`` (not the
escaped ``${?}``), ids of 36 characters or more, or fewer than two fresh characters make the ids exact.
Rows are (resources, (alphabet, length, fresh)).

A solver model is first sought with the ids pinned (A: the first fresh digit repeated, B: the same with
its last digit the second fresh one) and made concrete before it is replayed and reported: each abstract
id padded with the first fresh digit to a uuid, every occurrence in the key rewritten; when the two ids
agree in the 32 digits a uuid keeps, B's last digit becomes the second fresh one, so A and B stay apart.
Rows are (one statement per resource, (A's uuid, B's uuid))."""

from __future__ import annotations

import pytest
import z3
from cognito_s3_guard.isolation import encode as E
from cognito_s3_guard.isolation.check import Vars, solve
from cognito_s3_guard.isolation.encode import EXACT_LEN, abstraction
from cognito_s3_guard.isolation.model import Problem

from .helpers import ARN, SUB, TIMEOUT_MS, problem

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


ZEROS = "00000000-0000-0000-0000-000000000000"
WITNESS_ROWS: dict[str, tuple[list[str], tuple[str, str]]] = {
    "a short abstract id is padded with the first fresh digit": (
        [f"{ARN}/users/{SUB}/*"],  # length 4: A 0000, B 0001
        (ZEROS, "00010000-0000-0000-0000-000000000000"),
    ),
    "ids that agree in all 32 digits a uuid keeps: B ends in the second fresh digit": (
        [f"{ARN}/users/{SUB}/*", f"{ARN}/decade-face-bed/*"],  # length 2 + 2 * (1 + 15) = 34
        (ZEROS, "00000000-0000-0000-0000-000000000001"),
    ),
}


def key_in_b_area(p: Problem, v: Vars) -> list[z3.BoolRef]:
    """A one-part property that any key in B's area satisfies (a model comes at the first, pinned try)."""
    return [E.area(p, v.ids.identity("b"), v.req.key, "b")]


@pytest.mark.parametrize("name", list(WITNESS_ROWS))
def test_a_solver_model_names_the_pinned_ids_as_two_distinct_uuids(name: str) -> None:
    resources, (uuid_a, uuid_b) = WITNESS_ROWS[name]
    p = problem(*({"Effect": "Allow", "Action": "s3:GetObject", "Resource": r} for r in resources))
    answer, model, _ = solve(p, key_in_b_area, TIMEOUT_MS)
    assert answer == "sat" and model is not None
    assert (model.region, model.ua, model.ub) == ("us-east-1", uuid_a, uuid_b)
    assert model.key.startswith(f"users/us-east-1:{uuid_b}/")  # B's id in the key is the concrete one
