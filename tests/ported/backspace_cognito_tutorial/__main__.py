"""Port: gist pcoady/2c820a109e5fe271dda3 ("Cognito-Phonegap-Tutorial-IAM", from the tutorial at
backspace.technology/learn-aws-cognito.html): the authenticated role may s3:GetObject, s3:PutObject,
s3:PutObjectAcl and s3:DeleteObject on `<bucket>/${cognito-identity.amazonaws.com:sub}` and
`<bucket>/${cognito-identity.amazonaws.com:sub}/*`, beside mobileanalytics/cognito-sync on "*".

As this product requires, the bucket policy mirrors the S3 statement for the role's ARN. Documents are
built with Output.all/apply from ARNs unknown at a first preview.
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

bucket = aws.s3.Bucket("backspace-cognito-test")


def folder(arn: str) -> dict:
    return {
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject"],
        "Resource": [f"{arn}/{SUB}/*", f"{arn}/{SUB}"],
    }


aws.iam.RolePolicy(
    "Cognito_Auth_Role_Policy",
    role=auth_role.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Action": ["mobileanalytics:PutEvents", "cognito-sync:*"],
                        "Effect": "Allow",
                        "Resource": ["*"],
                    },
                    folder(arn),
                ],
            }
        )
    ),
)
aws.s3.BucketPolicy(
    "backspace-cognito-test-policy",
    bucket=bucket.id,
    policy=pulumi.Output.all(bucket.arn, auth_role.arn).apply(
        lambda a: json.dumps(
            {"Version": "2012-10-17", "Statement": [{**folder(a[0]), "Principal": {"AWS": a[1]}}]}
        )
    ),
)
