"""Which formulas ``words.positive_words`` rewrites (see ``words``): the membership atoms in positive
position become word equations, unless some atom that holds the identity stands in negative or mixed
position (under an odd number of Nots, as the condition of an If, as the antecedent of an Implies: a
Deny on the Allow's own pattern); then the formula is handed back whole, as z3 relates two regexes over
the identity far faster than a regex to a word equation. A ground atom in negative position does not stop
the rewriting. Rows are (formula, handed back whole?)."""

from __future__ import annotations

import pytest
import z3
from cognito_s3_guard.isolation.words import positive_words

KEY, ID, FLAG = z3.String("key"), z3.String("id"), z3.Bool("flag")
ANY = z3.Full(z3.ReSort(z3.StringSort()))
OWN = z3.InRe(KEY, z3.Concat(z3.Re("users/"), z3.Re(ID), z3.Re("/"), ANY))  # users/${sub}/*
OWN_PRIVATE = z3.InRe(KEY, z3.Concat(z3.Re("users/"), z3.Re(ID), z3.Re("/private/"), ANY))
PUBLIC = z3.InRe(KEY, z3.Concat(z3.Re("public/"), ANY))  # no identity in it

ROWS: dict[str, tuple[z3.BoolRef, bool]] = {
    "identity atoms in positive position only": (z3.Or(OWN, z3.And(FLAG, OWN_PRIVATE)), False),
    "an identity atom under two Nots is positive": (z3.And(OWN, z3.Not(z3.Not(OWN_PRIVATE))), False),
    "a ground atom under a Not beside a positive identity atom": (z3.And(OWN, z3.Not(PUBLIC)), False),
    "an identity atom under a Not (a Deny on the own folder)": (z3.And(OWN, z3.Not(OWN_PRIVATE)), True),
    "an identity atom under a Not inside an Or": (z3.Or(FLAG, z3.And(OWN, z3.Not(OWN_PRIVATE))), True),
    "an identity atom as the condition of an If": (z3.And(PUBLIC, z3.If(OWN_PRIVATE, FLAG, OWN)), True),
    "an identity atom as the antecedent of an Implies": (z3.Implies(OWN_PRIVATE, OWN), True),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_a_formula_is_rewritten_unless_an_identity_atom_stands_in_negative_position(name: str) -> None:
    formula, whole = ROWS[name]
    assert positive_words(formula).eq(formula) is whole


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
