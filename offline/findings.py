"""The gate's ``--json`` document: the verdict and each finding as data, parsed from the pack's messages.

Contract 1 (COORDINATION.md): a diagnostic's message is the policy's description (the SDK prepends it,
then a newline), then ``[<rule-id>] <facts>``, then, when the rule has one, a line
``Fix: <remediation>``. A message with no ``[rule]`` tag (a foreign pack) is one finding whose rule is
the policy's name. Without a ``Fix:`` line the remediation is the policy's ``remediationSteps`` from
``GetAnalyzerInfo`` (empty when it has none).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from offline.model import Diagnostic, StackCapture

_RULE = re.compile(r"^\[(?P<rule>[A-Za-z0-9][A-Za-z0-9_.:-]*)\]\s?(?P<rest>.*)$")
FIX = "Fix: "


@dataclass(frozen=True)
class Finding:
    policy: str
    rule: str
    level: str
    resource: str | None  # a URN; None for the stack as a whole
    message: str
    remediation: str


@dataclass(frozen=True)
class PolicyText:
    """What ``GetAnalyzerInfo`` says about a policy: its description and its remediation steps."""

    description: str = ""
    remediation: str = ""


def split_message(message: str, description: str) -> tuple[str | None, str, str | None]:
    """``(rule or None, facts, remediation or None)`` from one diagnostic's message."""
    text = message
    if description and text.startswith(description):
        text = text[len(description) :].lstrip("\n")
    lines = text.strip("\n").splitlines()
    fix_at = next((i for i, line in enumerate(lines) if line.startswith(FIX)), None)
    facts = lines if fix_at is None else lines[:fix_at]
    remediation = None if fix_at is None else "\n".join([lines[fix_at][len(FIX) :], *lines[fix_at + 1 :]])
    match = _RULE.match(facts[0]) if facts else None
    if match is None:
        return None, "\n".join(facts).strip(), remediation
    return match.group("rule"), "\n".join([match.group("rest"), *facts[1:]]).strip(), remediation


def finding(diagnostic: Diagnostic, policy: PolicyText) -> Finding:
    description = policy.description or diagnostic.description
    rule, facts, fix = split_message(diagnostic.message, description)
    return Finding(
        policy=diagnostic.policy,
        rule=rule or diagnostic.policy,
        level=diagnostic.level,
        resource=diagnostic.urn or None,
        message=facts,
        remediation=fix if fix is not None else policy.remediation,
    )


def planned(capture: StackCapture) -> list[dict[str, Any]]:
    """The resources to create, as the plan lists them (default providers left out), in its order."""
    return [
        {"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent}
        for r in capture.resources
        if not r.type.startswith("pulumi:providers:")
    ]


def report(
    capture: StackCapture,
    diagnostics: Sequence[Diagnostic],
    policies: Mapping[str, PolicyText],
    pack: Mapping[str, str],
) -> dict[str, Any]:
    """The whole ``--json`` document."""
    findings = [finding(d, policies.get(d.policy, PolicyText())) for d in diagnostics]
    blocked = any(f.level == "mandatory" for f in findings)
    return {
        "stack": capture.stack,
        "project": capture.project,
        "shape": "preview" if capture.preview else "deployed",
        "verdict": "blocked" if blocked else "clean",
        "pack": dict(pack),
        "findings": [asdict(f) for f in findings],
        "resources": planned(capture),
    }
