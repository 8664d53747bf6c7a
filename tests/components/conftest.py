"""Shared runs of the real program under mocks: each (stack, shape, config) runs once per session."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from offline.mockrun import registered, run_program
from offline.model import ResourceRecord, StackCapture

ROOT = Path(__file__).resolve().parents[2]
SHAPES = {"preview": True, "deployed": False}


@cache
def _run(stack: str, preview: bool, config: tuple[tuple[str, str], ...]) -> StackCapture:
    return run_program(ROOT, stack, preview=preview, config=dict(config))


def run_stack(stack: str, shape: str, **config: Any) -> StackCapture:
    """Run the project's program (cached). Config values that are not strings are sent as JSON text."""
    wire = tuple(sorted((k, v if isinstance(v, str) else json.dumps(v)) for k, v in config.items()))
    return _run(stack, SHAPES[shape], wire)


def document(record: ResourceRecord, prop: str = "policy") -> dict[str, Any]:
    value = record.inputs[prop]
    assert isinstance(value, str), f"{record.name}.{prop} is not a JSON document: {value!r}"
    return json.loads(value)


def named(capture: StackCapture, type_token: str, suffix: str) -> ResourceRecord:
    found = [r for r in registered(capture) if r.type == type_token and r.name.endswith(suffix)]
    assert len(found) == 1, f"expected one {type_token} named *{suffix}, found {[r.name for r in found]}"
    return found[0]


@pytest.fixture(params=list(SHAPES))
def shape(request: pytest.FixtureRequest) -> str:
    """Every test that takes ``shape`` runs as a first preview and as deployed."""
    return request.param


@pytest.fixture
def program() -> Callable[..., StackCapture]:
    """``program(stack, shape, **config)``: the project's program run under mocks (cached per session)."""
    return run_stack


@pytest.fixture
def doc() -> Callable[..., dict[str, Any]]:
    """``doc(record, prop="policy")``: a JSON policy document input, parsed."""
    return document


@pytest.fixture
def one_named() -> Callable[[StackCapture, str, str], ResourceRecord]:
    """``one_named(capture, type, suffix)``: the one resource of that type whose name ends in suffix."""
    return named
