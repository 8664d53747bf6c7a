"""The project's stack ported to pulumi_aws_native, with one optional mistake chosen by config.

Mirrors ``components/``: a user pool and a browser app client (no secret, SRP + refresh), an identity
pool (no guests, classic flow off, server-side token check), the authenticated role trusted by that
pool only (``aud`` and ``amr``), its attachment, a role policy with per-identity statements, and a
private, encrypted, versioned bucket whose policy mirrors the role's statements plus a TLS-only deny.

As in the project's program, ARNs in documents are built from names known at a first preview (the
bucket name, the account id and the role name), never from the ``arn`` outputs. Only pulumi_aws_native.
"""

import pulumi
import pulumi_aws_native as native

MISTAKES = ("none", "no-bucket-policy", "widened-grant", "no-aud", "managed-policy-roles")
mistake = pulumi.Config().get("mistake") or "none"
if mistake not in MISTAKES:
    raise ValueError(f"native-stack:mistake is {mistake!r}; allowed: {', '.join(MISTAKES)}")

COGNITO = "cognito-identity.amazonaws.com"
SUB = "${cognito-identity.amazonaws.com:sub}"
VERSION = "2012-10-17"
account_id = native.get_account_id_output().account_id
partition = native.get_partition_output().partition

# --- who the users are ----------------------------------------------------------------------------
pool = native.cognito.UserPool(
    "users",
    username_attributes=["email"],
    auto_verified_attributes=["email"],
    user_attribute_update_settings=native.cognito.UserPoolUserAttributeUpdateSettingsArgs(
        attributes_require_verification_before_update=["email"]
    ),
    username_configuration=native.cognito.UserPoolUsernameConfigurationArgs(case_sensitive=False),
    account_recovery_setting=native.cognito.UserPoolAccountRecoverySettingArgs(
        recovery_mechanisms=[native.cognito.UserPoolRecoveryOptionArgs(name="verified_email", priority=1)]
    ),
    policies=native.cognito.UserPoolPoliciesArgs(
        password_policy=native.cognito.UserPoolPasswordPolicyArgs(
            minimum_length=12,
            require_lowercase=True,
            require_uppercase=True,
            require_numbers=True,
            require_symbols=True,
            temporary_password_validity_days=3,
        )
    ),
    mfa_configuration="OPTIONAL",
    enabled_mfas=["SOFTWARE_TOKEN_MFA"],
    deletion_protection="INACTIVE",
)
client = native.cognito.UserPoolClient(
    "web",
    user_pool_id=pool.user_pool_id,
    generate_secret=False,  # a browser app cannot keep a secret
    explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    prevent_user_existence_errors="ENABLED",
    enable_token_revocation=True,
    supported_identity_providers=["COGNITO"],
    access_token_validity=60,
    id_token_validity=60,
    refresh_token_validity=30,
    token_validity_units=native.cognito.UserPoolClientTokenValidityUnitsArgs(
        access_token="minutes", id_token="minutes", refresh_token="days"
    ),
)
identities = native.cognito.IdentityPool(
    "identities",
    identity_pool_name="native_stack_identities",
    allow_unauthenticated_identities=False,
    allow_classic_flow=False,
    cognito_identity_providers=[
        native.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.client_id,  # the client id output, not the resource id
            provider_name=pool.provider_name,
            server_side_token_check=True,
        )
    ],
)


def trust(pool_id: str | None) -> dict:
    conditions: dict = {"ForAnyValue:StringLike": {f"{COGNITO}:amr": "authenticated"}}
    if pool_id is not None:
        conditions["StringEquals"] = {f"{COGNITO}:aud": pool_id}
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": COGNITO},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": conditions,
            }
        ],
    }


# The pool id is the identity pool's awsId output: unknown at a first preview, so is this document.
# Without aud the trust needs no pool id: a static document, known at preview.
role = native.iam.Role(
    "authenticated",
    path="/",
    description="Cognito identity-pool role for authenticated identities",
    assume_role_policy_document=trust(None) if mistake == "no-aud" else identities.aws_id.apply(trust),
)
role_arn = pulumi.Output.format("arn:{0}:iam::{1}:role/{2}", partition, account_id, role.role_name)
native.cognito.IdentityPoolRoleAttachment(
    "identities-roles", identity_pool_id=identities.aws_id, roles={"authenticated": role_arn}
)

