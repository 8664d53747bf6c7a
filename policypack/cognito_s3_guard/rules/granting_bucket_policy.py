"""granting-bucket-policy: every bucket a Cognito role reaches has a bucket policy that grants the role
its own scope."""

from __future__ import annotations

from ..bounds import urn_label
from ..findings import MANDATORY, Finding, Gap
from ..graph import Bucket, Role
from ..principals import principal_arn_conditions
from ..reach import BucketSide, Grant, Reach, covered, statement_grants
from .base import Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects

ID = "granting-bucket-policy"
REMEDIATION = (
    "add an {policy_type} for {bucket} with Allow statements whose Principal is "
    '{{"AWS": "{role_arn}"}} and whose actions, resources and conditions mirror the role\'s own '
    "statements exactly (never wider)."
)


def role_arn_hint(role: Role) -> str:
    if role.arn:
        return role.arn
    return f"arn:aws:iam::<account>:role/{role.path_name or '<role name>'}"


def policy_type(bucket: Bucket) -> str:
    """The bucket-policy type of the bucket's own provider."""
    native = bucket.node.resource_type.startswith("aws-native:")
    return "aws-native:s3:BucketPolicy" if native else "aws:s3/bucketPolicy:BucketPolicy"


def _finding(role: Role, bucket: Bucket, kind: str, resource: str, **facts) -> Finding:
    hint = {"bucket": bucket.label, "role_arn": role_arn_hint(role), "policy_type": policy_type(bucket)}
    fix = REMEDIATION.format(**hint)
    return Finding(ID, MANDATORY, kind, resource, fix, subjects=subjects(role.node, bucket.node),
                   **role_fields(role), **bucket_fields(bucket), **facts)  # fmt: skip


def bound_gaps(ctx: Analysis, role: Role, side: BucketSide) -> tuple[Gap, ...]:
    """Why each unknown bucket document cannot name the role (see :mod:`..bounds`): it is computed from
    none of the role's outputs, and the role's name is engine-assigned."""
    return tuple(
        Gap("cannot-name", src.route, tuple(map(urn_label, sorted(src.deps))), (role.physical_name or "",))
        for src in sorted(side.unnamable, key=lambda s: s.urn)
    )


def public_grants(bucket: Bucket, missing: tuple[Grant, ...]) -> tuple[tuple[Grant, ...], str]:
    """The missing grants that a statement for everyone (Principal "*", no aws:PrincipalArn) makes, and
    the first (by URN) bucket policy that makes one."""
    name = bucket.physical_name
    everyone: list[Grant] = []
    for src in bucket.policies:
        if not src.doc.known or not name:
            continue
        for stmt in src.doc.statements:
            if stmt.effect == "Allow" and not principal_arn_conditions(stmt) and any(
                k == "*" or (k == "AWS" and v == "*") for k, v in stmt.principals or ()
            ):
                everyone.extend(statement_grants(stmt, name, src.route, src.urn))
    public = tuple(g for g in missing if covered(g, everyone))
    urns = [e.urn for e in everyone if any(covered(g, [e]) for g in public)]
    return public, min(urns or [""])


def _pair(ctx: Analysis, role: Role, bucket: Bucket, reach: Reach) -> list[Finding]:
    grants = reach.grants.get(bucket.node.urn, [])
    inferred = reach.inferred.get(bucket.node.urn, [])
    routes = tuple(dict.fromkeys([g.route for g in grants] + [s.route for s in inferred]))
    if not bucket.policies:
        return [
            _finding(role, bucket, "no-bucket-policy", bucket.node.urn, grants=tuple(grants), routes=routes)
        ]
    side = ctx.side(bucket, role)
    if side.open_unknown:
        return []  # whether the bucket grants the role is not known yet: unverified-at-preview
    culprit = min(s.urn for s in bucket.policies)  # one stable choice, whatever the registration order
    gaps = bound_gaps(ctx, role, side)
    out: list[Finding] = []
    if inferred and not side.grants:
        docs = tuple(dict.fromkeys(s.route for s in inferred))
        out.append(_finding(role, bucket, "not-named", culprit, routes=docs, gaps=gaps))
    missing = ctx.missing(bucket, role)
    if missing:
        public, where = public_grants(bucket, missing)
        if public:  # granted, to everyone: a public policy, not a grant that names the role
            seen = tuple(dict.fromkeys(f"{g.action} on {g.pattern}" for g in public))
            out.append(_finding(role, bucket, "public-grant", where or culprit, grants=missing,
                                routes=routes, gaps=(*gaps, Gap("public", values=seen))))  # fmt: skip
        else:
            out.append(
                _finding(role, bucket, "not-granted", culprit, grants=missing, routes=routes, gaps=gaps)
            )
    return out


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    return [f for role, bucket, reach in ctx.pairs() for f in _pair(ctx, role, bucket, reach)]


RULE = Rule(
    id=ID,
    policy="cognito-bucket-access",
    level=MANDATORY,
    title="Each bucket a Cognito role reaches has a bucket policy that grants the role its own scope.",
    description=(
        "The project's rule: both layers grant the role, so that neither a lost role policy nor a lost "
        "bucket policy silently changes who can read a user's files. A Cognito role reaches a bucket when "
        "any Allow of its own policies names an S3 action on the bucket or its objects; the bucket's "
        'policy must grant that role (its ARN, or "*" with an aws:PrincipalArn condition) every such '
        'action and resource (IAM User Guide, "Policy evaluation logic"; S3 User Guide, "Bucket '
        'policies").'
    ),
    remediation=(
        "Give the bucket a BucketPolicy whose Allow statements name the role ARN as principal and mirror "
        "the role's own statements exactly: objects under users/${cognito-identity.amazonaws.com:sub}/* "
        "and s3:ListBucket with an s3:prefix condition on that folder."
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html",
    ),
    check=check,
)
