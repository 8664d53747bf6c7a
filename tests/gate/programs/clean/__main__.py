"""A clean program: per-identity S3 folders for Cognito users, both layers granting the same scope.

Plain pulumi_aws only, so that the gate is shown to judge any program, not only this repo's
components. ARNs in documents are built from names (known at preview), not from ``.arn`` outputs.
"""

import json
from urllib.parse import urlparse

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
origin = config.require("allowedOrigin")
parsed = urlparse(origin)
if parsed.scheme != "https" or not parsed.netloc or parsed.path not in ("", "/"):
    # Fail before any resource is registered, naming the key, the value and what is allowed.
    raise ValueError(
        f"gate-clean:allowedOrigin is {origin!r}; expected an https origin such as https://app.example.com"
    )

SUB = "${cognito-identity.amazonaws.com:sub}"
account_id = aws.get_caller_identity().account_id
region = pulumi.Config("aws").get("region") or "us-east-1"

pool = aws.cognito.UserPool(
    "users",
    username_attributes=["email"],
    auto_verified_attributes=["email"],
    mfa_configuration="OPTIONAL",
    software_token_mfa_configuration={"enabled": True},
    password_policy={
        "minimum_length": 12,
        "require_lowercase": True,
        "require_uppercase": True,
        "require_numbers": True,
        "require_symbols": True,
    },
)
web = aws.cognito.UserPoolClient(
    "web",
    user_pool_id=pool.id,
    generate_secret=False,
    explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    prevent_user_existence_errors="ENABLED",
)
identities = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="gate_clean_identities",
    allow_unauthenticated_identities=False,
    allow_classic_flow=False,
    cognito_identity_providers=[
        {"client_id": web.id, "provider_name": pool.endpoint, "server_side_token_check": True}
    ],
)

bucket = aws.s3.Bucket("files")
aws.s3.BucketPublicAccessBlock(
    "files-public-access",
    bucket=bucket.bucket,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketOwnershipControls(
    "files-ownership", bucket=bucket.bucket, rule={"object_ownership": "BucketOwnerEnforced"}
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "files-encryption",
    bucket=bucket.bucket,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)
aws.s3.BucketVersioning(
    "files-versioning", bucket=bucket.bucket, versioning_configuration={"status": "Enabled"}
)
aws.s3.BucketCorsConfiguration(
    "files-cors",
    bucket=bucket.bucket,
    cors_rules=[
        {"allowed_methods": ["GET", "PUT", "DELETE"], "allowed_origins": [origin], "allowed_headers": ["*"]}
    ],
)

# The identity-pool id is computed, so the trust document is unknown at a first preview.
role = aws.iam.Role(
    "authenticated",
    assume_role_policy=identities.id.apply(
        lambda pool_id: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                        },
                    }
                ],
            }
        )
    ),
)
role_arn = pulumi.Output.format("arn:aws:iam::{0}:role/{1}", account_id, role.name)


def own_folder_statements(bucket_name: str) -> list[dict]:
    return [
        {
            "Sid": "OwnObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"arn:aws:s3:::{bucket_name}/users/{SUB}/*",
        },
        {
            "Sid": "ListOwnFolder",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{bucket_name}",
            "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}},
        },
    ]


aws.iam.RolePolicy(
    "authenticated-files",
    role=role.name,
    policy=bucket.bucket.apply(
        lambda b: json.dumps({"Version": "2012-10-17", "Statement": own_folder_statements(b)})
    ),
)


def bucket_policy(args: list[str]) -> str:
    bucket_name, principal = args
    grants = [{**s, "Principal": {"AWS": principal}} for s in own_folder_statements(bucket_name)]
    deny_plain_http = {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket_name}", f"arn:aws:s3:::{bucket_name}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [deny_plain_http, *grants]})


aws.s3.BucketPolicy(
    "files-policy",
    bucket=bucket.bucket,
    policy=pulumi.Output.all(bucket.bucket, role_arn).apply(bucket_policy),
)
aws.cognito.IdentityPoolRoleAttachment(
    "identities-roles", identity_pool_id=identities.id, roles={"authenticated": role.arn}
)

pulumi.export("bucketName", bucket.bucket)
pulumi.export("identityPoolId", identities.id)
pulumi.export("region", region)
