"""Per-request routing of findings to the stack policy at their level.

The SDK gives each policy's validate only its own config, and runs the stack policies one after the
other within one AnalyzeStack request, appending every report to one response that it returns after
the loop. So each stack policy joins the request's collector with its config and its reporter; a
finding is reported once both its rule's home policy (whose config sets the level) and the policy at
that level have joined, through the latter's reporter. Whichever order they run in, every finding is
reported by the time the last of them returns. A policy that does not run (disabled) never joins: its
own rules are not evaluated, and rules moved to its level are not reported."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .config import PolicyConfig
from .findings import ADVISORY, MANDATORY, Finding
from .render import render

ReportViolation = Callable[..., None]
POLICY_AT_LEVEL = {MANDATORY: "cognito-bucket-access", ADVISORY: "cognito-s3-advisories"}


@dataclass
class Request:
    token: Any  # the SDK's response object of this request, when it can be found
    reporters: dict[str, ReportViolation] = field(default_factory=dict)
    configs: dict[str, PolicyConfig] = field(default_factory=dict)
    pending: list[Finding] = field(default_factory=list)
    sent: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, findings: list[Finding]) -> None:
        self.pending.extend(findings)
        self.flush()

    def flush(self) -> None:
        waiting: list[Finding] = []
        for f in self.pending:
            report = self.reporters.get(POLICY_AT_LEVEL.get(f.level, ""))
            if report is None:
                waiting.append(f)
                continue
            text = render(f)
            key = (f.rule, f.resource, text)
            if key not in self.sent:
                self.sent.add(key)
                report(text, f.resource or None)
        self.pending = waiting


_local = threading.local()


def _response_of(report_violation: ReportViolation) -> Any:
    """The response object the SDK's reporter appends to: one per AnalyzeStack request."""
    for cell in getattr(report_violation, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if hasattr(value, "diagnostics"):
            return value
    return None


def join(policy: str, config: PolicyConfig, report_violation: ReportViolation) -> Request:
    """The current request's collector, with ``policy`` registered in it. A new request starts when the
    SDK's response object changes (or, if it cannot be found, when a policy joins a second time)."""
    token = _response_of(report_violation)
    current: Request | None = getattr(_local, "request", None)
    same = current is not None and (
        current.token is token if token is not None else policy not in current.reporters
    )
    if not same or current is None:
        current = Request(token)
        _local.request = current
    current.reporters[policy] = report_violation
    current.configs[policy] = config
    current.flush()
    return current
