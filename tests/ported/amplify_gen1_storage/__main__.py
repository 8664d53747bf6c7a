"""Port: Amplify Gen 1 (amplify-cli) auth + storage categories, as `amplify add storage` generates them.

Source: aws-amplify/amplify-cli,
packages/amplify-category-storage/resources/cloudformation-templates/s3-cloudformation-template.json.ejs
(S3AuthPublicPolicy, S3AuthProtectedPolicy, S3AuthPrivatePolicy, S3AuthUploadPolicy, S3AuthReadPolicy,
S3GuestPublicPolicy, S3GuestReadPolicy), with the auth category's identity pool and roles (trust pinned to
the pool by aud and amr, as amplify's UpdateRolesWithIDP step writes it). Each AWS::IAM::Policy of one
role becomes a RolePolicy; every document is built from the bucket's name with apply (Fn::Join in the
template). Faithful to the source: no bucket policy, guests on, CORS open.
"""

import json

import pulumi
import pulumi_aws as aws

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("UserPool")
client = aws.cognito.UserPoolClient("UserPoolClientWeb", user_pool_id=user_pool.id, generate_secret=False)
identity_pool = aws.cognito.IdentityPool(
    "IdentityPool",
    identity_pool_name="amplifyapp_identitypool",
    allow_unauthenticated_identities=True,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint
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


auth_role = aws.iam.Role("AuthRole", assume_role_policy=trust("authenticated"))
unauth_role = aws.iam.Role("UnauthRole", assume_role_policy=trust("unauthenticated"))
aws.cognito.IdentityPoolRoleAttachment(
    "IdentityPoolRoleMap",
    identity_pool_id=identity_pool.id,
    roles={"authenticated": auth_role.arn, "unauthenticated": unauth_role.arn},
)

bucket = aws.s3.Bucket(
    "S3Bucket",
    cors_rules=[
        aws.s3.BucketCorsRuleArgs(
            allowed_headers=["*"],
            allowed_methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
            allowed_origins=["*"],
            expose_headers=["x-amz-server-side-encryption", "x-amz-request-id", "x-amz-id-2", "ETag"],
            max_age_seconds=3000,
        )
    ],
)


def policy(*statements) -> pulumi.Output[str]:
    """A document of ``statements``, each a function of the bucket's name (Fn::Join in the template)."""
    return bucket.bucket.apply(
        lambda name: json.dumps({"Version": "2012-10-17", "Statement": [s(name) for s in statements]})
    )


def objects(actions, suffix):
    return lambda name: {"Effect": "Allow", "Action": actions, "Resource": [f"arn:aws:s3:::{name}/{suffix}"]}


def listing(prefixes):
    return lambda name: {
        "Effect": "Allow",
        "Action": ["s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{name}"],
        "Condition": {"StringLike": {"s3:prefix": prefixes}},
    }


CRUD = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
aws.iam.RolePolicy("S3AuthPublicPolicy", role=auth_role.id, policy=policy(objects(CRUD, "public/*")))
aws.iam.RolePolicy(
    "S3AuthProtectedPolicy", role=auth_role.id, policy=policy(objects(CRUD, f"protected/{SUB}/*"))
)
aws.iam.RolePolicy("S3AuthPrivatePolicy", role=auth_role.id, policy=policy(objects(CRUD, f"private/{SUB}/*")))
aws.iam.RolePolicy(
    "S3AuthUploadPolicy", role=auth_role.id, policy=policy(objects(["s3:PutObject"], "uploads/*"))
)
aws.iam.RolePolicy(
    "S3AuthReadPolicy",
    role=auth_role.id,
    policy=policy(
        objects(["s3:GetObject"], "protected/*"),
        listing(["public/", "public/*", "protected/", "protected/*", f"private/{SUB}/", f"private/{SUB}/*"]),
    ),
)
aws.iam.RolePolicy(
    "S3GuestPublicPolicy", role=unauth_role.id, policy=policy(objects(["s3:GetObject"], "public/*"))
)
aws.iam.RolePolicy(
    "S3GuestReadPolicy",
    role=unauth_role.id,
    policy=policy(
        objects(["s3:GetObject"], "protected/*"),
        listing(["public/", "public/*", "protected/", "protected/*"]),
    ),
)
