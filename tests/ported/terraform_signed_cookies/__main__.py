"""Port: madvonh/cloudfront-cognito-signed-cookies-terraform (cognito_identity_pool.tf, iam_role.tf,
iam_role_policy.tf, iam_role_policy_attachment.tf, s3_bucket.tf).

Roles named from a project prefix (literal names), trust heredocs interpolating the identity pool's id,
role policies with only mobileanalytics/cognito-sync/cognito-identity on "*", and a bucket policy
(aws_iam_policy_document) that grants the authenticated role Get/List/Put/Delete on the whole photo
bucket, plus a CloudFront origin access identity read grant. The bucket policy is built with Output.all
from the role's, the bucket's and the OAI's ids. The OAI's iam_arn is spelled from its id (the form AWS
gives it) because the offline mocks do not compute that attribute. The identity pool keeps the source's
settings (classic flow on, server-side token check off).
"""

import json

import pulumi
import pulumi_aws as aws

prefix = pulumi.Config().require("projectPrefix")

user_pool = aws.cognito.UserPool("user_pool", name=f"{prefix}-user-pool")
client = aws.cognito.UserPoolClient("client", user_pool_id=user_pool.id, generate_secret=False)
identity_pool = aws.cognito.IdentityPool(
    "identity_pool",
    identity_pool_name="Signed cookie example",
    allow_unauthenticated_identities=False,
    allow_classic_flow=True,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=False
        )
    ],
)


def trust(kind: str) -> pulumi.Output[str]:
    return identity_pool.id.apply(
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


authenticated = aws.iam.Role(
    "authenticated",
    name=f"{prefix}-Cognito_Auth_Role",
    max_session_duration=3600,
    assume_role_policy=trust("authenticated"),
)
unauthenticated = aws.iam.Role(
    "unauthenticated",
    name=f"{prefix}-Cognito_PLKMobileUnauth_Role",
    max_session_duration=3600,
    assume_role_policy=trust("unauthenticated"),
)


def basics(actions: list[str]) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": ["*"]}]}
    )


aws.iam.RolePolicy(
    "authenticated_policy",
    name="Cognito_SignedCookie_Role_Policy",
    role=authenticated.id,
    policy=basics(["mobileanalytics:PutEvents", "cognito-sync:*", "cognito-identity:*"]),
)
aws.iam.RolePolicy(
    "unauthenticated_policy",
    name="Cognito_SignedCookie_Role_Policy",
    role=unauthenticated.id,
    policy=basics(["mobileanalytics:PutEvents", "cognito-sync:*"]),
)
aws.cognito.IdentityPoolRoleAttachment(
    "roles_attachment",
    identity_pool_id=identity_pool.id,
    roles={"authenticated": authenticated.arn, "unauthenticated": unauthenticated.arn},
)

photo_bucket = aws.s3.Bucket("photo_bucket", bucket=f"{prefix}-photos")
oai = aws.cloudfront.OriginAccessIdentity("origin_access_identity")
oai_iam_arn = oai.id.apply(lambda i: f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {i}")


def bucket_policy(role_arn: str, bucket_arn: str, oai_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [role_arn]},
                    "Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject"],
                    "Resource": [bucket_arn, f"{bucket_arn}/*"],
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [oai_arn]},
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": [bucket_arn, f"{bucket_arn}/*"],
                },
            ],
        }
    )


aws.s3.BucketPolicy(
    "authenticated_access",
    bucket=photo_bucket.id,
    policy=pulumi.Output.all(authenticated.arn, photo_bucket.arn, oai_iam_arn).apply(
        lambda a: bucket_policy(*a)
    ),
)
