"""Port: gist velotiotech/7b07cf393802bdbf6b4a5f20b9600f7b (Cognito identity pool authenticated role,
read-only photo folder): statements "ListYourObjects" (s3:ListBucket with s3:prefix
["${cognito-identity.amazonaws.com:sub}/", "${cognito-identity.amazonaws.com:sub}/*"]) and
"ReadYourObjects" (s3:GetObject on <bucket>/${sub} and <bucket>/${sub}/*), plus the console's default
mobileanalytics/cognito-sync/cognito-identity statement on "*".

As this product requires, the bucket policy mirrors the S3 statements; it names the role the other
documented way, Principal "*" with a StringEquals aws:PrincipalArn condition on the role's ARN. Documents
are built from the bucket's name (known at preview) and the role's ARN (unknown at preview).
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

bucket = aws.s3.Bucket("photos")


def photo_statements(name: str) -> list[dict]:
    return [
        {
            "Sid": "ListYourObjects",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": [f"arn:aws:s3:::{name}"],
            "Condition": {"StringLike": {"s3:prefix": [f"{SUB}/", f"{SUB}/*"]}},
        },
        {
            "Sid": "ReadYourObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [f"arn:aws:s3:::{name}/{SUB}", f"arn:aws:s3:::{name}/{SUB}/*"],
        },
    ]


aws.iam.RolePolicy(
    "Cognito_Auth_Role_Policy",
    role=auth_role.id,
    policy=bucket.bucket.apply(
        lambda name: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["mobileanalytics:PutEvents", "cognito-sync:*", "cognito-identity:*"],
                        "Resource": ["*"],
                    },
                    *photo_statements(name),
                ],
            }
        )
    ),
)


def mirrored(name: str, role_arn: str) -> str:
    condition = {"StringEquals": {"aws:PrincipalArn": role_arn}}
    statements = [
        {**s, "Principal": "*", "Condition": {**s.get("Condition", {}), **condition}}
        for s in photo_statements(name)
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


aws.s3.BucketPolicy(
    "photos-policy",
    bucket=bucket.id,
    policy=pulumi.Output.all(bucket.bucket, auth_role.arn).apply(lambda a: mirrored(*a)),
)
