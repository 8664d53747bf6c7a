"""Port: AWS IAM User Guide, "Amazon S3: Allows Amazon Cognito users to access objects in their bucket"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html).

The guide's identity policy (ListBucket limited by s3:prefix to cognito/<app>/<identity id>/, and
Get/Put/Delete on that folder) is attached to the identity pool's authenticated role. As this product
requires, the bucket policy mirrors the same statements for the role's ARN. Both documents are built
with Output.all/apply from the bucket's and the role's ARNs: unknown at a first preview.
"""

import json

import pulumi
import pulumi_aws as aws

APP = "cognito/photo-app"
SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("users")
client = aws.cognito.UserPoolClient("web", user_pool_id=user_pool.id, generate_secret=False)
pool = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="photo identities",
    allow_unauthenticated_identities=False,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=True
        )
    ],
)
auth_role = aws.iam.Role(
    "authenticated",
    assume_role_policy=pool.id.apply(
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
    "roles", identity_pool_id=pool.id, roles={"authenticated": auth_role.arn}
)

bucket = aws.s3.Bucket("photos")


def guide_statements(bucket_arn: str) -> list[dict]:
    """The guide's two statements, for one bucket."""
    return [
        {
            "Sid": "ListYourObjects",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": [bucket_arn],
            "Condition": {"StringLike": {"s3:prefix": [f"{APP}/{SUB}/*"]}},
        },
        {
            "Sid": "ReadWriteDeleteYourObjects",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Resource": [f"{bucket_arn}/{APP}/{SUB}", f"{bucket_arn}/{APP}/{SUB}/*"],
        },
    ]


aws.iam.RolePolicy(
    "photos-access",
    role=auth_role.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": guide_statements(arn)})
    ),
)
aws.s3.BucketPolicy(
    "photos-policy",
    bucket=bucket.id,
    policy=pulumi.Output.all(bucket.arn, auth_role.arn).apply(
        lambda args: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{**s, "Principal": {"AWS": args[1]}} for s in guide_statements(args[0])],
            }
        )
    ),
)
