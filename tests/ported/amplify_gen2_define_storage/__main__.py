"""Port: Amplify Gen 2 `defineStorage` output (aws-amplify/amplify-backend, packages/backend-storage:
storage_access_policy_factory.ts builds one policy per role from `${bucket.bucketArn}${s3Prefix}` with
read -> s3:GetObject, write -> s3:PutObject, delete -> s3:DeleteObject, and a list permission becomes
s3:ListBucket on the bucket limited by an s3:prefix condition; `{entity_id}` is replaced by
${cognito-identity.amazonaws.com:sub}). The access definition ported is the common one:

    'media/{entity_id}/*': [allow.entity('identity').to(['read', 'write', 'delete'])],
    'public/*': [allow.guest.to(['read']), allow.authenticated.to(['read'])],

with defineAuth's identity pool and roles (trust pinned by aud and amr). Each policy document is built
with apply from the bucket's ARN (CDK's bucketArn token), so it is unknown at a first preview. Faithful to
the generated IAM: the Gen 2 construct grants through the roles' policies only, no bucket policy here.
"""

import json

import pulumi
import pulumi_aws as aws

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("amplifyAuthUserPool")
client = aws.cognito.UserPoolClient(
    "amplifyAuthUserPoolAppClient", user_pool_id=user_pool.id, generate_secret=False
)
identity_pool = aws.cognito.IdentityPool(
    "amplifyAuthIdentityPool",
    identity_pool_name="amplifyAuthIdentityPool",
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


auth_role = aws.iam.Role("amplifyAuthauthenticatedUserRole", assume_role_policy=trust("authenticated"))
unauth_role = aws.iam.Role("amplifyAuthunauthenticatedUserRole", assume_role_policy=trust("unauthenticated"))
aws.cognito.IdentityPoolRoleAttachment(
    "amplifyAuthIdentityPoolRoleAttachment",
    identity_pool_id=identity_pool.id,
    roles={"authenticated": auth_role.arn, "unauthenticated": unauth_role.arn},
)

bucket = aws.s3.Bucket("mediaBucket")


def statement(actions: list[str], prefixes: list[str]):
    return lambda arn: {"Effect": "Allow", "Action": actions, "Resource": [f"{arn}/{p}" for p in prefixes]}


def listing(prefixes: list[str]):
    return lambda arn: {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": arn,
        "Condition": {"StringLike": {"s3:prefix": prefixes}},
    }


def policy(*makers) -> pulumi.Output[str]:
    return bucket.arn.apply(
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [m(arn) for m in makers]})
    )


aws.iam.RolePolicy(
    "storageAccess1",
    role=auth_role.id,
    policy=policy(
        statement(["s3:GetObject"], [f"media/{SUB}/*", "public/*"]),
        statement(["s3:PutObject"], [f"media/{SUB}/*"]),
        statement(["s3:DeleteObject"], [f"media/{SUB}/*"]),
        listing([f"media/{SUB}/*", f"media/{SUB}/", "public/*", "public/"]),
    ),
)
aws.iam.RolePolicy(
    "storageAccess2",
    role=unauth_role.id,
    policy=policy(statement(["s3:GetObject"], ["public/*"]), listing(["public/*", "public/"])),
)
