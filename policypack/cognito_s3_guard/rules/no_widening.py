"""no-widening: a bucket-policy grant to a Cognito role never reaches beyond the role's own scope."""

from __future__ import annotations

from ..findings import MANDATORY, Finding
from ..graph import Bucket, Role
from ..reach import Grant, covered
from .base import Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects

ID = "no-widening"
REMEDIATION = (
    "grant exactly the role's own statements, e.g. objects under "
    "users/${cognito-identity.amazonaws.com:sub}/* and s3:ListBucket only with an s3:prefix condition "
    "on the same per-identity folder."
)


def widening(role: Role, bucket: Bucket, wide: list[Grant]) -> Finding:
    culprit = min(g.urn for g in wide)  # one stable choice, whatever the registration order
    return Finding(ID, MANDATORY, "wider", culprit, REMEDIATION, grants=tuple(wide),
                   subjects=subjects(role.node, bucket.node), **role_fields(role),
                   **bucket_fields(bucket))  # fmt: skip


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role, bucket, reach in ctx.pairs():
        if not bucket.policies or reach.inferred.get(bucket.node.urn):
            continue  # no bucket policy: granting-bucket-policy; a role document unknown: unverified
        grants = reach.grants.get(bucket.node.urn, [])
        wide = [h for h in ctx.side(bucket, role).applying if not covered(h, grants)]
        if wide:
            out.append(widening(role, bucket, wide))
    # Also where the role's own policies reach nothing on the bucket but the bucket policy grants the
    # role something by name (its ARN, its session ARN, or * with aws:PrincipalArn): in one account that
    # grant alone gives the role access, so the bucket holds the role's users' files, and everything
    # that applies to the role there (grants to everyone included) is wider than its own scope. A grant
    # to everyone or to the whole account on a bucket that no Cognito role reaches or is granted by name
    # (a public website bucket) holds no user's folder, and a statement that names the role but grants
    # nothing changes none of that. Whether an unknown document grants the role is unverified-at-preview's.
    for role, bucket in ctx.named_but_not_reaching():
        side = ctx.side(bucket, role)
        if side.named and not ctx.unsure(role):
            out.append(widening(role, bucket, side.applying))
    return out


RULE = Rule(
    id=ID,
    policy="cognito-bucket-access",
    level=MANDATORY,
    title="No bucket-policy grant to a Cognito role reaches beyond the role's own scope.",
    description=(
        "In one account an Allow in either the role's identity policy or the bucket policy grants the "
        'request (IAM User Guide, "Policy evaluation logic"), so the wider layer decides. All users of '
        "an identity pool share its role, so a bucket grant of users/* or of the whole bucket lets every "
        "signed-in user read, overwrite and delete every other user's files (IAM User Guide, \"Amazon S3: "
        'Allows Amazon Cognito users to access objects in their bucket").'
    ),
    remediation=REMEDIATION,
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html",
    ),
    check=check,
)