# --- the bucket -----------------------------------------------------------------------------------
bucket = native.s3.Bucket(
    "files",
    public_access_block_configuration=native.s3.BucketPublicAccessBlockConfigurationArgs(
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    ),
    ownership_controls=native.s3.BucketOwnershipControlsArgs(
        rules=[native.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced")]
    ),
    bucket_encryption=native.s3.BucketEncryptionArgs(
        server_side_encryption_configuration=[
            native.s3.BucketServerSideEncryptionRuleArgs(
                server_side_encryption_by_default=native.s3.BucketServerSideEncryptionByDefaultArgs(
                    sse_algorithm="AES256"
                )
            )
        ]
    ),
    versioning_configuration=native.s3.BucketVersioningConfigurationArgs(status="Enabled"),
    lifecycle_configuration=native.s3.BucketLifecycleConfigurationArgs(
        rules=[
            native.s3.BucketRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                noncurrent_version_expiration=native.s3.BucketNoncurrentVersionExpirationArgs(
                    noncurrent_days=30
                ),
                expired_object_delete_marker=True,
            ),
            native.s3.BucketRuleArgs(
                id="abort-incomplete-multipart-uploads",
                status="Enabled",
                abort_incomplete_multipart_upload=native.s3.BucketAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=7
                ),
            ),
        ]
    ),
)


def statements(part: str, bucket_name: str, folder: str) -> list[dict]:
    """The role's per-identity statements: objects under users/<folder>/, list only that prefix."""
    arn = f"arn:{part}:s3:::{bucket_name}"
    return [
        {
            "Sid": "OwnObjects",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Resource": f"{arn}/users/{folder}/*",
        },
        {
            "Sid": "ListOwnFolder",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": arn,
            "Condition": {"StringLike": {"s3:prefix": [f"users/{folder}/", f"users/{folder}/*"]}},
        },
    ]


native.iam.RolePolicy(
    "authenticated-files",
    role_name=role.role_name,
    policy_document=pulumi.Output.all(partition, bucket.bucket_name).apply(
        lambda a: {"Version": VERSION, "Statement": statements(a[0], a[1], SUB)}
    ),
)

if mistake == "managed-policy-roles":
    # Attached through `roles` (role NAMES): a route of its own. The bucket policy below mirrors only
    # the role policy, so it does not grant s3:GetObjectVersion.
    native.iam.ManagedPolicy(
        "authenticated-versions",
        roles=[role.role_name],
        policy_document=pulumi.Output.all(partition, bucket.bucket_name).apply(
            lambda a: {
                "Version": VERSION,
                "Statement": [
                    {
                        "Sid": "OwnObjectVersions",
                        "Effect": "Allow",
                        "Action": "s3:GetObjectVersion",
                        "Resource": f"arn:{a[0]}:s3:::{a[1]}/users/{SUB}/*",
                    }
                ],
            }
        ),
    )


def bucket_policy(args: list[str]) -> dict:
    part, bucket_name, principal = args
    folder = "*" if mistake == "widened-grant" else SUB  # the field report's "fix" grants users/*
    grants = [{**s, "Principal": {"AWS": principal}} for s in statements(part, bucket_name, folder)]
    arn = f"arn:{part}:s3:::{bucket_name}"
    deny_plain_http = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return {"Version": VERSION, "Statement": [deny_plain_http, *grants]}


if mistake != "no-bucket-policy":
    native.s3.BucketPolicy(
        "files-policy",
        bucket=bucket.bucket_name,
        policy_document=pulumi.Output.all(partition, bucket.bucket_name, role_arn).apply(bucket_policy),
    )

pulumi.export("userPoolId", pool.user_pool_id)
pulumi.export("userPoolClientId", client.client_id)
pulumi.export("identityPoolId", identities.aws_id)
pulumi.export("bucket", bucket.bucket_name)
