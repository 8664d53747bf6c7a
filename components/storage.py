"""The file bucket: hardening, lifecycle, CORS, optional KMS key, and the bucket policy.

The bucket policy's statements (TLS Deny and the grants that mirror the roles' policies) come from
:mod:`components.access`; this module only places them. ARNs in every document are built from names
known at preview (the bucket name, and role ARNs the caller builds from role names).

No ``from __future__ import annotations``: the component package's schema is read from these hints.
"""

import json
from collections.abc import Mapping
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.access import AccessDescription, bucket_arn, bucket_policy_document, kms_key_policy
from components.config import Settings, StorageSettings
from components.inputs import AccessLevel, InputError, settings_from_inputs

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


class FileBucketArgs(TypedDict):
    """Inputs of FileBucket: the role ARNs, and the Pulumi.yaml config keys of the same names, typed."""

    authenticated_role_arn: pulumi.Input[str]
    """ARN of the role signed-in identities assume (Identity's authenticatedRoleArn): the bucket policy
    grants it exactly what 'access' describes."""
    guest_role_arn: NotRequired[pulumi.Input[str]]
    """ARN of the role guest identities assume (Identity's guestRoleArn); needed for 'guestAccess'."""
    access: NotRequired[dict[str, list[AccessLevel]]]
    """Signed-in users' access: folder path ('.../*'; '{identity}' = the caller's identity-pool identity
    ID) -> access levels. Default {"users/{identity}/*": ["read", "write", "delete"]}."""
    guest_access: NotRequired[dict[str, list[AccessLevel]]]
    """Guests' access, like 'access' but without '{identity}'. Needs guestRoleArn. Default none."""
    cors_origins: NotRequired[list[str]]
    """Browser origins allowed by the bucket's CORS rule (https://host[:port], or http://localhost);
    '*' only as the sole entry. Default none (no CORS rule)."""
    kms_encryption: NotRequired[bool]
    """Encrypt with a customer-managed KMS key (SSE-KMS) instead of SSE-S3. Default false."""
    noncurrent_version_days: NotRequired[int]
    """Days to keep noncurrent object versions (1-3650). Default 30."""
    abort_multipart_days: NotRequired[int]
    """Days before incomplete multipart uploads are aborted (1-365). Default 7."""
    ephemeral: NotRequired[bool]
    """A throw-away stack: the bucket may be destroyed with its objects; nothing is protected or
    retained. Never on a stack that holds real users' files. Default false."""


_ROLE_FIELDS = ("authenticated_role_arn", "guest_role_arn")
#: The fields validated as stack config (all but the role ARNs).
STORAGE_FIELDS = tuple(f for f in FileBucketArgs.__annotations__ if f not in _ROLE_FIELDS)


def file_bucket_settings(args: FileBucketArgs) -> tuple[Settings, dict[str, pulumi.Input[str]]]:
    """Typed inputs -> validated settings (the stack's config validation) and the role ARNs by role."""
    if not isinstance(args, Mapping) or not args.get("authenticated_role_arn"):
        raise InputError("FileBucket", "authenticatedRoleArn", "missing", "the signed-in users' role ARN")
    config = {k: v for k, v in args.items() if k not in _ROLE_FIELDS}
    settings = settings_from_inputs("FileBucket", config, STORAGE_FIELDS, fixed={"allowGuests": "true"})
    role_arns = {"authenticated": args["authenticated_role_arn"]}
    if args.get("guest_role_arn") is not None:
        role_arns["guest"] = args["guest_role_arn"]
    elif settings.access.guest:
        raise InputError(
            "FileBucket", "guestAccess", repr(args.get("guest_access")), "guest rules need guestRoleArn"
        )
    return settings, role_arns


