"""bucket-hardening: a bucket that holds Cognito users' files has Block Public Access (all four), a
TLS-only Deny, explicit default encryption and BucketOwnerEnforced."""

from __future__ import annotations

from ..findings import ADVISORY, Finding, Gap
from ..graph import Bucket
from ..graph.facts import BucketSetting
from .base import Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects

ID = "bucket-hardening"
REMEDIATION = (
    'add a BucketPublicAccessBlock with all four settings true, a bucket-policy Deny of s3:* to "*" when '
    'aws:SecureTransport is "false", a default-encryption configuration and BucketOwnershipControls '
    "with BucketOwnerEnforced."
)
NATIVE_REMEDIATION = (
    "set publicAccessBlockConfiguration with all four settings true, bucketEncryption and ownershipControls "
    'with BucketOwnerEnforced on the aws-native:s3:Bucket, and add a bucket-policy Deny of s3:* to "*" when '
    'aws:SecureTransport is "false".'
)
PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _flag_true(setting: BucketSetting, key: str) -> bool:
    v = setting.values.get(key)
    return v is True or (isinstance(v, str) and v.lower() == "true")


def _has_tls_deny(bucket: Bucket) -> bool | None:
    """True when a known policy denies plain HTTP; None when an unknown document may."""
    unknown = False
    for src in bucket.policies:
        if src.doc.state == "unknown":
            unknown = True
        for s in src.doc.statements:
            if (
                s.effect == "Deny"
                and s.allows_action("s3:GetObject")
                and s.allows_action("s3:PutObject")
                and any(k == "*" or v == "*" for k, v in s.principals or ())
                and any(
                    op == "Bool" and vals == ("false",)
                    for op, vals in s.condition_values("aws:SecureTransport")
                )
            ):
                return True
    return None if unknown else False


def _settings(bucket: Bucket, kind: str) -> list[BucketSetting]:
    """The bucket's settings of one kind, whether a resource of their own (classic) or inline (native)."""
    return [s for s in bucket.settings if s.kind == kind]


def _enforced(bucket: Bucket) -> bool:
    enforced = "BucketOwnerEnforced"
    return any(s.values.get("objectOwnership") == enforced for s in _settings(bucket, "ownership"))


def missing(bucket: Bucket) -> tuple[Gap, ...]:
    out: list[Gap] = []
    blocks = _settings(bucket, "public_access_blocks")
    if not any(all(_flag_true(b, f) for f in PUBLIC_ACCESS_FLAGS) for b in blocks):
        out.append(Gap("public-access-block"))
    if _has_tls_deny(bucket) is False:
        out.append(Gap("tls-deny"))
    if not bucket.encryption:
        out.append(Gap("encryption"))
    if not _enforced(bucket):
        out.append(Gap("ownership-enforced"))
    return tuple(out)


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for role, bucket, _ in ctx.pairs():  # each bucket once, named with the first role that reaches it
        if bucket.node.urn in seen:
            continue
        seen.add(bucket.node.urn)
        gaps = missing(bucket)
        if gaps:
            native = bucket.node.resource_type.startswith("aws-native:")  # hardening is inline there
            fix = NATIVE_REMEDIATION if native else REMEDIATION
            out.append(Finding(ID, ADVISORY, "missing", bucket.node.urn, fix, gaps=gaps,
                               subjects=subjects(bucket.node), **role_fields(role),
                               **bucket_fields(bucket)))  # fmt: skip
    return out


RULE = Rule(
    id=ID,
    policy="cognito-s3-advisories",
    level=ADVISORY,
    title="A bucket that holds Cognito users' files has Block Public Access, TLS only, encryption, no ACLs.",
    description=(
        'What AWS recommends for any bucket that holds private data (S3 User Guide, "Security best '
        'practices for Amazon S3"): all four Block Public Access settings, a Deny when '
        "aws:SecureTransport is false, explicit default encryption, and ACLs disabled by "
        "BucketOwnerEnforced object ownership."
    ),
    remediation=REMEDIATION,
    references=(
        "Security Hub S3.1",
        "Security Hub S3.2",
        "Security Hub S3.5",
        "Security Hub S3.8",
        "Security Hub S3.12",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    ),
    check=check,
)
