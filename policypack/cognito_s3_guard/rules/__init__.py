"""The rule registry: one module per rule, listed here in the order their findings are reported.

Each module declares ``RULE``: its id, home policy, default level, title, description (why, with the AWS
documentation it rests on), remediation, references, and a pure ``check``."""

from __future__ import annotations

from . import (
    bucket_hardening,
    cognito_role_trust,
    granting_bucket_policy,
    identity_isolation,
    identity_pool_settings,
    no_widening,
    per_identity_scope,
    readable_documents,
    unassumable_role,
    unverified_at_preview,
)
from .base import Analysis, Rule, RuleConfig

REGISTRY: tuple[Rule, ...] = (
    granting_bucket_policy.RULE,
    no_widening.RULE,
    identity_isolation.RULE,
    cognito_role_trust.RULE,
    readable_documents.RULE,
    per_identity_scope.RULE,
    bucket_hardening.RULE,
    unverified_at_preview.RULE,
    unassumable_role.RULE,
    identity_pool_settings.RULE,
)
BY_ID: dict[str, Rule] = {r.id: r for r in REGISTRY}
RULE_IDS: frozenset[str] = frozenset(BY_ID)


def rules_of(policy: str) -> tuple[Rule, ...]:
    return tuple(r for r in REGISTRY if r.policy == policy)


__all__ = ["BY_ID", "REGISTRY", "RULE_IDS", "Analysis", "Rule", "RuleConfig", "rules_of"]
