"""The file bucket: hardening, lifecycle, CORS, optional KMS key, and the bucket policy.

The bucket policy's statements (TLS Deny and the grants that mirror the roles' policies) come from
:mod:`components.access`; this module only places them. ARNs in every document are built from names
known at preview (the bucket name, and role ARNs the caller builds from role names).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from components.access import AccessDescription, bucket_policy_document, kms_key_policy
from components.config import StorageSettings

# Access level -> the HTTP methods a browser needs for it (CORS).
_CORS_METHODS = {
    "get": ("GET", "HEAD"),
    "list": ("GET", "HEAD"),
    "write": ("PUT", "POST"),
    "delete": ("DELETE",),
}


def cors_methods(access: AccessDescription) -> list[str]:
    """The HTTP methods the access description needs, and no more."""
    grants = {g for who in ("authenticated", "guest") for rule in access.rules(who) for g in rule.grants}
    return sorted({m for g in grants for m in _CORS_METHODS[g]})


class FileBucket(pulumi.ComponentResource):
    """A private, versioned, encrypted bucket whose policy grants exactly what the roles' policies grant.

    ``role_arns`` maps ``"authenticated"`` / ``"guest"`` to role ARNs built from names (known at
    preview). Long-lived stacks (``settings.ephemeral`` false) protect and retain the bucket and the
    key and never force-destroy; only an ephemeral stack may be destroyed with its objects.
    """

    bucket: aws.s3.Bucket
    bucket_name: pulumi.Output[str]
    bucket_policy: aws.s3.BucketPolicy
    key: aws.kms.Key | None

    def __init__(
        self,
        name: str,
        settings: StorageSettings,
        access: AccessDescription,
        *,
        role_arns: Mapping[str, pulumi.Input[str]],
        account_id: pulumi.Input[str],
        region: pulumi.Input[str],
        partition: pulumi.Input[str] = "aws",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("cognito-user-files:components:FileBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        long_lived = not settings.ephemeral
        keep = pulumi.ResourceOptions(parent=self, protect=long_lived, retain_on_delete=long_lived)
        # A retained bucket keeps its safeguards: deleting these would open ACLs and public policies
        # again, drop default encryption and suspend versioning on a bucket that still holds the files.
        hardening = pulumi.ResourceOptions(parent=self, retain_on_delete=long_lived)

        self.bucket = aws.s3.Bucket(f"{name}-bucket", force_destroy=settings.ephemeral, opts=keep)
        self.bucket_name = self.bucket.bucket
        bucket = self.bucket.bucket  # the name: known at preview, unlike the id and the ARN

        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=hardening,
        )
        self.ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=hardening,
        )

        self.key = None
        if settings.kms_encryption:
            # Only roles that reach the bucket use the key (a guest role without rules does not).
            arns = [
                role_arns[who] for who in ("authenticated", "guest") if who in role_arns and access.rules(who)
            ]
            key_policy = pulumi.Output.all(account_id, region, partition, *arns).apply(
                lambda a: json.dumps(kms_key_policy(a[0], list(a[3:]), a[1], a[2]))
            )
            self.key = aws.kms.Key(
                f"{name}-key",
                description=f"Encrypts the objects of the {name} file bucket",
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=key_policy,
                opts=keep,  # losing the key loses the data
            )
        default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms" if self.key else "AES256",
            kms_master_key_id=self.key.arn if self.key else None,
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=default,
                    bucket_key_enabled=settings.kms_encryption,
                )
            ],
            opts=hardening,
        )

        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=hardening,
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket,
            rules=[
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="expire-noncurrent-versions",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(),
                    noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=settings.noncurrent_version_days
                    ),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(
                        expired_object_delete_marker=True
                    ),
                ),
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="abort-incomplete-multipart-uploads",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=settings.abort_multipart_days
                    ),
                ),
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning]),
        )

        self.cors = None
        if settings.cors_origins:
            self.cors = aws.s3.BucketCorsConfiguration(
                f"{name}-cors",
                bucket=bucket,
                cors_rules=[
                    aws.s3.BucketCorsConfigurationCorsRuleArgs(
                        allowed_origins=list(settings.cors_origins),
                        allowed_methods=cors_methods(access),
                        allowed_headers=["*"],
                        expose_headers=["ETag"],
                        max_age_seconds=3000,
                    )
                ],
                opts=child,
            )

        whos = [who for who in ("authenticated", "guest") if who in role_arns]
        document = pulumi.Output.all(bucket, partition, *[role_arns[w] for w in whos]).apply(
            lambda a: json.dumps(
                bucket_policy_document(access, a[0], dict(zip(whos, a[2:], strict=True)), a[1])
            )
        )
        self.bucket_policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket,
            policy=document,
            # Apply Block Public Access and ownership first, so the bucket is never briefly open.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.public_access_block, self.ownership]),
        )

        self.register_outputs({"bucketName": self.bucket_name})
