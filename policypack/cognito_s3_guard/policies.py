"""The SDK policies, generated from the rule registry: two stack policies (the graph rules, one analysis
per request; each stack policy costs one SDK deserialization of the whole stack) and one resource policy.

Glue only: read and validate the config, run the home rules' checks, hand the findings to the request's
collector (:mod:`.dispatch`), never raise into the SDK."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from . import dispatch
from .analysis import analyze, with_stack_frozen
from .config import PolicyConfig, read_config, schema_properties
from .findings import DISABLED, Finding, exempt
from .graph import IDENTITY_POOL_TYPES, Node
from .render import render, render_config_problem, render_internal_error
from .rules import RULE_IDS, Analysis, rules_of


@dataclass(frozen=True)
class PolicySpec:
    name: str
    kind: str  # "stack" or "resource"
    level: EnforcementLevel
    severity: Severity
    description: str
    tags: tuple[str, ...]


SPECS = (
    PolicySpec(
        "cognito-bucket-access",
        "stack",
        EnforcementLevel.MANDATORY,
        Severity.CRITICAL,
        "Every S3 bucket that a Cognito identity-pool role can reach has a bucket policy that grants the "
        "role exactly its own scope (granting-bucket-policy), never wider (no-widening: in one account the "
        "wider layer decides, so a users/* grant lets every user read and delete every other user's files); "
        "no identity can write inside another identity's folder, proved with a counterexample otherwise "
        "(identity-isolation); every Cognito role's trust policy pins the identity pool (aud) and the "
        "identity kind (amr) (cognito-role-trust); and every policy document involved can be read "
        "(readable-documents). Checked at preview, from the graph.",
        ("cognito", "s3", "iam", "isolation"),
    ),
    PolicySpec(
        "cognito-s3-advisories",
        "stack",
        EnforcementLevel.ADVISORY,
        Severity.MEDIUM,
        "Advice for Cognito file storage: object access of Cognito roles is scoped to each identity's folder "
        "by ${cognito-identity.amazonaws.com:sub} (per-identity-scope); buckets they reach have Block Public "
        "Access, a TLS-only Deny, explicit encryption and BucketOwnerEnforced (bucket-hardening); a role "
        "that an identity pool or a user-pool group hands out can be assumed by its identities "
        "(unassumable-role); and anything that cognito-bucket-access could not verify at preview because a "
        "document is not known yet is named precisely, so that nothing is skipped silently "
        "(unverified-at-preview).",
        ("cognito", "s3", "hardening", "preview"),
    ),
    PolicySpec(
        "identity-pool-settings",
        "resource",
        EnforcementLevel.ADVISORY,
        Severity.MEDIUM,
        "Cognito identity pools keep the basic (classic) auth flow off, guest (unauthenticated) identities "
        "off unless deliberately allowed, and server-side token checks on for every user-pool provider, so "
        "that tokens of signed-out or deleted users stop working (Cognito security best practices, Security "
        "Hub Cognito.2).",
        ("cognito", "identity-pool"),
    ),
)


def findings_of(policy: str, analysis: Analysis, config: PolicyConfig) -> list[Finding]:
    """This policy's own rules' findings at their configured levels, exemptions applied."""
    out: list[Finding] = []
    for rule in rules_of(policy):
        level = config.levels.get(rule.id, rule.level)
        if level == DISABLED or rule.scope != "stack":
            continue
        for f in rule.check(analysis, config.options):
            if not exempt(f, config.options.exemptions, RULE_IDS):
                out.append(replace(f, level=level))
    return out


def _internal_error(report_violation: Any, exc: BaseException, what: str = "analyze this stack") -> None:
    detail = "".join(traceback.format_exception_only(exc)).strip()
    report_violation(render_internal_error(exc, what) + "\n" + detail, None)


def stack_validate(policy: str):
    def validate(args: Any, report_violation: Any) -> None:
        try:
            config, problems = read_config(policy, args.get_config() or {})
            for p in problems:  # reported at this policy's level: a broken mandatory config blocks
                report_violation(render_config_problem(policy, p), None)
            request = dispatch.join(policy, config, report_violation)
            resources = args.resources
            found = with_stack_frozen(lambda: findings_of(policy, analyze(resources), config))
            request.add(found)
        except Exception as exc:  # the pack never raises: an internal error is reported, not swallowed
            _internal_error(report_violation, exc)

    return validate


def resource_validate(policy: str, resource_types: tuple[str, ...]):
    def validate(args: Any, report_violation: Any) -> None:
        try:
            if args.resource_type not in resource_types:
                return
            config, problems = read_config(policy, args.get_config() or {})
            for p in problems:
                report_violation(render_config_problem(policy, p), None)
            node = Node(args.urn, args.resource_type, str(args.name), args.props)
            for rule in rules_of(policy):
                for f in rule.check(node, config.options):
                    if not exempt(f, config.options.exemptions, RULE_IDS):
                        report_violation(render(f), None)
        except Exception as exc:  # never raise into the SDK
            _internal_error(report_violation, exc, f"check resource '{getattr(args, 'name', '?')}'")

    return validate


def remediation_steps(policy: str) -> str:
    return " ".join(f"{r.id}: {r.remediation}" for r in rules_of(policy))


def build(spec: PolicySpec) -> Policy:
    common: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "enforcement_level": spec.level,
        "severity": spec.severity,
        "config_schema": PolicyConfigSchema(properties=schema_properties(spec.name)),
        "tags": list(spec.tags),
        "remediation_steps": remediation_steps(spec.name),
    }
    if spec.kind == "stack":
        return StackValidationPolicy(validate=stack_validate(spec.name), **common)
    return ResourceValidationPolicy(validate=resource_validate(spec.name, IDENTITY_POOL_TYPES), **common)


ALL_POLICIES: list[Policy] = [build(s) for s in SPECS]
POLICIES_BY_NAME = {p.name: p for p in ALL_POLICIES}

__all__ = ["ALL_POLICIES", "POLICIES_BY_NAME", "SPECS", "findings_of"]
