"""Port: Amplify Gen 1 (amplify-cli) auth + storage categories, as `amplify add storage` generates them.

Source: aws-amplify/amplify-cli,
packages/amplify-category-storage/resources/cloudformation-templates/s3-cloudformation-template.json.ejs
(S3AuthPublicPolicy, S3AuthProtectedPolicy, S3AuthPrivatePolicy, S3AuthUploadPolicy, S3AuthReadPolicy,
S3GuestPublicPolicy, S3GuestReadPolicy), with the auth category's identity pool and roles (trust pinned to
the pool by aud and amr, as amplify's UpdateRolesWithIDP step writes it). Each AWS::IAM::Policy of one
role becomes a RolePolicy; every document is built from the bucket's name with apply (Fn::Join in the
template). Guests on and CORS open, as in the source.

Unlike the faithful port (../amplify_gen1_storage), this program adds what the product requires: a bucket
policy that mirrors every role statement above for the role's ARN, built with Output.all from the bucket's
name and both roles' ARNs (unknown at a first preview).
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


AUTH_STATEMENTS: list = []
GUEST_STATEMENTS: list = []


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


def for_auth(*statements):
    AUTH_STATEMENTS.extend(statements)
    return policy(*statements)


def for_guest(*statements):
    GUEST_STATEMENTS.extend(statements)
    return policy(*statements)


CRUD = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
aws.iam.RolePolicy("S3AuthPublicPolicy", role=auth_role.id, policy=for_auth(objects(CRUD, "public/*")))
aws.iam.RolePolicy(
    "S3AuthProtectedPolicy", role=auth_role.id, policy=for_auth(objects(CRUD, f"protected/{SUB}/*"))
)
aws.iam.RolePolicy(
    "S3AuthPrivatePolicy", role=auth_role.id, policy=for_auth(objects(CRUD, f"private/{SUB}/*"))
)
aws.iam.RolePolicy(
    "S3AuthUploadPolicy", role=auth_role.id, policy=for_auth(objects(["s3:PutObject"], "uploads/*"))
)
aws.iam.RolePolicy(
    "S3AuthReadPolicy",
    role=auth_role.id,
    policy=for_auth(
        objects(["s3:GetObject"], "protected/*"),
        listing(["public/", "public/*", "protected/", "protected/*", f"private/{SUB}/", f"private/{SUB}/*"]),
    ),
)
aws.iam.RolePolicy(
    "S3GuestPublicPolicy", role=unauth_role.id, policy=for_guest(objects(["s3:GetObject"], "public/*"))
)
aws.iam.RolePolicy(
    "S3GuestReadPolicy",
    role=unauth_role.id,
    policy=for_guest(
        objects(["s3:GetObject"], "protected/*"),
        listing(["public/", "public/*", "protected/", "protected/*"]),
    ),
)


def mirror(name: str, auth_arn: str, guest_arn: str) -> str:
    statements = [{**s(name), "Principal": {"AWS": auth_arn}} for s in AUTH_STATEMENTS]
    statements += [{**s(name), "Principal": {"AWS": guest_arn}} for s in GUEST_STATEMENTS]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


aws.s3.BucketPolicy(
    "S3BucketPolicy",
    bucket=bucket.id,
    policy=pulumi.Output.all(bucket.bucket, auth_role.arn, unauth_role.arn).apply(lambda a: mirror(*a)),
)
