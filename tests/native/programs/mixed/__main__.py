"""One per-user configuration, its resources split between pulumi_aws and pulumi_aws_native by config.

- ``native-bucket-classic-policy``: a native bucket (hardening inline) whose policy is a classic
  ``aws.s3.BucketPolicy`` (JSON text) on the native ``bucketName``; identity and role classic.
- ``classic-role-native-bucket``: a classic role and ``aws.iam.RolePolicy`` whose document names a
  native bucket, and a native ``BucketPolicy`` (an object document) granting the classic role.
- ``native-role-classic-attachment``: a native role and ``RolePolicy``, trusted by and attached to a
  classic identity pool through a classic ``IdentityPoolRoleAttachment``; classic bucket and policy.

ARNs in documents are built from names known at a first preview, as in the project's program.
"""

import json

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as native

MIXES = ("native-bucket-classic-policy", "classic-role-native-bucket", "native-role-classic-attachment")
MISTAKES = ("none", "no-bucket-policy", "widened-grant")
config = pulumi.Config()
mix = config.get("mix") or MIXES[0]
mistake = config.get("mistake") or "none"
if mix not in MIXES:
    raise ValueError(f"mixed-stack:mix is {mix!r}; allowed: {', '.join(MIXES)}")
if mistake not in MISTAKES:
    raise ValueError(f"mixed-stack:mistake is {mistake!r}; allowed: {', '.join(MISTAKES)}")

COGNITO = "cognito-identity.amazonaws.com"
SUB = "${cognito-identity.amazonaws.com:sub}"
VERSION = "2012-10-17"
account_id = aws.get_caller_identity_output().account_id
native_role = mix == "native-role-classic-attachment"
native_bucket = mix != "native-role-classic-attachment"

# --- identity: classic in every mix ---------------------------------------------------------------
pool = aws.cognito.UserPool("users", username_attributes=["email"], mfa_configuration="OFF")
web = aws.cognito.UserPoolClient(
    "web",
    user_pool_id=pool.id,
    generate_secret=False,
    explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)
identities = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="mixed_stack_identities",
    allow_unauthenticated_identities=False,
    allow_classic_flow=False,
    cognito_identity_providers=[
        {"client_id": web.id, "provider_name": pool.endpoint, "server_side_token_check": True}
    ],
)


def trust(pool_id: str) -> dict:
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": COGNITO},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{COGNITO}:aud": pool_id},
                    "ForAnyValue:StringLike": {f"{COGNITO}:amr": "authenticated"},
                },
            }
        ],
    }


# --- the role -------------------------------------------------------------------------------------
if native_role:
    role = native.iam.Role("authenticated", assume_role_policy_document=identities.id.apply(trust))
    role_name = role.role_name
else:
    role = aws.iam.Role(
        "authenticated", assume_role_policy=identities.id.apply(lambda i: json.dumps(trust(i)))
    )
    role_name = role.name
role_arn = pulumi.Output.format("arn:aws:iam::{0}:role/{1}", account_id, role_name)
aws.cognito.IdentityPoolRoleAttachment(
    "identities-roles", identity_pool_id=identities.id, roles={"authenticated": role_arn}
)

# --- the bucket -----------------------------------------------------------------------------------
if native_bucket:
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
    )
    bucket_name = bucket.bucket_name
else:
    bucket = aws.s3.Bucket("files")
    bucket_name = bucket.bucket
    aws.s3.BucketPublicAccessBlock(
        "files-public-access",
        bucket=bucket_name,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.s3.BucketOwnershipControls(
        "files-ownership", bucket=bucket_name, rule={"object_ownership": "BucketOwnerEnforced"}
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        "files-encryption",
        bucket=bucket_name,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
    )
    aws.s3.BucketVersioning(
        "files-versioning", bucket=bucket_name, versioning_configuration={"status": "Enabled"}
    )


def statements(name: str, folder: str) -> list[dict]:
    arn = f"arn:aws:s3:::{name}"
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


def role_document(name: str) -> dict:
    return {"Version": VERSION, "Statement": statements(name, SUB)}


if native_role:
    native.iam.RolePolicy(
        "authenticated-files", role_name=role_name, policy_document=bucket_name.apply(role_document)
    )
else:
    aws.iam.RolePolicy(
        "authenticated-files",
        role=role_name,
        policy=bucket_name.apply(lambda n: json.dumps(role_document(n))),
    )


def bucket_policy(args: list[str]) -> dict:
    name, principal = args
    folder = "*" if mistake == "widened-grant" else SUB
    arn = f"arn:aws:s3:::{name}"
    deny_plain_http = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    grants = [{**s, "Principal": {"AWS": principal}} for s in statements(name, folder)]
    return {"Version": VERSION, "Statement": [deny_plain_http, *grants]}


if mistake != "no-bucket-policy":
    document = pulumi.Output.all(bucket_name, role_arn).apply(bucket_policy)
    if mix == "classic-role-native-bucket":
        native.s3.BucketPolicy("files-policy", bucket=bucket_name, policy_document=document)
    else:
        aws.s3.BucketPolicy("files-policy", bucket=bucket_name, policy=document.apply(json.dumps))

pulumi.export("bucket", bucket_name)
