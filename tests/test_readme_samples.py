"""The README's gate samples are true: each block between its markers is a command, its exact output
and its exit code (``$ echo $?``), and running the command today gives the same."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent
MARKERS = ("GATE-OUTPUT", "BLOCKED", "NATIVE-BLOCKED")


def sample(marker: str) -> tuple[str, str, int]:
    """``(command, output, exit code)`` of the fenced block after ``<!-- marker -->``."""
    text = (REPO / "README.md").read_text()
    block = re.search(rf"<!-- {marker} -->\n```\n(.*?)\n```\n<!-- /{marker} -->", text, re.S)
    assert block, f"no {marker} sample in the README"
    lines = block.group(1).split("\n")
    assert lines[0].startswith("$ ") and lines[-2] == "$ echo $?", lines
    return lines[0][2:], "\n".join(lines[1:-2]), int(lines[-1])


def run(command: str) -> subprocess.CompletedProcess[str]:
    """The command as the README shows it, with this test's virtualenv for `make` and `.venv`."""
    if command.startswith("make "):
        argv = [*command.split(), "--no-print-directory", f"VENV={VENV}"]
    else:
        argv = [sys.executable if a == ".venv/bin/python" else a for a in command.split()]
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.protocol
@pytest.mark.parametrize("marker", MARKERS)
def test_readme_gate_sample_is_what_the_gate_prints(marker: str) -> None:
    command, output, code = sample(marker)
    proc = run(command)
    stale = f"README {marker} sample is stale; the gate now prints:\n{proc.stdout}"
    assert proc.stdout.rstrip("\n") == output, stale
    assert proc.returncode == code  # (`make` answers 2 for any failed recipe: the samples show that)
