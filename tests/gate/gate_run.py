"""Helpers for the gate's tests: run ``offline.gate.main`` in-process and read its report."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from offline.gate import main

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).resolve().parent / "programs"
TEST_PACK = Path(__file__).resolve().parent / "packs" / "forbid"
POLICYPACK = REPO / "policypack"

_DIAGNOSTIC = re.compile(
    r"^        - \[(?P<level>\w+)\]  (?P<policy>\S+)  \((?P<type>[^:]+:[^:]+:[^:]+): (?P<name>.+)\)$"
)


@dataclass
class GateRun:
    code: int
    out: str
    err: str

    def diagnostics(self, level: str | None = None) -> list[dict[str, str]]:
        """(level, policy, type, name) of each diagnostic line in the Policies block."""
        found = [m.groupdict() for m in map(_DIAGNOSTIC.match, self.out.splitlines()) if m]
        return [d for d in found if level is None or d["level"] == level]


def run_gate(*argv: str) -> GateRun:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return GateRun(code, out.getvalue(), err.getvalue())
