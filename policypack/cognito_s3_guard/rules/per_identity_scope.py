"""per-identity-scope: a Cognito role's object access and listing are confined to each identity's own
folder (``${cognito-identity.amazonaws.com:sub}``), except read-only prefixes the config declares shared."""

from __future__ import annotations

from collections.abc import Sequence

from ..documents import SUB_VARIABLE
from ..findings import ADVISORY, Finding
from ..reach import Grant
from .base import Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects

ID = "per-identity-scope"
REMEDIATION = (
    f"scope object access to .../users/{SUB_VARIABLE}/* and s3:ListBucket with an s3:prefix condition on "
    f"users/{SUB_VARIABLE}/ (or list a deliberate read-only shared prefix in this policy's sharedPrefixes "
    "config)."
)


def _per_identity(pattern: str) -> bool:
    return SUB_VARIABLE in pattern or "${aws:PrincipalTag/" in pattern


def shared(g: Grant, shared_prefixes: Sequence[str]) -> bool:
    """A read-only grant under a prefix that the config declares shared by every identity."""
    if not shared_prefixes or not g.action.startswith(("s3:GetObject", "s3:ListBucket")):
        return False
    if g.action == "s3:ListBucket":
        return g.prefixes is not None and all(
            any(p.startswith(s) for s in shared_prefixes) for p in g.prefixes
        )
    rest = g.pattern.split(":::", 1)[-1]
    key = rest.split("/", 1)[1] if "/" in rest else ""
    return any(key.startswith(s) for s in shared_prefixes)


def loose_grants(grants: list[Grant], shared_prefixes: Sequence[str] = ()) -> tuple[Grant, ...]:
    loose: list[Grant] = []
    for g in grants:
        if g.action == "s3:ListBucket":
            ok = g.prefixes is not None and all(_per_identity(p) for p in g.prefixes)
        elif g.pattern.startswith("arn:aws:s3:::") and "/" in g.pattern:
            ok = _per_identity(g.pattern)
        else:
            continue  # other bucket-level actions are about the bucket itself, not a user's folder
        if not ok and not shared(g, shared_prefixes):
            loose.append(g)
    return tuple(loose)


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role, bucket, reach in ctx.pairs():
        loose = loose_grants(reach.grants.get(bucket.node.urn, []), config.shared_prefixes)
        if loose:
            out.append(Finding(ID, ADVISORY, "loose", min(g.urn for g in loose), REMEDIATION, grants=loose,
                               subjects=subjects(role.node, bucket.node), **role_fields(role),
                               **bucket_fields(bucket)))  # fmt: skip
    return out


RULE = Rule(
    id=ID,
    policy="cognito-s3-advisories",
    level=ADVISORY,
    title="A Cognito role's object access and listing are confined to each identity's own folder.",
    description=(
        "All users of an identity pool share its role, so only a policy variable keeps them apart: "
        "${cognito-identity.amazonaws.com:sub} in the object ARN and in the s3:prefix of ListBucket "
        '(IAM User Guide, "Amazon S3: Allows Amazon Cognito users to access objects in their bucket"). '
        "A grant without it reaches every user's files."
    ),
    remediation=REMEDIATION[0].upper() + REMEDIATION[1:],
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html",
    ),
    check=check,
)