class FileBucket(pulumi.ComponentResource):
    """A private, versioned, encrypted bucket whose policy grants each role exactly its access rules.

    Block Public Access, BucketOwnerEnforced, default encryption, a TLS-only Deny, lifecycle rules for
    old versions and stale uploads, and CORS for the given origins. Used alone, the bucket policy is
    the only grant (enough for roles of the same account); UserFiles adds each role's own policy.
    """

    bucket_name: pulumi.Output[str]
    """The bucket's name."""
    bucket_arn: pulumi.Output[str]
    """The bucket's ARN, built from its name (known at preview)."""
    kms_key_arn: pulumi.Output[str] | None
    """ARN of the customer-managed KMS key; only with kmsEncryption."""

    def __init__(
        self,
        name: str,
        args: FileBucketArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        access: AccessDescription | None = None,
        role_arns: Mapping[str, pulumi.Input[str]] | None = None,
        account_id: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        partition: pulumi.Input[str] | None = None,
    ) -> None:
        """``args``: typed inputs, or validated :class:`StorageSettings` with ``access`` and ``role_arns``.

        ``role_arns`` maps ``"authenticated"`` / ``"guest"`` to role ARNs built from names (known at
        preview). Long-lived stacks (``ephemeral`` false) protect and retain the bucket and the key and
        never force-destroy; only an ephemeral stack may be destroyed with its objects. The account id,
        region and partition are looked up when left out.
        """
        if isinstance(args, StorageSettings):
            if access is None or role_arns is None:
                raise TypeError("FileBucket with StorageSettings needs access= and role_arns=")
            settings = args
        else:
            validated, role_arns = file_bucket_settings(args)  # before anything is registered
            settings, access = validated.storage, validated.access
        super().__init__("cognito-user-files:components:FileBucket", name, None, opts)
        # Invokes through the providers this component was given (a consumer may pass its own aws provider).
        invoke = pulumi.InvokeOutputOptions(parent=self)
        account_id = (
            account_id if account_id is not None else aws.get_caller_identity_output(opts=invoke).account_id
        )
        region = region if region is not None else aws.get_region_output(opts=invoke).region
        partition = partition if partition is not None else aws.get_partition_output(opts=invoke).partition
        self._build(name, settings, access, role_arns, (account_id, region, partition))

    def _build(
        self,
        name: str,
        settings: StorageSettings,
        access: AccessDescription,
        role_arns: Mapping[str, pulumi.Input[str]],
        where: tuple[pulumi.Input[str], pulumi.Input[str], pulumi.Input[str]],
    ) -> None:
        """Each part in turn; ``where`` is (account id, region, partition)."""
        long_lived = not settings.ephemeral
        keep = pulumi.ResourceOptions(parent=self, protect=long_lived, retain_on_delete=long_lived)
        # A retained bucket keeps its safeguards: deleting these would open ACLs and public policies
        # again, drop default encryption and suspend versioning on a bucket that still holds the files.
        hardening = pulumi.ResourceOptions(parent=self, retain_on_delete=long_lived)

        self.bucket = aws.s3.Bucket(f"{name}-bucket", force_destroy=settings.ephemeral, opts=keep)
        self.bucket_name = self.bucket.bucket  # the name: known at preview, unlike the id and the ARN
        self.bucket_arn = pulumi.Output.all(self.bucket_name, where[2]).apply(lambda a: bucket_arn(*a))
        self._block_public_access(name, hardening)
        self.key = self._key(name, settings, access, role_arns, where, keep)
        self.kms_key_arn = self.key.arn if self.key else None
        self._encryption(name, settings, hardening)
        self._versioning_and_lifecycle(name, settings, hardening)
        self.cors = self._cors(name, settings, access)
        self.bucket_policy = self._policy(name, access, role_arns, where[2])
        self.register_outputs({"bucketName": self.bucket_name})

    def _block_public_access(self, name: str, opts: pulumi.ResourceOptions) -> None:
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=self.bucket_name,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=opts,
        )
        self.ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=self.bucket_name,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=opts,
        )

    def _key(
        self,
        name: str,
        settings: StorageSettings,
        access: AccessDescription,
        role_arns: Mapping[str, pulumi.Input[str]],
        where: tuple[pulumi.Input[str], pulumi.Input[str], pulumi.Input[str]],
        opts: pulumi.ResourceOptions,
    ) -> aws.kms.Key | None:
        if not settings.kms_encryption:
            return None
        # Only roles that reach the bucket use the key (a guest role without rules does not).
        arns = [role_arns[w] for w in ("authenticated", "guest") if w in role_arns and access.rules(w)]
        key_policy = pulumi.Output.all(*where, *arns).apply(
            lambda a: json.dumps(kms_key_policy(a[0], list(a[3:]), a[1], a[2]))
        )
        return aws.kms.Key(
            f"{name}-key",
            description=f"Encrypts the objects of the {name} file bucket",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=key_policy,
            opts=opts,  # losing the key loses the data
        )

    def _encryption(self, name: str, settings: StorageSettings, opts: pulumi.ResourceOptions) -> None:
        default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms" if self.key else "AES256",
            kms_master_key_id=self.key.arn if self.key else None,
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket_name,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=default,
                    bucket_key_enabled=settings.kms_encryption,
                )
            ],
            opts=opts,
        )

    def _versioning_and_lifecycle(
        self, name: str, settings: StorageSettings, opts: pulumi.ResourceOptions
    ) -> None:
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket_name,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=opts,
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=self.bucket_name,
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

    def _cors(
        self, name: str, settings: StorageSettings, access: AccessDescription
    ) -> aws.s3.BucketCorsConfiguration | None:
        if not settings.cors_origins:
            return None
        return aws.s3.BucketCorsConfiguration(
            f"{name}-cors",
            bucket=self.bucket_name,
            cors_rules=[
                aws.s3.BucketCorsConfigurationCorsRuleArgs(
                    allowed_origins=list(settings.cors_origins),
                    allowed_methods=cors_methods(access),
                    allowed_headers=["*"],
                    expose_headers=["ETag"],
                    max_age_seconds=3000,
                )
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _policy(
        self,
        name: str,
        access: AccessDescription,
        role_arns: Mapping[str, pulumi.Input[str]],
        partition: pulumi.Input[str],
    ) -> aws.s3.BucketPolicy:
        whos = [who for who in ("authenticated", "guest") if who in role_arns]
        document = pulumi.Output.all(self.bucket_name, partition, *[role_arns[w] for w in whos]).apply(
            lambda a: json.dumps(
                bucket_policy_document(access, a[0], dict(zip(whos, a[2:], strict=True)), a[1])
            )
        )
        return aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket_name,
            policy=document,
            # Apply Block Public Access and ownership first, so the bucket is never briefly open.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.public_access_block, self.ownership]),
        )
