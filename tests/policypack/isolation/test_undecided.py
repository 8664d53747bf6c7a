"""A solver answer that the concrete evaluator does not confirm is never a verdict: a model that does
not replay (simulated: the replay finds nothing) is "undecided", with a reason, never a pass
and never a crossing without a counterexample."""

from __future__ import annotations

import importlib

import pytest
from cognito_s3_guard.isolation import decide

from .helpers import ARN, SUB, TIMEOUT_MS, problem

check_mod = importlib.import_module("cognito_s3_guard.isolation.check")  # the module, not check()
OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}
WIDE = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/*"}


@pytest.mark.parametrize("prop", ["write", "read", "shared"])
def test_a_model_that_does_not_replay_is_undecided(prop: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kind, parts, _ = check_mod.PROPERTIES[prop]
    monkeypatch.setitem(check_mod.PROPERTIES, prop, (kind, parts, lambda problem, model: None))
    verdict, _ = decide(problem(OWN, WIDE), prop, TIMEOUT_MS, witness=False)
    assert verdict.kind == "undecided" and verdict.counterexample is None
    assert verdict.reason  # the undecided advisory says why
