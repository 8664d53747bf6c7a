"""unassumable-role: an identity pool (or a user-pool group) hands out a role that no Cognito identity
can assume. Such a role is not a Cognito role for the mandatory rules (it reaches nothing for anyone);
the attachment is still a mistake: the identities it is meant for get no credentials."""

from __future__ import annotations

from ..documents import COGNITO_PRINCIPAL, WEB_IDENTITY_ACTION
from ..findings import ADVISORY, Finding
from .base import Analysis, Rule, RuleConfig, role_fields, subjects

ID = "unassumable-role"
REMEDIATION = (
    f'either trust Principal {{"Federated": "{COGNITO_PRINCIPAL}"}} for {WEB_IDENTITY_ACTION} (pinned '
    "with aud and amr conditions), or stop handing the role out."
)


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role in ctx.unassumable_roles:
        by = sorted([urn for urn, _ in role.pools] + [g.urn for g in role.groups])
        nodes = [ctx.graph.nodes[u] for u in by if u in ctx.graph.nodes]
        out.append(Finding(ID, ADVISORY, "unassumable", by[0], REMEDIATION,
                           routes=tuple(role.cognito_reasons), subjects=subjects(role.node, *nodes),
                           **role_fields(role)))  # fmt: skip
    return out


RULE = Rule(
    id=ID,
    policy="cognito-s3-advisories",
    level=ADVISORY,
    title="A role an identity pool or user-pool group hands out can be assumed by its identities.",
    description=(
        "Cognito gets credentials for an identity with sts:AssumeRoleWithWebIdentity as the "
        f"{COGNITO_PRINCIPAL} federated principal; a role whose trust does not allow that call (or "
        'denies it) gives the identities nothing (Cognito Developer Guide, "Role trust and permissions").'
    ),
    remediation=REMEDIATION,
    references=("https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html",),
    check=check,
)
