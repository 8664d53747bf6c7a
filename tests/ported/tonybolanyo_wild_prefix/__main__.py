"""Port: gist tonybolanyo/f7a772a41fbb0b1b8c6ea9e4f454986f ("Cognito Identity Pool Authenticated Role
Policy to Upload to S3 bucket"; the same document is in gist koladilip/3b70c313a7071d12a83b818efa1abc75):
s3:PutObject/GetObject/DeleteObject on `<bucket>/*/${cognito-identity.amazonaws.com:sub}/*` and
s3:ListBucket on the bucket with no condition.

As this product requires, the bucket policy mirrors both statements exactly for the role's ARN, so
granting-bucket-policy and no-widening hold. The per-identity pattern has a wildcard BEFORE the identity
variable: identity A may write `x/<B>/<A>/f`, which lies inside B's area `*/<B>/*` (issue 14).
"""

import json

import pulumi
import pulumi_aws as aws

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("users")
client = aws.cognito.UserPoolClient("app", user_pool_id=user_pool.id, generate_secret=False)
identity_pool = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="identities",
    allow_unauthenticated_identities=False,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=True
        )
    ],
)
auth_role = aws.iam.Role(
    "Cognito_Auth_Role",
    assume_role_policy=identity_pool.id.apply(
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
aws.cognito.IdentityPoolRoleAttachment(
    "roles", identity_pool_id=identity_pool.id, roles={"authenticated": auth_role.arn}
)

bucket = aws.s3.Bucket("uploads")


def upload_statements(arn: str) -> list[dict]:
    return [
        {
            "Sid": "VisualEditor0",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            "Resource": [f"{arn}/*/{SUB}/*"],
        },
        {"Sid": "VisualEditor1", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn},
    ]


aws.iam.RolePolicy(
    "upload-policy",
    role=auth_role.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": upload_statements(arn)})
    ),
)
aws.s3.BucketPolicy(
    "uploads-policy",
    bucket=bucket.id,
    policy=pulumi.Output.all(bucket.arn, auth_role.arn).apply(
        lambda a: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{**s, "Principal": {"AWS": a[1]}} for s in upload_statements(a[0])],
            }
        )
    ),
)
