"""cognito-role-trust: a Cognito role's trust policy pins the identity pool (aud) and the kind of
identity (amr), and allows nothing but the web-identity call."""

from __future__ import annotations

from ..actions import STS_ACTIONS
from ..documents import AMR_KEY, AUD_KEY, COGNITO_PRINCIPAL, WEB_IDENTITY_ACTION, Statement, action_matches
from ..findings import MANDATORY, Finding
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


def _action_problems(s: Statement) -> list[str]:
    if not s.allows_action(WEB_IDENTITY_ACTION):
        return [f"Action must be {WEB_IDENTITY_ACTION}"]
    if s.not_actions is not None:
        return [f"NotAction {list(s.not_actions)} allows more than {WEB_IDENTITY_ACTION}"]
    if s.actions is not None and not all(_trust_action_ok(a) for a in s.actions):
        return [f"Action allows more than {WEB_IDENTITY_ACTION} (and sts:TagSession): {list(s.actions)}"]
    return []


def _aud_problems(s: Statement, role: Role) -> list[str]:
    aud = [
        v for op, vals in s.condition_values(AUD_KEY)
        if op.split(":")[-1] in ("StringEquals", "StringEqualsIgnoreCase") for v in vals
    ]  # fmt: skip
    if not aud or any("*" in v or "?" in v for v in aud):
        return [
            f'no "StringEquals": {{"{AUD_KEY}": "<identity pool id>"}} condition: without it, users of '
            "any identity pool in any account can assume the role"
        ]
    pool_ids = {p for _, p in role.pools if p}
    extra = sorted(set(aud) - pool_ids)
    if pool_ids and not pool_ids & set(aud):
        return [f"the aud condition {aud} is not the attaching identity pool {sorted(pool_ids)}"]
    if extra and role.pools and all(p for _, p in role.pools):
        return [
            f"the aud condition also admits {extra}, which no IdentityPoolRoleAttachment of this role "
            "attaches: users of that pool can assume the role"
        ]
    return []


def statement_problems(s: Statement, role: Role) -> list[str]:
    out = _action_problems(s) + _aud_problems(s, role)
    amr = _amr_values(s)
    # Both kinds at once pin no kind: every Cognito identity is one or the other.
    if not amr or not set(amr) <= {"authenticated", "unauthenticated"} or len(set(amr)) > 1:
        out.append(
            f'no "ForAnyValue:StringLike": {{"{AMR_KEY}": "authenticated"}} (or "unauthenticated") '
            "condition: the role must say which kind of identity it is for"
        )
    return out


def _no_cognito_statement(role: Role) -> list[str]:
    if any(s.effect == "Allow" and _trusts_anyone(s) for s in role.trust.statements):
        return [
            f'its trust policy trusts any principal ("*") instead of {COGNITO_PRINCIPAL} by name '
            f'(Principal {{"Federated": "{COGNITO_PRINCIPAL}"}}), so more than the identity pool may '
            "assume it"
        ]
    return [
        f'its trust policy does not trust {COGNITO_PRINCIPAL} (Principal {{"Federated": '
        f'"{COGNITO_PRINCIPAL}"}}), so the identity pool cannot assume it'
    ]


def trust_problems(role: Role) -> list[str]:
    """What a known trust policy lacks for a Cognito role (empty when it is right)."""
    stmts = [
        s for s in role.trust.statements
        if s.effect == "Allow" and s.principals and ("Federated", COGNITO_PRINCIPAL) in s.principals
    ]  # fmt: skip
    if not stmts:
        return _no_cognito_statement(role)
    problems: list[str] = []
    for s in stmts:
        where = f"statement {s.sid!r}" if s.sid else "the statement that trusts " + COGNITO_PRINCIPAL
        problems.extend(f"{where}: {p}" for p in statement_problems(s, role))
    kinds = {v for s in stmts for v in _amr_values(s)}
    if len(stmts) > 1 and kinds == {"authenticated", "unauthenticated"}:
        problems.append(
            "its statements together admit both authenticated and unauthenticated identities (amr), so "
            "guests get the role too: use one role per kind"
        )
    # Another statement that trusts anyone makes the pinned one moot: it must pin the same way.
    for i, s in enumerate(role.trust.statements):
        if s.effect != "Allow" or s in stmts or not _trusts_anyone(s):
            continue
        own = statement_problems(s, role)
        if own:
            where = f"statement {s.sid!r}" if s.sid else f"Statement[{i}]"
            who = "NotPrincipal" if s.principals is None else "Principal *"
            problems.append(
                f"{where} trusts any principal ({who}), so anyone can assume the role: " + "; ".join(own)
            )
    return problems


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role in ctx.cognito_roles:
        if role.trust.state == "absent":
            problems = ["it has no trust policy"]
        elif role.trust.known:
            problems = trust_problems(role)
        else:
            continue  # unknown: unverified-at-preview; malformed: readable-documents
        if problems:
            out.append(Finding(ID, MANDATORY, "unsafe-trust", role.node.urn, REMEDIATION,
                               routes=tuple(role.cognito_reasons), problems=tuple(problems),
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
    remediation=REMEDIATION[0].upper() + REMEDIATION[1:],
    references=(
        "https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html",
    ),
    check=check,
)
