"""Runs of the native and mixed test programs under mocks, each (program, config, shape) once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from offline.mockrun import registered, run_program
from offline.model import ResourceRecord, StackCapture

PROGRAMS = Path(__file__).resolve().parent / "programs"
SHAPES = {"preview": True, "deployed": False}


@cache
def _run(program: str, preview: bool, config: tuple[tuple[str, str], ...]) -> StackCapture:
    return run_program(PROGRAMS / program, "test", preview=preview, config=dict(config))


def run_native(program: str, shape: str, **config: str) -> StackCapture:
    """Run ``tests/native/programs/<program>`` for stack ``test`` in ``shape`` (cached)."""
    return _run(program, SHAPES[shape], tuple(sorted(config.items())))


def one(capture: StackCapture, type_token: str, name: str) -> ResourceRecord:
    found = [r for r in registered(capture) if r.type == type_token and r.name == name]
    assert len(found) == 1, f"expected one {type_token} named {name}, found {len(found)}"
    return found[0]
