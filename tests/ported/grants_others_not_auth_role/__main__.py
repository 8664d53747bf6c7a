"""Issue 10, mistake (a) (broken): a bucket policy that grants other principals
(a cleanup role, the guest role)
but not the autonamed authenticated role, whose own RolePolicy reaches the bucket.

Pattern as in the public programs this suite ports (Terraform `jsonencode` with `aws_iam_role.x.arn`, CDK
`addToResourcePolicy`): every document is built with Output.all/apply from ARNs that are unknown at a
first preview. The authenticated role is autonamed, so at a first preview no document can spell its ARN
unless it depends on the role.
"""

import json

import pulumi
import pulumi_aws as aws

GRANT_AUTHENTICATED_ROLE = False
SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("users")
client = aws.cognito.UserPoolClient("web", user_pool_id=user_pool.id, generate_secret=False)
pool = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="files",
    allow_unauthenticated_identities=True,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=True
        )
    ],
)


def cognito_trust(kind: str) -> pulumi.Output[str]:
    return pool.id.apply(
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
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": kind},
                        },
                    }
                ],
            }
        )
    )


auth = aws.iam.Role("authenticated", assume_role_policy=cognito_trust("authenticated"))
guest = aws.iam.Role("guest", assume_role_policy=cognito_trust("unauthenticated"))
cleanup = aws.iam.Role(
    "cleanup",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
aws.cognito.IdentityPoolRoleAttachment(
    "roles", identity_pool_id=pool.id, roles={"authenticated": auth.arn, "unauthenticated": guest.arn}
)

bucket = aws.s3.Bucket("files")
aws.s3.BucketPublicAccessBlock(
    "files-pab",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketOwnershipControls(
    "files-ownership", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "files-sse",
    bucket=bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)


def own_folder(arn: str) -> list[dict]:
    return [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"{arn}/users/{SUB}/*",
        },
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": arn,
            "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}},
        },
    ]


def public_read(arn: str) -> list[dict]:
    return [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/public/*"}]


def doc(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


aws.iam.RolePolicy("authenticated-files", role=auth.id, policy=bucket.arn.apply(lambda a: doc(own_folder(a))))
aws.iam.RolePolicy("guest-public", role=guest.id, policy=bucket.arn.apply(lambda a: doc(public_read(a))))
aws.iam.RolePolicy(
    "cleanup-files",
    role=cleanup.id,
    policy=bucket.arn.apply(
        lambda a: doc(
            [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:DeleteObject"], "Resource": [a, f"{a}/*"]}]
        )
    ),
)


def bucket_policy(arn: str, cleanup_arn: str, guest_arn: str, auth_arn: str | None) -> str:
    statements = [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "Cleanup",
            "Effect": "Allow",
            "Principal": {"AWS": cleanup_arn},
            "Action": ["s3:ListBucket", "s3:DeleteObject"],
            "Resource": [arn, f"{arn}/*"],
        },
        *({**s, "Principal": {"AWS": guest_arn}} for s in public_read(arn)),
    ]
    if auth_arn is not None:
        statements += [{**s, "Principal": {"AWS": auth_arn}} for s in own_folder(arn)]
    return doc(statements)


if GRANT_AUTHENTICATED_ROLE:
    document = pulumi.Output.all(bucket.arn, cleanup.arn, guest.arn, auth.arn).apply(
        lambda a: bucket_policy(*a)
    )
else:
    document = pulumi.Output.all(bucket.arn, cleanup.arn, guest.arn).apply(lambda a: bucket_policy(*a, None))
aws.s3.BucketPolicy("files-policy", bucket=bucket.id, policy=document)
