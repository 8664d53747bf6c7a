"""Issue 10, mistake (c), correct twin: the authenticated role's trust policy takes its
cognito-identity.amazonaws.com:aud from the identity pool's id, as it
must.

Written as a Terraform heredoc with "${aws_cognito_..._id}" is ported: the trust document is built with
apply from an id that is unknown at a first preview. The bucket policy mirrors the role correctly.
"""

import json

import pulumi
import pulumi_aws as aws

GUESTS = False
AUD_FROM = "identity_pool"

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("users")
client = aws.cognito.UserPoolClient("web", user_pool_id=user_pool.id, generate_secret=False)
pool = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="files",
    allow_unauthenticated_identities=GUESTS,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=True
        )
    ],
)


def cognito_trust(kind: str, pool_id: pulumi.Output[str]) -> pulumi.Output[str]:
    return pool_id.apply(
        lambda aud: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": aud},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": kind},
                        },
                    }
                ],
            }
        )
    )


def doc(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def tls_only(arn: str) -> dict:
    return {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


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


def as_principal(arn: str, statements: list[dict]) -> list[dict]:
    return [{**s, "Principal": {"AWS": arn}} for s in statements]


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

aud_source = {"identity_pool": pool.id, "user_pool": user_pool.id, "app_client": client.id}[AUD_FROM]
auth = aws.iam.Role("authenticated", assume_role_policy=cognito_trust("authenticated", aud_source))
aws.cognito.IdentityPoolRoleAttachment("roles", identity_pool_id=pool.id, roles={"authenticated": auth.arn})
aws.iam.RolePolicy("authenticated-files", role=auth.id, policy=bucket.arn.apply(lambda a: doc(own_folder(a))))
aws.s3.BucketPolicy(
    "files-policy",
    bucket=bucket.id,
    policy=pulumi.Output.all(bucket.arn, auth.arn).apply(
        lambda a: doc([tls_only(a[0]), *as_principal(a[1], own_folder(a[0]))])
    ),
)
