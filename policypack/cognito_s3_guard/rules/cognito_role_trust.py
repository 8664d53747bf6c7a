"""cognito-role-trust: a Cognito role's trust policy pins the identity pool (aud) and the kind of
identity (amr), and allows nothing but the web-identity call."""

from __future__ import annotations

from ..actions import STS_ACTIONS
from ..documents import AMR_KEY, AUD_KEY, COGNITO_PRINCIPAL, WEB_IDENTITY_ACTION, Statement, action_matches
from ..findings import MANDATORY, Finding, Gap
from ..graph import Role
from .base import Analysis, Rule, RuleConfig, role_fields, subjects

ID = "cognito-role-trust"
REMEDIATION = (
    f'trust Principal {{"Federated": "{COGNITO_PRINCIPAL}"}} for {WEB_IDENTITY_ACTION} with '
    f'Condition {{"StringEquals": {{"{AUD_KEY}": <pool id>}}, "ForAnyValue:StringLike": '
    f'{{"{AMR_KEY}": "authenticated"}}}}.'
)

# What a Cognito trust statement may allow: the web-identity call, and sts:TagSession, which attributes
# for access control (principal tags) need (Cognito Developer Guide, "Using attributes for access
# control"). Wildcards are judged against the STS actions of the generated table (actions.py).
TRUST_ACTIONS = frozenset({WEB_IDENTITY_ACTION.lower(), "sts:tagsession"})


def _amr_values(s: Statement) -> list[str]:
    return [
        v for op, vals in s.condition_values(AMR_KEY)
        if op.split(":")[-1] in ("StringLike", "StringEquals") for v in vals
    ]  # fmt: skip


def _trusts_anyone(s: Statement) -> bool:
    if s.principals is None:
        return s.not_principals is not None
    return any(kind == "*" or value == "*" for kind, value in s.principals)


def _trust_action_ok(pattern: str) -> bool:
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() in TRUST_ACTIONS
    if not pattern.lower().startswith("sts:"):
        return False
    matched = [a for a in STS_ACTIONS if action_matches(pattern, a)]
    return bool(matched) and all(a.lower() in TRUST_ACTIONS for a in matched)


def _action_gaps(s: Statement, where: str) -> list[Gap]:
    if not s.allows_action(WEB_IDENTITY_ACTION):
        return [Gap("action-not-web-identity", where)]
    if s.not_actions is not None:
        return [Gap("not-action", where, tuple(s.not_actions))]
    if s.actions is not None and not all(_trust_action_ok(a) for a in s.actions):
        return [Gap("action-too-wide", where, tuple(s.actions))]
    return []


def _aud_gaps(s: Statement, role: Role, where: str) -> list[Gap]:
    aud = [
        v for op, vals in s.condition_values(AUD_KEY)
        if op.split(":")[-1] in ("StringEquals", "StringEqualsIgnoreCase") for v in vals
    ]  # fmt: skip
    if not aud or any("*" in v or "?" in v for v in aud):
        return [Gap("no-aud", where)]
    pool_ids = {p for _, p in role.pools if p}
    extra = sorted(set(aud) - pool_ids)
    if pool_ids and not pool_ids & set(aud):
        return [Gap("aud-not-pool", where, tuple(aud), tuple(sorted(pool_ids)))]
    if extra and role.pools and all(p for _, p in role.pools):
        return [Gap("aud-extra", where, tuple(extra))]
    return []


def statement_gaps(s: Statement, role: Role, where: str = "") -> list[Gap]:
    """What one trust statement gets wrong; ``where`` is its Sid (empty when it has none)."""
    out = _action_gaps(s, where) + _aud_gaps(s, role, where)
    amr = _amr_values(s)
    # Both kinds at once pin no kind: every Cognito identity is one or the other.
    if not amr or not set(amr) <= {"authenticated", "unauthenticated"} or len(set(amr)) > 1:
        out.append(Gap("no-amr", where))
    return out


def trust_gaps(role: Role) -> list[Gap]:
    """What a known trust policy lacks for a Cognito role (empty when it is right)."""
    stmts = [
        s for s in role.trust.statements
        if s.effect == "Allow" and s.principals and ("Federated", COGNITO_PRINCIPAL) in s.principals
    ]  # fmt: skip
    if not stmts:
        anyone = any(s.effect == "Allow" and _trusts_anyone(s) for s in role.trust.statements)
        return [Gap("anyone-instead-of-cognito" if anyone else "no-cognito")]
    gaps: list[Gap] = []
    for s in stmts:
        gaps.extend(statement_gaps(s, role, s.sid or ""))
    kinds = {v for s in stmts for v in _amr_values(s)}
    if len(stmts) > 1 and kinds == {"authenticated", "unauthenticated"}:
        gaps.append(Gap("both-kinds-split"))
    # Another statement that trusts anyone makes the pinned one moot: it must pin the same way.
    for i, s in enumerate(role.trust.statements):
        if s.effect != "Allow" or s in stmts or not _trusts_anyone(s):
            continue
        own = statement_gaps(s, role)
        if own:
            who = "NotPrincipal" if s.principals is None else "Principal *"
            gaps.append(Gap("anyone-statement", s.sid or "", (str(i), who), inner=tuple(own)))
    return gaps


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role in ctx.cognito_roles:
        if role.trust.state == "absent":
            gaps = [Gap("no-trust-policy")]
        elif role.trust.known:
            gaps = trust_gaps(role)
        elif (bound := ctx.trust_bound(role)) is not None:
            gaps = [bound]  # unknown, but computed from no pool that attaches it: aud cannot pin one
        else:
            continue  # unknown: unverified-at-preview; malformed: readable-documents
        if gaps:
            out.append(Finding(ID, MANDATORY, "unsafe-trust", role.node.urn, REMEDIATION,
                               routes=tuple(role.cognito_reasons), gaps=tuple(gaps),
                               subjects=subjects(role.node), **role_fields(role)))  # fmt: skip
    return out


RULE = Rule(
    id=ID,
    policy="cognito-bucket-access",
    level=MANDATORY,
    title="A Cognito role's trust pins the identity pool (aud) and the identity kind (amr).",
    description=(
        "Without a StringEquals cognito-identity.amazonaws.com:aud condition, users of any identity pool "
        "in any account can assume the role; without an amr condition, guests may get an authenticated "
        'role (Cognito Developer Guide, "Identity pools security best practices" and "Role trust and '
        'permissions").'
    ),
    remediation=REMEDIATION,
    references=(
        "https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html",
    ),
    check=check,
)
