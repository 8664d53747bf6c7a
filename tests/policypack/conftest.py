"""In-process rule checks (``check``), and one running policy pack per session spoken to through the
real analyzer protocol (``pack``, ``judge``) for the end-to-end layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from offline.analyzer import PolicyPackClient, launch, preview_skips
from offline.model import Diagnostic, StackCapture

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "policypack"


@pytest.fixture(scope="session")
def pack() -> Iterator[PolicyPackClient]:
    with launch(PACK_DIR, project="files", stack="test", dry_run=True) as client:
        yield client


class Verdict:
    """The diagnostics of one stack judged through the protocol. Only this end-to-end layer reads the
    rule off the message, as the gate does: after the policy description, ``[<rule-id>] <facts>``."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics

    def rule(self, rule: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if body(d).startswith(f"[{rule}] ")]

    @property
    def mandatory(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.mandatory]

    def __repr__(self) -> str:
        lines = (f"{d.level} {d.policy} {d.urn}: {body(d).splitlines()[0]}" for d in self.diagnostics)
        return "\n".join(lines)


def body(d: Diagnostic) -> str:
    """The message without the policy description that the SDK puts before it."""
    return d.message[len(d.description) :].lstrip("\n") if d.message.startswith(d.description) else d.message


@pytest.fixture
def check():
    """check(capture, policy_config=None) -> Findings: the rules in-process, findings as data (fast)."""
    from inproc import check as run

    return run


@pytest.fixture
def judge(pack: PolicyPackClient):
    """judge(capture, policy_config=None) -> Verdict, asserting that no policy was skipped at preview."""

    def run(capture: StackCapture, policy_config: dict[str, Any] | None = None) -> Verdict:
        diagnostics = pack.judge(capture, policy_config)
        assert preview_skips(diagnostics) == [], "a policy gave up at preview"
        assert not any("[internal-error]" in d.message for d in diagnostics), diagnostics
        return Verdict(diagnostics)

    return run
