"""The gate with the product's pack on the native and mixed programs, through the analyzer protocol.

The clean variants must pass in both shapes. The broken native variants must be blocked at a first
preview on their culprit (``CULPRITS``), through the pack's aws-native adapters (issue 12).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from test_native_programs import CULPRITS, MIXES

from offline.gate import EXIT_BLOCKED, EXIT_CLEAN, main

pytestmark = pytest.mark.protocol

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).resolve().parent / "programs"
_MANDATORY = re.compile(r"^\s+- \[mandatory\]\s+\S+\s+\((?P<type>\S+): (?P<name>.+)\)$")


def _gate(program: str, *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--program", str(PROGRAMS / program), "--pack", str(REPO / "policypack"), *argv], out=out, err=err
    )
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("shape", [[], ["--deployed"]], ids=["preview", "deployed"])
def test_native_port_passes(shape: list[str]) -> None:
    code, out = _gate("native_stack", "-c", "mistake=none", *shape)
    assert code == EXIT_CLEAN, out
    assert "- [mandatory]" not in out


@pytest.mark.parametrize("mix", MIXES)
def test_mixed_stack_passes_at_preview(mix: str) -> None:
    code, out = _gate("mixed", "-c", f"mix={mix}")
    assert code == EXIT_CLEAN, out
    assert "- [mandatory]" not in out


@pytest.mark.parametrize("mistake", sorted(CULPRITS))
def test_broken_native_variant_is_blocked_on_its_culprit(mistake: str) -> None:
    code, out = _gate("native_stack", "-c", f"mistake={mistake}")
    assert code == EXIT_BLOCKED, out
    _, culprit_type, culprit_name = CULPRITS[mistake]
    named = {(m["type"], m["name"]) for m in map(_MANDATORY.match, out.splitlines()) if m}
    assert (culprit_type, culprit_name) in named, out
