"""Shared glue: run the analysis for a stack policy, filter by rule and config, report, never raise."""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from ..config import strings
from ..findings import Finding, analyze, exempt

ReportViolation = Callable[..., None]


def _with_stack_frozen(fn: Callable[[Any], list[Finding]], arg: Any) -> list[Finding]:
    """Run the analysis with every object that exists already (the SDK's deserialized copy of the whole
    stack among them) moved out of the collector's sight, and put back afterwards. Collections still run
    during the analysis, but only over what it allocates, instead of rescanning the stack each time."""
    gc.freeze()
    try:
        return fn(arg)
    finally:
        gc.unfreeze()


def report_findings(
    args: Any,
    report_violation: ReportViolation,
    rules: tuple[str, ...],
    refine: Callable[[Finding, Any], Finding | None] = lambda f, _config: f,
    borrowable: tuple[str, ...] = (),
) -> None:
    """Report this policy's rules' findings, each as ``[rule] message`` on its culprit's URN.

    ``borrowable`` are another policy's rules that this one reports too when its ``adviseRules`` config
    lists them: that is how one rule of a shared stack policy gets a level of its own."""
    try:
        config = args.get_config() or {}
        rules = rules + tuple(r for r in strings(config, "adviseRules") if r in borrowable)
        disabled = set(strings(config, "disabledRules"))
        exemptions = strings(config, "exemptions")
        findings: Iterable[Finding] = _with_stack_frozen(analyze, args.resources)
        seen: set[tuple[str, str, str]] = set()
        for f in findings:
            if f.rule not in rules or f.rule in disabled or exempt(f, exemptions):
                continue
            refined = refine(f, config)
            if refined is None:
                continue
            key = (refined.rule, refined.urn, refined.message)
            if key in seen:
                continue
            seen.add(key)
            report_violation(f"[{refined.rule}] {refined.message}", refined.urn or None)
    except Exception as exc:  # the pack never raises: an internal error is reported, not swallowed
        report_violation(
            f"[internal-error] the pack could not analyze this stack ({type(exc).__name__}: {exc}); "
            "nothing was verified. Please report this with the stack's resources.\n"
            + "".join(traceback.format_exception_only(exc)).strip(),
            None,
        )
