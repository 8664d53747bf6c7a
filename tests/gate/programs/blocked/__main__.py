"""A program the policy pack must block: the clean program with one mistake, chosen by config.

- ``widened-grant``: the field report's "fix". The bucket policy grants the Cognito role ``users/*``
  (and lists ``users/*``), so every signed-in user reaches every other user's folder.
- ``no-bucket-policy``: the field report's starting point. The role reaches the bucket; no bucket
  policy grants it.
- ``no-aud``: the role's trust policy has no ``aud`` condition, so any identity pool's users can assume it.

Plain pulumi_aws only.
"""

import json

import pulumi
import pulumi_aws as aws

MISTAKES = ("widened-grant", "no-bucket-policy", "no-aud")
mistake = pulumi.Config().get("mistake") or "widened-grant"
if mistake not in MISTAKES:
    raise ValueError(f"gate-blocked:mistake is {mistake!r}; allowed: {', '.join(MISTAKES)}")

SUB = "${cognito-identity.amazonaws.com:sub}"
account_id = aws.get_caller_identity().account_id

pool = aws.cognito.UserPool("users", username_attributes=["email"], mfa_configuration="OFF")
web = aws.cognito.UserPoolClient(
    "web",
    user_pool_id=pool.id,
    generate_secret=False,
    explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)
identities = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="gate_blocked_identities",
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


def trust(pool_id: str | None) -> str:
    conditions: dict = {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}
    if pool_id is not None:
        conditions["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool_id}
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": conditions,
                }
            ],
        }
    )


# Without aud the trust document needs no pool id: a static string, known at preview, as such a
# mistake is usually written.
role = aws.iam.Role(
    "authenticated",
    assume_role_policy=trust(None) if mistake == "no-aud" else identities.id.apply(trust),
)
role_arn = pulumi.Output.format("arn:aws:iam::{0}:role/{1}", account_id, role.name)


def statements(bucket_name: str, folder: str) -> list[dict]:
    return [
        {
            "Sid": "OwnObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"arn:aws:s3:::{bucket_name}/users/{folder}/*",
        },
        {
            "Sid": "ListOwnFolder",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{bucket_name}",
            "Condition": {"StringLike": {"s3:prefix": [f"users/{folder}/", f"users/{folder}/*"]}},
        },
    ]


aws.iam.RolePolicy(
    "authenticated-files",
    role=role.name,
    policy=bucket.bucket.apply(
        lambda b: json.dumps({"Version": "2012-10-17", "Statement": statements(b, SUB)})
    ),
)


def bucket_policy(args: list[str]) -> str:
    bucket_name, principal = args
    # The field report's fix grants users/* instead of users/${sub}/*.
    folder = "*" if mistake == "widened-grant" else SUB
    grants = [{**s, "Principal": {"AWS": principal}} for s in statements(bucket_name, folder)]
    if mistake == "widened-grant":
        grants[0]["Resource"] = f"arn:aws:s3:::{bucket_name}/users/*"
        grants[1]["Condition"] = {"StringLike": {"s3:prefix": "users/*"}}
    deny_plain_http = {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket_name}", f"arn:aws:s3:::{bucket_name}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [deny_plain_http, *grants]})


if mistake != "no-bucket-policy":
    aws.s3.BucketPolicy(
        "files-policy",
        bucket=bucket.bucket,
        policy=pulumi.Output.all(bucket.bucket, role_arn).apply(bucket_policy),
    )
aws.cognito.IdentityPoolRoleAttachment(
    "identities-roles", identity_pool_id=identities.id, roles={"authenticated": role.arn}
)

pulumi.export("bucketName", bucket.bucket)
