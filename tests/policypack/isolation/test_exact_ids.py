"""When the identity ids are exact, and what the abstraction is to its callers (see ``encode``).

An abstract uuid is 2 + twice the total length of the literals' runs of uuid characters long; once that
reaches 36 (the length of a real uuid) or more, abstracting buys nothing and the ids are exact:
``Abstraction("", 36, "")``, the real ``8-4-4-4-12`` format, every id 36 characters long. An abstraction
that kept a longer abstract length would constrain each id to be both that long and of the 36-character
format, which nothing satisfies, and every solver query would be "unsat": "isolated" for any statements.

``check.solve`` builds a problem's abstraction once, and every query of every part, the pinned ids and
the concretisation of each model read that one object: it is a value, equal for equal problems and not
changed by its readers. Rows are (resources, (alphabet, length, fresh))."""

from __future__ import annotations

import dataclasses

import pytest
from cognito_s3_guard.isolation.encode import EXACT_LEN, Abstraction, abstraction
from cognito_s3_guard.isolation.model import Problem

from .helpers import ARN, SUB, problem

EXACT = ("", EXACT_LEN, "")
ROWS: dict[str, tuple[list[str], tuple[str, int, str]]] = {
    "a run of 16 uuid characters: 34, still abstract": (
        [f"{ARN}/deadbeefdeadbeef/{SUB}/*"],
        ("abdef01", 34, "01"),
    ),
    "a run of 18 uuid characters: 38, exact": ([f"{ARN}/deadbeefdeadbeef00/{SUB}/*"], EXACT),
    "two runs of one pattern adding up to 18: 38, exact": ([f"{ARN}/deadbeef/deadbeef00/{SUB}/*"], EXACT),
    "runs of two resources adding up to 36: 74, exact": (
        [f"{ARN}/deadbeefdeadbeef00/{SUB}/*", f"{ARN}/deadbeefdeadbeef00/shared/*"],
        EXACT,
    ),
}


def _reading(resources: list[str]) -> Problem:
    return problem({"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources})


@pytest.mark.parametrize("name", list(ROWS))
def test_ids_are_exact_once_an_abstract_id_would_be_36_characters_or_longer(name: str) -> None:
    resources, (alphabet, length, fresh) = ROWS[name]
    assert abstraction(_reading(resources)) == Abstraction(alphabet, length, fresh)


def test_the_abstraction_of_a_problem_is_one_immutable_value() -> None:
    resources = [f"{ARN}/users/{SUB}/*"]
    first, again = abstraction(_reading(resources)), abstraction(_reading(resources))
    assert first == again and {first, again} == {Abstraction("e01", 4, "01")}
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.length = EXACT_LEN  # type: ignore[misc]
    assert first == Abstraction("e01", 4, "01")
